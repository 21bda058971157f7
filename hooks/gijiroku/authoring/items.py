"""Agenda items: where each starts (the chair's 議題N「…」) and what it came to (the record's
formulaic closings: outcome, publication, 非公表 and its reason)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..record.model import SpeakerKind
from ..record.registry import Registry
from ..record.text import fold
from ..record.wareki import parse_number
from .paragraphs import Block
from .read import Notice

ANNOUNCEMENT = re.compile(r"議[題事][ \u3000]*[（(]?(?P<n>[0-9０-９]+|[一二三四五六七八九十]+)[)）]?[ \u3000]*[、，,]?[ \u3000]*")
BARE_ANNOUNCEMENT = re.compile(r"^(?:について|に入ります|に移ります|の審議|を議題と)")
CLOSING = re.compile(r"本日の議[題事]は(?:以上|全て終了|すべて終了|終了)|以上で本日の|閉会(?:いた)?します|閉会といたします")
COUNT = re.compile(r"本日の議[題事]は(?P<n>[0-9０-９]+|[一二三四五六七八九十]+)(?:つ|件|点)")


def quoted(text: str, start: int) -> tuple[str, int] | None:
    """The text of the 「…」 that opens at `start` (nested brackets kept), and the index after it."""
    if text[start:start + 1] != "「":
        return None
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "「":
            depth += 1
        elif text[i] == "」":
            depth -= 1
            if depth == 0:
                return text[start + 1:i], i + 1
    return None


@dataclass
class Item:
    number: int
    title: str | None
    start: int  # index of its first block
    announced_at: int  # line of the announcement
    announcement: str = ""  # the paragraph that announced it
    subjects: list[str] = field(default_factory=list)


@dataclass
class Turn:
    index: int  # block index of the turn
    label: str
    paragraphs: list[tuple[int, str]]  # (block index, text)


def turns_of(blocks: list[Block]) -> list[Turn]:
    """The speech turns of the body, each with its own paragraphs."""
    turns: list[Turn] = []
    for i, b in enumerate(blocks):
        if b.kind == "turn":
            turns.append(Turn(i, b.label or "", [(i, b.text)]))
        elif b.kind == "para" and turns:
            turns[-1].paragraphs.append((i, b.text))
    return turns


def _back_over_stage(blocks: list[Block], index: int) -> int:
    while index > 0 and blocks[index - 1].kind == "stage":
        index -= 1
    return index


def find_items(blocks: list[Block], header_agenda: dict[int, str], notices: list[Notice]
               ) -> tuple[list[Item], int | None]:
    """Agenda items from the announcements (議題N「…」), and the block index where the closing starts.

    An item starts at the turn whose first sentence announces it, else at the turn after the
    announcement (the chair ends one item by announcing the next), and before stage directions
    that stand just before that turn.
    """
    turns = turns_of(blocks)
    items: list[Item] = []
    pending: Item | None = None
    for turn in turns:
        if pending is not None:
            pending.start = _back_over_stage(blocks, turn.index)
            items.append(pending)
            pending = None
        for p, (index, text) in enumerate(turn.paragraphs):
            for m in ANNOUNCEMENT.finditer(text):
                n = parse_number(m.group("n"))
                current = pending.number if pending else (items[-1].number if items else 0)
                if n is None or n <= current:
                    continue
                q = quoted(text, m.end())
                if q is None and not (n in header_agenda and BARE_ANNOUNCEMENT.match(text[m.end():])):
                    continue
                title = q[0] if q else None
                item = Item(n, title, turn.index, blocks[index].line, text)
                if n in header_agenda:
                    if title and title != header_agenda[n]:
                        notices.append(Notice(item.announced_at, f"議題{n}の題名が議事次第（「{header_agenda[n]}」）と"
                                                                 f"発言（「{title}」）で違います。議事次第のとおりにしました。"))
                    item.title = header_agenda[n]
                if q and title == "その他":
                    rest = text[q[1]:]
                    for s in re.finditer("「", rest):
                        inner = quoted(rest, s.start())
                        if inner and inner[0] not in item.subjects:
                            item.subjects.append(inner[0])
                if n != current + 1:
                    notices.append(Notice(item.announced_at, f"議題{current + 1}がないまま議題{n}が始まっています。"
                                                                "記録を確かめ、議題の番号を 1 からの連番にしてください。"))
                if p == 0 and "。" not in text[:m.start()]:  # the turn opens with the announcement
                    item.start = _back_over_stage(blocks, turn.index)
                    items.append(item)
                    pending = None
                else:
                    pending = item
    if pending is not None:
        notices.append(Notice(pending.announced_at, f"議題{pending.number}が告げられた後に発言がありません。"))
        pending.start = len(blocks)
        items.append(pending)
    closing = None
    if items:
        later = [turn for turn in turns if turn.index >= items[-1].start][1:]  # not the item's own first turn
        for turn in later:
            if CLOSING.search(turn.paragraphs[0][1]):
                closing = _back_over_stage(blocks, turn.index)
                break
    return items, closing


# ---------------------------------------------------------------------------------------------
# What each item came to

PROPOSAL = re.compile(r"^(?P<what>.*?)(?:したいと思いますが|することとしますが|することといたしますが|"
                      r"することとしてよろしいでしょうか|することでよろしいでしょうか|してよろしいでしょうか|"
                      r"としてよろしいでしょうか|することに御異議)")
OUTCOME_VERB = re.compile(r"決定|承認|了承|通知|報告|公表|採択|可決|答申|指導|勧告|回答|提出|送付|意見")
PUBLICATION = re.compile(r"^(?:また、)?本議題の(?P<what>[^。]*?(?:資料|議事録|議事概要)[^。]*?)(?:について|に)は、"
                         r"(?P<how>[^。]*?)(?:することとして|することで|として)よろしいでしょうか")
REASON = re.compile(r"議題は(?P<reason>[^。、]+?)(?:ですので|のため|につき|であるため)")
AGREED = re.compile(r"御?異議(?:が|は)?(?:ない|ございません|なし)|そのように(?:決定|承認|了承|取り扱|いた|し)|"
                    r"(?:決定|承認|了承|採択|可決|答申|通知|公表|送付|回答)(?:する)?(?:ことと|と)?いたします")
OBJECTION = re.compile(r"異議があり|異議がござい|反対(?:です|いたします|します)|改めてお諮り|次回(?:に)?(?:改めて|再度|継続)|"
                       r"持ち越|保留|修正の上")
REPORT = re.compile(r"報告をお願い|御報告いたします|報告いたします|御報告申し上げます")
MATERIAL = re.compile(r"資料[0-9０-９]+(?:[－\-‐−][0-9０-９]+)?")


@dataclass
class ItemFacts:
    disclosure: str = "公開"
    outcome: str | None = None
    publication: str | None = None
    reason: str | None = None
    kind: str | None = None
    agencies: list[str] = field(default_factory=list)
    materials: list[str] = field(default_factory=list)


def sentences(text: str) -> list[str]:
    """The text cut after each 。"""
    return [s for s in re.split(r"(?<=。)", text) if s]


def describe_item(item: Item, blocks: list[Block], end: int, registry: Registry, chair: str | None,
                  day) -> ItemFacts:
    """The item's outcome and publication from the record's formulaic closings; 非公表 if withheld."""
    facts = ItemFacts()
    own = blocks[item.start:end]
    deciders = set()
    for b in own:
        if b.kind == "turn" and b.label:
            found = registry.resolve(b.label, day)
            if b.label == chair or (not isinstance(found, str) and found.kind is SpeakerKind.COMMISSIONER):
                deciders.add(b.label)
    speaker = None
    said: list[tuple[str | None, str]] = []  # (speaker, sentence), in the record's order
    following = end
    while following < len(blocks) and blocks[following].kind == "stage":  # （異議なし） after the item's end
        following += 1
    for b in blocks[item.start:following]:
        if b.kind == "turn":
            speaker = b.label
        if b.kind in ("turn", "para", "stage"):
            said += [(speaker, sentence) for sentence in sentences(b.text)]
    for at, (speaker, sentence) in enumerate(said):
        if facts.publication is None and (m := PUBLICATION.search(sentence)):
            if _agreed(said[at + 1:]):
                facts.publication = f"{m.group('what')}は{m.group('how')}"
            continue
        if facts.outcome is None and speaker in deciders and (m := PROPOSAL.match(sentence)):
            what = m.group("what")
            if re.search("資料|議事録|議事概要", what):
                continue
            what = what[what.index("原案のとおり"):] if "原案のとおり" in what else what.rsplit("、", 1)[-1]
            if OUTCOME_VERB.search(what) and _agreed(said[at + 1:]):
                facts.outcome = what
    texts = [b.text for b in own if b.kind in ("turn", "para")]
    if facts.outcome is None and any(REPORT.search(t) for t in [item.announcement, *texts[:3]]):
        facts.outcome = "報告"
    if any(b.kind == "withheld" for b in own):
        facts.disclosure, facts.outcome = "非公表", "非公表"
        before = [b.text for b in blocks[max(0, item.start - 3):item.start] if b.kind in ("turn", "para")]
        for text in before + texts:
            if m := REASON.search(text):
                facts.reason = m.group("reason")
                break
    kinds = [k for k in registry.committee.agenda_kinds if item.title and k in item.title]
    if len(kinds) == 1:
        facts.kind = kinds[0]
    facts.agencies = mentioned_agencies([item.title or "", *item.subjects], registry)
    for text in texts:
        for m in MATERIAL.finditer(text):
            if m.group(0) not in facts.materials:
                facts.materials.append(m.group(0))
    return facts


def _agreed(after: list[tuple[str | None, str]]) -> bool:
    """Whether the record, after a proposal, says that it was agreed (御異議がないようですので、そのように
    決定いたします; 「異議なし」) before anyone objects or the proposal is put off: a proposal alone is
    no outcome (an objection and 修正の上、次回改めてお諮りする after it gave 原案のとおり決定, found
    by a clerk's attack)."""
    for _, sentence in after:
        if OBJECTION.search(sentence):
            return False
        if AGREED.search(sentence):
            return True
        if PROPOSAL.match(sentence) or PUBLICATION.search(sentence):  # the next proposal's agreement is its own
            return False
    return False


def mentioned_agencies(texts: list[str], registry: Registry) -> list[str]:
    """Registry agencies whose name or alias is printed in the texts, in order of appearance."""
    found: list[tuple[int, int, str]] = []
    for agency in registry.agencies.values():
        places = [(i, fold(t).find(fold(name))) for i, t in enumerate(texts) for name in agency.names if name]
        places = [p for p in places if p[1] >= 0]
        if places:
            found.append((*min(places), agency.id))
    return [aid for *_, aid in sorted(found)]
