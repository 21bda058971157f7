"""What a text is (議事録, 議事概要 or 議事要旨), and a summary's items and paragraphs.

A summary (議事概要, 議事要旨) has the header of minutes (日時, 場所, 出席者, 議事 …) and then, under a
label such as `５．議事概要` or `◇議事要旨`, a few paragraphs per agenda item, each item opened by
its number as the header lists it (`（１）…`, `1.…`, `①…`); it has no speech turns. Its kind is
the word its title prints; nothing is invented: a text that names neither is read as minutes
only when it has speech turns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..record.model import MINUTES, RECORD_KINDS
from ..record.registry import Registry
from ..record.wareki import NUM, parse_number
from .header import _CIRCLED, AGENDA_ENTRY, HEADER_LABELS, HEADER_LINE, Header, parse_header
from .items import Item, ItemFacts
from .paragraphs import Block, join_paragraphs, measure
from .read import INDENT, Line, Notice

KIND_WORD = re.compile("|".join(RECORD_KINDS))
SUMMARY_LABELS = frozenset(HEADER_LABELS["summary"])
FACT_LABELS = frozenset(w for key in ("date", "place", "attendees", "commissioners", "agenda")
                        for w in HEADER_LABELS[key])
END_MARK = re.compile(r"^[（(]?[ \u3000]*以[ \u3000]*上[ \u3000]*[)）]?$")  # the document's last line
# What a summary states an item came to, in its own words: the outcome is the verb it prints.
OUTCOME = re.compile(r"(?P<what>(?:原案のとおり)?(?:了承|決定|承認|採択|可決))"
                     r"(?:され|し(?!ない)|することと(?:なっ|され)|が行われ)")
# An item's line that repeats its number after the list's: （１）議題１：…
REPEATED_NUMBER = re.compile(rf"^議[題事][ \u3000]*(?P<n>{NUM})[ \u3000]*[：:．.、]?[ \u3000]*")


def _label(line: Line) -> str | None:
    m = HEADER_LINE.match(line.text)
    return re.sub(r"[ \u3000]", "", m.group("label")) if m else None


def title_lines(lines: list[Line], first_turn: int | None) -> list[Line]:
    """The lines above the header's first field (and the first turn): the document's title."""
    end = min(i for i in (first_turn, len(lines)) if i is not None)
    out = []
    for line in lines[:min(end, 6)]:
        if _label(line) is not None:
            break
        out.append(line)
    return out


def record_kind(lines: list[Line], first_turn: int | None) -> str | None:
    """議事録, 議事概要 or 議事要旨 as the title prints it; else 議事録 when there are speech turns,
    else the word of the label where a summary's text begins (概要 alone is a 議事概要); else None."""
    for line in title_lines(lines, first_turn):
        if m := KIND_WORD.search(line.text):
            return m.group(0)
    if first_turn is not None:
        return MINUTES
    start = summary_start(lines)
    if start is not None and start > 0:
        label = _label(lines[start - 1]) or ""
        return label if label in RECORD_KINDS else ("議事要旨" if "要旨" in label else "議事概要")
    return None


def summary_start(lines: list[Line]) -> int | None:
    """Index of the first line of a summary's own text: after the label (議事概要, ◇議事要旨, ５ 概要)
    that follows at least one fact of the header (a title that reads 議事概要 is no label)."""
    seen_fact = False
    for i, line in enumerate(lines):
        label = _label(line)
        if label in FACT_LABELS:
            seen_fact = True
        elif label in SUMMARY_LABELS and seen_fact:
            return i + 1
    return None


def agenda_with_text(lines: list[Line]) -> int | None:
    """Where a summary without a label of its own begins: at the agenda (４．議事), when its items
    are followed by text (（１）…について / 事務局から説明があり…) rather than listed alone."""
    for i, line in enumerate(lines):
        if _label(line) in HEADER_LABELS["agenda"]:
            following = []
            for later in lines[i + 1:]:
                if _label(later) is not None:
                    break
                following.append(later)
            if any(AGENDA_ENTRY.match(x.text) for x in following) and any(
                    not AGENDA_ENTRY.match(x.text) for x in following):
                return i + 1
    return None


@dataclass
class Summary:
    header: Header
    blocks: list[Block]
    items: list[Item]
    header_lines: list[Line]


def _item_number(text: str) -> tuple[int, str, str] | None:
    """(number, printed title, style) of a line that opens an item: （１）…, 1.…, ①…, 1 …"""
    m = AGENDA_ENTRY.match(text)
    if not m:
        return None
    n = _CIRCLED[m.group("c")] if m.group("c") else parse_number(m.group("a") or m.group("b") or m.group("d") or "")
    style = next(g for g in "abcd" if m.group(g))
    title = m.group("title").strip(INDENT)
    if (again := REPEATED_NUMBER.match(title)) and parse_number(again.group("n")) == n and title[again.end():]:
        title = title[again.end():]
    return (n, title, style) if n else None


def parse_summary(lines: list[Line], registry: Registry, notices: list[Notice]) -> Summary | None:
    """The header, then the summary's paragraphs and its items (opened by 1, 2, 3 … in order).
    The text begins after its label (議事概要, ◇議事要旨 …), else at an agenda whose items have
    text under them. None when the text has no place where a summary's own text begins."""
    start = summary_start(lines) or agenda_with_text(lines)
    if start is None:
        return None
    header = parse_header(lines[:start - 1], registry, notices)
    body = list(lines[start:])
    label_line = lines[start - 1]
    rest = HEADER_LINE.match(label_line.text).group("rest").strip(INDENT)  # type: ignore[union-attr]
    if rest:  # text on the label's own line (概要：事務局から…)
        body.insert(0, Line(label_line.number, rest, 0, label_line.trailing, len(rest)))
    while body and END_MARK.match(body[-1].text):
        body.pop()
    # Cut the body where each item opens: its number in order, on a line of its own.
    # Items are numbered alike ((1), (2) …): a list inside an item (1. 2. under (1)) opens none.
    cuts: list[tuple[int, int, str, Line]] = []  # (body index, number, printed title, line)
    style = None
    for i, line in enumerate(body):
        found = _item_number(line.text)
        if (found and found[0] == len(cuts) + 1 and style in (None, found[2])
                and (not header.agenda or found[0] in header.agenda)):
            cuts.append((i, found[0], found[1], line))
            style = found[2]
    metrics = measure(lines)  # the page's full width: a summary's own text is often too short to tell
    blocks: list[Block] = []
    items: list[Item] = []
    bounds = [c[0] for c in cuts] + [len(body)]
    chunks = [(None, body[:bounds[0]])] + [(c, body[c[0] + 1:end]) for c, end in zip(cuts, bounds[1:], strict=True)]
    for cut, chunk in chunks:
        if cut is not None:
            _, n, printed, line = cut
            title = header.agenda.get(n) or printed
            if header.agenda.get(n) and printed != title:
                notices.append(Notice(line.number, f"議題{n}の題名が議事次第（「{title}」）と概要（「{printed}」）で"
                                                   "違います。議事次第のとおりにしました。"))
            items.append(Item(n, title, len(blocks), line.number))
        blocks += join_paragraphs(chunk, registry, metrics, notices, turns=False)
    for n, title in sorted(header.agenda.items()):
        if n not in {item.number for item in items}:
            notices.append(Notice(None, f"議題{n}「{title}」の概要が見つかりません。本文に見出しと段落を書き足してください。"))
    return Summary(header, blocks, items, lines[:start - 1])


def summary_outcome(facts: ItemFacts, blocks: list[Block]) -> None:
    """The outcome a summary states in its own words (了承された → 了承), when minutes' rules found none."""
    if facts.outcome is not None:
        return
    for b in blocks:
        if b.kind == "para" and (m := OUTCOME.search(b.text)):
            facts.outcome = m.group("what")
            return
