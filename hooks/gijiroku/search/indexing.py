"""Building the search index: the records of `search/records.py` as the index of
`search/postings.py` and the files the search page reads.

Each meeting and decision page is one page of the index: its text reduced to search characters,
paragraph by paragraph (`search/tokens.py`), one word at every character. The index holds ranks
of characters, not text, so the results are not built from it: the build also writes, for each
page, a header (title, date, where each block starts among the positions) and the text as printed
in small parts, which the browser fetches only for the results it shows, plus one facets file for
the filters, counts and date sort, which also carries the index's table of characters, its pages
and its chunks. The facets file holds, for every page, where each block starts among its
positions with the block's speaker and agenda item (a few bytes a block): with the positions the
index gives, the browser tells which speeches hold the words, and filters and counts speeches,
not pages. `search/reader.py` reads the index back, so that the verifier (and the tests) can
check it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..record.text import VARIANTS
from ..record.wareki import wareki_year
from . import postings
from .reader import CHUNKS, DATA
from .records import KINDS, Unit, iter_units
from .tokens import GRAM, casefold_extras, search_chars

# Characters of text per part file that the browser fetches for excerpts. At 1000 meetings 1200
# writes 14,680 files of the site instead of 20,165 (600), 24.3 MB of index instead of 25.8, for
# a first query of 176.7 KB instead of 172.6 and a median later one of 55 KiB instead of 49.
PART_CHARS = 1200


@dataclass
class Segment:
    """The part of a block that one part file holds, and the position where its text starts."""

    position: int
    part: int
    block: int  # the block's index in its unit
    paragraphs: list[str]
    first: bool  # holds the block's first paragraph


def tokenize(unit: Unit) -> tuple[list[int], list[str], list[Segment]]:
    """The unit's length in positions block by block, its paragraphs' search characters (those
    with any), and its text cut into parts."""
    lengths: list[int] = []
    letters: list[str] = []
    segments: list[Segment] = []
    position, part, filled = 0, 0, 0
    for index, block in enumerate(unit.blocks):
        length = 0
        segment = None
        for i, paragraph in enumerate(block.paragraphs):
            if filled >= PART_CHARS:
                part, filled, segment = part + 1, 0, None
            if segment is None:
                segment = Segment(position + length, part, index, [], i == 0)
                segments.append(segment)
            segment.paragraphs.append(paragraph)
            filled += len(paragraph)
            chars = search_chars(paragraph)
            if chars:
                letters.append(chars)
                length += len(chars)
        lengths.append(length)
        position += length
    return lengths, letters, segments


def _json_gz(data, level: int = 9) -> bytes:
    """JSON, gzipped. The results' files are written at level 5: at 1000 meetings, their 13,545
    files take 0.5 s at level 5 and 1.3 s at levels 6 to 9, and are 0.02 % larger (11.82 MB); the
    facets, which every first query reads, at 9 (at 5 the first query grew from 171.9 to 180.4 KB)."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return gzip.compress(raw, compresslevel=level, mtime=0)


class Cancelled(Exception):
    """A newer build made this index run pointless (under serve)."""


@dataclass
class IndexStats:
    """What one `index_site` run indexed, and how long it (and the sorting of the index within it) took."""

    pages: int
    tokens: int
    seconds: float
    sort_seconds: float


def remove_index(site_dir: Path, aside: bool = False) -> None:
    """Delete what `index_site` wrote (the search page then says that search is not ready).

    With `aside` (a serve rebuild, which waits for it), the index's folders are moved out of the
    site in one rename each, into a folder beside it, and deleted there by a process of its own:
    at 1000 meetings they hold three files in four of the site's, half a second of deleting that
    a thread would share the interpreter with the fence and the verifier for."""
    (site_dir / DATA / "facets.json.gz").unlink(missing_ok=True)
    folders = [f for f in (site_dir / DATA / CHUNKS, site_dir / DATA / "r", site_dir / DATA / "p") if f.exists()]
    trash = None
    if aside and folders:
        with contextlib.suppress(OSError):  # a parent that cannot be written: deleted in place
            trash = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.index-", dir=site_dir.parent))
    for n, folder in enumerate(folders):
        try:
            folder.rename(trash / str(n)) if trash is not None else shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
    if trash is not None:  # in a process of its own: a thread would take turns with the build's
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
                          str(trash)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def index_site(site_dir: Path, record, gram: int = GRAM, cancel: threading.Event | None = None,
               wrote: Callable[[list[str]], None] | None = None) -> IndexStats:
    """Index the meeting and decision pages of the site built at `site_dir` from `record`.

    With `cancel`, stops (raising Cancelled, the index removed) soon after it is set. `wrote`
    is told the files of each page (header and parts, paths under the site) once they are
    written, while the index goes on (site/prescan.py scans them for the verifier), and told
    no files after each chunk of the index it writes.
    """
    started = time.perf_counter()
    units: list[Unit] = []
    data = site_dir / DATA
    remove_index(site_dir)
    fold_tables = {"v": dict(VARIANTS), "c": casefold_extras()}
    (data / CHUNKS).mkdir(parents=True)
    (data / "r").mkdir(parents=True)
    (data / "p").mkdir(parents=True)
    lengths: dict[str, list[int]] = {}
    pages: list[list[str]] = []
    ids = {}
    for unit in iter_units(record, site_dir):  # each page's files are written as it is read, so its text is not kept
        if cancel is not None and cancel.is_set():  # before the next page is read: a newer build waits for this
            raise Cancelled()
        units.append(unit)
        lengths[unit.url], letters, segments = tokenize(unit)
        pages.append(letters)
        header, parts = _result_files(unit, lengths[unit.url], segments)
        digest = hashlib.sha256(header)
        for number in sorted(parts):
            digest.update(parts[number])
        page_id = ids[unit.url] = digest.hexdigest()[:16]
        (data / "r" / f"{page_id}.json.gz").write_bytes(header)
        for number, content in parts.items():
            (data / "p" / f"{page_id}-{number}.json.gz").write_bytes(content)
        if wrote is not None:
            wrote([f"{DATA}/r/{page_id}.json.gz", *(f"{DATA}/p/{page_id}-{number}.json.gz" for number in parts)])
    sorting = time.perf_counter()

    def write(chunk: postings.Chunk) -> None:
        if cancel is not None and cancel.is_set():  # between chunks too: sorting takes seconds
            raise Cancelled()
        (data / CHUNKS / chunk.name).write_bytes(chunk.data)
        if wrote is not None:  # no page's files, but the chance to send those waiting (see prescan.send_index)
            wrote([])

    index = postings.build(pages, gram, write=write)
    del pages
    sort_seconds = time.perf_counter() - sorting
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    facets = facets_of(units, ids, record, lengths)
    facets.update(gram=gram, index={"chars": index.chars, "pages": [ids[u.url] for u in units],
                                    "chunks": [[c.first, c.name] for c in index.chunks]})
    (data / "facets.json.gz").write_bytes(_json_gz(facets))
    # The folding of search.js and of the highlighting on the page a result opens (query.js).
    (data / "fold.json.gz").write_bytes(_json_gz(fold_tables))
    return IndexStats(len(units), index.places, time.perf_counter() - started, sort_seconds)


def _result_files(unit: Unit, lengths: list[int], segments: list[Segment]) -> tuple[bytes, dict[int, bytes]]:
    """A page's header and text parts, gzipped. The header: title, kind, date, its length in
    tokens, each block (anchor, label, speech number, agenda item), the agenda items' titles, and
    where each part's stretch of a block starts among the tokens."""
    header = {"u": unit.url, "t": unit.title, "k": unit.kind, "w": unit.when, "n": sum(lengths),
              "b": [[b.anchor, b.label, b.order, b.agenda] for b in unit.blocks],
              "a": {str(i.number): i.title for i in unit.items},
              "s": [[s.position, s.part, s.block, int(s.first and unit.blocks[s.block].titled)] for s in segments]}
    parts: dict[int, list] = {}
    for i, s in enumerate(segments):
        parts.setdefault(s.part, []).append([i, s.paragraphs])
    return _json_gz(header, 5), {number: _json_gz(content, 5) for number, content in parts.items()}


def facets_of(units: list[Unit], ids: dict[str, str], record, lengths: dict[str, list[int]] | None = None) -> dict:
    """What the filters, their counts and the date sort need for every result, by page id.

    A row: [kind, date, meeting, agencies, outcomes, blocks, items, kind of item]. `blocks` is flat,
    three numbers a block: its length in tokens, its speaker (1-based, 0 for none) and its agenda
    item (1-based among the row's `items`, 0 outside any); an item is [kind, outcome, agencies]
    (kind and outcome 1-based, 0 for none). A block outside any item takes the page's agencies
    and outcomes, and a decision's blocks its kind.
    """
    people, agencies = record.registry.people, record.registry.agencies
    lengths = lengths or {}
    commissioners = {s for u in units for s in u.speakers if s in people}
    others: dict[str, int] = {}
    for u in units:
        for b in u.blocks:
            if b.speaker and b.speaker not in people:
                others[b.speaker] = others.get(b.speaker, 0) + 1
    speakers = sorted(commissioners, key=lambda p: (not people[p].has_chaired, p))
    speakers += sorted(others, key=lambda label: (-others[label], label))
    labels = [people[p].display_title if p in people else p for p in speakers]
    agency_ids = sorted({a for u in units for a in u.agencies})
    outcomes = sorted({o for u in units for o in u.outcomes})
    listed = list(record.committee.agenda_kinds)
    kinds = {i.kind for u in units for i in u.items if i.kind} | {u.kind_of_item for u in units if u.kind_of_item}
    item_kinds = sorted(kinds, key=lambda k: (listed.index(k) if k in listed else len(listed), k))
    years = sorted({u.date.year for u in units if u.date})
    speaker_index = {s: i for i, s in enumerate(speakers)}

    def row(u: Unit) -> list:
        numbers = {item.number: i for i, item in enumerate(u.items)}
        sizes = lengths.get(u.url) or [0] * len(u.blocks)
        blocks = []
        for block, size in zip(u.blocks, sizes, strict=True):
            blocks += [size, speaker_index[block.speaker] + 1 if block.speaker else 0,
                       numbers[block.agenda] + 1 if block.agenda in numbers else 0]
        items = [[item_kinds.index(i.kind) + 1 if i.kind else 0, outcomes.index(i.outcome) + 1 if i.outcome else 0,
                  [agency_ids.index(a) for a in i.agencies]] for i in u.items]
        return [KINDS.index(u.kind), u.date.isoformat() if u.date else "", u.meeting or 0,
                [agency_ids.index(a) for a in u.agencies], [outcomes.index(o) for o in u.outcomes], blocks, items,
                item_kinds.index(u.kind_of_item) + 1 if u.kind_of_item else 0]

    return {
        "kinds": list(KINDS),
        "speakers": [[key, label] for key, label in zip(speakers, labels, strict=True)],
        "agencies": [[a, agencies[a].name] for a in agency_ids],
        "outcomes": outcomes,
        "item_kinds": item_kinds,
        # The meeting filter shows 第N回; only titles other than 第N回<committee> are sent.
        "meetings": {str(m.number): m.title for m in record.sorted_meetings()
                     if m.title != f"第{m.number}回{record.committee.name}"},
        "wareki": {str(y): wareki_year(dt.date(y, 12, 31)) for y in years},
        "rows": {ids[u.url]: row(u) for u in units},
    }
