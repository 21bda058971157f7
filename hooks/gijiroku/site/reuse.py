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
import json
from collections.abc import Callable, Hashable
from functools import partial

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
        return len(a) == len(b) and all(map(same, a, b))
    if kind is dict:  # in order: a page lists a dict's entries in its order
        return len(a) == len(b) and all(same(ka, kb) and same(a[ka], b[kb]) for ka, kb in zip(a, b, strict=True))
    if dataclasses.is_dataclass(a):  # a source line number is never shown on a page (see the module doc)
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a) if f.name != "line")
    return False


class Values:
    """A part of a key compared by `same`: the model objects (speeches, items, meetings' headlines)
    that a unit shows, when the versions of whole meetings would be too coarse."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Values) and same(self.value, other.value)

    __hash__ = None  # type: ignore[assignment]


def headline(meeting) -> tuple:
    """A meeting as other pages show it: every field but its agenda and its record's elements."""
    return tuple(getattr(meeting, f.name) for f in dataclasses.fields(meeting) if f.name not in ("agenda", "elements"))


class Reuse:
    """What one serve session reuses from its last build (see the module docstring)."""

    def __init__(self) -> None:
        self._units: dict[str, tuple[Hashable, list]] = {}  # unit -> (key, its outputs as made)
        self._used: dict[str, tuple[Hashable, list]] = {}
        self._world: object = None
        self._meetings: dict[int, tuple[object, int]] = {}  # number -> (public meeting, version)
        self._kinds: dict[str | None, tuple[tuple, int]] = {}
        self._versions = itertools.count(1)
        self.reused = self.made = 0  # units of the latest build

    def start(self, world: object, meetings: dict, kinds: dict[str, tuple]) -> None:
        """A build begins with this world, these public meetings and this headline of each kind."""
        if not same(self._world, world):
            self._units.clear()
        self._world = world
        self._meetings = {n: self._version(self._meetings.get(n), m) for n, m in meetings.items()}
        self._kinds = {k: self._version(self._kinds.get(k), v) for k, v in kinds.items()}
        self._used = {}
        self.reused = self.made = 0

    def _version(self, last: tuple[object, int] | None, value: object) -> tuple[object, int]:
        if last is not None and same(last[0], value):
            return (value, last[1])
        return (value, next(self._versions))

    def meetings(self, numbers) -> tuple[tuple[int, int], ...]:
        """The part of a key that says which meetings a unit reads, and their versions."""
        return tuple((n, self._meetings[n][1]) for n in numbers)

    def kinds(self, kinds) -> tuple[tuple[str | None, int], ...]:
        return tuple((k, self._kinds[k][1]) if k in self._kinds else (k, 0) for k in kinds)

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


def kind_headlines(record, index) -> dict[str | None, tuple]:
    """What an agenda page reads of the items of its kind in other meetings (`SiteBuilder.related_items`,
    the kind's count) and a kind's page lists: each item, with its meeting's title, date and path."""
    meetings = record.meetings
    return {kind: tuple((i, meetings[i.meeting].title, meetings[i.meeting].date, meetings[i.meeting].path) for i in items)
            for kind, items in index.items_by_kind.items()}


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
        return [(_dump({"speeches": speeches}), len(speeches))]

    by_year = {year: reuse.unit(f"api:{year}", reuse.meetings(m.number for m in ms), partial(year_file, ms))[0]
               for year, ms in years.items()}
    out = {
        "api/meetings.json": _dump(api.meetings_json(record, site_url)),
        "api/speeches.json": _dump(api.speeches_json({y: {"speeches": range(n)} for y, (_, n) in by_year.items()},
                                                        site_url)),
        "api/decisions.json": _dump(api.decisions_json(record, site_url)),
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
    return [_dump(own)]


def _dump(data: dict) -> str:
    """As `api.render_api` writes each file."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
