"""The pages of the registries, commissioners and agencies, and their feeds: a part of `SiteBuilder`
(`hooks/gijiroku/site/pages.py`), which inherits it. A long record is split into one page per year."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from . import charts, datalinks, feed, history, urls
from .render import SOURCE, TEMPLATE, UNDATED_MEETINGS, md_heading
from .reuse import Values, headline


@dataclass(frozen=True)
class Output:
    """One generated file (defined here, and used by `pages.SiteBuilder`, which imports this module)."""

    path: str  # relative to the docs directory: "meetings/244.md", "api/meetings.json"
    content: str | bytes
    in_nav: bool = False

    def __repr__(self) -> str:
        return f"Output({self.path})"


class PeoplePages:
    """Commissioners' and agencies' pages and feeds (see the module docstring)."""


    # -- long lists: split by year beyond PAGE_LIMIT entries --------------------------------------------

    def year_label(self, meeting_number: int) -> str:
        day = self.record.meetings[meeting_number].date
        return str(day.year) if day else "unknown"

    def by_year(self, things: list) -> dict[str, list]:
        """Items or speeches by the year of their meeting, newest year first, unknown last; made
        once per list of the index in a build (a commissioner's speeches, for each year's page)."""
        cache = self.__dict__.setdefault("_by_year", {})
        if id(things) in cache:
            return cache[id(things)][1]
        groups: dict[str, list] = defaultdict(list)
        for thing in self.by_date(things):
            groups[self.year_label(thing.meeting)].append(thing)
        result = {y: groups[y] for y in sorted(groups, key=_newest_first)}
        cache[id(things)] = (things, result)  # the list is kept: its id names no other list meanwhile
        return result

    def meeting_numbers_by_year(self, numbers: list[int]) -> list[tuple[str, list[int]]]:
        groups: dict[str, list[int]] = defaultdict(list)
        for n in sorted(numbers, reverse=True):
            groups[self.year_label(n)].append(n)
        return sorted(groups.items(), key=lambda kv: (kv[0] == "unknown", -int(kv[0]) if kv[0] != "unknown" else 0))

    @staticmethod
    def year_title(label: str) -> str:
        return f"{label}年" if label != "unknown" else UNDATED_MEETINGS

    def commissioner_section(self, person_id: str, year: str | None = None) -> str:
        """The generated part of a commissioner's page (or of one year of it, when split)."""
        person = self.record.registry.people[person_id]
        speeches = self.index.speeches_by_person.get(person_id, [])
        years = self.by_year(speeches)
        split = len(speeches) > self.limit
        shown = years.get(year, []) if year else (speeches if not split else next(iter(years.values()), []))
        by_meeting = defaultdict(list)
        for s in shown:
            by_meeting[s.meeting].append(s)
        chart = charts.remarks_per_year(person, speeches, self.record)
        url = urls.year_page(urls.commissioner(person_id), year) if year else urls.commissioner(person_id)
        return self._render("commissioner.md.j2", url, person=person, by_meeting=by_meeting, speeches=speeches,
                            chart=chart, split=split, years=years, year=year)

    def agency_section(self, agency_id: str, year: str | None = None) -> str:
        """The generated part of an agency's page (or of one year of it, when split)."""
        agency = self.record.registry.agencies[agency_id]
        items = self.index.items_by_agency.get(agency_id, [])
        mentions = self.index.mentions_by_agency.get(agency_id, [])
        split = len(items) + len(mentions) > self.limit
        item_years, mention_years = self.by_year(items), self.by_year(mentions)
        years = list(dict.fromkeys([*item_years, *mention_years]))
        years.sort(key=lambda y: (y == "unknown", -int(y) if y != "unknown" else 0))
        if year:
            items, mentions = item_years.get(year, []), mention_years.get(year, [])
        elif split and years:
            items, mentions = item_years.get(years[0], []), mention_years.get(years[0], [])
        url = urls.year_page(urls.agency(agency_id), year) if year else urls.agency(agency_id)
        return self._render("agency.md.j2", url, agency=agency, items=self.by_date(items), mentions=self.by_date(mentions),
                            split=split, years=[(y, len(item_years.get(y, [])), len(mention_years.get(y, []))) for y in years],
                            year=year, totals=(len(self.index.items_by_agency.get(agency_id, [])),
                                               len(self.index.mentions_by_agency.get(agency_id, []))))

    def registry_pages(self) -> list[Output]:
        """docs/commissioners/<id>.md and docs/agencies/<id>.md, each replaced by its full page:
        the heading, the hand-written profile, then what the record says of them; and, for a
        long record, one more page per year."""
        out: list[Output] = []
        for person in self.record.registry.people.values():
            title = person.display_title
            sources, alternates = history.person_sources(self.record, self.index, person), datalinks.person_alternates(person)
            numbers = self.index.meetings_by_person.get(person.id, [])
            speeches = self.index.speeches_by_person.get(person.id, [])
            years = self.by_year(speeches)
            split = len(speeches) > self.limit
            key = None
            if self.reuse:  # what the page shows: counts, the meetings, the (first year's) speeches
                listed = tuple((n, self.year_label(n)) for n in numbers) if len(numbers) > 30 else self._shown(numbers)
                key = (len(speeches), listed, tuple((y, len(group)) for y, group in years.items()),
                       self._shown((), next(iter(years.values()), []) if split else speeches), self.dates.changed(sources))
            out += self._unit(f"p{person.id}", key, lambda person=person, title=title, sources=sources, alternates=alternates: [
                self._page(f"commissioners/{person.id}.md", title, f"{title}の出席した会議と、公開されたすべての発言。",
                           [(TEMPLATE, f"# {md_heading(title)}"), (SOURCE, person.profile),
                            (TEMPLATE, self.commissioner_section(person.id))], sources=sources, alternates=alternates)])
            for year in years if split else ():
                def make(person=person, year=year, title=title, sources=sources, alternates=alternates) -> list[Output]:
                    heading = f"{title}の発言（{self.year_title(year)}）"
                    url = urls.year_page(urls.commissioner(person.id), year)
                    return [self._page(urls.src_uri(url), heading, f"{heading}。",
                                       f"# {md_heading(heading)}\n\n{self.commissioner_section(person.id, year)}",
                                       sources=sources, alternates=alternates)]
                key = self.reuse and (len(speeches), self._shown((), years[year]), self.dates.changed(sources))
                out += self._unit(f"p{person.id}/{year}", key, make)
        for agency in self.record.registry.agencies.values():
            sources, alternates = history.agency_sources(self.record, self.index, agency), datalinks.agency_alternates(agency)
            items = self.index.items_by_agency.get(agency.id, [])
            mentions = self.index.mentions_by_agency.get(agency.id, [])
            item_years, mention_years = self.by_year(items), self.by_year(mentions)
            years = list(dict.fromkeys([*item_years, *mention_years]))
            split = len(items) + len(mentions) > self.limit
            key = None
            if self.reuse:  # counts, and the (first year's) items and mentions
                first = min(years, key=_newest_first) if split and years else None
                key = (len(items), len(mentions),
                       tuple((y, len(item_years.get(y, [])), len(mention_years.get(y, []))) for y in years),
                       self._shown(item_years.get(first, []) if first else items,
                                   mention_years.get(first, []) if first else mentions), self.dates.changed(sources))
            out += self._unit(f"g{agency.id}", key, lambda agency=agency, sources=sources, alternates=alternates: [
                self._page(f"agencies/{agency.id}.md", agency.name, f"{agency.name}に関係する議題、決定・資料、言及した発言。",
                           [(TEMPLATE, f"# {md_heading(agency.name)}"), (SOURCE, agency.profile),
                            (TEMPLATE, self.agency_section(agency.id))], sources=sources, alternates=alternates)])
            for year in years if split else ():
                def make(agency=agency, year=year, sources=sources, alternates=alternates) -> list[Output]:
                    heading = f"{agency.name}（{self.year_title(year)}）"
                    url = urls.year_page(urls.agency(agency.id), year)
                    return [self._page(urls.src_uri(url), heading, f"{heading}の議題と発言。",
                                       f"# {md_heading(heading)}\n\n{self.agency_section(agency.id, year)}",
                                       sources=sources, alternates=alternates)]
                key = self.reuse and (len(items), len(mentions),
                                      self._shown(item_years.get(year, []), mention_years.get(year, [])),
                                      self.dates.changed(sources))
                out += self._unit(f"g{agency.id}/{year}", key, make)
        return out

    def _shown(self, things, speeches=()) -> Values:
        """The part of a key that is what a page shows of these meetings (numbers), items or
        speeches: they, and the headlines of their meetings, compared by value (`reuse.Values`)."""
        numbers = sorted({n if isinstance(n, int) else n.meeting for n in (*things, *speeches)})
        return Values((tuple(things), tuple(speeches), tuple(headline(self.record.meetings[n]) for n in numbers)))

    def feeds(self) -> list[Output]:
        """/feed.xml, and one Atom feed per commissioner and per agency."""
        r, site, dates, index = self.record, self.site_url, self.dates, self.index
        undated = [d.path for d in r.decisions.values() if d.date is None]
        out = self._unit("feed", self.reuse and (self.reuse.facets(["lists"]), self._file_times("committee.yml", r.meetings, undated)),
                         lambda: [Output("feed.xml", feed.render_feed(r, site, dates))])
        for pid, person in r.registry.people.items():
            numbers = index.meetings_by_person.get(pid, [])
            key = self.reuse and (self._shown((), index.speeches_by_person.get(pid, [])), self._file_times(person.path, numbers))
            out += self._unit(f"fp{pid}", key, lambda pid=pid: [
                Output(feed.feed_path(urls.commissioner(pid)), feed.render_person_feed(r, index, site, dates, pid))])
        for aid, agency in r.registry.agencies.items():
            numbers = sorted({x.meeting for x in (*index.items_by_agency.get(aid, []), *index.mentions_by_agency.get(aid, []))})
            documents = [d.path for d in index.decisions_by_agency.get(aid, []) if d.date is None]
            key = self.reuse and (self._shown(index.items_by_agency.get(aid, []), index.mentions_by_agency.get(aid, [])),
                                  self._file_times(agency.path, numbers, documents))
            out += self._unit(f"fa{aid}", key, lambda aid=aid: [
                Output(feed.feed_path(urls.agency(aid)), feed.render_agency_feed(r, index, site, dates, aid))])
        return out

    def _file_times(self, own: str, numbers, documents=()) -> tuple | None:
        """Under serve, what a feed's `updated` reads beyond the record (`SourceDates.updated`):
        where git knows no date of an undated entry's file (or the feed's own), its time."""
        if self.reuse is None:
            return None
        undated = [self.record.meetings[n].path for n in numbers if self.record.meetings[n].date is None]
        return tuple(self.dates.updated((path,), None) for path in (own, *undated, *documents))


def _newest_first(label: str) -> tuple:
    """Year labels newest first, "unknown" last."""
    return (label == "unknown", -int(label) if label != "unknown" else 0)


def no_reuse(numbers) -> None:
    """The key of what a unit reads when nothing is reused (a build outside serve)."""
    return None
