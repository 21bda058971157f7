"""The public view of the record on a given day: the one place that decides what of an item is public.

Withheld text (inside 非公表 markers) never reaches the model at all: the parsers drop it.
What an agenda item *concerns* is decided here, so that everything that publishes (pages,
JSON, feed, search index and facets, charts) reads only this view and needs no rule of its own:

- a 非公表 item keeps its number, title, kind and reason. Its outcome, publication, subjects,
  agencies, materials and linked decisions are removed, so it takes part in no cross-link,
  count or facet. Its section keeps what the record printed outside the markers (the
  placeholder, stage directions, public speech).
- a 後日公表 item before its date keeps its number and title only (and `deferred`, its date):
  its speeches and events go too, as do its kind and reason, which come with its content.
- a document is published only if its own disclosure allows it on the day and it belongs to
  no deferred item. A public document that names a 非公表 item is published without its
  meeting and agenda (null): neither side links to the other.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import replace
from zoneinfo import ZoneInfo

from ..record.loader import Record
from ..record.model import AgendaItem, Disclosure, replaced
from ..record.rules import sentence

JST = ZoneInfo("Asia/Tokyo")
LAST_EPOCH = 2**32 - 1  # the last SOURCE_DATE_EPOCH a build accepts: 2106-02-07 in Japan


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
    # 2**32 - 1 (2106-02-07): MkDocs writes the build day as the 32-bit gzip time of sitemap.xml.gz
    # and died with a traceback past it (found by a sixth attack)
    if not re.fullmatch(r"[0-9]{1,12}", epoch) or int(epoch) > LAST_EPOCH:
        shown = epoch if len(epoch) <= 40 else epoch[:40] + "…"
        raise ValueError(sentence("G147", value=shown))
    return dt.datetime.fromtimestamp(int(epoch), tz=JST).date()


def public_record(record: Record, day: dt.date) -> Record:
    """A copy of the record holding only what may be published on `day` (see the module doc).

    What is published whole is the record's own object, not a copy of it (`model.replaced`):
    under serve the parse cache hands an unchanged file's objects to every build, so a later step
    that compares this build's public record with the last one's (site/reuse.py) finds the same
    objects at once instead of comparing them field by field.
    """
    withheld: set[tuple[int, int]] = set()
    deferred: set[tuple[int, int]] = set()
    meetings = {}
    for number, meeting in record.meetings.items():
        items = []
        for item in meeting.agenda:
            if item.disclosure is Disclosure.WITHHELD:
                withheld.add(item.key)
                items.append(withheld_view(item))
            elif not item.disclosure.is_published_on(item.publish_after, day):
                deferred.add(item.key)
                items.append(deferred_view(item))
            else:
                items.append(item)
        elements = tuple(e for e in meeting.elements if (number, e.agenda) not in deferred)
        meetings[number] = replaced(meeting, agenda=tuple(items), elements=elements)
    decisions = {}
    for d in record.decisions.values():
        if d.disclosure is Disclosure.WITHHELD or not d.disclosure.is_published_on(d.publish_after, day):
            continue
        if (d.meeting, d.agenda) in deferred:
            continue
        if (d.meeting, d.agenda) in withheld:
            d = replace(d, meeting=None, agenda=None)
        decisions[d.id] = d
    for number, meeting in meetings.items():
        items = tuple(replaced(i, decisions=tuple(x for x in i.decisions if x in decisions)) for i in meeting.agenda)
        meetings[number] = replaced(meeting, agenda=items)
    return Record(_published_registry(record, meetings, decisions), meetings, decisions, build_date=day)


def _published_registry(record: Record, meetings: dict, decisions: dict):
    """The registry without the agencies that only items and documents not published on the day
    name (a company under supervision, registered for a 後日公表 item: its page, feed and place in
    the lists would say what the item is about before its date; found by an attack). An agency
    that nothing names yet is published, as registered, and so is one whose name (not an alias) a
    published speech or an item's title (a withheld item's is public) prints."""
    def named(meetings, decisions) -> set[str]:
        return ({a for m in meetings.values() for i in m.agenda for a in i.agencies}
                | {a for d in decisions.values() for a in d.agencies})

    agencies = record.registry.agencies
    hidden = {a for a in named(record.meetings, record.decisions) - named(meetings, decisions) if a in agencies}
    if hidden:  # a name a published speech or item title prints is public (the page lists the speech), spaces ignored
        spoken = "\x00".join("".join(t.split()) for m in meetings.values()
                              for t in (*(s.text for s in m.speeches), *(i.title for i in m.agenda)))
        # its name, not an alias (重点計画, an alias, stood in a public title: found by a second attack)
        hidden = {a for a in hidden if "".join(agencies[a].name.split()) not in spoken}
    if not hidden:
        return record.registry
    return replace(record.registry, agencies={k: a for k, a in agencies.items() if k not in hidden})


def unpublished_registry_files(record: Record, public: Record) -> list[str]:
    """The registry files under docs/ (their paths in the docs tree) of the agencies `public`
    leaves out: MkDocs would publish each as a page of its own."""
    return sorted(a.path.removeprefix("docs/") for k, a in record.registry.agencies.items()
                  if k not in public.registry.agencies and a.path)


def withheld_view(item: AgendaItem) -> AgendaItem:
    """A 非公表 item as published: number, title, kind and reason."""
    return replace(item, outcome=None, publication=None, subjects=(), agencies=(), materials=(), decisions=())


def deferred_view(item: AgendaItem) -> AgendaItem:
    """A 後日公表 item before its date as published: number, title and the date it is due."""
    return replace(item, deferred=True, kind=None, outcome=None, publication=None, reason=None,
                   subjects=(), agencies=(), materials=(), decisions=())
