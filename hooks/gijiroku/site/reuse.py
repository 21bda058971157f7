"""Under `mkdocs serve`, the outputs of the last build whose inputs did not change, reused
instead of rendered again (issue 15: a serve edit to one meeting visible in about a second).

The session (`hooks/gijiroku/site/session.py`) holds one `Reuse`; `SiteBuilder`
(`hooks/gijiroku/site/pages.py`) asks it for each unit of output (a meeting's page, its items'
pages, a commissioner's page, an API file …) under a key made of what that unit is made from:

- the *world*: everything but the meetings (registry and committee, decisions, the day, the site
  URL, the page limit, the git dates). When it changes, nothing is reused.
- the *version* of each meeting it reads: a number that changes whenever the public meeting
  (`disclosure.public.public_record`) differs from the last build's in any field, compared by
  value (`same`), never by the model's `==`, which compares numbers only;
- the *version* of each kind of item it lists: items of the kind with their meeting's title, date
  and path (an agenda page lists items of its kind in other meetings, and their count);
- for the pages and feeds of commissioners and agencies, which show a few speeches or items of
  many meetings: the speeches and items they show, and those meetings' headlines, compared by
  value (`Values`), with the counts and the sitemap date they print.

Values never compare a `line` field: where a thing stood in its source file is never shown on a
page (tests/test_session.py checks that no template names it), and an edit moves every later line.

A unit lists in its key the numbers of every meeting it reads, with their versions: a meeting that
joins or leaves the unit (a new speaker, a new mention of an agency, a new date) changes the key as
surely as an edit of a meeting in it. A withheld sentence is a change of its meeting's value, so
every unit that read the meeting is rendered again. `tests/test_session.py` compares every output
of a series of edited rebuilds with a build that reuses nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import itertools
from collections.abc import Callable, Hashable
from functools import lru_cache, partial
from operator import attrgetter

from ..record.model import Meeting
from . import api

_VALUES = (str, int, float, bool, bytes, type(None), dt.date, dt.datetime, dt.time)


def same(a, b) -> bool:
    """Whether `a` and `b` hold the same value, field by field; False when unsure (a type not known
    here), so that a doubt renders the page again. Objects shared with the last build (the parse
    cache's) are the same by identity, at no cost."""
    if a is b:
        return True
    kind = type(a)
    if kind is not type(b) or issubclass(kind, enum.Enum):
        return False
    if kind in _VALUES:
        return a == b
    if kind is tuple or kind is list:
        if len(a) != len(b):
            return False
        for x, y in zip(a, b, strict=True):  # noqa: SIM110 - a loop, identity first: most of a rebuild's comparing is here
            if x is not y and not same(x, y):
                return False
        return True
    if kind is dict:  # in order: a page lists a dict's entries in its order
        return len(a) == len(b) and all(same(ka, kb) and same(a[ka], b[kb]) for ka, kb in zip(a, b, strict=True))
    if dataclasses.is_dataclass(a):
        for name in _compared(kind):  # noqa: SIM110 - as above
            x, y = getattr(a, name), getattr(b, name)
            if x is not y and not same(x, y):
                return False
        return True
    return False


@lru_cache(maxsize=64)  # one entry per dataclass of the model
def _compared(kind: type) -> tuple[str, ...]:
    """The fields `same` compares: all but `line` (a source line number is never shown on a page)."""
    return tuple(f.name for f in dataclasses.fields(kind) if f.name != "line")


class Values:
    """A part of a key compared by `same`: the model objects (speeches, items, meetings' headlines)
    that a unit shows, when the versions of whole meetings would be too coarse."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Values) and same(self.value, other.value)

    __hash__ = None  # type: ignore[assignment]


# A meeting as other pages show it: every field but its agenda and its record's elements.
headline = attrgetter(*(f.name for f in dataclasses.fields(Meeting) if f.name not in ("agenda", "elements")))


class Reuse:
    """What one serve session reuses from its last build (see the module docstring)."""

    def __init__(self) -> None:
        self._units: dict[str, tuple[Hashable, list]] = {}  # unit -> (key, its outputs as made)
        self._used: dict[str, tuple[Hashable, list]] = {}
        self._world: object = None
        self._meetings: dict[int, tuple[object, int]] = {}  # number -> (public meeting, version)
        self._facets: dict[Hashable, tuple[object, int]] = {}  # what many units read: the items of a kind …
        self._versions = itertools.count(1)
        self._remembered: dict[int, tuple[object, object]] = {}  # id -> (thing, value): see `remember`
        self._recalled: dict[int, tuple[object, object]] = {}
        self.reused = self.made = 0  # units of the latest build

    def start(self, world: object) -> None:
        """A build begins in this world: when it is not the last build's, nothing is reused."""
        if not same(self._world, world):
            self._units.clear()
            self._remembered.clear()
        self._world = world
        self._used, self._recalled = {}, {}

    def remember(self, thing: object, compute: Callable[[], object]) -> object:
        """`compute()`, a function of `thing` and the world; made again only for a new `thing`
        (by identity: the parse cache's objects of an unchanged file are the last build's)."""
        last = self._remembered.get(id(thing))
        value = last[1] if last is not None and last[0] is thing else compute()
        self._recalled[id(thing)] = (thing, value)  # `thing` is kept: its id names no other object meanwhile
        return value

    def versions(self, meetings: dict, facets: dict[Hashable, object]) -> None:
        """This build's public meetings and facets (`facets`), each given the last build's version
        when it is the same."""
        self._meetings = {n: self._version(self._meetings.get(n), m) for n, m in meetings.items()}
        self._facets = {k: self._version(self._facets.get(k), v) for k, v in facets.items()}
        self.reused = self.made = 0

    def _version(self, last: tuple[object, int] | None, value: object) -> tuple[object, int]:
        if last is not None and same(last[0], value):
            return (value, last[1])
        return (value, next(self._versions))

    def meetings(self, numbers) -> tuple[tuple[int, int], ...]:
        """The part of a key that says which meetings a unit reads, and their versions."""
        return tuple((n, self._meetings[n][1]) for n in numbers)

    def facets(self, names) -> tuple[tuple[Hashable, int], ...]:
        """The part of a key that says which facets a unit reads (`facets`), and their versions."""
        return tuple((k, self._facets[k][1]) if k in self._facets else (k, 0) for k in names)

    def unit(self, name: str, key: Hashable, make: Callable[[], list]) -> list:
        """The outputs of `name`: the last build's when its key is the same, else `make()`'s."""
        last = self._units.get(name)
        if last is not None and last[0] == key:
            self.reused += 1
            outputs = last[1]
        else:
            self.made += 1
            outputs = make()
        self._used[name] = (key, outputs)
        return outputs

    def finish(self) -> None:
        """The build generated everything: only its units are kept (a deleted meeting's go)."""
        self._units, self._used = self._used, {}
        self._remembered, self._recalled = self._recalled, {}


def facets(record, index) -> dict[Hashable, object]:
    """What many units read beyond their own meetings, each compared by value from build to build:

    - ("kind", k): what an agenda page reads of the items of its kind in other meetings
      (`SiteBuilder.related_items`, the kind's count) and a kind's page lists: each item, with its
      meeting's headline;
    - "lists": what the lists of everything read (home, meetings, commissioners, agencies, the
      disclosure page, /api/meetings.json, /api/speeches.json, /feed.xml): every meeting's headline,
      agenda, number of speeches and, for a summary, its paragraphs; every commissioner's and
      agency's counts."""
    meetings = record.meetings
    out: dict[Hashable, object] = {("kind", kind): tuple((i, headline(meetings[i.meeting])) for i in items)
                                   for kind, items in index.items_by_kind.items()}
    out["lists"] = (
        tuple((headline(m), m.agenda, len(m.speeches), m.elements if m.is_summary else ()) for m in record.sorted_meetings()),
        tuple((p, len(index.speeches_by_person.get(p, [])), len(index.meetings_by_person.get(p, []))) for p in record.registry.people),
        tuple((a, len(index.items_by_agency.get(a, [])), len(index.mentions_by_agency.get(a, [])))
              for a in record.registry.agencies),
    )
    return out


def api_files(record, site_url: str, reuse: Reuse | None) -> dict[str, str]:
    """`api.render_api`, the same files in the same order; under serve, each meeting's file and each
    year's file of speeches reused while the meetings they hold are unchanged."""
    if reuse is None:
        return api.render_api(record, site_url)
    years: dict[str, list] = {}
    for m in record.sorted_meetings():
        years.setdefault(api.year_of(m), []).append(m)

    def year_file(meetings: list) -> list[tuple[str, int]]:
        speeches = [api.speech_entry(m, s, site_url) for m in meetings for s in m.speeches]
        return [(api.dump({"speeches": speeches}), len(speeches))]

    by_year = {year: reuse.unit(f"api:{year}", reuse.meetings(m.number for m in ms), partial(year_file, ms))[0]
               for year, ms in years.items()}
    lists = reuse.facets(["lists"])
    out = {
        "api/meetings.json": reuse.unit("api:meetings", lists, lambda: [api.dump(api.meetings_json(record, site_url))])[0],
        "api/speeches.json": reuse.unit("api:speeches", lists, lambda: [api.dump(api.speeches_json(
            {y: {"speeches": range(n)} for y, (_, n) in by_year.items()}, site_url))])[0],
        "api/decisions.json": reuse.unit("api:decisions", (), lambda: [api.dump(api.decisions_json(record, site_url))])[0],
    }
    for m in record.sorted_meetings():
        out[api.api_meeting(m.number)] = reuse.unit(f"api:m{m.number}", reuse.meetings([m.number]),
                                                    partial(_meeting_file, m, site_url))[0]
    for year, (text, _) in by_year.items():
        out[api.api_speeches(year)] = text
    return out


def _meeting_file(meeting, site_url: str) -> list[str]:
    own = api.meeting_entry(meeting, site_url)
    own["speeches"] = [api.speech_entry(meeting, s, site_url) for s in meeting.speeches]
    return [api.dump(own)]
