"""The whole record: every meeting, decision and registry entry, read and cross-checked."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .decision import parse_decision
from .disclosure.pages import page_problems
from .meeting import parse_meeting
from .model import AgendaItem, Decision, Disclosure, Meeting, Speech, Withheld
from .problems import Problem
from .registry import Registry, load_committee, load_registry
from .source import read_source

MEETING_FILE = re.compile(r"^\d+$")


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


def source_files(root: Path) -> tuple[list[Path], list[Path]]:
    minutes = sorted((root / "minutes").glob("*.md"))
    decisions = sorted((root / "decisions").glob("*.md"))
    return minutes, decisions


# Parsed files by (kind, path, content hash, registry fingerprint). `mkdocs serve` keeps this
# module loaded between rebuilds, so an edit re-parses only the file that changed. Objects are
# frozen, so sharing them between builds is safe; keys unused by the latest load are dropped.
_PARSED: dict[tuple, tuple[object, tuple[Problem, ...]]] = {}


def _registry_fingerprint(root: Path) -> bytes:
    digest = hashlib.sha256()
    paths = [root / "committee.yml", *sorted((root / "docs" / "commissioners").glob("*.md")),
             *sorted((root / "docs" / "agencies").glob("*.md"))]
    for path in paths:
        if path.exists():
            digest.update(path.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def _parse_cached(parse, kind: str, path: Path, root: Path, registry: Registry, fingerprint: bytes,
                  problems: list[Problem], used: dict):
    """`parse(source, file stem, registry)` of one file, or the result of an identical earlier parse."""
    key = (kind, path.as_posix(), hashlib.sha256(path.read_bytes()).digest(), fingerprint)
    hit = _PARSED.get(key)
    if hit is None:
        found: list[Problem] = []
        source = read_source(path, root, found)
        parsed = parse(source, path.stem, registry) if source is not None else None
        hit = (parsed, tuple(found + (source.problems if source is not None else [])))
    used[key] = hit
    problems.extend(hit[1])
    return hit[0]


def load_record(root: Path) -> tuple[Record, list[Problem]]:
    """Read every source file under `root`; return the record and every problem found."""
    problems: list[Problem] = []
    committee = load_committee(root, problems)
    registry = load_registry(root, committee, problems)
    fingerprint = _registry_fingerprint(root)
    used: dict[tuple, tuple] = {}
    record = Record(registry)
    minutes, decisions = source_files(root)
    owners: dict[int, str] = {}
    for path in minutes:
        shown = path.relative_to(root).as_posix()
        if not MEETING_FILE.match(path.stem):
            problems.append(Problem(shown, None, f"会議のファイル名「{path.name}」が回次の数字ではありません。",
                                    "minutes/244.md のように、回次だけをファイル名にしてください。"))
        meeting = _parse_cached(parse_meeting, "meeting", path, root, registry, fingerprint, problems, used)
        if meeting is None:
            continue
        if meeting.number in owners:
            problems.append(Problem(shown, 1, f"第{meeting.number}回が {owners[meeting.number]} と重複しています。",
                                    "一つの会議は一つのファイルにまとめてください。"))
            continue
        owners[meeting.number] = shown
        record.meetings[meeting.number] = meeting
    for path in decisions:
        decision = _parse_cached(parse_decision, "decision", path, root, registry, fingerprint, problems, used)
        if decision is not None:
            record.decisions[decision.id] = decision
    _PARSED.clear()
    _PARSED.update(used)
    # An item whose disclosure value is unreadable is held as 非公表 (fail closed); its one
    # message is about the value, not also about a missing 非公表 section.
    unreadable = {(p.path, p.line) for p in problems if p.message.startswith("disclosure の値")}
    problems.extend(check_links(record, unreadable))
    # Hand-written pages are rendered by MkDocs, not from the record, but their markers must
    # hold as the record's do: read here so that check and the build refuse the same mistakes.
    problems.extend(page_problems(root))
    return _with_derived_links(record), problems


def check_links(record: Record, unreadable: set[tuple[str, int | None]] = frozenset()) -> list[Problem]:
    """Decisions and agenda items must point at each other consistently. `unreadable`: (file,
    line) of disclosure values already reported, whose items are not held to 非公表's rules."""
    problems = []
    for d in record.decisions.values():
        if d.meeting is not None and d.meeting not in record.meetings:
            problems.append(Problem(d.path, None, f"文書の meeting: {d.meeting} の会議が minutes/ にありません。",
                                    f"minutes/{d.meeting}.md を加えるか、meeting を直してください（不明なら null）。"))
        elif d.meeting is not None and d.agenda is not None and record.item(d.meeting, d.agenda) is None:
            problems.append(Problem(d.path, None, f"第{d.meeting}回に議題{d.agenda}がありません。",
                                    "agenda の番号を確かめてください。"))
    for m in record.meetings.values():
        for item in m.agenda:
            for ref in item.decisions:
                d = record.decisions.get(ref)
                if d is None:
                    problems.append(Problem(m.path, item.line, f"議題{item.number}の decisions にある「{ref}」が decisions/ にありません。",
                                            f"decisions/{ref}.md を加えるか、id を直してください。"))
                elif (d.meeting, d.agenda) != (m.number, item.number):
                    problems.append(Problem(m.path, item.line,
                                            f"議題{item.number}は文書「{ref}」を挙げていますが、その文書は第{d.meeting}回の議題{d.agenda}を指しています。",
                                            f"{d.path} の meeting・agenda と、この議題の decisions を一致させてください。"))
            if (item.disclosure is Disclosure.WITHHELD and not _has_withheld(m, item.number)
                    and not _reported(unreadable, m, item)):
                problems.append(Problem(m.path, item.line,
                                        f"議題{item.number}は非公表ですが、その節に（内容について非公表）も非公表の範囲もありません。",
                                        "非公表の内容は <!-- 非公表 --> と <!-- /非公表 --> で囲むか、"
                                        "記録どおり（内容について非公表）の一行を置いてください。"))
    return problems


def _reported(unreadable: set[tuple[str, int | None]], meeting: Meeting, item: AgendaItem) -> bool:
    """Whether a disclosure value between this item's line and the next item's was reported."""
    after = [i.line for i in meeting.agenda if i.line > item.line]
    end = min(after) if after else float("inf")
    return any(path == meeting.path and line is not None and item.line <= line < end for path, line in unreadable)


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
        items = tuple(replace(i, decisions=tuple(dict.fromkeys((*i.decisions, *named.get(i.key, ())))))
                      for i in m.agenda)
        record.meetings[number] = replace(m, agenda=items)
    return record
