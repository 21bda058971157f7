"""The disclosure verifier: proves after every build that no withheld text reached any output file.

It does not trust the code that made the site. It reads the sources again, in its own cruder
way (`secrets`), to learn what must stay unpublished on the build date (text inside anything
resembling a 非公表 marker, in every published source; the content of 後日公表 items and
documents before their date), then reads every file written under the output directory
(`readers`: a type it cannot read stops the build) and looks for those passages in it, with
width, 異体字, case, whitespace and invisible characters folded away. The search index, which
holds ranks of characters rather than text, is read back position by position (`scan_search_index`).

Passages are matched as overlapping windows, so an excerpt or a fragment of a passage is caught
too; a file with anything that can display text right to left is read backwards as well. A window that also occurs in the public record (a formula
such as 以上です。 that a withheld passage shares with public speech) proves nothing and is left
out.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import gzip
import hashlib
import json
import os
import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote

import ahocorasick

from ..processes import spawned_pool
from ..record.loader import Record
from ..record.model import PLACEHOLDER, Speech
from ..record.problems import printable
from ..record.registry import reviewed_type
from .filescan import Found, Reader, fold, scan_bytes, scan_file
from .memo import Memo, automaton_of
from .readers import Refused, Unreadable, output_files, text_of
from .secrets import SHORTEST, STRIDE, WINDOW, Secret, collect_secrets, file_passages, variants

# Reader, scan_bytes, scan_file and fold (filescan.py) are part of this API: the build's workers read files with them.
__all__ = ["SHORTEST", "STRIDE", "WINDOW", "Found", "Leak", "Reader", "Report", "Secret", "Unreadable", "fold", "scan_bytes",
           "scan_file", "verify_site"]


@dataclass(frozen=True)
class Leak:
    output: str  # file under the site, relative
    secret: Secret
    window: str

    def format(self) -> str:
        return printable(f"{self.output}: {self.secret.path}:{self.secret.line} の{self.secret.why}の本文が出力に"
                         f"含まれています（「{self.window}」）。")


@dataclass
class Report:
    files: int = 0
    bytes: int = 0
    secrets: int = 0
    windows: int = 0
    too_short: int = 0
    kinds: dict[str, int] | None = None
    skipped: int = 0  # files not read for text: reviewed types, the toolchain's own binaries


def public_pieces(record: Record, extra: list[str], memo: Memo | None = None) -> list[str]:
    """Text the record itself publishes, folded: public speeches and documents, names, templates;
    in pieces (the templates, each meeting, the rest), each its parts joined by NUL.

    Hand-written registry profiles are left out on purpose: a withheld passage pasted into a
    profile is exactly the leak this verifier exists to catch.
    """
    groups = [[PLACEHOLDER, *extra]]
    for meeting in record.meetings.values():
        parts = [f"{meeting.title}（"]  # lists print a meeting's title before its date in brackets
        attendees = (*(meeting.commissioners or ()), *(meeting.secretariat or ()), *filter(None, [meeting.chair]))
        parts.extend(s.label for s in attendees)  # the meeting page and its search record print them
        for item in meeting.agenda:
            parts.extend(filter(None, (item.title, item.outcome, item.kind, item.reason, item.publication, *item.subjects,
                                       *(m.title for m in item.materials))))
            parts.append(f"議題{item.number} {item.title}")  # as headings print it, and the search index reads it
        for e in meeting.elements:
            parts.append(e.text if isinstance(e, Speech) else e.block.text)
            if isinstance(e, Speech):
                parts.append(e.speaker.label)
        groups.append(parts)
    rest = []
    for doc in record.decisions.values():
        rest.extend((doc.title, doc.body, doc.note or "", f"{doc.kind}（{doc.category}）"))
    for person in record.registry.people.values():
        rest.extend((person.name, *person.aliases))
    for agency in record.registry.agencies.values():
        rest.extend(agency.names)
    groups.append(rest)
    folded = (memo or Memo(keep=False)).folded
    return [folded.get(tuple(parts), _fold_parts) for parts in groups if parts]


def _fold_parts(parts: tuple[str, ...]) -> str:
    return "\x00".join(map(fold, parts))


def public_text(record: Record, extra: list[str], memo: Memo | None = None) -> str:
    """`public_pieces` as one text, parts joined by NUL."""
    return "\x00".join(public_pieces(record, extra, memo))


def _windows(text: str) -> list[str]:
    folded = fold(text)
    if len(folded) <= WINDOW:
        return [folded] if len(folded) >= SHORTEST else []
    starts = list(range(0, len(folded) - WINDOW + 1, STRIDE))
    if starts[-1] != len(folded) - WINDOW:
        starts.append(len(folded) - WINDOW)
    return [folded[i:i + WINDOW] for i in starts]


def _occurring(words, text: str) -> set[str]:
    """Those of `words` that occur in `text`, in one pass."""
    probe = automaton_of(words)
    return {w for _, w in probe.iter(text)} if probe is not None else set()


def _secret_windows(text: str) -> list[str]:
    return [w for form in variants(text) for w in _windows(form)]


def build_automaton(secrets: list[Secret], public: str | list[str], report: Report, memo: Memo | None = None):
    """An Aho-Corasick automaton over every window that is evidence of a leak.

    A window that occurs in `public` (the public text, or its pieces: `public_pieces`) is not:
    looked for piece by piece, so that under serve only the pieces an edit changed are read
    again (`Memo`).
    """
    memo = memo or Memo(keep=False)
    candidates: dict[str, Secret] = {}
    for secret in secrets:
        windows = memo.windows.get(secret.text, _secret_windows)
        if not windows:
            report.too_short += 1
        for w in windows:
            candidates.setdefault(w, secret)
    occurring = memo.occurring(tuple(candidates))
    public_hits = set().union(*map(occurring, [public] if isinstance(public, str) else public))
    automaton = ahocorasick.Automaton()
    for w, secret in candidates.items():
        if w not in public_hits:
            automaton.add_word(w, (w, secret))
    report.windows = len(automaton)
    if len(automaton):
        automaton.make_automaton()
    return automaton


# Set once in each worker process of a parallel scan by the pool's initializer, never in the
# parent. The workers are spawned, not forked: a build under `serve` runs threads, which a forked
# child would inherit in whatever state they were; and a fresh interpreter takes the environment
# of the moment (a forkserver keeps the one it started with), so the automaton is pickled to them.
_WORKER: dict = {}


def _start_worker(automaton, reader: Reader) -> None:
    _WORKER.update(automaton=automaton, reader=reader)


def _scan_chunk(paths: list[Path], reader: Reader | None = None):
    return [(path, *scan_file(path, _WORKER["automaton"], reader or _WORKER["reader"])) for path in paths]


def _check_chunk(files: list[tuple[Path, int, bytes]], reader: Reader):
    """In a worker, for files scanned before from the bytes that were to be written (size,
    SHA-256): (path, None) for a file that holds exactly those bytes, else (path, what
    `scan_bytes` finds in the bytes it holds), each file read once."""
    out = []
    for path, size, digest in files:
        data = path.read_bytes()
        again = None if _same(data, size, digest) else scan_bytes(data, path.relative_to(reader.site_dir).as_posix(),
                                                                    _WORKER["automaton"], reader)
        out.append((path, again))
    return out


@dataclass(frozen=True)
class Written:
    """A file scanned before the scan of the site, from the bytes that were to be written (a page
    as MkDocs wrote it, see site/prescan.py): their size, their SHA-256 and what `scan_bytes`
    found in them. `scan` takes the finding only for a file whose bytes on disk are the same."""

    size: int
    digest: bytes
    found: Found


def _unchanged(path: Path, written: Written) -> Found | None:
    """What was found in `written`, if `path` holds exactly its bytes; else None (scan the file)."""
    return written.found if _same(path.read_bytes(), written.size, written.digest) else None


def _same(data: bytes, size: int, digest: bytes) -> bool:
    """Whether `data` are the bytes of that size and SHA-256."""
    return len(data) == size and hashlib.sha256(data).digest() == digest


class Cancelled(Exception):
    """`verify_site` was asked to stop (`cancel` set): it proved nothing."""


PARALLEL_BYTES = 64_000_000  # below this a scan is faster in one process than the cost of starting more


def scan(site_dir: Path, automaton, report: Report, since: float | None = None, parallel: bool = True,
         reader: Reader | None = None, written: dict[str, Written] | None = None,
         pool: concurrent.futures.Executor | None = None,
         cancel: threading.Event | None = None) -> tuple[list[Leak], list[Unreadable]]:
    """Every file under `site_dir` (or only those written at or after `since`), on every core for
    a large site: the leaks found, and the files that could not be read (each one refuses the site).

    `written` (path under the site -> `Written`) holds files already scanned from the bytes that
    were to be written: a file whose bytes on disk are exactly those is not scanned again. `pool`
    is a running pool whose workers `_start_worker` gave this automaton: it reads every file
    (`_scan_in_pool`).
    `cancel` (a scan in this process only) raises Cancelled between files once it is set.
    """
    reader = reader or Reader(site_dir, frozenset(), False)
    written = written or {}
    kinds: dict[str, int] = {}
    paths, results, known = [], [], []
    named: list[Leak] = []
    for rel, stat in output_files(site_dir):
        if since is not None and stat.st_mtime < since:
            continue
        named += _in_name(rel, automaton)
        path = site_dir / rel
        report.files += 1
        report.bytes += stat.st_size
        kind = "".join(path.suffixes[-2:]) or path.name
        kinds[kind] = kinds.get(kind, 0) + 1
        before = written.get(rel)
        if before is not None and stat.st_size == before.size:
            known.append((path, before))
        else:
            paths.append(path)
    report.kinds = kinds
    workers = min(os.cpu_count() or 1, 8)
    if pool is not None and parallel:
        results = _scan_in_pool(pool, reader, paths, known)
    else:
        for path, before in known:
            found = _unchanged(path, before)
            if found is not None:
                results.append((path, *found))
            else:
                paths.append(path)
        if report.bytes < PARALLEL_BYTES or workers < 2 or not parallel:
            for path in paths:
                _stop_if(cancel)
                results.append((path, *scan_file(path, automaton, reader)))
        elif paths:
            chunks = [paths[i::workers * 4] for i in range(workers * 4)]
            with spawned_pool(workers, _start_worker, (automaton, reader)) as spawned:
                results += [hit for part in spawned.map(_scan_chunk, chunks) for hit in part]
    results.sort(key=lambda r: r[0])
    leaks, unreadable = named, []
    for path, found, refused, read in results:
        leaks += [Leak(path.relative_to(site_dir).as_posix(), secret, window) for window, secret in found]
        if refused is not None:
            unreadable.append(refused)
        if not read:
            report.skipped += 1
    return leaks, unreadable


def _in_name(rel: str, automaton) -> list[Leak]:
    """A withheld passage in a file's path under the site (a file under docs/ named with it is
    published under that name: found by an attack), its folders' names read together too, and
    each name, with and without its extension, decoded as a file's text is (`readers.text_of`:
    percent-escapes and entities again and again, base64; a third attack named a file with the
    passage in base64 and percent-encoded twice)."""
    if not len(automaton):
        return []
    found: dict[Secret, str] = {}
    named = {rel, unquote(rel)}  # a name percent-encoded reads as its text in a browser's address bar
    texts = {fold(n) for n in named} | {fold(n.replace("/", "")) for n in named}
    if _maybe_encoded(rel):  # the build's own names are not (at 4000 meetings all took 2.2 s more)
        parts = rel.split("/")
        joined = rel.replace("/", "")
        texts |= {fold(_decoded(n)) for n in {rel, joined, _NAME_WORD.sub("", rel), _NAME_WORD.sub("", rel.rsplit(".", 1)[0]),
                                              *parts, *(p.split(".", 1)[0] for p in parts)}}
    for text in texts:
        for _, (window, secret) in automaton.iter(text):
            found.setdefault(secret, window)
    return [Leak(f"{rel}（ファイル名）", secret, window) for secret, window in found.items()]


_NAME_WORD = re.compile(r"[/.]")


def _maybe_encoded(rel: str) -> bool:
    """Whether a path could hold an escape, a tag or base64 (16 characters or more of mixed case,
    its folders' names and dots read together: base64 of anything mixes them, and a fourth
    attack cut one into short names), which `_decoded` would read."""
    letters = _NAME_WORD.sub("", rel)
    return any(c in rel for c in "%&\\<") or (len(letters) >= 16 and not letters.islower() and not letters.isupper())


def _decoded(name: str) -> str:
    try:
        return text_of(name, "name", frozenset())
    except Refused:  # a data: URL of a refused kind in a name: its name, as it is, is read above
        return name


def _scan_in_pool(pool: concurrent.futures.Executor, reader: Reader, paths: list[Path],
                  known: list[tuple[Path, Written]]) -> list:
    """`scan`'s results in a running pool: the files nobody scanned (`paths`), then the files
    scanned before (`known`), each read again there and taken as scanned only if it holds
    exactly the bytes scanned (`_check_chunk`). Read in this process, the second took a second
    at 1000 meetings (19,000 files, the search index's among them), beside the thread that reads
    the index (see `verify_site`)."""
    count, checks = max(1, min(64, len(paths) // 16)), max(1, min(64, len(known) // 64))
    scanned = pool.map(_scan_chunk, [paths[i::count] for i in range(count)], [reader] * count)
    checked = pool.map(_check_chunk, [[(path, before.size, before.digest) for path, before in known[i::checks]]
                                      for i in range(checks)], [reader] * checks)
    found_before = {path: before.found for path, before in known}
    results = [hit for part in scanned for hit in part]
    return results + [(path, *(found_before[path] if again is None else again)) for part in checked for path, again in part]


def _stop_if(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled()


# What is not a letter or digit, but the NUL between the pieces of the public text: removed in one
# pass over the whole text (splitting it at each NUL held two more copies of it at once).
_NOT_LETTER = re.compile(r"(?:[^\w\x00]|_)+")


def scan_search_index(site_dir: Path, secrets: list[Secret], public_folded: str,
                      cancel: threading.Event | None = None,
                      windows: dict[str, Secret] | None = None) -> list[Leak | Unreadable]:
    """The search index read back: does it hold any window of a secret, in any page?

    The index holds no text, only ranks of the search characters (`search.search_chars`:
    letters and digits, folded) at positions, so it is checked in those terms: each secret's
    windows of letters and digits (those that the public record does not also print:
    `index_windows`, or `windows` when it was worked out before), found by
    `search.find_in_index`, which reads every file of the index's folder and refuses any that is
    not exactly a chunk of it. `cancel`: see `scan`.
    """
    from ..search import (
        reader as search,  # the index format is the search module's; imported here to keep verify light
    )

    folder = search.index_dir(site_dir)
    where_index = f"{search.DATA}/{search.CHUNKS}"
    if not (folder / search.CHUNKS).is_dir():
        return []
    if windows is None:
        windows = index_windows(secrets, public_folded)
    try:
        hits = search.find_in_index(folder, list(windows), between=lambda: _stop_if(cancel))
    except Cancelled:
        raise
    except Exception as err:  # noqa: BLE001 - any failure to decode the index refuses it, never passes it
        return [Unreadable(where_index, f"読めない検索索引（{type(err).__name__}）")]
    leaks = []
    for page in sorted(hits):
        header = folder / "r" / f"{page}.json.gz"
        where = page
        with contextlib.suppress(OSError, ValueError, KeyError):
            where = json.loads(gzip.decompress(header.read_bytes()))["u"]
        for window in sorted(hits[page]):
            leaks.append(Leak(f"{where_index}（{where}）", windows[window], window))
    return leaks


def index_windows(secrets: list[Secret], public_folded: str) -> dict[str, Secret]:
    """What `scan_search_index` looks for: each secret's windows of letters and digits, with the
    secret, but those that the public text (`public_folded`) also prints."""
    from ..search.tokens import search_chars

    public = _NOT_LETTER.sub("", public_folded)  # each piece's letters and digits, NUL between pieces
    windows: dict[str, Secret] = {}
    for secret in secrets:
        for window in _windows(search_chars(secret.text)):
            windows.setdefault(window, secret)
    printed = _occurring(windows, public)
    return {w: s for w, s in windows.items() if w not in printed}


@dataclass(frozen=True)
class Prepared:
    """What a scan needs before it reads a file: the secrets on the build day, the public text,
    the automaton of the windows that are evidence of a leak, and the reviewed file types.

    `ahead` gives one made in another process (disclosure/ahead.py): without the public text,
    which only `index_windows` reads, and with what it gives instead (`search_windows`)."""

    secrets: list[Secret]
    public_folded: str
    automaton: object
    windows: int
    too_short: int
    reviewed: frozenset[str]
    search_windows: dict[str, Secret] | None = None  # index_windows(secrets, public_folded), once worked out

    def ahead(self) -> Prepared:
        """This, with `search_windows` worked out and the public text left behind: what a
        process that prepared it sends (a few MB instead of the whole public text)."""
        return replace(self, public_folded="", search_windows=index_windows(self.secrets, self.public_folded))


def prepare(root: Path, record: Record, public: Record, day: dt.date, extra_public: list[str] = (),
            memo: Memo | None = None) -> Prepared:
    """The secrets of `record` on `day` read from the sources under `root`, and their automaton;
    with `memo` (under serve), what the last build worked out is taken where its inputs are the same."""
    memo = memo or Memo(keep=False)
    memo.renew()
    report = Report()
    secrets = collect_secrets(root, record, day, lambda text: memo.withheld.get(text, file_passages))
    pieces = public_pieces(public, list(extra_public), memo)
    public_folded = "\x00".join(pieces)
    automaton = build_automaton(secrets, pieces, report, memo)
    types = record.registry.committee.reviewed_file_types
    reviewed = frozenset(reviewed_type(str(t)) for t in ((types,) if isinstance(types, str) else types or ()))
    return Prepared(secrets, public_folded, automaton, report.windows, report.too_short, reviewed)


def verify_site(root: Path, site_dir: Path, record: Record, public: Record, day: dt.date,
                extra_public: list[str] = (), since: float | None = None, parallel: bool = True,
                verified: dict[Path, frozenset[str]] | None = None, prepared: Prepared | None = None,
                written: dict[str, Written] | None = None,
                pool: concurrent.futures.Executor | None = None, memo: Memo | None = None,
                cancel: threading.Event | None = None) -> tuple[list[Leak | Unreadable], Report]:
    """Scan every file under `site_dir` for what must not be published on `day`: the leaks
    found, and every file that cannot be read (each refuses the site as a leak does).

    With `since` (a rebuild of a directory verified before), files older than `since` are
    skipped, but only if `verified` (the output directories this serve session verified, with the
    secrets they were verified against; `Session.verified` in hooks/gijiroku/site/session.py)
    says that directory passed against the same secrets. With `parallel` false the scan stays
    in this process (for a caller that is itself a worker thread). `prepared` is `prepare` of the
    same arguments, made earlier; `written` and `pool` go to `scan`, and with `pool` the search
    index is read in a thread of this process while the workers read the files (at 1000
    meetings the step took 2.5 s with this process reading the files scanned before and then
    the index, and 1.2 s so); `memo` to `prepare`. Once
    `cancel` is set (a scan in this process), raises Cancelled: nothing is proved, and `verified`
    no longer holds the directory.
    """
    from ..search import reader as search

    prepared = prepared or prepare(root, record, public, day, extra_public, memo)
    secrets, public_folded, automaton = prepared.secrets, prepared.public_folded, prepared.automaton
    report = Report(secrets=len(secrets), windows=prepared.windows, too_short=prepared.too_short)
    key, known = site_dir.resolve(), frozenset(s.text for s in secrets)
    verified = {} if verified is None else verified
    if since is not None and verified.get(key) != known:
        since = None
    verified.pop(key, None)
    reader = Reader(site_dir, prepared.reviewed, (search.index_dir(site_dir) / search.CHUNKS).is_dir())

    def in_index() -> list[Leak | Unreadable]:
        return scan_search_index(site_dir, secrets, public_folded, cancel, prepared.search_windows)

    if pool is not None and parallel:  # the index is read in this process while the workers scan the files
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread:
            reading = thread.submit(in_index)
            leaks, unreadable = scan(site_dir, automaton, report, since, parallel, reader, written, pool, cancel)
            index_found = reading.result()
    else:
        leaks, unreadable = scan(site_dir, automaton, report, since, parallel, reader, written, pool, cancel)
        index_found = in_index()
    for found in index_found:
        (unreadable if isinstance(found, Unreadable) else leaks).append(found)
    unreadable = [replace(u, source=_copied_from(root, u.output)) for u in unreadable]
    if not leaks and not unreadable:
        verified[key] = known
    return [*unreadable, *leaks], report


def _copied_from(root: Path, output: str) -> str | None:
    """The file under docs/ that MkDocs copied to `output`, if any."""
    return f"docs/{output}" if (root / "docs" / output).is_file() else None


def template_text() -> list[str]:
    """Literal text of the page templates: public by definition, never evidence of a leak."""
    folder = Path(__file__).parent.parent / "site" / "templates"
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.j2"))]
