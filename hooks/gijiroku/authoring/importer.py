"""`gijiroku import`: the plain text of a published 議事録 (as copied out of its PDF) → a meeting file.

Stages, each testable on its own (download → parse → resolve names → convert, as in parlparse):

    decode_input       bytes → text (UTF-8, UTF-16 with BOM, Shift_JIS); refuses binary files
    read_lines         text → the PDF's lines: page-break artefacts removed, indent, trailing
                       space and printed width noted
    parse_header       lines before the first speech → 日時, 場所, 出席者, 議題 …
    join_paragraphs    lines of the record → speech turns, paragraphs, stage directions (PDF
                       line wraps removed; no printed character changed)
    find_items         turns → agenda items from the chair's announcements (議題N「…」), closing
    describe_item      an item's formulaic closing → outcome, publication, withheld, reason
    render_meeting     → YAML front matter and a body with one paragraph a line

What the record does not state stays null; nothing is invented. Everything the importer could
not settle is a warning (Japanese, with the input line) for the person who reviews the file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..record.model import PLACEHOLDER, SpeakerKind
from ..record.registry import Committee, Registry
from ..record.text import fold
from ..record.wareki import find_date, find_times, parse_number


class NotMinutes(Exception):
    """The input cannot be read as minutes; the message says why, in Japanese."""


@dataclass
class Notice:
    """Something the reviewer must look at: shown on standard error, never written into the file."""

    line: int | None  # 1-based line of the input, when there is one
    message: str

    def format(self) -> str:
        where = f"入力 {self.line} 行目: " if self.line else ""
        return f"警告: {where}{self.message}"


# ---------------------------------------------------------------------------------------------
# Input


def decode_input(raw: bytes) -> str:
    """Decode the bytes of a text file: UTF-8 (BOM or not), UTF-16 with a BOM, or Shift_JIS."""
    if not raw.strip():
        raise NotMinutes("入力が空です。PDF から写した議事録のテキストを渡してください。")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" in raw:
        raise NotMinutes("入力はテキストではなくバイナリファイルのようです。"
                         "PDF そのものではなく、PDF から写したテキストを .txt に保存して渡してください。")
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NotMinutes("入力の文字コードを読めません。UTF-8（または Shift_JIS）のテキストにしてください。")


# Characters YAML and the page cannot carry, and that no printed record contains.
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029\x0b]")
_INDENT = " \u3000\t"
# A page number printed between dashes (- 3 -, －３－) is layout, not the record's wording.
PAGE_NUMBER = re.compile(r"^[ \u3000]*[-－―‐][ \u3000]*[0-9０-９]{1,3}[ \u3000]*[-－―‐][ \u3000]*$")
# A line of digits alone may be a bare page number, or the end of a sentence: kept, and flagged.
DIGITS_ONLY = re.compile(r"^[0-9０-９]{1,3}$")


@dataclass
class Line:
    """One line of the PDF as extracted."""

    number: int  # 1-based line of the input
    text: str  # without indent and trailing whitespace
    indent: int  # leading spaces, after removing the page-break artefact
    trailing: bool  # had trailing whitespace
    width: float  # printed width in full-width characters, indent included
    hard_break: bool = False  # blank line(s) before it that mean a break, not PDF spacing


def char_width(ch: str) -> float:
    """Printed width in full-width characters. A space counts as full: extraction turns the
    record's full-width spaces (after a speaker label, inside titles) into ASCII ones."""
    return 1.0 if ch == " " or unicodedata.east_asian_width(ch) in ("F", "W", "A") else 0.5


def text_width(text: str) -> float:
    return sum(char_width(ch) for ch in text)


def read_lines(text: str) -> list[Line]:
    """The PDF's lines, with the artefacts of its extraction accounted for.

    Text extracted from these PDFs puts a blank line after every line ("double-spaced"). Where a
    page ends, two lines are separated by a single newline instead, and the new page's first line
    carries one extra leading space: that space is removed here so that it is not taken for a
    paragraph indent. In single-spaced input a blank line is a paragraph break, and a form feed
    starts a page.
    """
    text = _NOT_PRINTABLE.sub("", _LINE_BREAKS.sub("\n", text))
    raw = text.split("\n")
    nonblank = [i for i, s in enumerate(raw) if s.strip(_INDENT + "\f")]
    followed_by_blank = sum(1 for i in nonblank if i + 1 < len(raw) and not raw[i + 1].strip(_INDENT + "\f"))
    double = len(nonblank) >= 4 and followed_by_blank >= 0.6 * len(nonblank)
    lines: list[Line] = []
    blanks = 0
    page_start = True
    for number, s in enumerate(raw, start=1):
        if "\f" in s:
            s = s.replace("\f", "")
            page_start = True
        if PAGE_NUMBER.match(s):
            continue
        if not s.strip(_INDENT):
            blanks += 1
            continue
        if double and (page_start or (blanks == 0 and lines)) and s.startswith(" "):
            s = s[1:]  # the page-break artefact
        stripped = s.lstrip(_INDENT)
        indent = len(s) - len(stripped)
        body = stripped.rstrip(_INDENT)
        hard = bool(lines) and (blanks >= 2 if double else blanks >= 1)
        lines.append(Line(number, body, indent, len(body) < len(stripped),
                          indent + text_width(body), hard))
        blanks = 0
        page_start = False
    return lines


# ---------------------------------------------------------------------------------------------
# Speech turns

MARKS = "○〇◯"
_LABEL_CHARS = r"[^\s○〇◯「」『』、。，,．（）()【】]"
SPEECH_SPACED = re.compile(rf"^[{MARKS}](?P<label>{_LABEL_CHARS}{{1,24}}(?:[（(][^（）()\s]{{1,12}}[)）])?)"
                           r"(?P<sep>[ \u3000]+)(?P<text>.*)$")
SPEECH_BARE = re.compile(rf"^[{MARKS}](?P<label>{_LABEL_CHARS}{{1,24}})$")
SPEECH_BRACKET = re.compile(r"^【(?P<label>[^】\s]{1,24})】[ \u3000]*(?P<text>.*)$")
SPEECH_JOINED = re.compile(rf"^[{MARKS}](?P<rest>{_LABEL_CHARS}.*)$")


@dataclass(frozen=True)
class TurnStart:
    label: str
    sep: str  # what separated label and text in the record (a space, or " " when it was 【】)
    text: str  # the rest of the line


# Titles that end a speaker label in the minutes of most Japanese councils and committees, besides
# those of committee.yml: they tell a speech turn (○山田座長) from a bullet or a heading (【参考】).
COMMON_TITLES = ("委員長", "委員", "会長", "副会長", "座長", "議長", "部会長", "分科会長", "構成員", "事務局", "参考人",
                 "説明員", "大臣", "副大臣", "政務官", "局長", "部長", "課長", "室長", "審議官", "参事官", "理事", "幹事",
                 "司会", "オブザーバー", "専門委員", "臨時委員", "長官", "次長")


def titles_of(committee: Committee) -> list[str]:
    return sorted({*committee.commissioner_titles, *committee.secretariat_titles, committee.secretariat_name},
                  key=len, reverse=True)


def is_speaker_label(label: str, registry: Registry) -> bool:
    """Whether a label names a speaker: a registry person or role, or ends with a usual title."""
    return not isinstance(registry.resolve(label, None), str) or _has_title(label, registry.committee)


def parse_turn_start(text: str, committee: Committee) -> TurnStart | None:
    """The speaker label of a line that starts a speech turn (○, 〇 or 【】), or None."""
    if m := SPEECH_BRACKET.match(text):
        return TurnStart(m.group("label"), " ", m.group("text"))
    if m := SPEECH_SPACED.match(text):
        return TurnStart(m.group("label"), m.group("sep")[0], m.group("text"))
    bare = SPEECH_BARE.match(text)
    if bare and _has_title(bare.group("label"), committee):
        return TurnStart(bare.group("label"), " ", "")
    if m := SPEECH_JOINED.match(text):
        # No space after the label: the label is the longest prefix that ends with a known title.
        rest = m.group("rest")
        best = 0
        for title in titles_of(committee):
            for end in range(len(title), min(len(rest), 24) + 1):
                if rest[:end].endswith(title) and re.fullmatch(f"{_LABEL_CHARS}+", rest[:end]):
                    best = max(best, end)
        if best and best < len(rest):
            return TurnStart(rest[:best], " ", rest[best:])
    if bare:
        return TurnStart(bare.group("label"), " ", "")
    return None


def _has_title(label: str, committee: Committee) -> bool:
    core = re.sub(r"[（(][^（）()]*[)）]$", "", label)
    return any(core.endswith(t) for t in (*titles_of(committee), *COMMON_TITLES))


# ---------------------------------------------------------------------------------------------
# Header

_SP = r"[ \u3000]*"


def _spaced(word: str) -> str:
    return _SP.join(re.escape(ch) for ch in word)


HEADER_LABELS = {
    "date": ("開催日時", "日時", "開催日", "日付"),
    "place": ("開催場所", "場所", "会場"),
    "attendees": ("出席者", "出席委員", "出席"),
    "commissioners": ("委員", "構成員"),
    "secretariat": ("事務局出席者", "事務局"),
    "absent": ("欠席者", "欠席委員", "欠席"),
    "agenda": ("議事次第", "議題", "議事", "次第"),
    "other": ("配布資料", "配付資料", "説明者", "出席説明者", "陪席者", "オブザーバー", "傍聴者"),
}
_LABEL_TO_FIELD = {label: name for name, labels in HEADER_LABELS.items() for label in labels}
_LABEL_ALT = "|".join(_spaced(w) for w in sorted(_LABEL_TO_FIELD, key=len, reverse=True))
HEADER_LINE = re.compile(
    rf"^(?:[0-9０-９一二三四五六七八九十]+{_SP}[.．、)）]?{_SP}|[（(][0-9０-９一二三四五六七八九十]+[)）]{_SP}"
    rf"|[◇◆■□●◎・]+{_SP})?[【\[［]?(?P<label>{_LABEL_ALT})[】\]］]?(?:{_SP}[：:]{_SP}|[ \u3000]+|$)(?P<rest>.*)$")
AGENDA_ENTRY = re.compile(
    rf"^(?:議[題事]{_SP})?(?:[（(](?P<a>[0-9０-９一二三四五六七八九十]+)[)）]|(?P<b>[0-9０-９]+){_SP}[.．、)）]|"
    rf"(?P<c>[①-⑳])|(?P<d>[0-9０-９]+)(?=[ \u3000]))[ \u3000]*(?P<title>\S.*)$")
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}
MEETING_NUMBER = re.compile(r"第[ \u3000]*(?P<n>[0-9０-９]+|[〇一二三四五六七八九十百千]+)[ \u3000]*回")


@dataclass
class Header:
    date: dt.date | None = None
    start_time: str | None = None
    end_time: str | None = None
    place: str | None = None
    commissioners: list[str] | None = None
    secretariat: list[str] | None = None
    agenda: dict[int, str] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)  # every header line, for title and number
    found: set[str] = field(default_factory=set)


def _field_values(lines: list[Line]) -> list[tuple[str, str, Line, list[Line]]]:
    """(field, label, label line, value lines) for every labelled field of the header."""
    fields: list[tuple[str, str, Line, list[Line]]] = []
    for line in lines:
        m = HEADER_LINE.match(line.text)
        if m:
            label = re.sub(r"[ \u3000]", "", m.group("label"))
            rest = m.group("rest").strip(_INDENT)
            value = [Line(line.number, rest, 0, line.trailing, text_width(rest))] if rest else []
            fields.append((_LABEL_TO_FIELD[label], label, line, value))
        elif fields and not re.match(r"^[―─━\-=＝＊*]{3,}$", line.text):
            fields[-1][3].append(line)
    return fields


def _split_names(text: str) -> list[str]:
    parts = re.split(r"[、，,\n\u3000]|[ ]{2,}", text)
    return [p.strip(" ") for p in parts if p.strip(" ")]


GROUP = re.compile(r"^(?:[（(【［\[](?P<a>[^）)】］\]]{1,10})[）)】］\]][：:]?|(?P<b>[^：:、]{1,10})[：:])(?P<rest>.*)$")


def parse_attendees(text: str, default: str, registry: Registry, day, notices: list[Notice], line: int
                    ) -> tuple[list[str], list[str]]:
    """Split printed attendee labels into (commissioners, secretariat), by the registries."""
    committee = registry.committee
    commissioners: list[str] = []
    secretariat: list[str] = []
    group = default
    for token in _split_names(text):
        if m := GROUP.match(token):
            word = m.group("a") or m.group("b")
            if word in HEADER_LABELS["commissioners"] or word in HEADER_LABELS["attendees"]:
                group = "commissioners"
            elif word in HEADER_LABELS["secretariat"] or word == committee.secretariat_name:
                group = "secretariat"
            else:
                group = "other"
            token = m.group("rest").strip()
            if not token:
                continue
        if " " in token and not isinstance(registry.resolve(token.replace(" ", ""), day), str):
            token = token.replace(" ", "")
        found = registry.resolve(token, day)
        if isinstance(found, str):
            notices.append(Notice(line, f"出席者「{token}」を名簿で確認できません（{found}）。表記のまま残しました。"
                                           "委員なら docs/commissioners/ に登録し、事務局の役職なら committee.yml の "
                                           "secretariat_titles に加えてください。"))
            is_commissioner = group == "commissioners" or (
                group != "secretariat" and any(token.endswith(t) for t in committee.commissioner_titles))
        else:
            is_commissioner = found.kind is SpeakerKind.COMMISSIONER
        (commissioners if is_commissioner else secretariat).append(token)
    return commissioners, secretariat


def parse_header(lines: list[Line], registry: Registry, notices: list[Notice]) -> Header:
    """The facts the header states: date and times, place, attendees, the printed agenda list."""
    header = Header(lines=lines)
    fields = _field_values(lines)
    for name, _label, label_line, values in fields:
        joined = "".join(v.text for v in values)
        if name == "date" and "date" not in header.found:
            header.found.add("date")
            _read_date(header, joined, label_line.number, notices)
        elif name == "place" and "place" not in header.found:
            header.found.add("place")
            header.place = joined or None
        elif name == "agenda" and not header.agenda:
            for v in values:
                if m := AGENDA_ENTRY.match(v.text):
                    n = parse_number(m.group("a") or m.group("b") or m.group("d") or "") \
                        if not m.group("c") else _CIRCLED[m.group("c")]
                    title = m.group("title").strip(_INDENT)
                    if n and n not in header.agenda:
                        header.agenda[n] = title
    if "date" not in header.found:
        for line in lines:
            found = find_date(line.text)
            if found is not None:
                header.found.add("date")
                _read_date(header, line.text, line.number, notices)
                break
    day = header.date
    people = [(name, values, label_line) for name, _, label_line, values in fields
              if name in ("attendees", "commissioners", "secretariat")]
    if people:
        header.found.add("attendees")
        header.commissioners, header.secretariat = [], []
        for name, values, label_line in people:
            text = "\n".join(v.text for v in values)
            default = "secretariat" if name == "secretariat" else ("commissioners" if name == "commissioners" else "auto")
            c, s = parse_attendees(text, default, registry, day, notices, label_line.number)
            header.commissioners += c
            header.secretariat += s
    return header


def _read_date(header: Header, text: str, line: int, notices: list[Notice]) -> None:
    found = find_date(text)
    if found is None:
        notices.append(Notice(line, f"日時「{text}」から日付を読めません。date は null にしました。"))
        return
    if found.date is None:
        notices.append(Notice(line, f"日付を読めません: {found.error}。date は null にしました。"))
    header.date = found.date
    header.start_time, header.end_time = find_times(text[found.end:])
    if header.start_time is None:
        notices.append(Notice(line, "開始時刻が見つかりません。start_time は null にしました。"))


# ---------------------------------------------------------------------------------------------
# Paragraphs

TERMINATORS = "。」）』！？!?】．"
OPENERS, CLOSERS = "「『（(【［〔", "」』）)】］〕"
LIST_MARKER = re.compile(r"^(?:[・●■◆□◇※]|[①-⑳]|[（(][0-9０-９一二三四五六七八九十]+[)）]|[0-9０-９]+[.．)）])")
STAGE = re.compile(r"^（[^（）]+）$")


def bracket_depth(text: str, depth: int = 0) -> int:
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
        return line.width <= self.width - 1


def measure(lines: list[Line]) -> Metrics:
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
                    notices: list[Notice] | None = None) -> list[Block]:
    """Rejoin the PDF's line wraps: speech turns, paragraphs and stage directions, characters unchanged.

    A new paragraph starts at an indent, at a speech mark, after a line that ends a sentence and
    has a trailing space (where the extraction marks paragraph ends that way), and after a line
    that ends a sentence without filling the width. A full line ending in 。 continues.
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
    for line in lines:
        found = parse_turn_start(line.text, committee)
        if found and prev is not None and not _plausible_turn(found, prev, registry, metrics):
            found = None
        if found:
            flush()
            turn = Block("turn", "", line.number, found.label, found.sep)
            blocks.append(turn)
            first = found.text.strip(_INDENT)
            parts = [first] if first else []
            depth = bracket_depth(first)
        elif prev is None or (parts and (_breaks(prev, line, parts, depth, metrics)
                                          or DIGITS_ONLY.match(line.text) or DIGITS_ONLY.match(parts[-1]))):
            flush()
            start, parts, depth = line.number, [line.text], bracket_depth(line.text)
            if DIGITS_ONLY.match(line.text) and notices is not None:
                notices.append(Notice(line.number, f"数字だけの行「{line.text}」を一つの段落として残しました。"
                                                   "ページ番号なら消し、文の一部なら前後の段落とつないでください。"))
        else:
            keep_space = bool(parts) and prev.trailing and (
                (metrics.trailing_signal and depth > 0)
                or (parts[-1][-1:].isascii() and parts[-1][-1:].isalnum()
                    and line.text[:1].isascii() and line.text[:1].isalnum()))
            parts.append((" " if keep_space else "") + line.text)
            depth = bracket_depth(line.text, depth)
        prev = line
    flush()
    return blocks


def _plausible_turn(turn: TurnStart, prev: Line, registry: Registry, metrics: Metrics) -> bool:
    """A known speaker always starts a turn; another label only where the previous line ended a paragraph
    (so that a wrapped line beginning with 【参考】 or ○○ is not taken for a speaker)."""
    if is_speaker_label(turn.label, registry):
        return True
    return prev.text[-1:] in TERMINATORS or (metrics.trailing_signal and prev.trailing)


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


# ---------------------------------------------------------------------------------------------
# Agenda items

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


def _sentences(text: str) -> list[str]:
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
    for b in own:
        if b.kind == "turn":
            speaker = b.label
        if b.kind not in ("turn", "para"):
            continue
        for sentence in _sentences(b.text):
            if facts.publication is None and (m := PUBLICATION.search(sentence)):
                facts.publication = f"{m.group('what')}は{m.group('how')}"
                continue
            if facts.outcome is None and speaker in deciders and (m := PROPOSAL.match(sentence)):
                what = m.group("what")
                if re.search("資料|議事録|議事概要", what):
                    continue
                what = what[what.index("原案のとおり"):] if "原案のとおり" in what else what.rsplit("、", 1)[-1]
                if OUTCOME_VERB.search(what):
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


def mentioned_agencies(texts: list[str], registry: Registry) -> list[str]:
    """Registry agencies whose name or alias is printed in the texts, in order of appearance."""
    found: list[tuple[int, int, str]] = []
    for agency in registry.agencies.values():
        places = [(i, fold(t).find(fold(name))) for i, t in enumerate(texts) for name in agency.names if name]
        places = [p for p in places if p[1] >= 0]
        if places:
            found.append((*min(places), agency.id))
    return [aid for *_, aid in sorted(found)]


# ---------------------------------------------------------------------------------------------
# The whole conversion


@dataclass
class ImportResult:
    text: str  # the meeting file
    number: int | None
    notices: list[Notice]


def _number_and_title(header_lines: list[Line], blocks: list[Block], committee: Committee
                      ) -> tuple[int | None, str | None]:
    """第N回 and the meeting's printed name: from the header's title line, else the chair's 開会,
    else the first sentence that names the committee (第N回個人情報保護委員会)."""
    name = committee.name
    sources = [(line.text, True) for line in header_lines if not HEADER_LINE.match(line.text)]
    sources += [(s, True) for b in blocks[:8] if b.kind in ("turn", "para") for s in _sentences(b.text) if re.search("開会|開催", s)]
    sources += [(s, False) for b in blocks if b.kind in ("turn", "para") for s in _sentences(b.text) if name in s]
    for text, may_print in sources:
        for m in MEETING_NUMBER.finditer(text):
            n = parse_number(m.group("n"))
            if not n:
                continue
            after = text[m.end():].lstrip(" \u3000")
            if after.startswith(name):
                return n, m.group(0) + name
            printed = re.match(r"[^\s、。「」『』（）()]+?(?=議事録|議事要旨|議事概要|を開会|を開催|[\s（(、。]|$)", after)
            if may_print and printed:
                return n, m.group(0) + printed.group(0)
    return None, None


def import_minutes(text: str, registry: Registry, number: int | None = None) -> ImportResult:
    """Convert the extracted text of one 議事録 into a meeting file. Raises NotMinutes."""
    committee = registry.committee
    notices: list[Notice] = []
    lines = read_lines(text)
    if not lines:
        raise NotMinutes("入力が空です。PDF から写した議事録のテキストを渡してください。")
    starts = [(i, t) for i, line in enumerate(lines) if (t := parse_turn_start(line.text, committee))]
    known = [i for i, t in starts if is_speaker_label(t.label, registry)]
    if not known:
        raise NotMinutes("議事録として読めません: 発言（「○発言者 発言」または「【発言者】発言」で始まる行）が"
                         "一つも見つかりません。PDF から写した議事録のテキストか確かめてください。")
    # The record starts at the first speech turn; a turn with an unusual label counts when no
    # header field comes between it and the first recognised one.
    last_field = max((i for i in range(known[0]) if HEADER_LINE.match(lines[i].text)), default=-1)
    first = min([i for i, _ in starts if last_field < i < known[0]] + [known[0]])
    header = parse_header(lines[:first], registry, notices)
    body = lines[first:]
    blocks = join_paragraphs(body, registry, measure(body), notices)
    items, closing = find_items(blocks, header.agenda, notices)
    found_number, title = _number_and_title(header.lines, blocks, committee)
    if number is None:
        number = found_number
        if number is None:
            notices.append(Notice(None, "会議の回次（第N回）が見つかりません。number は null にしました。"
                                           "--number で指定するか、ファイルに number を書いてください。"))
    elif found_number is not None and found_number != number:
        notices.append(Notice(None, f"記録では第{found_number}回ですが、指定どおり number: {number} にしました。"))
        title = None
    day = header.date
    for name, where in (("date", "日時"), ("place", "場所"), ("attendees", "出席者")):
        if name not in header.found:
            notices.append(Notice(None, f"{where}が記録に見つかりません。{name} は null にしました。"))
    chair = _find_chair(blocks, registry, day)
    for b in blocks:
        if b.kind == "turn":
            found = registry.resolve(b.label or "", day)
            if isinstance(found, str):
                notices.append(Notice(b.line, f"発言者を名簿で確認できません: {found}。"))
            elif (found.kind is SpeakerKind.COMMISSIONER and header.commissioners is not None
                  and b.label not in header.commissioners):
                notices.append(Notice(b.line, f"発言者「{b.label}」が出席者にいません。"))
    if (count := _announced_count(blocks)) and count != len(items):
        notices.append(Notice(None, f"記録では議題は{count}件ですが、{len(items)}件の議題を見つけました。"
                                     "議題の見出しを確かめてください。"))
    if not items:
        notices.append(Notice(None, "議題（議題N「…」）が見つかりません。agenda と本文の見出しを書き足してください。"))
    for item in items:
        if item.title is None:
            notices.append(Notice(item.announced_at, f"議題{item.number}の題名が見つかりません。title を書いてください。"))
    ends = [item.start for item in items[1:]] + [closing if closing is not None else len(blocks)] if items else []
    facts = [describe_item(item, blocks, end, registry, chair, day) for item, end in zip(items, ends, strict=True)]
    meta = _front_matter(number, title, header, chair, items, facts, first == 0)
    text = render_meeting(meta, blocks, items, closing)
    return ImportResult(text, number, notices)


HANDOVER = re.compile(r"進行(?:は|につきましては|を)、?(?P<label>[^、。「」\s]+?)(?:に|へ)お願い")


def _find_chair(blocks: list[Block], registry: Registry, day) -> str | None:
    """Who chairs: the commissioner who opens the meeting (開会, 開催), else the one the
    secretariat hands the proceedings to (以後の進行は…委員長にお願いいたします)."""
    def commissioner(label: str) -> bool:
        found = registry.resolve(label, day)
        return not isinstance(found, str) and found.kind is SpeakerKind.COMMISSIONER

    opening = blocks[:12]
    for b in opening:
        if b.kind == "turn" and re.search("開会|開催", b.text) and commissioner(b.label or ""):
            return b.label
    for b in opening:
        if b.kind in ("turn", "para") and (m := HANDOVER.search(b.text)) and commissioner(m.group("label")):
            return m.group("label")
    return None


def _announced_count(blocks: list[Block]) -> int | None:
    for b in blocks[:12]:
        if b.kind in ("turn", "para") and (m := COUNT.search(b.text)):
            return parse_number(m.group("n"))
    return None


def _front_matter(number, title, header: Header, chair, items: list[Item], facts: list[ItemFacts],
                  starts_with_speech: bool) -> dict:
    missing = [where for name, where in (("date", "日時"), ("place", "場所"), ("attendees", "出席者"))
               if name not in header.found]
    note = None
    if missing:
        lead = "元にした議事録のテキストは最初の発言から始まっており、" if starts_with_speech else "元にした議事録のテキストに"
        note = f"{lead}{'・'.join(missing)}の記載がありません。そのため、{'これら' if len(missing) > 1 else 'これ'}は不明としています。"
    meta: dict = {"number": number}
    if title:
        meta["title"] = title
    meta |= {
        "date": header.date, "start_time": header.start_time, "end_time": header.end_time, "place": header.place,
        "attendees": None if header.commissioners is None else
        {"commissioners": header.commissioners, "secretariat": header.secretariat},
        "chair": chair,
    }
    if title:
        meta["sources"] = [{"title": f"{title} 議事録", "url": None}]
    if note:
        meta["note"] = note
    agenda = []
    for item, f in zip(items, facts, strict=True):
        entry: dict = {"number": item.number, "title": item.title}
        if item.subjects:
            entry["subjects"] = item.subjects
        entry |= {"disclosure": f.disclosure, "publish_after": None}
        if f.kind:
            entry["kind"] = f.kind
        entry["outcome"] = f.outcome
        for key in ("publication", "reason"):
            if getattr(f, key):
                entry[key] = getattr(f, key)
        if f.agencies:
            entry["agencies"] = f.agencies
        if f.materials:
            entry["materials"] = [{"label": label} for label in f.materials]
        agenda.append(entry)
    meta["agenda"] = agenda
    return meta


# ---------------------------------------------------------------------------------------------
# Output

_PLAIN_UNSAFE_START = set("-?:,[]{}#&*!|>'\"%@`！＃")


def yaml_scalar(value, flow: bool = False) -> str:
    """A YAML scalar that reads back as exactly `value` (strings double-quoted where needed)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _plain_ok(text, flow):
        return text
    return json.dumps(text, ensure_ascii=False)


def _plain_ok(text: str, flow: bool) -> bool:
    from ..record.source import load_yaml

    if not text or text != text.strip() or text[0] in _PLAIN_UNSAFE_START or ": " in text or " #" in text:
        return False
    if text.endswith(":") or any(ch in text for ch in "\t\n\\"):
        return False
    if flow and any(ch in text for ch in ",[]{}"):
        return False
    problems: list = []
    loaded, _ = load_yaml(f"k: [{text}]" if flow else f"k: {text}", 1, "", problems)
    return not problems and loaded == {"k": [text] if flow else text}


def _flow_list(values: list[str]) -> str:
    return "[" + ", ".join(yaml_scalar(v, flow=True) for v in values) + "]"


def render_front_matter(meta: dict) -> str:
    out = ["---"]
    for key, value in meta.items():
        if key in ("start_time", "end_time") and value is not None:
            out.append(f'{key}: "{value}"')
        elif key == "attendees" and value is not None:
            out.append("attendees:")
            for group in ("commissioners", "secretariat"):
                out.append(f"  {group}: {_flow_list(value[group])}")
        elif key == "sources":
            out.append("sources:")
            for s in value:
                out.append(f"  - title: {yaml_scalar(s['title'])}")
                out.append(f"    url: {yaml_scalar(s['url'])}")
        elif key == "agenda":
            out.append("agenda: []" if not value else "agenda:")
            for entry in value:
                first = True
                for k, v in entry.items():
                    lead = "  - " if first else "    "
                    first = False
                    if k == "materials":
                        out.append(f"{lead}materials:")
                        out.extend(f"      - label: {yaml_scalar(m['label'])}" for m in v)
                    elif isinstance(v, list):
                        out.append(f"{lead}{k}: {_flow_list(v)}")
                    else:
                        out.append(f"{lead}{k}: {yaml_scalar(v)}")
        else:
            out.append(f"{key}: {yaml_scalar(value)}")
    out.append("---")
    return "\n".join(out) + "\n"


def render_meeting(meta: dict, blocks: list[Block], items: list[Item], closing: int | None) -> str:
    """The meeting file: front matter, then the record one paragraph a line with 議題 and 閉会 headings."""
    headings: dict[int, list[str]] = {}
    for item in items:
        heading = f"## 議題{item.number} {item.title}" if item.title else f"## 議題{item.number}"
        headings.setdefault(item.start, []).append(heading)
    if closing is not None:
        headings.setdefault(closing, []).append("## 閉会")
    body: list[str] = []
    for i, b in enumerate(blocks):
        body.extend(headings.get(i, []))
        body.append(f"○{b.label}{b.sep}{b.text}" if b.kind == "turn" else b.text)
    body.extend(headings.get(len(blocks), []))
    return render_front_matter(meta) + "\n" + "\n\n".join(body) + "\n"


def read_input(path: str, stdin=None) -> str:
    """The text of the input file ("-" for standard input); NotMinutes with a message when unreadable."""
    if path == "-":
        if stdin is None:
            import sys

            stdin = sys.stdin.buffer
        return decode_input(stdin.read())
    p = Path(path)
    if p.is_dir():
        raise NotMinutes(f"「{path}」はフォルダです。議事録のテキストファイルを指定してください。")
    if not p.exists():
        raise NotMinutes(f"ファイル「{path}」が見つかりません。パスを確かめてください。")
    try:
        raw = p.read_bytes()
    except OSError as err:
        raise NotMinutes(f"ファイル「{path}」を読めません（{err.strerror}）。") from None
    return decode_input(raw)
