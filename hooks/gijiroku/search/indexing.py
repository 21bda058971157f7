"""Full-text search: the public record as a Pagefind index in which every substring is found.

Stock Pagefind segments Japanese into words with Lindera when it indexes and with the browser's
`Intl.Segmenter` when it searches. The two disagree on compounds, so 個人情報保護委員会 can find
nothing on a page that prints it (Pagefind issue #1237); and no segmentation finds a query that
starts or ends inside a word. This module keeps both segmenters away from the text:

- Each meeting and decision page becomes one Pagefind record whose "words" are one token per
  character of its folded text (`search_chars`: NFKC width, 異体字 and case folded by
  `text.fold`; spaces and punctuation dropped). The token at a character is the `GRAM`
  characters starting there (padded at the end of a paragraph), written in ASCII codes, so no
  segmenter, lower-caser or diacritic folder changes it, whatever language Pagefind assumes.
- search.js folds and encodes a query the same way. A word of at most `GRAM` characters is one
  Pagefind term, and Pagefind's prefix match finds exactly the characters where the text starts
  with the word. A longer word is found through the `GRAM`-grams that cover it, each searched
  on its own; search.js keeps the places where they stand at exactly the word's offsets.

So a query that occurs verbatim (after folding) in a public text finds that text, and only the
texts that contain it. Pagefind's copy of a page is codes, so the results are not built from it:
the build also writes, for each page, a header (title, date, where each speech starts among the
tokens) and the text as printed in small parts, which the browser fetches only for the results it
shows, plus one facets file for the filters, counts and date sort.

Only meeting and decision pages are indexed (agenda, commissioner and agency pages repeat them).
Everything comes from the public record and the built decision pages, which hold public text
only; `index_texts` reads the index back so that the verifier (and the tests) can check it.
"""

from __future__ import annotations

import datetime as dt
import gc
import gzip
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import cbor2

from ..record.model import DECIDED_KINDS, Meeting, SpeakerKind, Speech, StageDirection, Withheld
from ..record.text import VARIANTS, fold
from ..site import urls
from ..site.render import UNKNOWN, date_full, meeting_time, wareki

GRAM = 5  # characters per token: a query word up to this length is one Pagefind term
PAD = "y00"  # the code of "no character" after the end of a paragraph; no character has it
PART_CHARS = 600  # characters of text per part file that the browser fetches for excerpts
BUNDLE = "pagefind"  # Pagefind's bundle, under the site
DATA = "search"  # headers, parts and facets, next to search/index.html
KINDS = ("議事録", "決定", "資料")
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_SHORT = 33 * 36 * 36  # code points below this have three-character codes starting 0-w


# -- folding and codes: docs/assets/search.js does the same, and the tests compare the two ---------

class _Searchable(dict):
    """str.translate table: a letter or digit stays, anything else goes (filled in as met)."""

    def __missing__(self, cp: int):
        self[cp] = cp if unicodedata.category(chr(cp))[0] in "LN" else None
        return self[cp]


_SEARCHABLE = _Searchable()


def search_chars(text: str) -> str:
    """The characters of `text` that search sees: `fold`ed, letters and digits only."""
    return fold(text).translate(_SEARCHABLE)


def char_code(ch: str) -> str:
    """A prefix-free ASCII code for a character: three characters, or x and four for rare ones."""
    cp = ord(ch)
    if cp < _SHORT:
        return _ALPHABET[cp // 1296] + _ALPHABET[cp // 36 % 36] + _ALPHABET[cp % 36]
    digits = ""
    for _ in range(4):
        cp, rest = divmod(cp, 36)
        digits = _ALPHABET[rest] + digits
    return "x" + digits


def decode(codes: str) -> str:
    """The characters a token or key stands for (PAD is dropped)."""
    out, i = [], 0
    while i < len(codes):
        if codes[i] == "x":
            out.append(chr(int(codes[i + 1:i + 5], 36)))
            i += 5
        else:
            if codes[i:i + 3] != PAD:
                out.append(chr(int(codes[i:i + 3], 36)))
            i += 3
    return "".join(out)


class _Codes(dict):
    """char_code, remembered."""

    def __missing__(self, ch: str) -> str:
        self[ch] = char_code(ch)
        return self[ch]


_CODE = _Codes()


def run_tokens(chars: str, gram: int = GRAM) -> list[str]:
    """One token per character of a paragraph: the codes of it and the next gram-1 characters."""
    codes = [_CODE[c] for c in chars]
    line = "".join(codes) + PAD * (gram - 1)
    starts = [0]
    for c in codes:
        starts.append(starts[-1] + len(c))
    starts += [starts[-1] + len(PAD) * k for k in range(1, gram)]
    return [line[starts[i]:starts[i + gram]] for i in range(len(chars))]


@cache
def casefold_extras() -> dict[str, str]:
    """Characters whose `str.casefold` is not their lower case (search.js lower-cases the rest)."""
    out = {}
    for cp in range(0x110000):
        ch = chr(cp)
        if unicodedata.category(ch) not in ("Cs", "Cn") and ch.casefold() != ch.lower():
            out[ch] = ch.casefold()
    return out


# -- what is indexed --------------------------------------------------------------------------------

@dataclass
class Block:
    """A stretch of a page that a sub-result links to: a speech, an agenda item, a section."""

    anchor: str  # element id on the page ("speech-7", "agenda-2", a heading's id); "" is the top
    label: str  # shown before the excerpt: 丹野委員長 #7, 議題2, the heading
    paragraphs: list[str]
    weight: int = 1
    speaker: str = ""  # registry id of the commissioner who spoke
    titled: bool = False  # the first paragraph is the label itself (searchable, shown as the label)


@dataclass
class Unit:
    """One search result: a meeting or a decision page, and the values its filters need."""

    url: str
    title: str
    kind: str  # 議事録 / 決定 / 資料
    date: dt.date | None
    meeting: int | None
    speakers: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    @property
    def when(self) -> str:
        return date_full(self.date) if self.date else ("開催日不明" if self.kind == "議事録" else "日付不明")


def meeting_unit(meeting: Meeting, record) -> Unit:
    """A meeting page as blocks: its facts, then its agenda items, speeches and stage directions."""
    people, agencies = record.registry.people, record.registry.agencies
    unit = Unit(urls.meeting(meeting.number), meeting.title, "議事録", meeting.date, meeting.number)
    facts = [meeting.title, date_full(meeting.date) if meeting.date else "開催日不明"]
    if meeting.start_time or meeting.end_time:
        facts.append(meeting_time(meeting))
    facts += [x for x in (meeting.place, meeting.note) if x]
    for group in (meeting.commissioners or (), meeting.secretariat or ()):
        facts += [s.label for s in group]
    if meeting.chair:
        facts.append(meeting.chair.label)
    facts += [d.title for d in sorted(record.decisions.values(), key=lambda d: d.id) if d.meeting == meeting.number]
    facts += [src.title for src in meeting.sources]
    unit.blocks.append(Block("", meeting.title, facts, weight=5, titled=True))
    speakers: dict[str, None] = {}
    for kind, item, elements in meeting.parts():
        section = kind
        if item is not None:
            section = f"agenda-{item.number}"
            heading = f"議題{item.number} {item.title}"
            lines = [heading]
            if item.deferred:
                lines.append("後日公表予定")
            else:
                lines += [x for x in (item.kind, item.outcome, item.publication, item.reason) if x]
                lines += list(item.subjects)
                lines += [agencies[a].name for a in item.agencies if a in agencies]
                lines += [" ".join(x for x in (m.label, m.title) if x) for m in item.materials]
                unit.agencies += [a for a in item.agencies if a in agencies and a not in unit.agencies]
                if item.outcome and item.outcome not in unit.outcomes:
                    unit.outcomes.append(item.outcome)
            unit.blocks.append(Block(section, heading, lines, weight=3, titled=True))
        for e in elements:
            if isinstance(e, Speech):
                person = e.speaker.person_id if e.speaker.kind is SpeakerKind.COMMISSIONER else None
                if person in people:
                    speakers[person] = None
                text = [b.text for b in e.blocks if not isinstance(b, Withheld)]
                unit.blocks.append(Block(e.anchor, f"{e.speaker.label} #{e.order}", [e.speaker.label, *text],
                                         speaker=person or "", titled=True))
            elif isinstance(e.block, StageDirection):
                unit.blocks.append(Block(section, "", [e.block.text]))
    unit.speakers = list(speakers)
    return unit


class _DocumentText(HTMLParser):
    """Headings (with their ids) and text blocks inside the built page's `.gk-document`."""

    TEXT = {"p", "li", "td", "th", "dt", "dd", "pre", "blockquote", "caption"}
    VOID = {"br", "img", "hr", "input", "wbr", "col", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # element depth inside .gk-document; 0 outside it
        self.blocks: list[tuple[str, str | None, str]] = []  # (tag, id, text)
        self._open: list[tuple[str, str | None, list[str]]] = []
        self._skip = 0  # inside the "#" permalink of a heading

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if not self.depth:
            self.depth = int(tag == "div" and "gk-document" in (attrs.get("class") or "").split())
            return
        if tag in self.VOID:
            return
        self.depth += 1
        if "headerlink" in (attrs.get("class") or "").split():
            self._skip = self.depth
        elif tag in self.TEXT or _is_heading(tag):
            self._open.append((tag, attrs.get("id"), []))

    def handle_endtag(self, tag):
        if not self.depth or tag in self.VOID:
            return
        if self._skip == self.depth:
            self._skip = 0
        elif self._open and self._open[-1][0] == tag:
            name, ident, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            if text:
                self.blocks.append((name, ident, text))
        self.depth -= 1

    def handle_data(self, data):
        if self.depth and self._open and not self._skip:
            self._open[-1][2].append(data)


def _is_heading(tag: str) -> bool:
    return len(tag) == 2 and tag[0] == "h" and tag[1] in "23456"


def decision_unit(decision, record, site_dir: Path) -> Unit:
    """A decision page: facts from the record, the body as the built page renders it."""
    meeting = record.meetings.get(decision.meeting) if decision.meeting is not None else None
    agencies = record.registry.agencies
    unit = Unit(urls.decision(decision.id), decision.title, "決定" if decision.kind in DECIDED_KINDS else "資料",
                decision.date, decision.meeting, agencies=[a for a in decision.agencies if a in agencies])
    facts = [decision.title, f"{decision.kind}（{decision.category}）", date_full(decision.date) if decision.date else UNKNOWN]
    if meeting:
        facts.append(meeting.title)
        item = meeting.item(decision.agenda) if decision.agenda else None
        if item:
            facts.append(f"議題{item.number} {item.title}")
    facts += [x for x in (decision.material, decision.note) if x]
    facts += [agencies[a].name for a in unit.agencies]
    facts += [src.title for src in decision.sources]
    unit.blocks.append(Block("", decision.title, facts, weight=5, titled=True))
    parser = _DocumentText()
    parser.feed((site_dir / urls.decision(decision.id) / "index.html").read_text(encoding="utf-8"))
    current = Block("", "", [])
    for tag, ident, text in parser.blocks:
        if _is_heading(tag):
            if current.paragraphs:
                unit.blocks.append(current)
            current = Block(ident or current.anchor, text, [text], weight=2, titled=True)
        else:
            current.paragraphs.append(text)
    if current.paragraphs:
        unit.blocks.append(current)
    return unit


def units_of(record, site_dir: Path) -> list[Unit]:
    """Every meeting and decision page of the public record, as search results."""
    units = [meeting_unit(m, record) for m in record.sorted_meetings()]
    units += [decision_unit(d, record, site_dir) for d in sorted(record.decisions.values(), key=lambda d: d.id)]
    return units


# -- tokens, the pages Pagefind indexes, and the files the browser reads ------------------------------

@dataclass
class Segment:
    """The part of a block that one part file holds, and the token position where its text starts."""

    position: int
    part: int
    block: Block
    paragraphs: list[str]
    first: bool  # holds the block's first paragraph


def tokenize(unit: Unit, gram: int = GRAM) -> tuple[list[tuple[int, list[str]]], list[Segment]]:
    """The unit's tokens block by block (with the block's weight), and its text cut into parts."""
    blocks: list[tuple[int, list[str]]] = []
    segments: list[Segment] = []
    position, part, filled = 0, 0, 0
    for block in unit.blocks:
        tokens: list[str] = []
        segment = None
        for i, paragraph in enumerate(block.paragraphs):
            if filled >= PART_CHARS:
                part, filled, segment = part + 1, 0, None
            if segment is None:
                segment = Segment(position + len(tokens), part, block, [], i == 0)
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


def _pagefind_file(path: Path) -> bytes:
    """A Pagefind data file without its gzip and its signature."""
    data = gzip.decompress(path.read_bytes())
    return data[len(b"pagefind_dcd"):] if data.startswith(b"pagefind_dcd") else data


def chunk_starts(bundle: Path) -> list[str]:
    """Where each of Pagefind's index chunks starts (its first word, shortened), in order."""
    (meta,) = bundle.glob("pagefind.*.pf_meta")
    index = cbor2.loads(_pagefind_file(meta))
    return [chunk[0] for chunk in index[2]]


def index_keys(bundle: Path) -> dict[str, int]:
    """Every word of the index, decoded to the text it stands for, with the pages that have it."""
    return {decode(word): len(pages.packed) for word, pages in _index_words(bundle)}


_CODES = re.compile(r"(?:[0-9a-w][0-9a-z]{2}|x[0-9a-z]{4}|y00)+")


def _index_words(bundle: Path):
    """Every word of the index as Pagefind wrote it: (word, its pages), pages still packed.

    The garbage collector is paused while the chunks are decoded: they are millions of small
    lists without cycles, and a caller that keeps some of them would otherwise have them all
    traversed again and again (28 s instead of 4 s at 1000 meetings).
    """
    (meta,) = bundle.glob("pagefind.*.pf_meta")
    hashes = [page[0] for page in cbor2.loads(_pagefind_file(meta))[1]]
    for path in sorted((bundle / "index").glob("*.pf_index")):
        paused = gc.isenabled()
        gc.disable()
        try:
            words = cbor2.loads(_pagefind_file(path))[0]
        finally:
            if paused:
                gc.enable()
        for word, pages, *_ in words:
            yield word, _Pages(pages, hashes)


@dataclass
class _Pages:
    """A word's pages as Pagefind 1.5 packs them: page numbers as deltas; positions on a page as
    runs of one weight, each starting with the weight (a negative number), then deltas from 0."""

    packed: list
    hashes: list[str]

    def ids(self):
        number = 0
        for step, *_ in self.packed:
            number += step
            yield self.hashes[number] if number < len(self.hashes) else str(number)

    def positions(self):
        for page, (_, locations, *_) in zip(self.ids(), self.packed, strict=True):
            yield page, _unpack(locations)


def index_texts(bundle: Path) -> dict[str, str]:
    """What the index holds of each page, read back: its search characters in order (for tests).

    The token at a position stands for the characters from there on, so the first character
    of each token, laid out by position, is the page's text (letters and digits, folded); a
    paragraph ends where a token stands for one character only.
    """
    tokens: dict[str, dict[int, str]] = {}
    for word, pages in _index_words(bundle):
        for page, positions in pages.positions():
            at = tokens.setdefault(page, {})
            for position in positions:
                if len(word) > len(at.get(position, "")):  # Pagefind also indexes pieces of a token
                    at[position] = word
    out = {}
    for page, at in tokens.items():
        chars = []
        for i in sorted(at):
            text = decode(at[i])
            chars.append(text[:1] + ("\n" if len(text) == 1 else ""))
        out[page] = "".join(chars)
    return out


def _codes(text: str) -> str:
    return "".join(_CODE[c] for c in text)


def find_in_index(bundle: Path, passages: list[str], gram: int = GRAM) -> tuple[dict[str, set[str]], list[str]]:
    """Which of `passages` (search characters, as `search_chars` makes them) the index holds, by page.

    A passage of at least `gram` characters is in a page when its grams stand there at
    consecutive positions; a shorter one when a token there starts with it. Only the words
    that can be part of a passage are read closely, so this costs little more than decoding
    the index. Also returns every word that is not in this module's codes (only a broken
    indexer writes one), so that the caller can read them as text.
    """
    long = {p: [_codes(p[j:j + gram]) for j in range(len(p) - gram + 1)] for p in passages if len(p) >= gram}
    needed = {g for grams in long.values() for g in grams}
    short = {_codes(p): p for p in passages if 0 < len(p) < gram}
    lengths = sorted({len(c) for c in short})
    packed: dict[str, dict[str, list[int]]] = {}  # needed word -> page -> its packed positions there
    hits: dict[str, set[str]] = {}
    raw: list[str] = []
    for word, pages in _index_words(bundle):
        if not _CODES.fullmatch(word):
            raw.append(word)
            continue
        if word in needed:
            packed[word] = dict(zip(pages.ids(), (entry[1] for entry in pages.packed), strict=True))
        for n in lengths:
            if word[:n] in short:
                for page in pages.ids():
                    hits.setdefault(page, set()).add(short[word[:n]])
    unpacked: dict[tuple[str, str], set[int]] = {}

    def positions(word: str, page: str) -> set[int]:
        if (word, page) not in unpacked:
            unpacked[word, page] = set(_unpack(packed[word][page]))
        return unpacked[word, page]

    for passage, grams in long.items():
        if not all(g in packed for g in grams):
            continue
        for page in set.intersection(*(set(packed[g]) for g in set(grams))):
            places = [positions(g, page) for g in grams]
            k = min(range(len(grams)), key=lambda j: len(places[j]))  # the rarest gram anchors the check
            if any(all(p - k + j in at for j, at in enumerate(places)) for p in places[k]):
                hits.setdefault(page, set()).add(passage)
    return hits, raw


def _unpack(locations: list[int]) -> list[int]:
    at, out = 0, []
    for loc in locations:
        if loc < 0:
            at = 0
        else:
            at += loc
            out.append(at)
    return out


def start_pagefind(source: Path, output: Path) -> subprocess.Popen:
    """Pagefind (the pinned extended binary) over the renditions in `source`, started."""
    return subprocess.Popen([sys.executable, "-m", "pagefind", "--site", str(source), "--output-path", str(output)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


class Cancelled(Exception):
    """A newer build made this index run pointless (under serve)."""


def wait_pagefind(process: subprocess.Popen, cancel: threading.Event | None = None) -> None:
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


def run_pagefind(source: Path, output: Path) -> None:
    wait_pagefind(start_pagefind(source, output))


@dataclass
class IndexStats:
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
        facets.update(gram=gram, chunks=[], fold=fold_tables)
        (data / "facets.json.gz").write_bytes(_json_gz(facets))
        return IndexStats(0, 0, time.perf_counter() - started, 0.0)
    cut: dict[str, tuple[int, list[Segment]]] = {}
    with tempfile.TemporaryDirectory(prefix="gijiroku-search-") as tmp:
        for unit in units:
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            blocks, segments = tokenize(unit, gram)
            cut[unit.url] = (sum(len(t) for _, t in blocks), segments)
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
        ids[json.loads(_pagefind_file(fragment))["url"].strip("/") + "/"] = fragment.stem
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
    facets = facets_of(units, ids, record)
    facets.update(gram=gram, chunks=chunk_starts(bundle), fold=fold_tables)
    (data / "facets.json.gz").write_bytes(_json_gz(facets))
    return IndexStats(len(units), sum(n for n, _ in cut.values()), time.perf_counter() - started, pagefind_seconds)


def _result_files(unit: Unit, length: int, segments: list[Segment]) -> tuple[bytes, dict[int, bytes]]:
    """A result's header (title, date, where each block starts among the tokens) and text parts, gzipped."""
    header = {"u": unit.url, "t": unit.title, "k": unit.kind, "w": unit.when, "n": length,
              "s": [[s.position, s.part, s.block.anchor, s.block.label, s.block.speaker,
                     int(s.first and s.block.titled)] for s in segments]}
    parts: dict[int, list] = {}
    for i, s in enumerate(segments):
        parts.setdefault(s.part, []).append([i, s.paragraphs])
    return _json_gz(header), {number: _json_gz(content) for number, content in parts.items()}


def facets_of(units: list[Unit], ids: dict[str, str], record) -> dict:
    """What the filters, their counts and the date sort need for every result, by Pagefind's page id."""
    people, agencies = record.registry.people, record.registry.agencies
    speakers = sorted({s for u in units for s in u.speakers},
                      key=lambda p: (not any(r.title == "委員長" for r in people[p].roles), p))
    agency_ids = sorted({a for u in units for a in u.agencies})
    outcomes = sorted({o for u in units for o in u.outcomes})
    years = sorted({u.date.year for u in units if u.date})
    return {
        "kinds": list(KINDS),
        "speakers": [[p, _person_label(people[p])] for p in speakers],
        "agencies": [[a, agencies[a].name] for a in agency_ids],
        "outcomes": outcomes,
        # The meeting filter shows 第N回; only titles other than 第N回<committee> are sent.
        "meetings": {str(m.number): m.title for m in record.sorted_meetings()
                     if m.title != f"第{m.number}回{record.committee.name}"},
        "wareki": {str(y): wareki(dt.date(y, 12, 31)) for y in years},
        "rows": {ids[u.url]: [KINDS.index(u.kind), u.date.isoformat() if u.date else "", u.meeting or 0,
                              [speakers.index(s) for s in u.speakers], [agency_ids.index(a) for a in u.agencies],
                              [outcomes.index(o) for o in u.outcomes]] for u in units},
    }


def _person_label(person) -> str:
    return person.display_name + (person.roles[-1].title if person.roles else "")
