"""Speaker labels: which line of the record starts a speech turn (○, 〇 or 【】), and whose.

Labels are resolved against the registries (docs/commissioners/, committee.yml) and the titles
that end a speaker label in most Japanese councils' minutes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..record.registry import Committee, Registry
from .read import Line, text_width

MARKS = "○〇◯"
_LABEL_CHARS = r"[^\s○〇◯「」『』、。，,．（）()【】]"
SPEECH_SPACED = re.compile(rf"^[{MARKS}](?P<label>{_LABEL_CHARS}{{1,24}}(?:[（(][^（）()\s]{{1,12}}[)）])?)"
                           r"(?P<sep>[^\S\t\n]+)(?P<text>.*)$")  # any space: a PDF may print U+00A0
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
    """The committee's titles (committee.yml) that end a speaker label, longest first."""
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
        # a printed full-width space is kept; any other (a no-break one …) is written as a space
        return TurnStart(m.group("label"), "\u3000" if m.group("sep")[0] == "\u3000" else " ", m.group("text"))
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


# A turn that a flattened text carries inside a line: a mark after a sentence end, a bracket or a
# space, then a speaker label and a space (…了承します。〇事務局 資料１に…).
INLINE_MARK = re.compile(rf"(?<=[。」』）)！？!?\s])[{MARKS}](?={_LABEL_CHARS})")
# A stage direction that ends a sentence of a flattened turn: …よろしいでしょうか。（異議なし）〇…
INLINE_STAGE = re.compile(rf"(?<=。)（[^（）]{{1,20}}）(?=[{MARKS}]|$)")


def split_flattened(lines: list[Line], registry: Registry) -> tuple[list[Line], int]:
    """Minutes whose turns were flattened into one line (〇佐藤会長 … 〇事務局 …), a turn a line.

    A line is cut before every mark that follows a sentence end and starts a known speaker's
    label and a space, and around a stage direction that stands between a sentence and such a
    turn; no character changes. Returns the lines and how many turns were cut out of lines.
    """
    out: list[Line] = []
    count = 0
    for line in lines:
        cuts = [m.start() for m in INLINE_MARK.finditer(line.text)
                if (t := SPEECH_SPACED.match(line.text[m.start():])) and is_speaker_label(t.group("label"), registry)]
        if not cuts:
            out.append(line)
            continue
        count += len(cuts)
        parts = [line.text[a:b] for a, b in zip([0, *cuts], [*cuts, len(line.text)], strict=True)]
        pieces: list[str] = []
        for part in parts:
            stage = INLINE_STAGE.search(part.rstrip(" \u3000"))
            pieces += [part[:stage.start()], stage.group(0)] if stage else [part]
        for i, piece in enumerate(p.strip(" \u3000") for p in pieces):
            if piece:
                out.append(Line(line.number, piece, line.indent if i == 0 else 0, False, text_width(piece),
                                line.hard_break if i == 0 else True))
    return out, count
