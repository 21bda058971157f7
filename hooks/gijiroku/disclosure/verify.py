"""The disclosure verifier: proves after every build that no withheld text reached any output file.

It does not trust the code that made the site. It reads the sources again to learn what must
stay unpublished on the build date (text inside 非公表 markers; the content of 後日公表 items and
documents before their date), then scans every byte written under the output directory:
gzip files and Pagefind chunks decompressed, HTML entities, JSON and JavaScript escapes and
percent-encoding undone, width, 異体字, case, whitespace and zero-width characters folded away.
The search index, which holds codes rather than text, is read back position by position
(`scan_search_index`).

Passages are matched as overlapping windows, so an excerpt or a fragment of a passage is caught
too. A window that also occurs in the public record (a formula such as 以上です。 that a withheld
passage shares with public speech) proves nothing and is left out.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import gzip
import html
import json
import multiprocessing
import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import ahocorasick

from ..model import PLACEHOLDER, Disclosure, Speech, Withheld
from ..record import Record, source_files
from ..source import read_source
from ..text import squeeze
from .markers import scan_body, withheld_passages

WINDOW = 10  # characters of a folded passage that count as evidence of a leak
STRIDE = 3  # so any leaked run of WINDOW + STRIDE - 1 = 12 characters contains a whole window
SHORTEST = 4  # a passage shorter than this, folded, is too short to tell apart from other text


@dataclass(frozen=True)
class Secret:
    """A passage that must appear in no output file, and where it comes from."""

    text: str
    path: str
    line: int
    why: str  # 非公表 | 後日公表（YYYY-MM-DD まで）


@dataclass(frozen=True)
class Leak:
    output: str  # file under the site, relative
    secret: Secret
    window: str

    def format(self) -> str:
        return (f"{self.output}: {self.secret.path}:{self.secret.line} の{self.secret.why}の本文が出力に含まれています"
                f"（「{self.window}」）。")


@dataclass
class Report:
    files: int = 0
    bytes: int = 0
    secrets: int = 0
    windows: int = 0
    too_short: int = 0
    kinds: dict[str, int] | None = None


def collect_secrets(root: Path, record: Record, day: dt.date) -> list[Secret]:
    """Everything the site must not contain on `day`, with its source file and line."""
    secrets: list[Secret] = []
    minutes, decisions = source_files(root)
    for path in minutes + decisions:
        scratch: list = []
        source = read_source(path, root, scratch)
        if source is None:
            continue
        lines = scan_body(source.body, source.body_line, source.path, scratch, markdown=True)
        secrets.extend(Secret(text, source.path, number, "非公表")
                       for number, text in withheld_passages(lines) if text.strip() != PLACEHOLDER)
    for meeting in record.meetings.values():
        for item in meeting.agenda:
            if item.disclosure.is_published_on(item.publish_after, day):
                continue
            why = f"後日公表（{item.publish_after}）" if item.publish_after else "後日公表"
            for text in (item.reason, item.publication, *item.subjects):
                if text:
                    secrets.append(Secret(text, meeting.path, item.line, why))
            for element in meeting.elements_of(item.number):
                blocks = element.blocks if isinstance(element, Speech) else (element.block,)
                secrets.extend(Secret(b.text, meeting.path, element.line, why) for b in blocks
                               if not isinstance(b, Withheld))
    held = {(m.number, i.number) for m in record.meetings.values() for i in m.agenda
            if not i.disclosure.is_published_on(i.publish_after, day)}
    for doc in record.decisions.values():
        if doc.disclosure is Disclosure.WITHHELD:
            why = "非公表"
        elif not doc.disclosure.is_published_on(doc.publish_after, day):
            why = f"後日公表（{doc.publish_after}）"
        elif (doc.meeting, doc.agenda) in held:
            why = "後日公表の議題の文書"
        else:
            continue
        secrets.append(Secret(doc.title, doc.path, 1, why))
        secrets.extend(Secret(text, doc.path, number, why) for number, text in _body_lines(root / doc.path))
    return secrets


def _body_lines(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every non-blank body line of a source file, markers and placeholders aside."""
    scratch: list = []
    source = read_source(path, path.parent.parent, scratch)
    if source is None:
        return []
    lines = scan_body(source.body, source.body_line, source.path, scratch, markdown=True)
    return [(line.number, line.text) for line in lines
            if line.marker is None and line.text.strip() and line.text.strip() != PLACEHOLDER]


def public_text(record: Record, extra: list[str]) -> str:
    """Text the record itself publishes, folded: public speeches and documents, names, templates.

    Hand-written registry profiles are left out on purpose: a withheld passage pasted into a
    profile is exactly the leak this verifier exists to catch.
    """
    parts = [PLACEHOLDER, *extra]
    for meeting in record.meetings.values():
        parts.append(f"{meeting.title}（")  # lists print a meeting's title before its date in brackets
        attendees = (*(meeting.commissioners or ()), *(meeting.secretariat or ()), *filter(None, [meeting.chair]))
        parts.extend(s.label for s in attendees)  # the meeting page and its search record print them
        for item in meeting.agenda:
            parts.extend(filter(None, (item.title, item.outcome, item.kind, item.reason, item.publication, *item.subjects)))
            parts.append(f"議題{item.number} {item.title}")  # as headings print it, and the search index reads it
        for e in meeting.elements:
            parts.append(e.text if isinstance(e, Speech) else e.block.text)
            if isinstance(e, Speech):
                parts.append(e.speaker.label)
    for doc in record.decisions.values():
        parts.extend((doc.title, doc.body, doc.note or "", f"{doc.kind}（{doc.category}）"))
    for person in record.registry.people.values():
        parts.extend((person.name, *person.aliases))
    for agency in record.registry.agencies.values():
        parts.extend(agency.names)
    return "\x00".join(squeeze(p) for p in parts)


def _windows(text: str) -> list[str]:
    folded = squeeze(text)
    if len(folded) <= WINDOW:
        return [folded] if len(folded) >= SHORTEST else []
    starts = list(range(0, len(folded) - WINDOW + 1, STRIDE))
    if starts[-1] != len(folded) - WINDOW:
        starts.append(len(folded) - WINDOW)
    return [folded[i:i + WINDOW] for i in starts]


def _occurring(words, text: str) -> set[str]:
    """Those of `words` that occur in `text`, in one pass."""
    if not words:
        return set()
    probe = ahocorasick.Automaton()
    for w in words:
        probe.add_word(w, w)
    probe.make_automaton()
    return {w for _, w in probe.iter(text)}


def build_automaton(secrets: list[Secret], public: str, report: Report):
    """An Aho-Corasick automaton over every window that is evidence of a leak."""
    candidates: dict[str, Secret] = {}
    for secret in secrets:
        windows = _windows(secret.text)
        if not windows:
            report.too_short += 1
        for w in windows:
            candidates.setdefault(w, secret)
    public_hits = _occurring(candidates, public)
    automaton = ahocorasick.Automaton()
    for w, secret in candidates.items():
        if w not in public_hits:
            automaton.add_word(w, (w, secret))
    report.windows = len(automaton)
    if len(automaton):
        automaton.make_automaton()
    return automaton


_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_TAG = re.compile(r"<[^<>]*>")
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


_MARKUP = {".html", ".htm", ".xml", ".svg", ".xhtml"}
_ATTR_DOUBLE = re.compile(r'=\s*"([^"]*)"')
_ATTR_OTHER = re.compile(r"=\s*(?:'([^']*)'|([^\s\"'>]+))")
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)


def readable(path: Path) -> str:
    """A file's bytes as text a reader (or a search engine) could recover from it.

    Markup files are read as a reader and an indexer see them: the text nodes (so a tag
    between two characters hides nothing), every attribute value, and every comment.
    """
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # gzip: *.gz and Pagefind's chunks
        with contextlib.suppress(OSError, EOFError, zlib.error):  # not gzip after all: scan the bytes as they are
            data = gzip.decompress(data)
    text = data.decode("utf-8", errors="ignore")
    if "\\u" in text:
        text = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if path.suffix in _MARKUP or (path.suffix == ".gz" and Path(path.stem).suffix in _MARKUP):
        parts = [_TAG.sub("", text), *_ATTR_DOUBLE.findall(text), *_COMMENT.findall(text)]
        parts.extend("".join(groups) for groups in _ATTR_OTHER.findall(text))
        text = "\x00".join(parts)
    if "&" in text:
        text = html.unescape(text)
    if "%" in text:  # percent-encoded UTF-8 (URLs of Japanese anchors): decode only those runs
        text = _PERCENT.sub(lambda m: unquote(m.group(0)), text)
    return text


def _scan_file(path: Path, automaton) -> list[tuple[str, Secret]]:
    found: dict[Secret, str] = {}
    for _, (window, secret) in automaton.iter(squeeze(readable(path))):
        found.setdefault(secret, window)
    return [(window, secret) for secret, window in found.items()]


_AUTOMATON = None  # inherited by forked workers of a parallel scan


def _scan_chunk(paths: list[Path]) -> list[tuple[Path, str, Secret]]:
    return [(path, window, secret) for path in paths for window, secret in _scan_file(path, _AUTOMATON)]


PARALLEL_BYTES = 64_000_000  # below this a scan is faster in one process than the cost of starting more


def scan(site_dir: Path, automaton, report: Report, since: float | None = None, parallel: bool = True) -> list[Leak]:
    """Every file under `site_dir` (or only those written at or after `since`), on every core for a large site."""
    global _AUTOMATON
    kinds: dict[str, int] = {}
    paths = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        stat = path.stat()
        if since is not None and stat.st_mtime < since:
            continue
        report.files += 1
        report.bytes += stat.st_size
        kind = "".join(path.suffixes[-2:]) or path.name
        kinds[kind] = kinds.get(kind, 0) + 1
        paths.append(path)
    report.kinds = kinds
    if not len(automaton):
        return []
    workers = min(os.cpu_count() or 1, 8)
    if report.bytes < PARALLEL_BYTES or workers < 2 or not parallel:
        found = [(path, window, secret) for path in paths for window, secret in _scan_file(path, automaton)]
    else:
        _AUTOMATON = automaton
        chunks = [paths[i::workers * 4] for i in range(workers * 4)]
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            found = [hit for part in pool.map(_scan_chunk, chunks) for hit in part]
        _AUTOMATON = None
    found.sort(key=lambda hit: hit[0])
    return [Leak(path.relative_to(site_dir).as_posix(), secret, window) for path, window, secret in found]


_NOT_LETTER = re.compile(r"[\W_]+")


def scan_search_index(site_dir: Path, secrets: list[Secret], public_folded: str, automaton,
                      report: Report) -> list[Leak]:
    """The Pagefind index read back: does it hold any window of a secret, in any page?

    The index holds no text, only codes of the search characters (`search.search_chars`:
    letters and digits, folded) at positions, so it is checked in those terms: each secret's
    windows of letters and digits (those that the public record does not also print), found by
    `search.find_in_index`. Words of the index that are not codes are scanned as text.
    """
    from .. import search  # the index format is the search module's; imported here to keep verify light

    bundle = site_dir / search.BUNDLE
    if not (bundle / "index").is_dir():
        return []
    public = "\x00".join(_NOT_LETTER.sub("", part) for part in public_folded.split("\x00"))
    windows: dict[str, Secret] = {}
    for secret in secrets:
        for window in _windows(search.search_chars(secret.text)):
            windows.setdefault(window, secret)
    printed = _occurring(windows, public)
    windows = {w: s for w, s in windows.items() if w not in printed}
    hits, raw = search.find_in_index(bundle, list(windows))
    leaks = []
    for page in sorted(hits):
        header = site_dir / search.DATA / "r" / f"{page}.json.gz"
        where = page
        with contextlib.suppress(OSError, ValueError, KeyError):
            where = json.loads(gzip.decompress(header.read_bytes()))["u"]
        for window in sorted(hits[page]):
            leaks.append(Leak(f"{search.BUNDLE}/index（{where}）", windows[window], window))
    if raw and len(automaton):
        found = {}
        for _, (window, secret) in automaton.iter(squeeze("\x00".join(raw))):
            found.setdefault(secret, window)
        leaks += [Leak(f"{search.BUNDLE}/index", secret, window) for secret, window in found.items()]
    return leaks


# Output directories already verified in this process, with the secrets they were verified
# against: a `serve` rebuild that leaves the secrets unchanged need only scan what it rewrote.
_VERIFIED: dict[Path, frozenset[str]] = {}


def verify_site(root: Path, site_dir: Path, record: Record, public: Record, day: dt.date,
                extra_public: list[str] = (), since: float | None = None,
                parallel: bool = True) -> tuple[list[Leak], Report]:
    """Scan every file under `site_dir` for what must not be published on `day`.

    With `since` (a rebuild of a directory verified before), files older than `since` are
    skipped, but only if the set of secrets is the same as at the last verification. With
    `parallel` false the scan stays in this process (no fork: for a caller in a thread).
    """
    report = Report()
    secrets = collect_secrets(root, record, day)
    report.secrets = len(secrets)
    key, known = site_dir.resolve(), frozenset(s.text for s in secrets)
    if since is not None and _VERIFIED.get(key) != known:
        since = None
    public_folded = public_text(public, list(extra_public))
    automaton = build_automaton(secrets, public_folded, report)
    _VERIFIED.pop(key, None)
    leaks = scan(site_dir, automaton, report, since, parallel)
    leaks += scan_search_index(site_dir, secrets, public_folded, automaton, report)
    if not leaks:
        _VERIFIED[key] = known
    return leaks, report


def template_text() -> list[str]:
    """Literal text of the page templates: public by definition, never evidence of a leak."""
    folder = Path(__file__).parent.parent / "templates"
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.j2"))]
