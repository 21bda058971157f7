"""Every generated page and data file of the site, from the public record.

`SiteBuilder.generate` returns plain `Output`s (a path under the docs tree and its content); the
MkDocs hook turns them into virtual files. Nothing here imports MkDocs.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import os
import re
from collections import defaultdict
from functools import partial

from markupsafe import Markup, escape

from ..record.loader import Record
from ..record.model import DECIDED_KINDS, Disclosure, Meeting, Paragraph, SpeakerKind, Speech
from ..record.registry import hashed_id
from ..record.wareki import wareki_year
from . import datalinks, history, order, urls
from .crossref import Index, build_index, decision_sort_key
from .history import SourceDates
from .people import Output, PeoplePages, no_reuse
from .render import (
    DISCLOSURE_URL,
    HTML,
    SOURCE,
    TEMPLATE,
    UNDATED_DOCUMENTS,
    UNDATED_MEETINGS,
    HtmlStash,
    SpeechHtml,
    environment,
    event_html,
    excerpt,
    render_page,
)
from .reuse import Reuse, api_files, facets


def _front(title: str, description: str, html: str, alternates: list[dict] | None = None) -> str:
    """Front matter of a generated page. JSON strings are valid YAML scalars, safe for any title.

    `html` fingerprints the page's HTML, which MkDocs never sees (see `SiteBuilder._page`): a
    page whose HTML changed must still differ, so that `serve --dirty` rebuilds it.
    `alternates`: the feeds and data files that follow the page (href site-relative, type,
    title), which overrides/main.html prints as <link rel="alternate">.
    """
    digest = hashlib.sha256(html.encode()).hexdigest()[:16]
    more = f"alternates: {json.dumps(alternates, ensure_ascii=False)}\n" if alternates else ""
    return (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
            f"description: {json.dumps(description, ensure_ascii=False)}\nhtml: {digest}\n{more}---\n\n")


class SiteBuilder(PeoplePages):
    """Renders the public record into pages. Build the index once; render each page from it."""

    def __init__(self, record: Record, site_url: str, speech_body: SpeechHtml | None = None,
                 dates: SourceDates | None = None, reuse: Reuse | None = None):
        """`speech_body`: the session's cache of speech HTML (`hooks/gijiroku/site/session.py`);
        a new one by default. `dates`: when each source last changed (none known by default).
        `reuse`: under serve, the session's outputs of its last build (see `reuse.py`)."""
        self.record = record
        self.dates = dates or SourceDates(None, {})
        self.site_url = site_url
        self.reuse = reuse
        if reuse is not None:
            reuse.start((record.registry, record.decisions, record.build_date, site_url, page_limit(), self.dates.dates))
        self.index: Index = build_index(record, reuse.remember if reuse else None)
        self.env = environment()
        self.stash = HtmlStash()
        self.speech_body = SpeechHtml() if speech_body is None else speech_body
        self.limit = page_limit()
        self.lastmod: dict[str, dt.datetime | None] = {}  # src_uri -> when its sources last changed
        if reuse is not None:
            reuse.versions(record.meetings, facets(record, self.index))
        self.api_files: dict[str, str] = api_files(record, site_url, reuse)

    def _unit(self, name: str, key, make) -> list[Output]:
        """`make()`'s outputs, or under serve the last build's when `key` (what they are made
        from, see `reuse.py`) is the same; their HTML and lastmod go where `_page` puts them."""
        if self.reuse is None:
            return make()
        made = self.reuse.unit(name, key, lambda: [(o, self.stash.prebuilt.get(o.path), self.lastmod.get(o.path, ...))
                                                   for o in make()])
        for output, built, lastmod in made:
            if built is not None:
                self.stash.prebuilt[output.path] = built
            if lastmod is not ...:
                self.lastmod[output.path] = lastmod
        return [output for output, _, _ in made]

    # -- helpers shared by templates ------------------------------------------------------------

    def _render(self, template: str, url: str, **context) -> str:
        link = partial(urls.href, url)
        return self.env.get_template(template).render(
            page_url=url, link=link, urls=urls, record=self.record, index=self.index,
            people=self.record.registry.people, agencies=self.record.registry.agencies,
            builder=self, **context,
        )

    def speech_html(self, s, link) -> Markup:
        """One speech turn as HTML, the same on the meeting, agenda and any other page.

        Built here rather than in a Jinja macro because it runs for every turn on two pages
        (the macro was a fifth of the build at 1000 meetings); the paragraphs are rendered once.
        The speaker label is a level-3 heading (every turn sits under an h2: 開会, 議題n, 閉会 or
        記録), so that a screen reader moves speech by speech with its heading key, its text the
        label or a link to the speaker's page (`.gk-speech > h3 > a`, no class of its own); the #n
        link beside it is the turn's number and permalink.
        A turn prints only what differs from turn to turn: what is the same on the whole page is
        said once (the meeting's citation, in the fact card's data-cite) or added by the script
        (docs/assets/gijiroku.js: the heading's hidden （発言n）, the permalink's tooltip and its
        name 発言nの固定リンク, the copy button), so that a page of many short turns is not mostly
        markup (issue 15). The heading, the permalink and the paragraphs are the turn's own
        children, without a wrapper for the head or the paragraphs: the stylesheet lays the heading
        and the permalink out on one line (a grid).
        """
        kind = s.speaker.kind.value
        css = "gk-speech" if kind == "commissioner" else f"gk-speech gk-speech--{kind}"
        label = escape(s.speaker.label)
        speaker_url = self.speaker_url(s)
        speaker = f'<a href="{link(speaker_url)}">{label}</a>' if speaker_url else label
        return Markup(
            f'<div class="{css}" id="speech-{s.order}"><h3>{speaker}</h3>'
            f'<a class="gk-permalink" href="{link(urls.speech(s.meeting, s.order))}">#{s.order}</a>'
            f'\n{self.speech_body(s, link)}</div>')

    def citation(self, number: int) -> str:
        """How a citation names the meeting: 第244回個人情報保護委員会（令和5年5月31日）議事録, the
        committee's name from committee.yml, the date in 和暦 only where the record gives one.
        The copy button (docs/assets/gijiroku.js) adds the speaker, the speech number and the URL;
        a page says it once, in the data-cite of its fact card (`meeting.md.j2`, `agenda.md.j2`)."""
        cache = self.__dict__.setdefault("_citations", {})
        if number not in cache:
            day = self.record.meetings[number].date
            held = f"（{wareki_year(day)}{day.month}月{day.day}日）" if day else ""
            cache[number] = f"第{number}回{self.record.committee.name}{held}議事録"
        return cache[number]

    def elements_html(self, elements, link) -> Markup:
        """A part of the record: speeches and the events between them, one HTML block each; a
        summary's paragraphs in a row make one block."""
        out: list[str] = []
        for e in elements:
            summary = not isinstance(e, Speech) and isinstance(e.block, Paragraph)
            if summary and out and out[-1].startswith('<div class="gk-summary">'):
                out[-1] = out[-1].removesuffix("</div>") + f"{event_html(e.block, link)}</div>"
            else:
                out.append(self.speech_html(e, link) if isinstance(e, Speech) else
                           f'<div class="{"gk-summary" if summary else "gk-event"}">{event_html(e.block, link)}</div>')
        return Markup("\n\n".join(out))

    def speaker_url(self, speech) -> str | None:
        if speech.speaker.kind is SpeakerKind.COMMISSIONER and speech.speaker.person_id:
            return urls.commissioner(speech.speaker.person_id)
        return None

    def meeting_description(self, meeting: Meeting) -> str:
        from .render import date_ja

        items = "、".join(f"議題{i.number} {i.title}" for i in meeting.agenda)
        return excerpt(f"{meeting.title}（{date_ja(meeting.date)}）の{meeting.record}。{items}", 150)

    def latest_meeting(self) -> Meeting | None:
        meetings = self.record.sorted_meetings()
        return meetings[-1] if meetings else None

    def latest_decisions(self, limit: int) -> list:
        """Newest dated documents first, then those whose date the record does not give."""
        docs = self.record.decisions.values()
        dated = sorted((d for d in docs if d.date), key=lambda d: (d.date, d.id), reverse=True)
        return (dated + sorted(d for d in docs if not d.date))[:limit]

    def meetings_by_year(self) -> list[tuple[str, list[Meeting]]]:
        """Meetings newest first under 2023年（令和5年）…, those the record gives no date last."""
        groups: dict[str, list[Meeting]] = defaultdict(list)
        meetings = list(reversed(self.record.sorted_meetings()))
        labels = year_labels(m.date for m in meetings)
        for m in meetings:
            groups[labels[m.date.year] if m.date else UNDATED_MEETINGS].append(m)
        return sorted(groups.items(), key=lambda kv: (kv[0] == UNDATED_MEETINGS, _neg_year(kv[0])))

    def undisclosed_items(self) -> tuple[list, list]:
        """The 非公表 items and the 後日公表 items not yet published, newest meeting first: what the
        public record keeps of them (number, title; kind and reason of a 非公表 item; the date)."""
        items = [i for m in reversed(self.record.sorted_meetings()) for i in m.agenda]
        withheld = [i for i in items if i.disclosure is Disclosure.WITHHELD]
        return withheld, [i for i in items if i.deferred]

    def decisions_by_year(self) -> list[tuple[str, list[tuple[str, list]]]]:
        groups: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        labels = year_labels(d.date for d in self.record.decisions.values())
        for d in sorted(self.record.decisions.values(), key=decision_sort_key, reverse=True):
            groups[labels[d.date.year] if d.date else UNDATED_DOCUMENTS][d.kind].append(d)
        ordered = sorted(groups.items(), key=lambda kv: (kv[0] == UNDATED_DOCUMENTS, _neg_year(kv[0])))
        return [(year, sorted(kinds.items())) for year, kinds in ordered]

    @staticmethod
    def year_anchor(label: str) -> str:
        return f"y{label[:4]}" if label[:4].isdigit() else "unknown"

    @staticmethod
    def kind_anchor(kind: str) -> str:
        return hashed_id(kind)

    @classmethod
    def year_jumps(cls, groups) -> list[tuple[str, str]]:
        """A list's years as its jumps (`_macros.j2`'s jumps): ("2023年", "y2023"), the group of
        the undated under its whole name."""
        return [(label.split("（")[0], cls.year_anchor(label)) for label, _ in groups]

    @classmethod
    def kind_jumps(cls, groups) -> list[tuple[str, str]]:
        return [(kind, cls.kind_anchor(kind)) for kind, _ in groups]

    @staticmethod
    def decided_kinds() -> str:
        return "・".join(sorted(DECIDED_KINDS))

    def ordered_people(self) -> list:
        """Commissioners in the order every list shows them (see `order.people`)."""
        return order.people(self.record)

    def commissioners_grouped(self) -> tuple[list, list]:
        latest = self.latest_meeting()
        present = {s.person_id for s in (latest.commissioners or ()) if s.person_id} if latest else set()
        people = self.ordered_people()
        return [p for p in people if p.id in present], [p for p in people if p.id not in present]

    def person_card(self, person, link) -> Markup:
        titles = "・".join(dict.fromkeys(r.title for r in person.roles))
        n_speeches = len(self.index.speeches_by_person.get(person.id, []))
        n_meetings = len(self.index.meetings_by_person.get(person.id, []))
        return Markup(
            f'<li class="gk-person"><a href="{escape(link(urls.commissioner(person.id)))}">'
            f'<span class="gk-person__name">{escape(person.display_name)}</span>'
            f'<span class="gk-person__role">{escape(titles)}</span></a>'
            f'<span class="gk-muted">会議 {n_meetings}回・発言 {n_speeches}件</span></li>'
        )

    def agencies_by_kind(self) -> list[tuple[str, list]]:
        groups: dict[str, list] = defaultdict(list)  # in the order of `order.agencies`: by kind first
        for a in order.agencies(self.record):
            groups[a.kind or "種類の記載がない機関"].append(a)  # kind is required: only a registry built in code lacks it
        return list(groups.items())

    def by_date(self, things: list) -> list:
        """Items or speeches in meeting date order (unknown dates first, by meeting number)."""
        def key(x):
            m = self.record.meetings[x.meeting]
            return (m.date is not None, m.date or dt.date.min, m.number, getattr(x, "number", 0), getattr(x, "order", 0))
        return sorted(things, key=key)

    def mention_excerpt(self, speech, agency) -> str:
        """A window of the speech around the first mention of the agency (by name or alias)."""
        text = " ".join(speech.text.split())
        for name in agency.names:
            pos = text.find(name)
            if pos < 0 and " " in text:  # printed with spaces inside, as 富士通 Japan 株式会社
                pos = _find_ignoring_spaces(text, name)
            if pos >= 0:
                start = max(0, pos - 40)
                return ("…" if start else "") + text[start:start + 120] + ("…" if start + 120 < len(text) else "")
        return excerpt(text, 120)

    # -- pages -----------------------------------------------------------------------------------

    def _page(self, src: str, title: str, description: str, parts: str | list[tuple[str, str]],
              in_nav: bool = False, sources: tuple[str, ...] | None = None, alternates: list[dict] | None = None,
              ) -> Output:
        """A generated page: its HTML is made here (`render.render_page`) and handed to the hook
        whole; MkDocs converts only the front matter. `parts` is the template's Markdown, or a
        list of (TEMPLATE | SOURCE | HTML, text) when source Markdown is part of the page.
        `sources`: the files it is made from, whose last change is its sitemap `lastmod` (None:
        every source, for lists of everything)."""
        parts = [(TEMPLATE, parts)] if isinstance(parts, str) else list(parts)
        if alternates:
            parts.append((HTML, datalinks.links_html(alternates, partial(urls.href, _url_of(src)))))
        built = render_page(parts)
        self.stash.prebuilt[src] = built
        self.lastmod[src] = self.dates.changed(history.all_sources(self.record) if sources is None else sources)
        return Output(src, _front(title, description, built[0], alternates), in_nav)

    def meeting_page(self, meeting: Meeting) -> Output:
        url = urls.meeting(meeting.number)
        body = self._render("meeting.md.j2", url, meeting=meeting)
        return self._page(urls.src_uri(url), meeting.title, self.meeting_description(meeting), body,
                          sources=history.meeting_sources(self.record, self.index, meeting), alternates=datalinks.meeting_alternates(meeting, self.api_files))

    def agenda_pages(self, meeting: Meeting) -> list[Output]:
        out = []
        for item in meeting.agenda:
            url = urls.agenda(meeting.number, item.number)
            title = f"議題{item.number} {item.title}（{meeting.title}）"
            body = self._render("agenda.md.j2", url, meeting=meeting, item=item)
            out.append(self._page(urls.src_uri(url), title, excerpt(title, 150), body, sources=history.meeting_sources(self.record, self.index, meeting)))
        return out

    def decision_page(self, decision) -> Output:
        url = urls.decision(decision.id)
        src = urls.src_uri(url)
        head = self._render("decision.md.j2", url, decision=decision)
        # The document's own Markdown (tables, headings) goes through the restricted Markdown.
        parts = [(TEMPLATE, head), (HTML, '<div class="gk-document">'), (SOURCE, decision.body), (HTML, "</div>")]
        sources = (decision.path, *([self.record.meetings[decision.meeting].path]
                                    if decision.meeting in self.record.meetings else []))
        return self._page(src, decision.title, excerpt(f"{decision.kind}: {decision.title}", 150), parts, sources=sources)

    def index_page(self, template: str, url: str, title: str, description: str, alternates=None, **context) -> Output:
        body = self._render(template, url, title=title, **context)
        return self._page(f"{url}index.md", title, description, body, in_nav=True, alternates=alternates)

    def related_items(self, item, limit: int = 10) -> list:
        """Items of the same kind to follow a case: those sharing an agency first, then the nearest.

        Candidates are the 2 × `limit` nearest items on each side, of the kind and of each
        (kind, agency) pair, found by bisection: linear in the corpus, not quadratic. Twice the
        limit, so that items of one meeting tied at the edge are all candidates.
        """
        pools = [self._kind_pool(item.kind, None)] + [self._kind_pool(item.kind, a) for a in item.agencies]
        candidates = set()
        for keys, items in pools:
            at = bisect.bisect_left(keys, item.key)
            candidates.update(items[max(0, at - 2 * limit):at + 2 * limit + 1])
        candidates.discard(item)
        agencies = set(item.agencies)
        ranked = sorted((i for i in candidates if i.key != item.key),
                        key=lambda i: (not (agencies & set(i.agencies)), abs(i.meeting - item.meeting), i.key))
        return self.by_date(ranked[:limit])

    def _kind_pool(self, kind: str, agency: str | None) -> tuple[list, list]:
        """Items of a kind (and agency), sorted by (meeting, number), with their keys for bisect."""
        cache = self.__dict__.setdefault("_pools", {})
        if (kind, agency) not in cache:
            items = sorted((i for i in self.index.items_by_kind.get(kind, []) if agency is None or agency in i.agencies),
                           key=lambda i: i.key)
            cache[(kind, agency)] = ([i.key for i in items], items)
        return cache[(kind, agency)]

    def kind_pages(self) -> list[Output]:
        out = []
        committee = self.record.committee
        for kind, items in sorted(self.index.items_by_kind.items()):
            def make(kind=kind, items=items) -> list[Output]:
                url = urls.kind(committee.kind_id(kind))
                body = self._render("kind.md.j2", url, kind=kind, years=self.by_year(items), count=len(items))
                sources = tuple(self.record.meetings[n].path for n in sorted({i.meeting for i in items}))
                return [self._page(urls.src_uri(url), f"{kind}の議題", f"すべての会議の「{kind}」の議題（{len(items)}件）。",
                                   body, sources=sources)]
            out += self._unit(f"k{kind}", self.reuse and self.reuse.facets([("kind", kind)]), make)
        return out

    def list_pages(self) -> list[Output]:
        """The lists of everything (home, meetings, decisions, commissioners, agencies, search), the
        page that explains 非公表 and the /api/ page."""
        r = self.record
        out: list[Output] = []
        out.append(self.index_page("home.md.j2", "", r.committee.name + " 議事録",
                                   f"{r.committee.name}の議事録・決定を、会議・議題・委員・機関ごとに読み、検索できるサイト。",
                                   alternates=datalinks.site_alternates(r.committee.name, self.api_files, "api/meetings.json")))
        out.append(self.index_page("meetings.md.j2", "meetings/", "会議", "すべての会議を年ごとに。",
                                   alternates=datalinks.site_alternates(r.committee.name, self.api_files, "api/meetings.json")))
        out.append(self.index_page("decisions.md.j2", "decisions/", "決定・資料",
                                   "委員会の決定と公表資料を年・種類ごとに。",
                                   alternates=datalinks.site_alternates(r.committee.name, self.api_files, "api/decisions.json"),
                                   decisions=sorted(r.decisions.values(), key=decision_sort_key)))
        out.append(self.index_page("commissioners.md.j2", "commissioners/", "委員", "委員の一覧と発言。"))
        out.append(self.index_page("agencies.md.j2", "agencies/", "機関", "議題・決定・発言に現れる機関の一覧。"))
        out.append(self.index_page("search.md.j2", "search/", "検索", "すべての会議と決定・資料の全文検索。"))
        # Linked from every badge and placeholder and from the footer; not a tab of its own.
        title = "非公表・後日公表について"
        body = self._render("disclosure.md.j2", DISCLOSURE_URL, title=title)
        out.append(self._page(urls.src_uri(DISCLOSURE_URL), title,
                              "議事録の「非公表」「後日公表予定」「（内容について非公表）」が何を意味するか。", body))
        # Linked from the footer of every page, not a tab of the top navigation.
        out.append(self._page("api/index.md", "データとフィード", "議事録・発言・決定の JSON と Atom フィードの一覧。",
                              self._render("api.md.j2", "api/", files=datalinks.api_listing(self.api_files))))
        return out

    def generate(self) -> list[Output]:
        """Every page and data file of the site."""
        r = self.record
        out: list[Output] = []
        reads = self.reuse.meetings if self.reuse else no_reuse
        for m in r.sorted_meetings():
            near = [x.number for x in (self.index.neighbours[m.number][0], m, self.index.neighbours[m.number][1]) if x]
            out += self._unit(f"m{m.number}", reads(near), partial(lambda m: [self.meeting_page(m)], m))
            out += self._unit(f"a{m.number}", (reads([m.number]), self.reuse and self.reuse.facets(("kind", i.kind) for i in m.agenda)),
                              partial(self.agenda_pages, m))
        for d in r.decisions.values():
            out += self._unit(f"d{d.id}", reads([d.meeting] if d.meeting in r.meetings else []),
                              partial(lambda d: [self.decision_page(d)], d))
        out.extend(self.registry_pages())
        out.extend(self.kind_pages())
        out += self._unit("lists", self.reuse and self.reuse.facets(["lists"]), self.list_pages)
        out.extend(Output(path, content) for path, content in self.api_files.items())
        out.extend(self.feeds())
        if self.reuse is not None:
            self.reuse.finish()
        return out

# Entries a commissioner's or agency's page lists before it is split into one page per year
# (GIJIROKU_PAGE_LIMIT overrides it, for tests of the split on small fixtures).
PAGE_LIMIT = 300


def page_limit() -> int:
    return int(os.environ.get("GIJIROKU_PAGE_LIMIT", PAGE_LIMIT))


def _url_of(src: str) -> str:
    """The directory URL a generated page's source is published at: meetings/244.md -> meetings/244/."""
    stem = src[:-len(".md")]
    stem = stem[:-len("index")] if stem == "index" or stem.endswith("/index") else stem + "/"
    return stem


def _find_ignoring_spaces(text: str, name: str) -> int:
    """Index in `text` where `name` begins when spaces in either are ignored, or -1."""
    squeezed = "".join(name.split())
    if not squeezed:
        positions = [i for i, ch in enumerate(text) if not ch.isspace()]
        return positions[0] if positions else -1
    # \s is str.isspace's whitespace; the match begins at the name's first (non-space) character
    found = re.search(r"\s*".join(map(re.escape, squeezed)), text)
    return found.start() if found else -1


def year_labels(dates) -> dict[int, str]:
    """Each year of `dates` as a list's heading: 2023年（令和5年）, and a year in which the era
    changed with both of its eras, 2019年（平成31年・令和元年） (one heading and one jump for the year;
    two headings of 2019年 took one anchor and the second jump led to the first)."""
    eras: dict[int, dict[str, None]] = defaultdict(dict)
    for day in sorted(d for d in dates if d):
        eras[day.year][wareki_year(day)] = None
    return {year: f"{year}年（{'・'.join(names)}）" for year, names in eras.items()}


def _neg_year(label: str) -> int:
    return -int(label[:4]) if label[:4].isdigit() else 0
