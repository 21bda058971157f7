"""`gijiroku check`: every problem in every source file, at once."""

from __future__ import annotations

from pathlib import Path

from .record.loader import Record, load_record
from .record.problems import Problem
from .record.sources import source_problems


def check(root: Path, public_source: bool = False) -> tuple[Record, list[Problem]]:
    """Load and validate the whole record. With `public_source`, withheld text is itself an error."""
    record, problems = load_record(root)
    problems.extend(source_problems(root, record.meetings, set(record.decisions))[0])
    if public_source:
        from .disclosure.public_source import public_source_problems

        problems.extend(public_source_problems(root))
    return record, sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))


def check_warnings(root: Path, record: Record) -> list[Problem]:
    """What check reports without failing: withheld passages too short for the disclosure
    verifier to match (they are still withheld; a leak of them would go unnoticed), and meetings
    without a source in sources/ when other meetings have one."""
    from .disclosure.public import build_date
    from .disclosure.secrets import collect_secrets, too_short

    found = too_short(collect_secrets(root, record, build_date())) + source_problems(root, record.meetings, set(record.decisions))[1]
    return sorted(set(found), key=lambda p: (p.path, p.line or 0))
