"""Building the search index: the records of `search/records.py` as a Pagefind index and the
files the search page reads.

Each meeting and decision page becomes one Pagefind page whose "words" are its tokens
(`search/tokens.py`, which explains why: one token per search character, in ASCII codes), with
each block's weight. Pagefind's copy of a page is codes, so the results are not built from it:
the build also writes, for each page, a header (title, date, where each block starts among the
tokens) and the text as printed in small parts, which the browser fetches only for the results it
shows, plus one facets file for the filters, counts and date sort. The facets file also holds,
for every page, where each block starts among its tokens with the block's speaker and agenda item
(a few bytes a block): with the positions Pagefind returns, the browser tells which speeches hold
the words, and filters and counts speeches, not pages. `search/reader.py` reads the index back,
so that the verifier (and the tests) can check it.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..record.text import VARIANTS
from ..record.wareki import wareki_year
from .reader import BUNDLE, DATA, chunk_starts, pagefind_file
from .records import KINDS, Unit, units_of
from .tokens import GRAM, casefold_extras, run_tokens, search_chars

PART_CHARS = 600  # characters of text per part file that the browser fetches for excerpts


@dataclass
class Segment:
    """The part of a block that one part file holds, and the token position where its text starts."""

    position: int
    part: int
    block: int  # the block's index in its unit
    paragraphs: list[str]
    first: bool  # holds the block's first paragraph


def tokenize(unit: Unit, gram: int = GRAM) -> tuple[list[tuple[int, list[str]]], list[Segment]]:
    """The unit's tokens block by block (with the block's weight), and its text cut into parts."""
    blocks: list[tuple[int, list[str]]] = []
    segments: list[Segment] = []
    position, part, filled = 0, 0, 0
    for index, block in enumerate(unit.blocks):
        tokens: list[str] = []
        segment = None
        for i, paragraph in enumerate(block.paragraphs):
            if filled >= PART_CHARS:
                part, filled, segment = part + 1, 0, None
            if segment is None:
                segment = Segment(position + len(tokens), part, index, [], i == 0)
                segments.append(segment)
            segment.paragraphs.append(paragraph)
            filled += len(paragraph)
            tokens += run_tokens(search_chars(paragraph), gram)
        blocks.append((block.weight, tokens))
        position += len(tokens)
    return blocks, segments


def rendition(blocks: list[tuple[int, list[str]]]) -> str:
    """The page Pagefind indexes for a unit: its tokens, with each block's weight.

    One paragraph of inline elements: Pagefind ends the text of every block element with a full
    stop, which would make the block's last token a "compound word" with extra keys. The final
    "-" takes that place without being indexed.
    """
    spans = " ".join(f'<span data-pagefind-weight="{w}">{" ".join(t)}</span>' for w, t in blocks if t)
    return ('<!doctype html><html lang="zxx"><head><meta charset="utf-8"></head>'
            f"<body><main data-pagefind-body><p>{spans} -</p></main></body></html>\n")


def _json_gz(data) -> bytes:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return gzip.compress(raw, compresslevel=9, mtime=0)


def start_pagefind(source: Path, output: Path) -> subprocess.Popen:
    """Pagefind (the pinned extended binary) over the renditions in `source`, started."""
    return subprocess.Popen([sys.executable, "-m", "pagefind", "--site", str(source), "--output-path", str(output)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


class Cancelled(Exception):
    """A newer build made this index run pointless (under serve)."""


def wait_pagefind(process: subprocess.Popen, cancel: threading.Event | None = None) -> None:
    """Wait for Pagefind to finish: RuntimeError with its output if it failed; with `cancel` set,
    Pagefind is stopped and Cancelled raised."""
    while True:
        try:
            output, _ = process.communicate(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            if cancel is not None and cancel.is_set():
                process.kill()
                process.communicate()
                raise Cancelled() from None
    if process.returncode != 0:
        raise RuntimeError("Pagefind が検索索引を作れませんでした。\n" + output)


@dataclass
class IndexStats:
    """What one `index_site` run indexed, and how long it (and Pagefind within it) took."""

    pages: int
    tokens: int
    seconds: float
    pagefind_seconds: float


# Of Pagefind's bundle the site keeps the search API, its worker, the WebAssembly and the index;
# not its UIs (search.js is the UI) nor the fragments (codes, never fetched: see the module doc).
_KEEP = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "pagefind.", "wasm.", "index")


def remove_index(site_dir: Path) -> None:
    """Delete what `index_site` wrote (the search page then says that search is not ready)."""
    for old in (site_dir / BUNDLE, site_dir / DATA / "r", site_dir / DATA / "p"):
        shutil.rmtree(old, ignore_errors=True)
    (site_dir / DATA / "facets.json.gz").unlink(missing_ok=True)


def index_site(site_dir: Path, record, gram: int = GRAM, cancel: threading.Event | None = None) -> IndexStats:
    """Index the meeting and decision pages of the site built at `site_dir` from `record`.

    With `cancel`, stops (raising Cancelled, the index removed) soon after it is set.
    """
    started = time.perf_counter()
    units = units_of(record, site_dir)
    bundle, data = site_dir / BUNDLE, site_dir / DATA
    remove_index(site_dir)
    fold_tables = {"v": dict(VARIANTS), "c": casefold_extras()}
    if not units:  # nothing to index yet (Pagefind refuses an empty site); the page finds nothing
        data.mkdir(parents=True, exist_ok=True)
        facets = facets_of([], {}, record)
        facets.update(gram=gram, chunks=[])
        (data / "facets.json.gz").write_bytes(_json_gz(facets))
        (data / "fold.json.gz").write_bytes(_json_gz(fold_tables))
        return IndexStats(0, 0, time.perf_counter() - started, 0.0)
    cut: dict[str, tuple[list[int], list[Segment]]] = {}
    with tempfile.TemporaryDirectory(prefix="gijiroku-search-") as tmp:
        for unit in units:
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            blocks, segments = tokenize(unit, gram)
            cut[unit.url] = ([len(t) for _, t in blocks], segments)
            page = Path(tmp, unit.url, "index.html")
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(rendition(blocks), encoding="utf-8")
        pagefind_started = time.perf_counter()
        pagefind = start_pagefind(Path(tmp), bundle)
        try:  # while Pagefind works (on about one core), the files the browser reads are made ready
            files = {unit.url: _result_files(unit, *cut[unit.url]) for unit in units}
        finally:
            wait_pagefind(pagefind, cancel)
        pagefind_seconds = time.perf_counter() - pagefind_started
    ids = {}
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        ids[json.loads(pagefind_file(fragment))["url"].strip("/") + "/"] = fragment.stem
    for path in bundle.iterdir():
        if not path.name.startswith(_KEEP):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    (data / "r").mkdir(parents=True)
    (data / "p").mkdir(parents=True)
    for unit in units:
        page_id = ids[unit.url]
        header, parts = files[unit.url]
        (data / "r" / f"{page_id}.json.gz").write_bytes(header)
        for number, content in parts.items():
            (data / "p" / f"{page_id}-{number}.json.gz").write_bytes(content)
    facets = facets_of(units, ids, record, {url: lengths for url, (lengths, _) in cut.items()})
    facets.update(gram=gram, chunks=chunk_starts(bundle))
    (data / "facets.json.gz").write_bytes(_json_gz(facets))
    # The folding of search.js and of the highlighting on the page a result opens (query.js).
    (data / "fold.json.gz").write_bytes(_json_gz(fold_tables))
    return IndexStats(len(units), sum(sum(n) for n, _ in cut.values()), time.perf_counter() - started,
                      pagefind_seconds)


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
    return _json_gz(header), {number: _json_gz(content) for number, content in parts.items()}


def facets_of(units: list[Unit], ids: dict[str, str], record, lengths: dict[str, list[int]] | None = None) -> dict:
    """What the filters, their counts and the date sort need for every result, by Pagefind's page id.

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
