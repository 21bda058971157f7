"""Synthetic corpora for benchmarks: `gijiroku synth`.

N meetings and about N/3 decisions made from the real record of a project (its minutes/ and
decisions/), so that a site of realistic size and shape can be built and timed. Nothing is
invented from scratch: every speech paragraph, turn structure, agenda title, kind, outcome and
agency comes from the real files, then varied so that no two pages are the same:

- meetings are renumbered 1..N and dated in increasing order over RANGE_START..RANGE_END;
  a few have no date (and no attendees, place or times), as the real 第136回 has none;
- each agenda item is a real item's section with other agencies of the same kind substituted,
  other commissioners speaking, long explanations thinned and spliced with another item's,
  and now and then a further commissioner's remark; the chair's transitions between items
  are written anew for the items the meeting actually has;
- about WITHHELD_SHARE of the items are 非公表 (the record's placeholder, or a marked region
  holding text with SENTINEL) and about DEFERRED_SHARE are 後日公表, half of them published
  before RANGE_END and half long after it; a few public speeches have a withheld region
  in the middle;
- about one decision per three meetings, linked to its agenda item both ways, its body
  recombined from the sections of the real decisions; some are 後日公表.

The output is a function of the source record and the seed only (never of the clock), and
passes `gijiroku check` against the same project's registries.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..disclosure.markers import CLOSE, OPEN
from ..record.loader import Record, load_record
from ..record.model import PLACEHOLDER, AgendaItem, Disclosure, Meeting, Paragraph, Speech, StageDirection

RANGE_START = dt.date(2016, 1, 4)
RANGE_END = dt.date(2026, 9, 30)  # no meeting after it; deferred items are published well before or long after
WITHHELD_SHARE = 0.08
DEFERRED_SHARE = 0.04
DECISIONS_PER_MEETING = 1 / 3
UNDATED_PER_MEETING = 1 / 150  # meetings whose record gives no date, as 第136回
SENTINEL = "synthwithheld"  # in every withheld sentence synth writes; must appear nowhere under site/

_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_KANJI_COUNT = "〇一二三四五六七八九十"
_ITEM_COUNTS = (1, 2, 3, 4, 5, 6)
_ITEM_WEIGHTS = (10, 25, 30, 20, 10, 5)
_EVALUATOR_KINDS = ("国の行政機関", "地方公共団体", "医療保険者等", "公的機関")  # who files a 全項目評価書
_UNSWAPPED_KINDS = ("総称", "事業者")  # generic names, and the one business the record names
_TRANSITION = ("それでは、次の議題に移ります", "本日の議題は以上")
_CLOSING = "本日の議題は以上"
_ITEM_REFERENCE = re.compile(r"議題([０-９0-9]+)")
_MATERIAL_REFERENCE = re.compile(r"(資料)([０-９0-9]+)")
_MEETING_REFERENCE = re.compile(r"第\d+回")
_SECRETARIAT_SURNAMES = ("松元", "三原", "山澄", "森川", "吉屋", "栗原", "香月", "小嶋", "片岡", "石田", "松本", "青山")
_DECISION_KINDS = {  # agenda kind -> (decision kind, id slug, how the title is made from the item's)
    "対応方針": ("対応方針", "taio-hoshin", "{t}"),
    "意見聴取": ("意見", "iken", "{t}に対する意見"),
    "全項目評価書": ("決定", "hyoka-shonin", "{t}の承認"),
    "独自利用事務": ("公表資料", "dokuji-riyo", "{t}"),
    "報告": ("報告結果", "hokoku", "{t}"),
    "規則・指針": ("規則", "kisoku", "{t}"),
    "監視・監督": ("指導", "shido", "{t}に係る指導"),
}
_DEFAULT_DECISION = ("資料", "shiryo", "{t}")
_DEFERRED_REASON = "閣議決定後に公表"
_DEFERRED_PUBLICATION = "資料、議事録及び議事概要は後日公表"


def fullwidth(number: int) -> str:
    """The number as the record prints it in running text: 議題１, 資料２－１."""
    return str(number).translate(_FULLWIDTH)


# -- the real record, cut into reusable parts --------------------------------------------------


@dataclass
class Turn:
    """A speech turn while it is being edited: the printed label and one source line a block."""

    label: str
    blocks: list[str]


Part = Turn | str  # a turn, or a line that stands between turns (stage direction, placeholder, region)


@dataclass(frozen=True)
class ItemTemplate:
    """A real agenda item and its section of the record, transitions to the next item removed."""

    item: AgendaItem
    parts: tuple[Part, ...]
    decision: str | None  # the real decision made on this item, if any


@dataclass(frozen=True)
class DecisionTemplate:
    id: str
    kind: str
    title: str
    agencies: tuple[str, ...]
    preamble: str
    sections: tuple[str, ...]  # each starts with its "## " heading
    linked: bool


@dataclass
class Corpus:
    """The synthetic source files, by path relative to the project root, and what they hold."""

    files: dict[str, str] = field(default_factory=dict)
    meetings: int = 0
    decisions: int = 0
    items: int = 0
    withheld: int = 0
    deferred: int = 0


def _block_line(block) -> str:
    return block.text if isinstance(block, Paragraph | StageDirection) else PLACEHOLDER


def _parts(elements) -> list[Part]:
    parts: list[Part] = []
    for e in elements:
        if isinstance(e, Speech):
            parts.append(Turn(e.speaker.label, [_block_line(b) for b in e.blocks]))
        else:
            parts.append(_block_line(e.block))
    return parts


def _strip_transition(parts: list[Part]) -> list[str]:
    """Cut the chair's move to the next item (or to the close) off the section's last turn; return the cut."""
    last = parts[-1] if parts else None
    if not isinstance(last, Turn):
        return []
    for i, block in enumerate(last.blocks):
        if block.startswith(_TRANSITION):
            cut = last.blocks[i:]
            del last.blocks[i:]
            if not last.blocks:
                parts.pop()
            return cut
    return []


@dataclass
class Templates:
    """Everything synth takes from the real record."""

    record: Record
    items: list[ItemTemplate]
    watched: list[ItemTemplate]  # 非公表 items of the 監視・監督 kind, whose section is a placeholder
    secretary_openings: list[list[str]]  # the 総務課長's opening paragraphs
    chair_openings: list[str]  # 「それでは、ただいまから第N回…を開会いたします。」
    closings: list[list[str]]
    remarks: list[list[str]]  # commissioners' remarks (not the chair's)
    decisions: list[DecisionTemplate]
    chair: str  # the chair's label: 丹野委員長
    commissioners: list[str]  # the members' surnames, in registry order
    undated_note: str | None


def read_templates(root: Path) -> Templates:
    """Cut the real record under `root` into templates. The record must pass `gijiroku check`."""
    record, problems = load_record(root)
    if problems:
        raise ValueError(f"{root} の原稿に {len(problems)} 件の誤りがあります。先に gijiroku check で直してください。")
    if not record.meetings:
        raise ValueError(f"{root}/minutes/ に会議がありません。合成の元にする議事録が必要です。")
    decided = {(d.meeting, d.agenda): d.id for d in record.decisions.values() if d.meeting is not None}
    items, watched, openings, chair_openings, closings, remarks = [], [], [], [], [], []
    chair = None
    undated_note = None
    for meeting in record.sorted_meetings():
        if meeting.date is None and meeting.note:
            undated_note = meeting.note
        for kind, item, elements in meeting.parts():
            parts = _parts(elements)
            if kind == "opening":
                for part in parts:
                    if isinstance(part, Turn) and part.label == (meeting.chair.label if meeting.chair else None):
                        chair_openings.extend(b for b in part.blocks if _MEETING_REFERENCE.search(b))
                    elif isinstance(part, Turn) and part.label.endswith("総務課長"):
                        openings.append(part.blocks)
                continue
            if kind == "closing":
                closings.extend(p.blocks for p in parts if isinstance(p, Turn))
                continue
            cut = _strip_transition(parts)
            closing = next((i for i, b in enumerate(cut) if b.startswith(_CLOSING)), None)
            if closing is not None:  # a record without 「## 閉会」 closes inside its last item
                closings.append(cut[closing:])
            chair = chair or (meeting.chair.label if meeting.chair else None)
            template = ItemTemplate(item, tuple(parts), decided.get(item.key))
            if item.disclosure is Disclosure.WITHHELD:
                watched.append(template)
            elif item.disclosure is Disclosure.PUBLIC:
                items.append(template)
            remarks.extend(p.blocks for p in parts if isinstance(p, Turn) and _is_member(p.label, meeting))
    if not items:
        raise ValueError("公開の議題が一つもないため、合成できません。")
    registry = record.registry
    members = [p.name for p in registry.people.values() if any(r.title == "委員" for r in p.roles)]
    chair = chair or next((f"{p.name}委員長" for p in registry.people.values() if p.has_chaired), "委員長")
    return Templates(
        record=record, items=items, watched=watched,
        secretary_openings=openings or [["それでは、定刻になりましたので、会議を始めます。"]],
        chair_openings=chair_openings or ["それでは、ただいまから、第1回個人情報保護委員会を開会いたします。"],
        closings=closings or [["本日の議題は以上でございます。", "それでは、本日の会議はこれで閉会といたします。"]],
        remarks=remarks, decisions=_decision_templates(record), chair=chair,
        commissioners=members, undated_note=undated_note,
    )


def _is_member(label: str, meeting: Meeting) -> bool:
    return label.endswith("委員") and not (meeting.chair and label == meeting.chair.label)


def _decision_templates(record: Record) -> list[DecisionTemplate]:
    templates = []
    for d in sorted(record.decisions.values()):
        if d.disclosure is not Disclosure.PUBLIC:
            continue
        chunks = re.split(r"(?m)^(?=## )", d.body)
        preamble, sections = chunks[0].strip(), tuple(c.strip() for c in chunks[1:] if c.strip())
        templates.append(DecisionTemplate(d.id, d.kind, d.title, d.agencies, preamble, sections,
                                          d.meeting is not None))
    return templates


# -- one synthetic meeting ---------------------------------------------------------------------


@dataclass
class PlannedItem:
    template: ItemTemplate
    disclosure: Disclosure = Disclosure.PUBLIC
    publish_after: dt.date | None = None
    watched: bool = False  # a 監視・監督 item: placeholder section, always last


@dataclass
class PlannedMeeting:
    number: int
    date: dt.date | None
    items: list[PlannedItem]
    meta: dict = field(default_factory=dict)
    body: str = ""


class _Rewriter:
    """Replaces names and numbers in a section in one pass, so a replacement is never replaced again."""

    def __init__(self, names: dict[str, str], item_numbers: dict[int, int]):
        self.names = names
        self.item_numbers = item_numbers
        keys = sorted(names, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, keys))) if keys else None

    def __call__(self, text: str) -> str:
        if self.pattern is not None:
            text = self.pattern.sub(lambda m: self.names[m.group(0)], text)
        text = _ITEM_REFERENCE.sub(self._item, text)
        return _MATERIAL_REFERENCE.sub(self._material, text)

    def _renumber(self, digits: str) -> str | None:
        new = self.item_numbers.get(int(digits))  # int() reads full-width digits too
        return None if new is None else (str(new) if digits.isascii() else fullwidth(new))

    def _item(self, m: re.Match) -> str:
        new = self._renumber(m.group(1))
        return m.group(0) if new is None else f"議題{new}"

    def _material(self, m: re.Match) -> str:
        new = self._renumber(m.group(2))
        return m.group(0) if new is None else f"{m.group(1)}{new}"


class Synthesizer:
    """Makes the corpus. One instance per run: all randomness comes from its seeded generator."""

    def __init__(self, source: Templates, seed: int):
        self.src = source
        self.rng = random.Random(seed)
        self.registry = source.record.registry
        self.committee = self.registry.committee
        self.secretariat = self.committee.secretariat_name

    # -- planning: dates, items, disclosure ------------------------------------------------------

    def plan(self, count: int) -> list[PlannedMeeting]:
        rng = self.rng
        weekdays = [RANGE_START + dt.timedelta(days=i) for i in range((RANGE_END - RANGE_START).days + 1)]
        weekdays = [d for d in weekdays if d.weekday() < 5]
        dates = sorted(rng.sample(weekdays, count) if count <= len(weekdays) else rng.choices(weekdays, k=count))
        undated = round(count * UNDATED_PER_MEETING) or (1 if count >= 10 else 0)
        for i in rng.sample(range(1, count - 1), min(undated, max(count - 2, 0))):
            dates[i] = None
        meetings = []
        for number, day in enumerate(dates, start=1):
            k = rng.choices(_ITEM_COUNTS, _ITEM_WEIGHTS)[0]
            chosen = rng.sample(self.src.items, min(k, len(self.src.items)))
            chosen += rng.choices(self.src.items, k=k - len(chosen))
            meetings.append(PlannedMeeting(number, day, [PlannedItem(t) for t in chosen]))
        flat = [(m, item) for m in meetings for item in m.items]
        picked = rng.sample(range(len(flat)), round(len(flat) * (WITHHELD_SHARE + DEFERRED_SHARE)))
        withheld = set(picked[: round(len(flat) * WITHHELD_SHARE)])
        deferred = sorted(set(picked) - withheld)
        for i in sorted(withheld):
            meeting, item = flat[i]
            item.disclosure = Disclosure.WITHHELD
            if self.src.watched and rng.random() < 0.5:
                item.template, item.watched = rng.choice(self.src.watched), True
        for n, i in enumerate(deferred):
            meeting, item = flat[i]
            item.disclosure = Disclosure.DEFERRED
            item.publish_after = self._publish_after(meeting.date, past=n % 2 == 0)
        for m in meetings:  # 監視・監督 comes last, after everyone not concerned has left the room
            m.items.sort(key=lambda item: item.watched)
        return meetings

    def _publish_after(self, day: dt.date | None, past: bool) -> dt.date:
        """Before RANGE_END (already public) or years after it (still held back), never in between."""
        if past and day is not None and day <= RANGE_END - dt.timedelta(days=400):
            return day + dt.timedelta(days=self.rng.randint(30, 365))
        return RANGE_END + dt.timedelta(days=self.rng.randint(3 * 365, 6 * 365))

    # -- writing a meeting -----------------------------------------------------------------------

    def render_meeting(self, plan: PlannedMeeting) -> None:
        rng = self.rng
        day = plan.date
        members = list(self.src.commissioners)
        absent = rng.sample(members, rng.choice((0, 0, 0, 1, 1, 2))) if day else []
        present = [name for name in members if name not in absent]
        era = (day.year - RANGE_START.year) // 2 if day else 0
        director = f"{_SECRETARIAT_SURNAMES[(era + 3) % len(_SECRETARIAT_SURNAMES)]}総務課長"
        parts: list[Part] = [self._opening_secretary(director, absent)]
        chair_turn = Turn(self.src.chair, [_MEETING_REFERENCE.sub(f"第{plan.number}回", rng.choice(self.src.chair_openings)),
                                           self._item_count(len(plan.items))])
        parts.append(chair_turn)
        items_meta = []
        for k, planned in enumerate(plan.items, start=1):
            meta, section = self._item(plan, k, planned, present)
            items_meta.append(meta)
            self._lead_in(parts, k, meta, planned)
            parts.append(f"## 議題{k} {meta['title']}")
            parts.extend(section)
        parts += ["## 閉会", Turn(self.src.chair, list(rng.choice(self.src.closings)))]
        plan.meta = self._meeting_meta(plan, present, director, era, items_meta)
        plan.body = _render_parts(parts)

    def _opening_secretary(self, director: str, absent: list[str]) -> Turn:
        blocks = list(self.rng.choice(self.src.secretary_openings))
        if absent:
            labels = "、".join(f"{name}委員" for name in absent)
            blocks = [f"本日は、{labels}が御欠席です。" if "御出席" in b else b for b in blocks]
        return Turn(director, blocks)

    def _item_count(self, n: int) -> str:
        if self.rng.random() < 0.5 and n < len(_KANJI_COUNT):
            return f"本日の議題は{_KANJI_COUNT[n]}つございます。"
        return f"本日の議題は{fullwidth(n)}つです。"

    def _lead_in(self, parts: list[Part], k: int, meta: dict, planned: PlannedItem) -> None:
        """The chair's words that move the meeting to item k, on the chair's last turn or a new one."""
        chair = self.src.chair
        lines = [] if k == 1 else ["それでは、次の議題に移ります。"]
        if planned.watched:
            lines.append(f"{'次' if k > 1 else '本日'}の議題は監視・監督案件ですので、関係者以外の方は御退席をお願いします。")
        else:
            number, title = fullwidth(k), meta["title"]
            if meta.get("subjects"):
                lines.append(f"議題{number}「{title}」です。「{meta['subjects'][0]}」について、事務局から報告をお願いいたします。")
            else:
                about = "" if title.endswith("について") else "について"
                lines.append(self.rng.choice((
                    f"議題{number}「{title}」{about}、事務局から説明をお願いいたします。",
                    f"議題{number}「{title}」、事務局から説明をお願いいたします。",
                    f"議題{number}、「{title}」、事務局から説明をお願いします。",
                )))
        last = parts[-1]
        if isinstance(last, Turn) and last.label == chair:
            last.blocks.extend(lines)
        else:
            parts.append(Turn(chair, lines))

    def _item(self, plan: PlannedMeeting, k: int, planned: PlannedItem, present: list[str]) -> tuple[dict, list[Part]]:
        rng = self.rng
        t = planned.template
        item = t.item
        swaps = self._agency_swaps(item)
        names = self._agency_names(swaps)
        speaking = sorted({p.label for p in t.parts if isinstance(p, Turn) and p.label.endswith("委員")
                           and p.label != self.src.chair})
        others = [n for n in present if f"{n}委員" != self.src.chair]
        for label, new in zip(speaking, rng.sample(others, min(len(speaking), len(others))), strict=False):
            names[label] = f"{new}委員"
        rewrite = _Rewriter(names, {item.number: k})
        parts: list[Part] = [Turn(rewrite(p.label), [rewrite(b) for b in p.blocks]) if isinstance(p, Turn)
                             else rewrite(p) for p in t.parts]
        title = rewrite(item.title)
        meta = {
            "number": k,
            "title": title,
            "disclosure": planned.disclosure.value,
            "publish_after": planned.publish_after,
            "kind": item.kind,
            "outcome": "非公表" if planned.disclosure is Disclosure.WITHHELD else _maybe(rewrite, item.outcome),
        }
        if planned.disclosure is Disclosure.DEFERRED:
            meta["publication"], meta["reason"] = _DEFERRED_PUBLICATION, _DEFERRED_REASON
        elif item.publication:
            meta["publication"] = rewrite(item.publication)
        if planned.disclosure is Disclosure.WITHHELD:
            meta["reason"] = _maybe(rewrite, item.reason) or "監視・監督案件"
        if item.subjects:
            meta["subjects"] = [rewrite(s) for s in item.subjects]
        if item.agencies:
            meta["agencies"] = [swaps.get(a, a) for a in item.agencies]
        if item.materials:
            meta["materials"] = [{"label": rewrite(m.label), **({"title": rewrite(m.title)} if m.title else {})}
                                 for m in item.materials]
        if planned.watched:
            return meta, self._watched_section(plan, k, parts)
        if planned.disclosure is Disclosure.WITHHELD:
            return meta, self._withheld_section(plan, k, parts)
        self._thin(parts)
        self._splice(parts, item, rewrite)
        self._add_remark(parts, present)
        if rng.random() < 0.05:
            self._withhold_mid_speech(plan, k, parts)
        return meta, parts

    def _agency_swaps(self, item: AgendaItem) -> dict[str, str]:
        """Other agencies of the same kind in place of some of the item's (who files an evaluation varies more)."""
        agencies = self.registry.agencies
        taken = set(item.agencies)
        swaps = {}
        for old in item.agencies:
            kind = agencies[old].kind if old in agencies else None
            if kind is None or kind in _UNSWAPPED_KINDS or self.rng.random() < 0.4:
                continue
            kinds = _EVALUATOR_KINDS if item.kind == "全項目評価書" else (kind,)
            choices = [a for a in sorted(agencies) if agencies[a].kind in kinds and a not in taken]
            if choices:
                swaps[old] = self.rng.choice(choices)
                taken.add(swaps[old])
        return swaps

    def _agency_names(self, swaps: dict[str, str]) -> dict[str, str]:
        agencies = self.registry.agencies
        names = {}
        for old, new in swaps.items():
            a, b = agencies[old], agencies[new]
            names[a.name] = b.name
            for alias in a.aliases:  # 厚生労働大臣 → 総務大臣, or the name where the new one has no alias
                names[alias] = b.aliases[0] if b.aliases else b.name
        return names

    def _thin(self, parts: list[Part]) -> None:
        """Drop some middle paragraphs of long turns, keeping each turn's first and last two."""
        for p in parts:
            if isinstance(p, Turn) and len(p.blocks) > 5:
                middle = [b for b in p.blocks[1:-2] if b.startswith("（") or self.rng.random() < 0.75]
                p.blocks[1:-2] = middle

    def _splice(self, parts: list[Part], item: AgendaItem, rewrite: _Rewriter) -> None:
        """Now and then, a run of another same-kind item's explanation inside the secretariat's."""
        others = [t for t in self.src.items if t.item.kind == item.kind and t.item.key != item.key]
        target = next((p for p in parts if isinstance(p, Turn) and p.label == self.secretariat), None)
        if not others or target is None or len(target.blocks) < 3 or self.rng.random() >= 0.3:
            return
        donor = next((p for p in self.rng.choice(others).parts if isinstance(p, Turn) and p.label == self.secretariat), None)
        if donor is None or len(donor.blocks) < 4:
            return
        size = self.rng.randint(2, min(4, len(donor.blocks) - 2))
        start = self.rng.randint(1, len(donor.blocks) - size - 1)
        at = self.rng.randint(1, len(target.blocks) - 1)
        target.blocks[at:at] = [rewrite(b) for b in donor.blocks[start:start + size]]

    def _add_remark(self, parts: list[Part], present: list[str]) -> None:
        """Sometimes a further member speaks after the chair asks for questions, as in the record."""
        if not self.src.remarks or self.rng.random() >= 0.35:
            return
        for i, p in enumerate(parts):
            if not (isinstance(p, Turn) and p.label == self.src.chair):
                continue
            ask = next((j for j, b in enumerate(p.blocks) if "御質問、御意見" in b), None)
            if ask is None:
                continue
            speaking = {q.label for q in parts if isinstance(q, Turn)}
            free = [f"{n}委員" for n in present if f"{n}委員" not in speaking and f"{n}委員" != self.src.chair]
            if not free:
                return
            member = self.rng.choice(free)
            rest = p.blocks[ask + 1:]
            p.blocks[ask + 1:] = [f"{member}、お願いします。"]
            parts[i + 1:i + 1] = [Turn(member, list(self.rng.choice(self.src.remarks))),
                                  Turn(self.src.chair, ["ありがとうございます。", *rest])]
            return

    def _withheld_text(self, plan: PlannedMeeting, k: int, n: int) -> str:
        return f"{SENTINEL}{plan.number}x{k}x{n} 当該事案の関係者及び調査の経過について、具体的に御説明いたします。"

    def _withhold_mid_speech(self, plan: PlannedMeeting, k: int, parts: list[Part]) -> None:
        """A marked region between two paragraphs of one turn: the turn goes on after it."""
        long_turns = [p for p in parts if isinstance(p, Turn) and len(p.blocks) >= 3]
        if long_turns:
            turn = self.rng.choice(long_turns)
            at = self.rng.randint(1, len(turn.blocks) - 1)
            turn.blocks.insert(at, f"{OPEN}\n{self._withheld_text(plan, k, 1)}\n{CLOSE}")

    def _watched_section(self, plan: PlannedMeeting, k: int, parts: list[Part]) -> list[Part]:
        """A 監視・監督 item: the record's placeholder, or (half the time) the secretariat's account in a region."""
        if self.rng.random() < 0.5:
            return parts
        donor = self.rng.choice(self.src.items)
        account = next((p.blocks for p in donor.parts if isinstance(p, Turn) and p.label == self.secretariat), [])
        lines = [f"○{self.secretariat} {self._withheld_text(plan, k, 1)}", *account[1:4]]
        region = "\n\n".join((OPEN, *lines, CLOSE))
        return [region if p == PLACEHOLDER else p for p in parts]

    def _withheld_section(self, plan: PlannedMeeting, k: int, parts: list[Part]) -> list[Part]:
        """An item of any kind withheld whole: the placeholder, or its whole section in a region."""
        if self.rng.random() < 0.5:
            return [PLACEHOLDER]
        body = _render_parts(parts).strip().split("\n\n")
        body.insert(1, self._withheld_text(plan, k, 1))
        return ["\n\n".join((OPEN, *body, CLOSE))]

    def _meeting_meta(self, plan: PlannedMeeting, present: list[str], director: str, era: int, items: list) -> dict:
        rng = self.rng
        meta: dict = {"number": plan.number, "title": f"第{plan.number}回{self.committee.name}", "date": plan.date}
        if plan.date is None:
            meta.update(start_time=None, end_time=None, place=None, attendees=None)
        else:
            start = rng.choice((None, "10:00", "13:00", "14:00", "14:40", "15:00", "16:00"))
            end = None
            if start and rng.random() < 0.5:
                h, m = map(int, start.split(":"))
                minutes = h * 60 + m + rng.choice((45, 60, 75, 90, 120))
                end = f"{minutes // 60:02d}:{minutes % 60:02d}"
            names = _SECRETARIAT_SURNAMES
            secretariat = [f"{names[era % len(names)]}事務局長", f"{names[(era + 1) % len(names)]}事務局次長",
                           f"{names[(era + 2) % len(names)]}審議官", director,
                           *(f"{names[(era + i) % len(names)]}参事官" for i in range(4, 4 + rng.randint(1, 4)))]
            chair_name = self.src.chair.removesuffix("委員長")
            meta.update(
                start_time=start, end_time=end,
                place=rng.choice(("個人情報保護委員会 委員会室",) * 9 + (None,)),
                attendees={"commissioners": [self.src.chair, *(f"{n}委員" for n in present if n != chair_name)],
                           "secretariat": secretariat},
            )
        meta["chair"] = self.src.chair
        meta["sources"] = [{"title": f"第{plan.number}回{self.committee.name} 議事録", "url": None}]
        if plan.date is None and self.src.undated_note:
            meta["note"] = self.src.undated_note
        meta["agenda"] = items
        return meta

    # -- decisions -------------------------------------------------------------------------------

    def decisions(self, meetings: list[PlannedMeeting]) -> dict[str, str]:
        """About one decision per three meetings: most on an agenda item (linked both ways), a few on none."""
        rng = self.rng
        total = round(len(meetings) * DECISIONS_PER_MEETING)
        loose = [d for d in self.src.decisions if not d.linked]
        unlinked = round(total * 0.1) if loose else 0
        eligible = [(m, item) for m in meetings for item in m.meta["agenda"] if item["disclosure"] != "非公表"]
        files = {}
        for n, i in enumerate(sorted(rng.sample(range(len(eligible)), min(total - unlinked, len(eligible))))):
            meeting, item = eligible[i]
            decision_id, text = self._linked_decision(meeting, item, deferred=n % 7 == 3)
            item["decisions"] = [decision_id]
            files[f"decisions/{decision_id}.md"] = text
        for n in range(unlinked):
            decision_id, text = self._loose_decision(rng.choice(loose), n + 1)
            files[f"decisions/{decision_id}.md"] = text
        return files

    def _body(self, template: DecisionTemplate, plan: PlannedMeeting | None, k: int | None) -> str:
        sections = list(template.sections)
        if sections:
            keep = sorted(self.rng.sample(range(len(sections)), self.rng.randint(1, min(4, len(sections)))))
            sections = [sections[i] for i in keep]
        blocks = [b for b in (template.preamble, *sections) if b]
        if plan is not None and self.rng.random() < 0.1 and len(blocks) > 1:
            at = self.rng.randint(1, len(blocks) - 1)
            blocks.insert(at, f"{OPEN}\n{self._withheld_text(plan, k or 0, 2)}\n{CLOSE}")
        return "\n\n".join(blocks) + "\n"

    def _linked_decision(self, plan: PlannedMeeting, item: dict, deferred: bool) -> tuple[str, str]:
        kind, slug, title = _DECISION_KINDS.get(item.get("kind"), _DEFAULT_DECISION)
        source_item = plan.items[item["number"] - 1].template
        template = next((d for d in self.src.decisions if d.id == source_item.decision), None) \
            or self.rng.choice(self.src.decisions)
        day = plan.date
        decision_id = f"{day.isoformat() if day else 'undated'}-{slug}-{plan.number}-{item['number']}"
        base = item["subjects"][0] if item.get("subjects") else item["title"]
        base = base if kind == "対応方針" else base.removesuffix("について")
        meta = {
            "title": title.format(t=base), "kind": kind, "date": day,
            "meeting": plan.number, "agenda": item["number"], "agencies": list(item.get("agencies", [])),
            "disclosure": "後日公表" if deferred else "公開",
            "publish_after": self._publish_after(day, past=self.rng.random() < 0.5) if deferred else None,
        }
        if item.get("materials"):
            meta["material"] = item["materials"][-1]["label"]
        return decision_id, _front_matter(meta) + "\n" + self._body(template, plan, item["number"])

    def _loose_decision(self, template: DecisionTemplate, n: int) -> tuple[str, str]:
        """A document that no meeting received, like a 改善報告: another agency of the same kind in its title."""
        swaps = self._agency_swaps(AgendaItem(0, 0, template.title, agencies=template.agencies))
        rewrite = _Rewriter(self._agency_names(swaps), {})
        day = self.rng.choice((None, RANGE_START + dt.timedelta(days=self.rng.randint(0, (RANGE_END - RANGE_START).days))))
        decision_id = f"{template.id}-{n}"
        meta = {
            "title": rewrite(template.title), "kind": template.kind, "date": day, "meeting": None, "agenda": None,
            "agencies": [swaps.get(a, a) for a in template.agencies], "disclosure": "公開", "publish_after": None,
        }
        return decision_id, _front_matter(meta) + "\n" + rewrite(self._body(template, None, None))


def _maybe(rewrite: _Rewriter, text: str | None) -> str | None:
    return None if text is None else rewrite(text)


def _render_parts(parts: list[Part]) -> str:
    lines = []
    for p in parts:
        if isinstance(p, Turn):
            lines.append(f"○{p.label} {p.blocks[0]}")
            lines.extend(p.blocks[1:])
        else:
            lines.append(p)
    return "\n\n".join(lines) + "\n"


class _Dumper(yaml.SafeDumper):
    """Front matter as the real files write it: mappings in block style, lists of names in brackets."""


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = all(not isinstance(x, dict | list) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def _front_matter(meta: dict) -> str:
    text = yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=100_000)
    return f"---\n{text}---\n"


def synthesize(root: Path, meetings: int, seed: int = 0) -> Corpus:
    """A corpus of `meetings` meetings made from the real record under `root`; the same for the same seed."""
    if meetings < 1:
        raise ValueError("会議の数は 1 以上にしてください。")
    synth = Synthesizer(read_templates(root), seed)
    plans = synth.plan(meetings)
    for plan in plans:
        synth.render_meeting(plan)
    corpus = Corpus(meetings=len(plans))
    decisions = synth.decisions(plans)  # fills each linked item's `decisions` before the meetings are written
    for plan in plans:
        corpus.files[f"minutes/{plan.number}.md"] = _front_matter(plan.meta) + "\n" + plan.body
        for item in plan.meta["agenda"]:
            corpus.items += 1
            corpus.withheld += item["disclosure"] == Disclosure.WITHHELD.value
            corpus.deferred += item["disclosure"] == Disclosure.DEFERRED.value
    corpus.files.update(decisions)
    corpus.decisions = len(decisions)
    return corpus


def write_corpus(corpus: Corpus, out: Path) -> None:
    """Write the corpus under `out` (minutes/, decisions/), refusing to mix it with existing files."""
    for sub in ("minutes", "decisions"):
        existing = sorted((out / sub).glob("*.md")) if (out / sub).is_dir() else []
        if existing:
            raise FileExistsError(f"{out / sub} にすでにファイルがあります（{existing[0].name} など）。空のディレクトリを指定してください。")
    for path, text in corpus.files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for sub in ("minutes", "decisions"):
        (out / sub).mkdir(parents=True, exist_ok=True)

