"""What a search result is: a speech (or an agenda item, a section), on a meeting or decision page.

A page is one record of the index (`Unit`): a meeting's (`meeting_unit`) holds its facts, then a
block per agenda item, speech and stage direction; a decision's (`decision_unit`) holds its facts
from the record and its body as the built page renders it (`.gk-document`). A result is a block
that holds a searched word, shown under its page with its speaker, 議題 and permalink; the
speaker, agency, kind and outcome filters select blocks, so that a speaker filter gives that
speaker's remarks only. Only meeting and decision pages are indexed: agenda, commissioner and
agency pages repeat them. Everything comes from the public record
(`disclosure.public.public_record`) and the built decision pages, which hold public text only.
`search/indexing.py` turns these records into the index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ..record.model import (
    RECORD_KINDS,
    Disclosure,
    Meeting,
    Paragraph,
    SpeakerKind,
    Speech,
    StageDirection,
    Withheld,
)
from ..site import urls
from ..site.render import date_full, meeting_time

# A result's kind: a meeting's minutes or summary (model.RECORD_KINDS), or a decision's category.
# Summaries come last so that the indices of the others (and the styles keyed on them) stay.
KINDS = ("議事録", "決定", "資料", "議事概要", "議事要旨")


@dataclass
class Block:
    """A stretch of a page that a sub-result links to: a speech, an agenda item, a section."""

    anchor: str  # element id on the page ("speech-7", "agenda-2", a heading's id); "" is the top
    label: str  # shown before the excerpt: the speaker as printed (丹野委員長), 議題2 …, the heading
    paragraphs: list[str]
    weight: int = 1
    speaker: str = ""  # who spoke: a commissioner's registry id, or the printed label (事務局, 森川総務課長)
    titled: bool = False  # the first paragraph is the label itself (searchable, shown as the label)
    order: int = 0  # a speech's number in the meeting (its permalink #speech-<order>); 0 for other blocks
    agenda: int = 0  # the number of the agenda item the block belongs to; 0 outside any item


@dataclass
class Item:
    """An agenda item as the filters see it: values that its blocks take."""

    number: int
    title: str
    kind: str | None  # None for a 非公表 item: its kind is printed but counted in no facet
    outcome: str | None
    agencies: list[str]


@dataclass
class Unit:
    """One search result: a meeting or a decision page, and the values its filters need."""

    url: str
    title: str
    kind: str  # one of KINDS: 議事録, 議事概要, 議事要旨, or the decision's category (決定 / 資料)
    date: dt.date | None
    meeting: int | None
    speakers: list[str] = field(default_factory=list)  # every speaker key of its blocks, commissioners first
    agencies: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    kind_of_item: str | None = None  # a decision's kind (対応方針, 指導 …): the item-kind filter's value

    @property
    def when(self) -> str:
        """The date shown under the result's title, in full, or the words for none."""
        return date_full(self.date) if self.date else ("開催日不明" if self.kind in RECORD_KINDS else "日付不明")


def meeting_unit(meeting: Meeting, record, decided: dict | None = None) -> Unit:
    """A meeting page as blocks: its facts, then its agenda items, speeches and stage directions
    (a summary's paragraphs instead of speeches). Its kind is the meeting's record: 議事録, 議事概要
    or 議事要旨. `decided` is `decisions_by_meeting(record)`, made once for all the meetings."""
    people, agencies = record.registry.people, record.registry.agencies
    unit = Unit(urls.meeting(meeting.number), meeting.title, meeting.record, meeting.date, meeting.number)
    facts = [meeting.title, *([date_full(meeting.date)] if meeting.date else [])]
    if meeting.start_time or meeting.end_time:
        facts.append(meeting_time(meeting))
    facts += [x for x in (meeting.place, meeting.note) if x]
    for group in (meeting.commissioners or (), meeting.secretariat or ()):
        facts += [s.label for s in group]
    if meeting.chair:
        facts.append(meeting.chair.label)
    facts += (decisions_by_meeting(record) if decided is None else decided).get(meeting.number, [])
    facts += [src.title for src in meeting.sources]
    unit.blocks.append(Block("", meeting.title, facts, weight=5, titled=True))
    commissioners: dict[str, None] = {}
    others: dict[str, None] = {}
    for kind, item, elements in meeting.parts():
        section, number = kind, 0
        if item is not None:
            section, number = f"agenda-{item.number}", item.number
            heading = f"議題{item.number} {item.title}"
            lines = [heading]
            known = [a for a in item.agencies if a in agencies]
            if item.deferred:
                lines.append("後日公表予定")
            else:
                lines += [x for x in (item.kind, item.outcome, item.publication, item.reason) if x]
                lines += list(item.subjects)
                lines += [agencies[a].name for a in known]
                lines += [" ".join(x for x in (m.label, m.title) if x) for m in item.materials]
                unit.agencies += [a for a in known if a not in unit.agencies]
                if item.outcome and item.outcome not in unit.outcomes:
                    unit.outcomes.append(item.outcome)
            counted = not item.deferred and item.disclosure is not Disclosure.WITHHELD
            unit.items.append(Item(item.number, item.title, item.kind if counted else None,
                                   item.outcome if not item.deferred else None, [] if item.deferred else known))
            unit.blocks.append(Block(section, heading, lines, weight=3, titled=True, agenda=number))
        for e in elements:
            if isinstance(e, Speech):
                person = e.speaker.person_id if e.speaker.kind is SpeakerKind.COMMISSIONER else None
                if person in people:
                    commissioners[person] = None
                    key = person
                else:  # 事務局, an official, a label the registry does not know: as printed
                    key = e.speaker.label
                    others[key] = None
                text = [b.text for b in e.blocks if not isinstance(b, Withheld)]
                unit.blocks.append(Block(e.anchor, e.speaker.label, [e.speaker.label, *text], speaker=key,
                                         titled=True, order=e.order, agenda=number))
            elif isinstance(e.block, StageDirection):
                unit.blocks.append(Block(section, "", [e.block.text], agenda=number))
            elif isinstance(e.block, Paragraph):  # a summary's: found under its item, labelled 議事概要
                unit.blocks.append(Block(section, meeting.record, [e.block.text], agenda=number))
    unit.speakers = list(commissioners) + list(others)
    return unit


class _DocumentText(HTMLParser):
    """Headings (with their ids) and text blocks inside the built page's `.gk-document`."""

    TEXT = {"p", "li", "td", "th", "dt", "dd", "pre", "blockquote", "caption"}
    VOID = {"br", "img", "hr", "input", "wbr", "col", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # element depth inside .gk-document; 0 outside it
        self.blocks: list[tuple[str, str | None, str]] = []  # (tag, id, text)
        self._open: list[tuple[str, str | None, list[str]]] = []
        self._skip = 0  # inside the "#" permalink of a heading

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if not self.depth:
            self.depth = int(tag == "div" and "gk-document" in (attrs.get("class") or "").split())
            return
        if tag in self.VOID:
            return
        self.depth += 1
        if "headerlink" in (attrs.get("class") or "").split():
            self._skip = self.depth
        elif tag in self.TEXT or _is_heading(tag):
            self._open.append((tag, attrs.get("id"), []))

    def handle_endtag(self, tag):
        if not self.depth or tag in self.VOID:
            return
        if self._skip == self.depth:
            self._skip = 0
        elif self._open and self._open[-1][0] == tag:
            name, ident, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            if text:
                self.blocks.append((name, ident, text))
        self.depth -= 1

    def handle_data(self, data):
        if self.depth and self._open and not self._skip:
            self._open[-1][2].append(data)


def _is_heading(tag: str) -> bool:
    return len(tag) == 2 and tag[0] == "h" and tag[1] in "23456"


def decision_unit(decision, record, site_dir: Path) -> Unit:
    """A decision page: facts from the record, the body as the built page renders it."""
    meeting = record.meetings.get(decision.meeting) if decision.meeting is not None else None
    agencies = record.registry.agencies
    unit = Unit(urls.decision(decision.id), decision.title, decision.category, decision.date, decision.meeting,
                agencies=[a for a in decision.agencies if a in agencies], kind_of_item=decision.kind)
    facts = [decision.title, f"{decision.kind}（{decision.category}）", *([date_full(decision.date)] if decision.date else [])]
    if meeting:
        facts.append(meeting.title)
        item = meeting.item(decision.agenda) if decision.agenda else None
        if item:
            facts.append(f"議題{item.number} {item.title}")
    facts += [x for x in (decision.material, decision.note) if x]
    facts += [agencies[a].name for a in unit.agencies]
    facts += [src.title for src in decision.sources]
    unit.blocks.append(Block("", decision.title, facts, weight=5, titled=True))
    parser = _DocumentText()
    parser.feed((site_dir / urls.decision(decision.id) / "index.html").read_text(encoding="utf-8"))
    current = Block("", "", [])
    for tag, ident, text in parser.blocks:
        if _is_heading(tag):
            if current.paragraphs:
                unit.blocks.append(current)
            current = Block(ident or current.anchor, text, [text], weight=2, titled=True)
        else:
            current.paragraphs.append(text)
    if current.paragraphs:
        unit.blocks.append(current)
    return unit


def decisions_by_meeting(record) -> dict[int, list[str]]:
    """The titles of the documents of each meeting, in the order of their ids: a meeting's facts."""
    decided: dict[int, list[str]] = {}
    for d in sorted(record.decisions.values(), key=lambda d: d.id):
        if d.meeting is not None:
            decided.setdefault(d.meeting, []).append(d.title)
    return decided


def iter_units(record, site_dir: Path) -> Iterator[Unit]:
    """Every meeting and decision page of the public record, as search results, one at a time
    (a decision's is read from its page under `site_dir`: a second and more at a thousand meetings)."""
    decided = decisions_by_meeting(record)  # once: sorting every document for each meeting grew with the square
    yield from (meeting_unit(m, record, decided) for m in record.sorted_meetings())
    yield from (decision_unit(d, record, site_dir) for d in sorted(record.decisions.values(), key=lambda d: d.id))


def units_of(record, site_dir: Path) -> list[Unit]:
    """`iter_units` as a list."""
    return list(iter_units(record, site_dir))
