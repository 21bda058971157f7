"""The real record, cut into the parts `gijiroku synth` recombines (synth/corpus.py).

read_templates reads the project's minutes/ and decisions/ (which must pass `gijiroku check`) and
keeps each public agenda item's section, the chair's and the secretariat's openings and closings,
commissioners' remarks and the sections of the real decisions; Rewriter puts other names and
numbers into a copied section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..record.loader import Record, load_record
from ..record.model import PLACEHOLDER, AgendaItem, Disclosure, Meeting, Paragraph, Speech, StageDirection

_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_TRANSITION = ("それでは、次の議題に移ります", "本日の議題は以上")
_CLOSING = "本日の議題は以上"
_ITEM_REFERENCE = re.compile(r"議題([０-９0-9]+)")
_MATERIAL_REFERENCE = re.compile(r"(資料)([０-９0-9]+)")
MEETING_REFERENCE = re.compile(r"第\d+回")


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
                        chair_openings.extend(b for b in part.blocks if MEETING_REFERENCE.search(b))
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


# -- parts put back together -------------------------------------------------------------------


class Rewriter:
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


def render_parts(parts: list[Part]) -> str:
    """Parts as lines of a meeting file's body, one paragraph a line, blank lines between."""
    lines = []
    for p in parts:
        if isinstance(p, Turn):
            lines.append(f"○{p.label} {p.blocks[0]}")
            lines.extend(p.blocks[1:])
        else:
            lines.append(p)
    return "\n\n".join(lines) + "\n"
