"""The record's lines rejoined: speech turns, paragraphs and stage directions (PDF line wraps
removed, no printed character changed)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..record.meeting import STAGE
from ..record.model import PLACEHOLDER
from ..record.registry import Registry
from ..record.turns import spaced_turn
from .read import INDENT, PAGE_NUMBER_LIKE, Line, Notice
from .speakers import TurnStart, is_speaker_label, parse_turn_start

TERMINATORS = "。」）』！？!?】．"
OPENERS, CLOSERS = "「『（(【［〔", "」』）)】］〕"
LIST_MARKER = re.compile(r"^(?:[・●■◆□◇※]|[①-⑳]|[（(][0-9０-９一二三四五六七八九十]+[)）]|[0-9０-９]+[.．)）])")


def bracket_depth(text: str, depth: int = 0) -> int:
    """How many brackets are open after `text`, starting from `depth` (a paragraph does not end inside 「…」)."""
    for ch in text:
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
    return depth


@dataclass
class Metrics:
    """What the whole text says about its layout."""

    width: float  # a full line, in full-width characters
    trailing_signal: bool  # trailing spaces mark paragraph ends (and only them)

    def short(self, line: Line) -> bool:
        """Whether the line stops before the full width (where a paragraph may end)."""
        return line.width <= self.width - 1


def measure(lines: list[Line]) -> Metrics:
    """The full line width (the most common among long lines) and whether trailing spaces mean anything."""
    widths = [round(line.width) for line in lines]
    if not widths:
        return Metrics(40, False)
    longest = max(widths)
    common = Counter(w for w in widths if w >= 0.75 * longest)
    width = max(common.items(), key=lambda kv: (kv[1], kv[0]))[0] if len(lines) >= 8 else longest
    trailing = sum(1 for line in lines if line.trailing)
    # A signal only when some lines have a trailing space and a good share have none: an extractor
    # that pads every line says nothing about paragraphs.
    return Metrics(width, trailing > 0 and len(lines) - trailing >= 0.2 * len(lines))


@dataclass
class Block:
    """One line of the meeting file's body."""

    kind: str  # turn | para | stage | withheld
    text: str
    line: int  # input line where it starts
    label: str | None = None  # turn
    sep: str = " "  # turn


def _is_stage(text: str) -> bool:
    return text == PLACEHOLDER or bool(STAGE.match(text))


def join_paragraphs(lines: list[Line], registry: Registry, metrics: Metrics,
                    notices: list[Notice] | None = None, turns: bool = True) -> list[Block]:
    """Rejoin the PDF's line wraps: speech turns, paragraphs and stage directions, characters unchanged.

    A new paragraph starts at an indent, at a speech mark, after a line that ends a sentence and
    has a trailing space (where the extraction marks paragraph ends that way), and after a line
    that ends a sentence without filling the width. A full line ending in 。 continues.
    `turns=False` (a summary, which has none) reads a line that starts with ○ as a paragraph.
    """
    blocks: list[Block] = []
    parts: list[str] = []  # the paragraph being read
    turn: Block | None = None  # the turn whose first paragraph is being read
    start = depth = 0
    prev: Line | None = None

    def flush() -> None:
        nonlocal parts, turn
        text = "".join(parts)
        if turn is not None:
            turn.text = text
        elif text:
            kind = "withheld" if text == PLACEHOLDER else "stage" if STAGE.match(text) else "para"
            blocks.append(Block(kind, text, start))
        parts, turn = [], None

    committee = registry.committee
    after_label = False  # the line before was 「○ 事務局」 alone: what follows is no part of its line
    for line in lines:
        found = parse_turn_start(line.text, committee) if turns else None
        if found and prev is not None and not _plausible_turn(found, prev, registry, metrics):
            found = None
        # 「○ 事務局 …」, a turn the checker refuses (G320): a paragraph of its own, kept as printed
        spaced = turns and not found and spaced_turn(line.text, None, registry)
        if found:
            flush()
            turn = Block("turn", "", line.number, found.label, found.sep)
            blocks.append(turn)
            first = found.text.strip(INDENT)
            parts = [first] if first else []
            depth = bracket_depth(first)
        elif prev is None or spaced or after_label or (parts and (_breaks(prev, line, parts, depth, metrics)
                                          or (not turns and _list_item(prev, line, depth))
                                          or PAGE_NUMBER_LIKE.match(line.text) or PAGE_NUMBER_LIKE.match(parts[-1]))):
            flush()
            start, parts, depth = line.number, [line.text], bracket_depth(line.text)
            if PAGE_NUMBER_LIKE.match(line.text) and notices is not None:
                notices.append(Notice(line.number, f"ページ番号のような行「{line.text}」を一つの段落として残しました。"
                                                   "ページ番号なら消し、文の一部なら前後の段落とつないでください。"))
        elif turn is not None and not parts and (rest := _label_wrapped(turn, line.text, registry)) is not None:
            parts = [rest] if rest else []  # 「○丹野委員」|「長 それでは…」: the label was wrapped, not the text
            depth = bracket_depth(rest)
        else:
            keep_space = bool(parts) and prev.trailing and (
                (metrics.trailing_signal and depth > 0)
                or (parts[-1][-1:].isascii() and parts[-1][-1:].isalnum()
                    and line.text[:1].isascii() and line.text[:1].isalnum()))
            parts.append((" " if keep_space else "") + line.text)
            depth = bracket_depth(line.text, depth)
        after_label = bool(spaced) and line.text.rstrip(INDENT).endswith(spaced[2])
        prev = line
    flush()
    return blocks


_LABEL_END = re.compile(r"^([^\s\u3000]{1,6})([ \u3000])(.*)$")


def _label_wrapped(turn: Block, text: str, registry: Registry) -> str | None:
    """The line's text after the end of the turn's label, when the PDF wrapped the label itself:
    「○丹野委員」 alone on its line, 「長 それでは…」 on the next made 「○丹野委員 長 それでは…」, a turn
    of a commissioner who was none that day (found by a clerk's attack). The label is completed
    (丹野委員長) only when the registry knows the whole and not the part; else None."""
    m = _LABEL_END.match(text)
    if not m or not isinstance(registry.resolve(turn.label, None), str):
        return None
    whole = turn.label + m.group(1)
    if isinstance(registry.resolve(whole, None), str):
        return None
    turn.label, turn.sep = whole, "\u3000" if m.group(2) == "\u3000" else " "
    return m.group(3).strip(INDENT)


def _plausible_turn(turn: TurnStart, prev: Line, registry: Registry, metrics: Metrics) -> bool:
    """A known speaker always starts a turn; another label only where the previous line ended a paragraph
    (so that a wrapped line beginning with 【参考】 or ○○ is not taken for a speaker)."""
    if is_speaker_label(turn.label, registry):
        return True
    return prev.text[-1:] in TERMINATORS or (metrics.trailing_signal and prev.trailing)


def _list_item(a: Line, b: Line, depth: int) -> bool:
    """In a summary, a bullet or a numbered line after a sentence's end starts a paragraph, even
    after a full line: its lines are lists (・…ではないか。 ・…すべきである。)."""
    return depth == 0 and a.text[-1:] in TERMINATORS and bool(LIST_MARKER.match(b.text))


def _breaks(a: Line, b: Line, parts: list[str], depth: int, m: Metrics) -> bool:
    """Whether line b starts a new paragraph after line a."""
    if b.hard_break or b.indent > 0:
        return True
    if _is_stage(b.text) and (a.text[-1:] in TERMINATORS or m.short(a)):
        return True
    if len(parts) == 1 and _is_stage(parts[0]):
        return True
    if m.trailing_signal and a.trailing:
        return a.text[-1:] in TERMINATORS and depth == 0
    return m.short(a) and (a.text[-1:] in TERMINATORS or bool(LIST_MARKER.match(b.text)))
