"""Atom feeds, written by feedgen from the public record: the site's /feed.xml (every meeting and
decision), and one per commissioner (/commissioners/<id>/feed.xml: the meetings where they spoke)
and per agency (/agencies/<id>/feed.xml: its items, documents and the meetings that mention it).

An entry's `updated` is when its source file last changed (`history.SourceDates`), never the
build's date: a daily rebuild that changes nothing leaves every feed as it was.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

from ..disclosure.public import JST
from ..record.loader import Record
from . import urls
from .crossref import Index
from .history import SourceDates
from .render import date_ja, excerpt

# A commissioner's or agency's feed carries its newest entries only, as feed readers expect; the
# page itself lists everything.
FEED_LIMIT = 100


@dataclass(frozen=True)
class Entry:
    day: dt.date | None  # the date the record gives (a meeting's, a document's)
    url: str  # site-relative
    title: str
    summary: str
    category: str
    sources: tuple[str, ...]  # the source files it is made from, relative to the project root


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=JST)


def _atom(record: Record, site_url: str, dates: SourceDates, path: str, title: str, subtitle: str,
          page: str, entries: list[Entry], own_sources: tuple[str, ...] = ()) -> bytes:
    """One Atom document: `path` is where it is published, `page` the HTML page it follows."""
    name = record.committee.name
    fg = FeedGenerator()
    fg.id(urls.absolute(site_url, path))
    fg.title(title)
    fg.subtitle(subtitle)
    fg.link(href=urls.absolute(site_url, page), rel="alternate")
    fg.link(href=urls.absolute(site_url, path), rel="self")
    fg.language("ja")
    fg.author({"name": name})
    newest_first = sorted(entries, key=lambda e: (e.day is not None, e.day or dt.date.min, e.url), reverse=True)
    updates = []
    for e in newest_first:
        fe = fg.add_entry(order="append")
        fe.id(urls.absolute(site_url, e.url))
        fe.title(e.title)
        fe.link(href=urls.absolute(site_url, e.url), rel="alternate")
        fe.summary(e.summary)
        fe.category(term=e.category)
        updated = dates.updated(e.sources, e.day)
        updates.append(updated)
        fe.updated(updated)
        if e.day:
            fe.published(_moment(e.day))
    # The feed changed when its newest entry did; a feed with no entry, when its own source did.
    fg.updated(max(updates) if updates else dates.updated(own_sources, None))
    return fg.atom_str(pretty=True)


def meeting_entry(meeting) -> Entry:
    items = "、".join(f"議題{i.number} {i.title}" for i in meeting.agenda)
    held = f"{date_ja(meeting.date)}開催。" if meeting.date else ""  # what the record does not state is left out
    # The title names the record: when the 議事録 replaces a 議事概要 (same file, same URL and id),
    # the entry's title and category change with it, and its `updated` is that commit's date.
    return Entry(meeting.date, urls.meeting(meeting.number), f"{meeting.title} {meeting.record}",
                 excerpt(f"{held}{items}", 300), meeting.record, (meeting.path,))


def decision_entry(decision) -> Entry:
    where = (f"第{decision.meeting}回" + (f" 議題{decision.agenda}" if decision.agenda else "")
             if decision.meeting else "")
    facts = "・".join(x for x in (date_ja(decision.date, False), where) if x)
    return Entry(decision.date, urls.decision(decision.id), decision.title,
                 f"{decision.kind}（{facts}）" if facts else decision.kind,
                 decision.category, (decision.path,))


def render_feed(record: Record, site_url: str, dates: SourceDates) -> bytes:
    """/feed.xml: every public meeting and decision."""
    name = record.committee.name
    entries = [meeting_entry(m) for m in record.sorted_meetings()]
    entries += [decision_entry(d) for d in record.decisions.values()]
    return _atom(record, site_url, dates, "feed.xml", f"{name} 議事録・決定", f"{name}の会議の議事録と、決定・公表資料の新着",
                 "", entries, ("committee.yml",))


def _by_meeting(speeches) -> dict[int, list]:
    groups: dict[int, list] = defaultdict(list)
    for s in speeches:
        groups[s.meeting].append(s)
    return groups


def _speeches_entry(record: Record, number: int, speeches: list, what: str) -> Entry:
    meeting = record.meetings[number]
    first = min(speeches, key=lambda s: s.order)
    return Entry(meeting.date, urls.speech(number, first.order), f"{meeting.title} {what}（{len(speeches)}件）",
                 excerpt(first.text, 200), "発言", (meeting.path,))


def _newest(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.day is not None, e.day or dt.date.min, e.url), reverse=True)[:FEED_LIMIT]


def render_person_feed(record: Record, index: Index, site_url: str, dates: SourceDates, person_id: str) -> bytes:
    """/commissioners/<id>/feed.xml: one entry per meeting where the commissioner spoke in public,
    linking to their first remark there."""
    person = record.registry.people[person_id]
    title = person.display_title
    entries = [_speeches_entry(record, n, group, f"{title}の発言")
               for n, group in _by_meeting(index.speeches_by_person.get(person_id, [])).items()]
    page = urls.commissioner(person_id)
    return _atom(record, site_url, dates, feed_path(page), f"{title}の発言（{record.committee.name} 議事録）",
                 f"{title}が公開の会議で述べた発言の新着", page, _newest(entries), (person.path,))


def render_agency_feed(record: Record, index: Index, site_url: str, dates: SourceDates, agency_id: str) -> bytes:
    """/agencies/<id>/feed.xml: the agency's agenda items and documents, and the meetings whose
    public remarks name it."""
    agency = record.registry.agencies[agency_id]
    entries = []
    for item in index.items_by_agency.get(agency_id, []):
        meeting = record.meetings[item.meeting]
        about = "・".join(x for x in (item.kind, item.outcome) if x)
        entries.append(Entry(meeting.date, urls.agenda(meeting.number, item.number),
                             f"議題{item.number} {item.title}（{meeting.title}"
                             + (f" {meeting.record}）" if meeting.is_summary else "）"),
                             "（".join(x for x in (about, date_ja(meeting.date, False)) if x)
                             + ("）" if about and meeting.date else ""),
                             "議題", (meeting.path,)))
    entries += [decision_entry(d) for d in index.decisions_by_agency.get(agency_id, [])]
    entries += [_speeches_entry(record, n, group, f"{agency.name}に言及した発言")
                for n, group in _by_meeting(index.mentions_by_agency.get(agency_id, [])).items()]
    page = urls.agency(agency_id)
    return _atom(record, site_url, dates, feed_path(page), f"{agency.name}（{record.committee.name} 議事録）",
                 f"{agency.name}に関係する議題、決定・資料、言及した発言の新着", page, _newest(entries), (agency.path,))


def feed_path(page: str) -> str:
    """The feed that follows a commissioner's or agency's page: commissioners/tanno/feed.xml."""
    return f"{page}feed.xml"
