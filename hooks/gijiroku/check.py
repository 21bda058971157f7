"""`gijiroku check`: every problem in every source file, at once."""

from __future__ import annotations

import functools
from pathlib import Path

from .record.ahead import ReadAhead
from .record.loader import Record, load_record
from .record.model import Meeting
from .record.problems import Problem
from .record.sources import missing_sources, source_problems


def check(root: Path, public_source: bool = False) -> tuple[Record, list[Problem]]:
    """Load and validate the whole record. With `public_source`, withheld text is itself an error."""
    with ReadAhead(root) as ahead:  # a large record is read on two cores (record/ahead.py)
        record, problems = load_record(root, ahead=ahead.start)
    # a line with its own error (a mistyped label, 〇 for ○) differs from its source because of
    # that error: it is not compared, so the mistake is reported once, by its cause
    mistaken = {(p.path, p.line) for p in problems if p.line}
    problems.extend(source_problems(root, record.meetings, set(record.decisions), mistaken))
    if public_source:
        from .disclosure.public_source import public_source_problems

        problems.extend(public_source_problems(root))
    return record, sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))


def check_warnings(root: Path, record: Record) -> list[Problem]:
    """What check reports without failing: withheld passages too short for the disclosure
    verifier to match (they are still withheld; a leak of them would go unnoticed), meetings
    without a source in sources/ when other meetings have one, dates that are probably wrong
    (`record/dates.py`), published fields that hold a withheld passage (`disclosure/pasted.py`) and
    meeting files in the project's own folder. A passage withheld only by another error (a heading
    inside a region, or whatever follows the first heading an unclosed region took in) is that
    error's consequence, not a warning of its own."""
    from .disclosure.pasted import pasted
    from .disclosure.public import build_date, public_record
    from .disclosure.secrets import collect_secrets, too_short
    from .record.dates import date_warnings

    day = build_date()
    secrets = collect_secrets(root, record, day)
    by_mistake = functools.cache(functools.partial(_withheld_by_mistake, root))  # a path's test of a line
    short = [w for w in too_short(secrets) if not by_mistake(w.path)(w.line or 0)]
    sources = missing_sources(root, record.meetings)
    meetings = {m.path: m for m in record.meetings.values()}
    held = functools.cache(lambda path: _held_lines(root, meetings.get(path), day))
    # a copy of what an unclosed region swallowed is that error's consequence too (found by a clerk's
    # attack), but not of a 後日公表 item's speech the region ran over: that is withheld all the same
    copies = [found.problem() for found in pasted(secrets, public_record(record, day))
              if not by_mistake(found.secret.path)(found.secret.line or 0)
              or found.secret.line in held(found.secret.path)]
    return _sorted(set(short + date_warnings(root, record, day) + sources + copies + _stray_meetings(root)
                       + _page_numbers(root, record)))


def _sorted(problems) -> list[Problem]:
    """By file and line, then by text: problems at no line came out of a set in another order each
    run (found by a clerk's attack)."""
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.format()))


def _stray_meetings(root: Path) -> list[Problem]:
    """A meeting's file in the project's own folder (245.md beside README.md): never read, never
    published, and check said nothing (found by a clerk's attack)."""
    from .record.rules import problem

    found = []
    for path in sorted(root.glob("*.md")):
        try:
            head = path.read_text(encoding="utf-8")[:2000]
        except (OSError, UnicodeDecodeError):
            continue
        if head.startswith("---\n") and "\nnumber:" in head and ("\nagenda:" in head or "\ndate:" in head):
            found.append(problem("G623", path.name, None, name=path.name))
    return found


def _page_numbers(root: Path, record: Record) -> list[Problem]:
    """A paragraph of a meeting that is only a number or a page's numbering (3, 5 / 20, ページ 5):
    `import` keeps such a line apart and warns once; check warns until it is deleted or joined (a
    clerk who missed the import's warning published the sentence it split, found by an attack)."""
    from .authoring.read import PAGE_NUMBER_LIKE
    from .record.rules import problem

    found = []
    for meeting in record.sorted_meetings():
        lines, first = _body(root, meeting.path)
        for i, text in enumerate(lines):  # every line is a paragraph, blank lines around it or not
            if PAGE_NUMBER_LIKE.match(text.strip()):  # (found by an attack), and a tab after it is no text
                found.append(problem("G322", meeting.path, first + i, text=text.strip()))
    return found


def _held_lines(root: Path, meeting: Meeting | None, day) -> set[int]:
    """The body lines of `meeting` that lie in the section of an item not published on `day`
    (非公表, or 後日公表 before its date): withheld by the item, whatever region runs over them
    (found by an attack)."""
    from .record.sources import section_after

    hidden = {item.number for item in meeting.agenda
              if not item.disclosure.is_published_on(item.publish_after, day)} if meeting else set()
    lines, first = _body(root, meeting.path) if hidden else ([], 0)
    held, current = set(), None
    for number, text in enumerate(lines, start=first):
        after = section_after(text, current)
        if after == current and current in hidden:
            held.add(number)
        current = after
    return held


def _body(root: Path, path: str) -> tuple[list[str], int]:
    """The lines of a source file's body and the file line of the first (none, for a file that
    cannot be read or split: its own errors say why). The front matter is not read again."""
    from .record.source import FRONT_MATTER, read_text

    text = read_text(root / path, path, [])
    parts = FRONT_MATTER.split_lines(text, path, []) if text is not None else None
    return (parts[2].split("\n"), parts[3]) if parts else ([], 0)


def _withheld_by_mistake(root: Path, path: str):
    """A test of a line number: whether the line is withheld only by a mistake reported as an
    error in a meeting (a heading in a region, or a line after the first heading an unclosed
    region took in)."""
    from .disclosure.markers import scan_body
    from .record.meeting import unclosed_region
    from .record.source import read_source

    source = read_source(root / path, root, []) if (root / path).is_file() else None
    if source is None:
        return lambda number: False
    meeting = path.startswith("minutes/")  # in a decision's Markdown a heading may be withheld
    lines = scan_body(source.body, source.body_line, path, [], markdown=not meeting)
    headings = {line.number for line in lines if line.withheld and line.text.startswith("#")}
    if not meeting:
        return lambda number: False
    opened = unclosed_region(lines)
    swallowed = min((n for n in headings if opened is not None and n > opened), default=None)
    return lambda number: number in headings or (swallowed is not None and number >= swallowed)
