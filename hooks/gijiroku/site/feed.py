"""/feed.xml: an Atom feed of every public meeting and decision, written by feedgen."""

from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator

from ..disclosure.public import JST
from ..record.loader import Record
from . import urls
from .render import date_ja, excerpt


def _moment(day: dt.date | None, fallback: dt.date) -> dt.datetime:
    # Atom needs a time for every entry; the record gives a date at most. An entry whose date
    # the record does not state is dated by the build that published it (its `updated`, not a fact).
    return dt.datetime.combine(day or fallback, dt.time(0, 0), tzinfo=JST)


def render_feed(record: Record, site_url: str, day: dt.date) -> bytes:
    fg = FeedGenerator()
    name = record.committee.name
    fg.id(urls.absolute(site_url, ""))
    fg.title(f"{name} 議事録・決定")
    fg.subtitle(f"{name}の会議の議事録と、決定・公表資料の新着")
    fg.link(href=urls.absolute(site_url, ""), rel="alternate")
    fg.link(href=urls.absolute(site_url, "feed.xml"), rel="self")
    fg.language("ja")
    fg.author({"name": name})
    entries = []
    for m in record.sorted_meetings():
        items = "、".join(f"議題{i.number} {i.title}" for i in m.agenda)
        held = f"{date_ja(m.date)}開催。" if m.date else ""  # what the record does not state is left out
        entries.append((m.date, urls.meeting(m.number), m.title, excerpt(f"{held}{items}", 300), "議事録"))
    for d in record.decisions.values():
        where = f"第{d.meeting}回" + (f" 議題{d.agenda}" if d.agenda else "") if d.meeting else ""
        facts = "・".join(x for x in (date_ja(d.date, False), where) if x)
        entries.append((d.date, urls.decision(d.id), d.title, f"{d.kind}（{facts}）" if facts else d.kind, d.category))
    # The feed was last modified when its newest entry was, undated entries counting as the build's.
    fg.updated(max((_moment(e[0], day) for e in entries), default=_moment(day, day)))
    newest_first = sorted(entries, key=lambda e: (e[0] is not None, e[0] or dt.date.min, e[1]), reverse=True)
    for date, url, title, summary, category in newest_first:
        fe = fg.add_entry(order="append")
        fe.id(urls.absolute(site_url, url))
        fe.title(title)
        fe.link(href=urls.absolute(site_url, url), rel="alternate")
        fe.summary(summary)
        fe.category(term=category)
        fe.updated(_moment(date, day))
        if date:
            fe.published(_moment(date, day))
    return fg.atom_str(pretty=True)
