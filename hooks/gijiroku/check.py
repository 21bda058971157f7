"""`gijiroku check`: every problem in every source file, at once."""

from __future__ import annotations

from pathlib import Path

from .record.loader import Record, load_record
from .record.problems import Problem


def check(root: Path, public_source: bool = False) -> tuple[Record, list[Problem]]:
    """Load and validate the whole record. With `public_source`, withheld text is itself an error."""
    record, problems = load_record(root)
    if public_source:
        from .disclosure.public_source import public_source_problems

        problems.extend(public_source_problems(root))
    return record, sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))


def check_warnings(root: Path, record: Record) -> list[Problem]:
    """What check reports without failing: withheld passages too short for the disclosure
    verifier to match (they are still withheld; a leak of them would go unnoticed), and dates
    that are probably wrong (`record/dates.py`). A passage withheld only because a region was left
    unclosed (after the first heading it took in) is that error's consequence, not a warning."""
    from .disclosure.public import build_date
    from .disclosure.secrets import collect_secrets, too_short
    from .record.dates import date_warnings

    day = build_date()
    short = too_short(collect_secrets(root, record, day))
    swallowed = {path: _swallowed_from(root, path) for path in {w.path for w in short}}
    short = [w for w in short if swallowed[w.path] is None or (w.line or 0) < swallowed[w.path]]
    return sorted(set(short + date_warnings(root, record, day)), key=lambda p: (p.path, p.line or 0))


def _swallowed_from(root: Path, path: str) -> int | None:
    """The line of the first heading that a 非公表 region the file never closes took in, or None."""
    from .disclosure.markers import scan_body
    from .record.meeting import unclosed_region
    from .record.source import read_source

    source = read_source(root / path, root, []) if (root / path).is_file() else None
    if source is None:
        return None
    lines = scan_body(source.body, source.body_line, path, [], markdown=not path.startswith("minutes/"))
    opened = unclosed_region(lines)
    return next((line.number for line in lines if opened is not None and line.number > opened
                 and line.text.startswith("#")), None)
