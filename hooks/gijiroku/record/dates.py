"""Dates that can be written but are probably wrong: warnings of `gijiroku check`.

They depend on the build day (`disclosure.public.build_date`, which honours SOURCE_DATE_EPOCH),
so they are not part of loading the record: `check.check_warnings` asks for them with the day.
A warning never stops a build; it asks a person to look.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .model import Disclosure
from .problems import Problem
from .rules import problem
from .source import Source, read_source

# 個人情報保護委員会 was established on 2016-01-01; its predecessor 特定個人情報保護委員会, whose
# meetings it counts as its own, on 2014-01-01. No meeting of the record can be older.
EARLIEST_MEETING = dt.date(2014, 1, 1)


def date_warnings(root: Path, record, day: dt.date) -> list[Problem]:
    """Meeting dates after the build day or before the Commission existed; 後日公表 dates on or
    before the meeting's, or already reached: the next build publishes those items."""
    found: list[Problem] = []
    for meeting in record.sorted_meetings():
        lines = _Lines(root, meeting.path)
        if meeting.date is not None and meeting.date > day:
            found.append(problem("G148", meeting.path, lines.of("date"), date=meeting.date, today=day))
        if meeting.date is not None and meeting.date < EARLIEST_MEETING:
            found.append(problem("G149", meeting.path, lines.of("date"), date=meeting.date,
                                 earliest=EARLIEST_MEETING))
        for item in meeting.agenda:
            after = item.publish_after
            if item.disclosure is not Disclosure.DEFERRED or after is None or after > day:
                continue  # in the future: held back, as meant (a future meeting has its own warning)
            line = lines.of_item(item.line)
            if meeting.date is not None and after <= meeting.date:
                found.append(problem("G220", meeting.path, line, n=item.number, after=after, date=meeting.date))
            else:
                found.append(problem("G221", meeting.path, line, what=f"議題{item.number}", after=after, today=day))
    for decision in sorted(record.decisions.values()):
        after = decision.publish_after
        if decision.disclosure is Disclosure.DEFERRED and after is not None and after <= day:
            found.append(problem("G221", decision.path, _Lines(root, decision.path).of("publish_after"),
                                 what="この文書", after=after, today=day))
    return found


class _Lines:
    """Front-matter lines of one source file, read again only when a warning needs one."""

    def __init__(self, root: Path, path: str):
        self.root, self.path = root, path
        self._source: Source | None = None
        self._read = False

    def source(self) -> Source | None:
        if not self._read:
            self._read = True
            self._source = read_source(self.root / self.path, self.root, [])
        return self._source

    def of(self, *key) -> int | None:
        source = self.source()
        return source.line_of(*key) if source is not None else None

    def of_item(self, item_line: int) -> int | None:
        """The line of `publish_after` in the agenda entry that starts at `item_line`."""
        source = self.source()
        if source is None:
            return item_line or None
        agenda = source.meta.get("agenda")
        for i in range(len(agenda) if isinstance(agenda, list) else 0):
            if source.line_of("agenda", i) == item_line:
                return source.line_of("agenda", i, "publish_after")
        return item_line or None
