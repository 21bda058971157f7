"""The public view of the record on a given day: the one place deferred content is held back.

Withheld (非公表) text never reaches the model at all (the parsers drop it). Deferred (後日公表)
content is parsed, because it becomes public on its date; before that date this module removes
an item's speeches, events, outcome, agencies, materials and linked decisions, leaving its
number and title. Everything that publishes (pages, JSON, feed, search) reads only this view.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import replace
from zoneinfo import ZoneInfo

from ..model import Disclosure
from ..record import Record

JST = ZoneInfo("Asia/Tokyo")


def build_date(environ: dict | None = None) -> dt.date:
    """The publication day: SOURCE_DATE_EPOCH when set (reproducible builds), else today in Japan.

    The reproducible-builds specification wants an ASCII integer, like `date +%s` prints, and a
    build that stops when the value is malformed; an empty value is malformed too (a CI variable
    left empty must not quietly mean "today"). Raises ValueError with the message for staff.
    """
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return dt.datetime.now(tz=JST).date()
    # the last second of 9999-12-31 in Japan: datetime goes no further
    if not re.fullmatch(r"[0-9]{1,12}", epoch) or int(epoch) > 253402268399:
        shown = epoch if len(epoch) <= 40 else epoch[:40] + "…"
        raise ValueError(f"環境変数 SOURCE_DATE_EPOCH の値「{shown}」は使えません。"
                         "1970-01-01 00:00 UTC からの秒数を、0 以上の整数（9999 年まで）で書いてください"
                         "（例 SOURCE_DATE_EPOCH=$(date -d 2030-01-01 +%s)）。"
                         "今日の日付で作るときは SOURCE_DATE_EPOCH を設定しないでください（unset SOURCE_DATE_EPOCH）。")
    return dt.datetime.fromtimestamp(int(epoch), tz=JST).date()


def public_record(record: Record, day: dt.date) -> Record:
    """A copy of the record holding only what may be published on `day`."""
    held_items: set[tuple[int, int]] = set()
    meetings = {}
    for number, meeting in record.meetings.items():
        items = []
        for item in meeting.agenda:
            if item.disclosure.is_published_on(item.publish_after, day):
                items.append(item)
                continue
            held_items.add(item.key)
            items.append(replace(item, deferred=True, kind=None, outcome=None, publication=None, reason=None,
                                 subjects=(), agencies=(), materials=(), decisions=()))
        held = {k for (m, k) in held_items if m == number}
        elements = tuple(e for e in meeting.elements if e.agenda not in held)
        meetings[number] = replace(meeting, agenda=tuple(items), elements=elements)
    decisions = {
        d.id: d for d in record.decisions.values()
        if d.disclosure is not Disclosure.WITHHELD
        and d.disclosure.is_published_on(d.publish_after, day)
        and (d.meeting, d.agenda) not in held_items
    }
    for number, meeting in meetings.items():
        items = tuple(replace(i, decisions=tuple(x for x in i.decisions if x in decisions)) for i in meeting.agenda)
        meetings[number] = replace(meeting, agenda=items)
    return Record(record.registry, meetings, decisions, build_date=day)
