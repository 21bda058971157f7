"""How many of the other committees' texts `gijiroku import` reads the date of, or refuses as it should.

    .venv/bin/python bench/committee_dates.py [--verbose]

The texts and what each must give are in tests/fixtures/import/committees/ (constructed after
common layouts; see the README there). A text counts when the importer finds the date that
`expect.tsv` gives, or refuses with a message where it says 拒否. Prints one line per text with
--verbose, then the count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from gijiroku.authoring.importer import import_minutes
from gijiroku.authoring.read import NotMinutes
from gijiroku.record.registry import Registry, load_committee, load_registry
from gijiroku.record.source import parse_source

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "tests" / "fixtures" / "import" / "committees"
PROJECT = ROOT / "tests" / "fixtures" / "import_project"  # another committee's configuration
REFUSED = "拒否"


@dataclass
class Outcome:
    name: str
    expected: str  # an ISO date, or 拒否
    got: str  # the date read (ISO), null, or 拒否: the message
    kind: str | None  # the record's kind the importer wrote (議事録 when the file does not say)

    @property
    def ok(self) -> bool:
        if self.expected == REFUSED:
            return self.got.startswith(REFUSED + ": ") and len(self.got) > len(REFUSED) + 2
        return self.got == self.expected


def expectations() -> list[tuple[str, str, str]]:
    """(file stem, expected date or 拒否, expected kind) from expect.tsv."""
    rows = []
    for line in (FOLDER / "expect.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, date, kind = line.split("\t")
            rows.append((name, date, kind))
    return rows


def registry() -> Registry:
    problems: list = []
    return load_registry(PROJECT, load_committee(PROJECT, problems), problems)


def outcome(name: str, expected: str, reg: Registry) -> Outcome:
    text = (FOLDER / f"{name}.txt").read_text(encoding="utf-8")
    try:
        result = import_minutes(text, reg)
    except NotMinutes as err:
        return Outcome(name, expected, f"{REFUSED}: {err}", None)
    problems: list = []
    source = parse_source(result.text, f"minutes/{name}.md", problems)
    meta = source.meta if source is not None else {}
    day = meta.get("date")
    return Outcome(name, expected, day.isoformat() if isinstance(day, dt.date) else "null", meta.get("record", "議事録"))


def measure() -> list[Outcome]:
    reg = registry()
    return [outcome(name, expected, reg) for name, expected, _kind in expectations()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    outcomes = measure()
    if args.verbose:
        for o in outcomes:
            print(f"{'ok ' if o.ok else 'NG '} {o.name}: expected {o.expected}, got {o.got}")
    good = sum(o.ok for o in outcomes)
    print(f"日付を読めた（または正しく拒んだ）: {good} / {len(outcomes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
