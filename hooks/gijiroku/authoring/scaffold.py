"""`gijiroku new`: the skeleton of the next meeting file, for staff to fill in.

The skeleton fails `gijiroku check` until its placeholder lines are replaced by the record, so
that an unfinished file can never be built into the site by mistake.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..disclosure.public import build_date
from ..record.registry import Committee
from ..record.wareki import find_date
from .writer import render_file

PLACEHOLDER_LINE = "この行を、議事録の本文（「○発言者 発言」の行）に置き換えてください。"


def next_number(root: Path) -> int:
    """One more than the highest meeting number under minutes/ (1 when there is none)."""
    numbers = [int(p.stem) for p in (root / "minutes").glob("*.md") if re.fullmatch(r"\d+", p.stem)]
    return max(numbers, default=0) + 1


def parse_day(text: str) -> dt.date:
    """A date given on the command line: 2023-05-31, 令和5年5月31日, R5.5.31 …; ValueError in Japanese."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        pass
    found = find_date(text)
    if found is None:
        raise ValueError(f"日付「{text}」を読めません。2023-05-31 や 令和5年5月31日 のように書いてください。")
    if found.date is None:
        raise ValueError(f"日付「{text}」を読めません: {found.error}。")
    return found.date


def today_in_japan() -> dt.date:
    """Today in Japan: `build_date` as without SOURCE_DATE_EPOCH (a new meeting is dated by the calendar)."""
    return build_date({})


def render_new_meeting(number: int, day: dt.date | None, titles: list[str], committee: Committee) -> str:
    """The skeleton: front matter with every key staff fill in, a heading and a placeholder per item."""
    title = f"第{number}回{committee.name}"
    meta = {
        "number": number, "title": title, "date": day, "start_time": None, "end_time": None, "place": None,
        "attendees": {"commissioners": [], "secretariat": []}, "chair": None,
        "sources": [{"title": f"{title} 議事録", "url": None}],
        "agenda": [{"number": i, "title": t or None, "disclosure": "公開", "publish_after": None, "outcome": None}
                   for i, t in enumerate(titles or [""], start=1)],
    }
    body = [PLACEHOLDER_LINE]
    for entry in meta["agenda"]:
        body.append(f"## 議題{entry['number']} {entry['title']}" if entry["title"] else f"## 議題{entry['number']}")
        body.append(PLACEHOLDER_LINE)
    return render_file(meta, "\n\n".join(body) + "\n")
