"""`gijiroku check`: every problem in every source file, at once."""

from __future__ import annotations

from pathlib import Path

from .problems import Problem
from .record import Record, load_record


def check(root: Path, public_source: bool = False) -> tuple[Record, list[Problem]]:
    """Load and validate the whole record. With `public_source`, withheld text is itself an error."""
    record, problems = load_record(root)
    if public_source:
        from .disclosure.public_source import public_source_problems

        problems.extend(public_source_problems(root))
    return record, sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))
