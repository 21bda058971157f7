"""The whole record: every meeting, decision and registry entry, read and cross-checked."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..disclosure.pages import page_problems
from .decision import parse_decision
from .docs_files import docs_file_problems, override_link_problems, through_link_out
from .meeting import parse_meeting
from .model import AgendaItem, Decision, Disclosure, Meeting, Speech, Withheld, replaced
from .problems import Problem
from .registry import Committee, Registry, load_committee, load_registry
from .rules import problem
from .schema import ASCII_ID
from .source import MAX_SOURCE_BYTES, read_source

MEETING_FILE = re.compile(r"^\d+$")
# With a process reading ahead (`load_record`), it parses the last 1/AHEAD of the meetings and the
# decisions: it starts half a second later, and so the two end together at 1000 meetings.
AHEAD = 3
AHEAD_FROM = 200  # meetings: below, the other process' start (about 0.4 s) outlasts what it saves
# decisions/index.md would stand where the generated list of decisions is written.
RESERVED_DECISION_IDS = frozenset({"index"})
# What the record is read from, each a file or folder of the project itself: as a symbolic link it
# could lead anywhere on the machine that builds, and MkDocs would publish docs/ wherever it leads.
SOURCE_ROOTS = ("committee.yml", "minutes", "decisions", "docs", "docs/commissioners", "docs/agencies", "sources")


@dataclass
class Record:
    registry: Registry
    meetings: dict[int, Meeting] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)
    build_date: dt.date | None = None  # set on the public view: the day it was published for

    @property
    def committee(self):
        return self.registry.committee

    def sorted_meetings(self) -> list[Meeting]:
        return [self.meetings[n] for n in sorted(self.meetings)]

    def item(self, meeting: int, number: int) -> AgendaItem | None:
        m = self.meetings.get(meeting)
        return m.item(number) if m else None

    def speeches(self) -> list[Speech]:
        return [s for m in self.sorted_meetings() for s in m.speeches]


def _ignored(name: str) -> bool:
    """Editor and system files that never hold the record: hidden files that are not Markdown
    (.DS_Store, .gitkeep, vim's .244.md.swp), Emacs' lock files (.#244.md) and backups (244.md~)."""
    return (name.startswith(".") and not name.endswith(".md")) or name.startswith(".#") or name.endswith("~")


def listing_problems(root: Path, folder: str) -> tuple[list[Path], list[Problem]]:
    """The files of minutes/ or decisions/ to parse, and a problem for everything else there.

    Only `minutes/<number>.md` and `decisions/<id>.md`, regular files, are read and published;
    anything else there (another extension, a folder, a symlink, a hidden .md, a name that is no
    number or id) would silently not be published, so check refuses it.
    """
    directory = root / folder
    if not directory.is_dir():
        return [], []
    meeting = folder == "minutes"
    noun = "会議" if meeting else "文書"
    example = "minutes/245.md" if meeting else "decisions/2023-05-31-taio-hoshin.md"
    accepted, problems = [], []
    for path in sorted(directory.iterdir()):
        name, shown = path.name, f"{folder}/{path.name}"
        if _ignored(name):
            continue
        if path.is_symlink():
            problems.append(problem("G140", shown, None, folder=folder, name=name, noun=noun))
        elif path.is_dir():
            problems.append(problem("G141", shown, None, folder=folder, name=name, noun=noun, example=example))
        elif not name.endswith(".md") or not path.is_file():
            problems.append(problem("G142", shown, None, folder=folder, name=name, noun=noun, example=example))
        elif name.startswith("."):
            problems.append(problem("G143", shown, None, name=name, noun=noun, example=example))
        elif meeting and not MEETING_FILE.match(path.stem):
            problems.append(problem("G138", shown, None, name=name))
        elif not meeting and path.stem in RESERVED_DECISION_IDS:
            problems.append(problem("G144", shown, None, name=name, example=example))
        elif not meeting and not ASCII_ID.match(path.stem):
            problems.append(problem("G501", shown, None, name=name))
        else:
            accepted.append(path)
    return accepted, problems


class ParseCache:
    """Parsed source files, kept between the loads of one process.

    `mkdocs serve` rebuilds after every edit in the same process, and its session
    (`hooks/gijiroku/site/session.py`) holds one of these: a file whose bytes and registry are
    those of the last load is not parsed again.
    Keys are (kind, path, content hash, registry fingerprint); the parsed objects are frozen, so
    sharing them between builds is safe. Only what the latest load used is kept, so an edited or
    deleted file's old result goes with that load, and the cache never outgrows the record.
    """

    def __init__(self) -> None:
        self._parsed: dict[tuple, tuple[object, tuple[Problem, ...]]] = {}
        self._used: dict[tuple, tuple[object, tuple[Problem, ...]]] = {}
        self.misses = 0  # files parsed because no earlier load had them as they are

    def __len__(self) -> int:
        return len(self._parsed)

    def start(self) -> None:
        """A new load begins: nothing is used by it yet."""
        self._used = {}

    def parse(self, parse, kind: str, path: Path, root: Path, registry: Registry, fingerprint: bytes,
              problems: list[Problem]):
        """`parse(source, file stem, registry)` of one file, or the result of an identical earlier parse."""
        key = _parse_key(kind, path, fingerprint)
        hit = self._parsed.get(key)
        if hit is None:
            self.misses += 1
            hit = _parsed_file(parse, path, root, registry)
        self._used[key] = hit
        problems.extend(hit[1])
        return hit[0]

    def take(self, parsed: list[tuple[tuple, tuple]]) -> None:
        """Files parsed elsewhere (`parse_ahead`, in another process), each under its key: the
        bytes it read and the registry it read them against, so that a file or registry that
        changed since is parsed again here."""
        self._parsed.update(parsed)

    def finish(self) -> None:
        """The load is over: keep what it used, drop the rest."""
        self._parsed, self._used = self._used, {}


def _parse_key(kind: str, path: Path, fingerprint: bytes) -> tuple:
    """What a parse of `path` depends on: the file's bytes (a file too big is refused unread:
    its size stands for it) and the registry's fingerprint."""
    size = path.stat().st_size
    data = path.read_bytes() if size <= MAX_SOURCE_BYTES else str(size).encode()
    return (kind, path.as_posix(), hashlib.sha256(data).digest(), fingerprint)


def _parsed_file(parse, path: Path, root: Path, registry: Registry) -> tuple[object, tuple[Problem, ...]]:
    """`parse` of one file read from disk, and every problem found in it (what the cache keeps)."""
    found: list[Problem] = []
    source = read_source(path, root, found)
    parsed = parse(source, path.stem, registry) if source is not None else None
    return parsed, tuple(found + (source.problems if source is not None else []))


def parse_ahead(root: Path, minutes: list[Path], decisions: list[Path] = ()) -> list[tuple[tuple, tuple]]:
    """Meeting and decision files parsed as `load_record` would (in a process of its own, while
    the build parses the others: `record/ahead.py`), each with its cache key; [] when the
    registries hold a mistake (`load_record` reports it). A file is keyed by the bytes its key was
    made from, read before it is parsed: a file that changes in between is parsed again by
    `load_record`."""
    problems: list[Problem] = []
    committee = load_committee(root, problems)
    registry = load_registry(root, committee, problems) if not problems else None
    if problems or registry is None:
        return []
    fingerprint = _registry_fingerprint(root)
    out = []
    for kind, parse, paths in (("meeting", parse_meeting, minutes), ("decision", parse_decision, decisions)):
        for path in paths:
            try:
                key = _parse_key(kind, path, fingerprint)
            except OSError:  # gone or unreadable: load_record says so
                continue
            out.append((key, _parsed_file(parse, path, root, registry)))
    return out


def _registry_fingerprint(root: Path) -> bytes:
    digest = hashlib.sha256()
    paths = [root / "committee.yml", *sorted((root / "docs" / "commissioners").glob("*.md")),
             *sorted((root / "docs" / "agencies").glob("*.md"))]
    for path in paths:
        if path.is_file() and not through_link_out(path, root / "docs"):  # refused unread (G607)
            size = path.stat().st_size  # an oversized file is refused unread; its size stands for it
            data = path.read_bytes() if size <= MAX_SOURCE_BYTES else str(size).encode()
            digest.update(path.as_posix().encode() + b"\0" + data + b"\0")
    return digest.digest()


def linked_source_roots(root: Path) -> list[Problem]:
    """A problem for each of SOURCE_ROOTS that is a symbolic link (G609), named with what it says."""
    return [problem("G609", name, None, name=name, target=os.readlink(root / name))
            for name in SOURCE_ROOTS if (root / name).is_symlink()]


def load_record(root: Path, cache: ParseCache | None = None,
                ahead: Callable[[list[Path], list[Path]], Callable[[], list]] | None = None,
                ) -> tuple[Record, list[Problem]]:
    """Read every source file under `root`; return the record and every problem found.

    With `cache` (a build session's), files unchanged since its last load are not parsed again.
    With `ahead` (`ReadAhead.start`) and AHEAD_FROM meetings or more, the last third of minutes/
    and every decision are handed to it to parse elsewhere while this process parses the rest;
    what it returns is waited for before the first of them, and taken into the cache
    (`ParseCache.take`). A source folder or committee.yml that is a symbolic link stops the
    reading: nothing is read through it.
    """
    problems = linked_source_roots(root)
    if problems:
        return Record(Registry(Committee())), problems
    committee = load_committee(root, problems)
    if problems:  # every file is read against committee.yml: with it refused, all else would be noise
        return Record(Registry(committee)), problems
    registry = load_registry(root, committee, problems)
    fingerprint = _registry_fingerprint(root)
    cache = cache if cache is not None else ParseCache()
    cache.start()
    record = Record(registry)
    minutes, found = listing_problems(root, "minutes")
    problems.extend(found)
    decisions, found = listing_problems(root, "decisions")
    problems.extend(found)
    owners: dict[int, str] = {}
    ahead = ahead if len(minutes) >= AHEAD_FROM else None
    later = len(minutes) - len(minutes) // AHEAD if ahead is not None else len(minutes)
    waiting = [ahead(minutes[later:], decisions)] if ahead is not None else []
    for at, path in enumerate(minutes):
        if at == later and waiting:
            cache.take(waiting.pop()())
        shown = path.relative_to(root).as_posix()
        meeting = cache.parse(parse_meeting, "meeting", path, root, registry, fingerprint, problems)
        if meeting is None:
            continue
        if meeting.number in owners:
            problems.append(problem("G139", shown, 1, number=meeting.number, other=owners[meeting.number]))
            continue
        owners[meeting.number] = shown
        record.meetings[meeting.number] = meeting
    if waiting:
        cache.take(waiting.pop()())
    for path in decisions:
        decision = cache.parse(parse_decision, "decision", path, root, registry, fingerprint, problems)
        if decision is not None:
            record.decisions[decision.id] = decision
    cache.finish()
    problems.extend(check_links(record, failed={(p.path, p.line) for p in problems}))
    # Hand-written pages are rendered by MkDocs, not from the record, but their markers must
    # hold as the record's do: read here so that check and the build refuse the same mistakes.
    problems.extend(page_problems(root))
    problems.extend(docs_file_problems(root))
    problems.extend(override_link_problems(root))
    return _with_derived_links(record), problems


def check_links(record: Record, failed: set[tuple[str, int | None]] | frozenset = frozenset()) -> list[Problem]:
    """Decisions and agenda items must point at each other consistently.

    A withheld item's section must hold a withheld region, unless the item's front matter has
    a problem already (`failed`: path and line of every problem found): a misspelt or missing
    disclosure is read as 非公表, and the message about the value is the one to show."""
    problems = []
    unread = {path for path, _ in failed if path.startswith("minutes/")}  # a meeting file with its own problem
    for d in record.decisions.values():
        if d.meeting is not None and d.meeting not in record.meetings:
            if f"minutes/{d.meeting}.md" not in unread:  # else its file is there, and its own message says why it was not read
                problems.append(problem("G504", d.path, d.link_line, meeting=d.meeting))
        elif d.meeting is not None and d.agenda is not None and record.item(d.meeting, d.agenda) is None:
            problems.append(problem("G505", d.path, d.agenda_line, meeting=d.meeting, agenda=d.agenda))
    for m in record.meetings.values():
        for item in m.agenda:
            for ref in item.decisions:
                d = record.decisions.get(ref)
                if d is None:
                    problems.append(problem("G217", m.path, item.line, n=item.number, ref=ref))
                elif (d.meeting, d.agenda) != (m.number, item.number):
                    problems.append(problem("G218", m.path, item.line, n=item.number, ref=ref, meeting=d.meeting,
                                            agenda=d.agenda, path=d.path))
            if (item.disclosure is Disclosure.WITHHELD and not _has_withheld(m, item.number)
                    and not _item_failed(m, item, failed)):
                problems.append(problem("G214", m.path, item.line, n=item.number))
    return problems


def _item_failed(meeting: Meeting, item: AgendaItem, failed) -> bool:
    """Whether a problem stands on a line of the item's entry in the front matter."""
    later = [i.line for i in meeting.agenda if i.line > item.line] + [e.line for e in meeting.elements]
    end = min(later, default=item.line + 1000)
    return any(path == meeting.path and line is not None and item.line <= line < end for path, line in failed)


def _has_withheld(meeting: Meeting, number: int) -> bool:
    for e in meeting.elements_of(number):
        blocks = e.blocks if isinstance(e, Speech) else (e.block,)
        if any(isinstance(b, Withheld) for b in blocks):
            return True
    return False


def _with_derived_links(record: Record) -> Record:
    """Give each agenda item the decisions that name it, so both sides link each other."""
    named: dict[tuple[int, int], list[str]] = {}
    for d in sorted(record.decisions.values()):
        if d.meeting is not None and d.agenda is not None:
            named.setdefault((d.meeting, d.agenda), []).append(d.id)
    for number, m in list(record.meetings.items()):
        items = tuple(replaced(i, decisions=tuple(dict.fromkeys((*i.decisions, *named.get(i.key, ())))))
                      for i in m.agenda)
        record.meetings[number] = replaced(m, agenda=items)
    return record
