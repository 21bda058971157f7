"""What must appear in no published file: the verifier's own reading of the sources.

This reading is independent of the parsers on purpose, and deliberately cruder: it must
withhold at least what they withhold, so that a parser bug that publishes a withheld line is
caught rather than agreed with. It honours no Markdown construct (no code fence, no comment,
no escape): every line of every source file the site publishes is read as plain text. Any
line holding something that resembles an open marker (`<!--`, `＜!--`, `&lt;!--`, with or
without `!`, dashes or spaces, full width, a misspelt 非公表, inline with other text) starts a
withheld region; only the close marker itself, alone on its line, ends it (a look-alike is text
to the parser, which keeps the region open); an unclosed region runs to the end of the file. The one exception is a marker written as inline code (`` `<!-- 非公表 -->` ``):
that is how the staff guide shows the syntax, and the parsers refuse such a line in minutes and
decisions (it is raw HTML there).

Deferred (後日公表) content comes from the parsed record, as the parsers are what date it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ..record.docs_files import MARKDOWN_SUFFIXES, walk_docs
from ..record.loader import Record
from ..record.model import PLACEHOLDER, Disclosure, Speech, Withheld
from ..record.problems import Problem
from ..record.rules import problem
from ..record.source import read_source
from ..record.text import squeeze

WINDOW = 10  # characters of a folded passage that count as evidence of a leak
STRIDE = 3  # so any leaked run of WINDOW + STRIDE - 1 = 12 characters contains a whole window
SHORTEST = 4  # a passage shorter than this, folded, is too short to tell apart from other text


@dataclass(frozen=True)
class Secret:
    """A passage that must appear in no output file, and where it comes from."""

    text: str
    path: str
    line: int
    why: str  # 非公表 | 後日公表（YYYY-MM-DD まで）


def published_sources(root: Path) -> list[Path]:
    """Every source file whose body the site publishes: minutes, decisions, registry profiles and
    every Markdown file under docs/ (profiles included), symlinked folders followed. A Markdown
    suffix counts in any case: MkDocs renders `.markdown` as a page, and copies `X.MD` as it is."""
    paths = sorted((root / "minutes").glob("*.md")) + sorted((root / "decisions").glob("*.md"))
    docs = root / "docs"
    for folder, _, names in sorted(walk_docs(docs)):  # a link out of docs/ is refused (G607), not walked
        paths.extend(Path(folder) / name for name in sorted(names) if name.lower().endswith(MARKDOWN_SUFFIXES))
    return paths


# -- the marker reading ------------------------------------------------------------------------

_BRACKETS = str.maketrans({
    "〈": "<", "《": "<", "≪": "<", "﹤": "<", "‹": "<", "«": "<", "ᐸ": "<", "⟨": "<", "⟪": "<", "❮": "<", "❬": "<",
    "〉": ">", "》": ">", "≫": ">", "﹥": ">", "›": ">", "»": ">", "ᐳ": ">", "⟩": ">", "⟫": ">", "❯": ">", "❭": ">",
    "ー": "-", "−": "-", "―": "-", "‐": "-", "‑": "-", "–": "-", "—": "-", "ｰ": "-", "─": "-", "～": "-",
    "〜": "-", "~": "-", "！": "!", "／": "/", "∕": "/", "⁄": "/",
})
_SPACE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069]+")
# A marker: a bracket, then `!` and dashes in any number, maybe a slash, then a word, then the
# close of the comment; or, with no closing bracket on the line, the bracket and the word alone.
_MARK = re.compile(
    r"<[!\-]*(?P<slash>/?)[!\-]*(?P<word>[^<>!\-/`]{1,16}?)[!\-/]*>"
    r"|<[!\-]*(?P<slash2>/?)[!\-]*(?P<word2>非公表|非公開|非開示|不開示|非公|秘密|秘)"
    r"|(?P<slash3>/?)(?P<word3>非公表|非公開|非開示|不開示)[!\-]*->"
)
# A line without any of these holds no marker: every character that folds (NFKC, _BRACKETS) to
# < or >, and the starts of entities and percent escapes.
_MAYBE = re.compile("[<>&%＜＞〈〉《》≪≫﹤﹥‹›«»ᐸᐳ⟨⟩⟪⟫❮❯❬❭\u2329\u232a\ufe3d-\ufe40]")
_CLOSE = "<!--/非公表-->"
_WORDS = ("非公表", "非公開", "非開示", "不開示")
_KEYS = ("非", "秘", "公表", "公開", "開示", "secret", "private", "withh", "hidden", "confid")


def _fold_line(text: str) -> str:
    """The line as a marker test reads it: entities and percent escapes undone until nothing
    changes, NFKC, brackets and dashes unified, every space and invisible character removed."""
    while "&" in text or "%" in text:  # each round that changes the text shortens it: it ends
        undone = unquote(html.unescape(text))
        if undone == text:
            break
        text = undone
    text = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    return _SPACE.sub("", text)


def _is_marker_word(word: str) -> bool:
    low = word.lower()
    return (any(k in low for k in _KEYS)
            or bool(difflib.get_close_matches(word, _WORDS, n=1, cutoff=0.4)))


def _markers(folded: str) -> list[tuple[int, int, bool]]:
    """(start, end, closes) of every marker-like span of a folded line, inline code aside."""
    out = []
    for m in _MARK.finditer(folded):
        word = m.group("word") or m.group("word2") or m.group("word3") or ""
        if not _is_marker_word(word):
            continue
        if m.start() > 0 and folded[m.start() - 1] == "`" and folded[m.end():m.end() + 1] == "`":
            continue  # inline code: the guide showing the syntax (see the module doc)
        closes = bool(m.group("slash") or m.group("slash2") or m.group("slash3"))
        out.append((m.start(), m.end(), closes))
    return out


def withheld_lines(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """(line number, text) of everything a file withholds, by the verifier's crude reading.

    A line inside a region is withheld whole; on a line with markers, the text after an open
    marker and before a close marker is (folded, markers cut out). Only `<!-- /非公表 -->`
    alone on its line ends a region.
    """
    out: list[tuple[int, str]] = []
    inside = False
    for offset, line in enumerate(text.split("\n")):
        number = first_line + offset
        folded = _fold_line(line) if _MAYBE.search(line) else ""
        marks = _markers(folded) if folded else []
        if not marks:
            if inside and line.strip():
                out.append((number, line))
            continue
        # Opening is generous, closing strict: only the close marker itself, alone on its line,
        # ends a region (any other close look-alike is text to the parser, which keeps the
        # region open, and check refuses it).
        ends = _SPACE.sub("", unicodedata.normalize("NFKC", line)) == _CLOSE
        at = 0
        for start, end, closes in marks:
            if inside and folded[at:start]:
                out.append((number, folded[at:start]))
            inside, at = (inside and not ends) if closes else True, end
        if inside and folded[at:]:
            out.append((number, folded[at:]))
    return out


def _strip_spans(folded: str, marks: list[tuple[int, int, bool]]) -> str:
    """The folded line with its marker spans cut out."""
    for start, end, _ in reversed(marks):
        folded = folded[:start] + folded[end:]
    return folded


# -- passages ----------------------------------------------------------------------------------

_TURN = re.compile(r"^\s*[○◯〇⚪](\S+)[\s\u3000]+(.*)$")
_BLOCK_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-+*]\s+|\d+[.)]\s+|!{3}\s*\w*\s*|\?{3}\+?\s*\w*\s*)+")
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_EMPHASIS = re.compile(r"\*\*|__|~~|[*`]")


def passages(text: str) -> list[str]:
    """The passages one withheld line stands for: its text without a turn's `○label`, and the
    cells, link texts and targets of a Markdown line apart, emphasis marks dropped."""
    if m := _TURN.match(text):
        text = m.group(2)
    text = _BLOCK_PREFIX.sub("", text)
    text = _LINK.sub(lambda m: f"|{m.group(1)}|{m.group(2)}|", text)
    parts = [_EMPHASIS.sub("", p).strip() for p in text.split("|")]
    return [p for p in parts if p and p != PLACEHOLDER]


def variants(text: str) -> set[str]:
    """The forms in which a passage can reach a page: as written, entities undone (a source may
    write &amp;), folded."""
    forms = {squeeze(text)}
    if "&" in text:
        forms.add(squeeze(html.unescape(text)))
    return {f for f in forms if f}


def file_passages(text: str) -> list[tuple[int, str]]:
    """(line number, passage) of everything a file withholds (`withheld_lines`, `passages`)."""
    return [(number, p) for number, line in withheld_lines(text) for p in passages(line)]


def source_secrets(root: Path, read: Callable[[str], list[tuple[int, str]]] | None = None) -> list[Secret]:
    """Every withheld passage of every published source file, with its file and line. `read` is
    `file_passages` or a memo of it (memo.Memo)."""
    read = read or file_passages
    secrets = []
    for path in published_sources(root):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # a broken link under docs/: MkDocs publishes nothing of it either
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        secrets.extend(Secret(p, shown, number, "非公表") for number, p in read(text))
    return secrets


def _evidence(values) -> list[str]:
    """An item's field values worth looking for: a short one (an outcome such as 非公表 or 報告)
    is a label, not evidence."""
    return [text for text in values if text and len(squeeze(text)) >= SHORTEST]


def collect_secrets(root: Path, record: Record, day: dt.date,
                    read: Callable[[str], list[tuple[int, str]]] | None = None) -> list[Secret]:
    """Everything the site must not contain on `day`, with its source file and line (`read`: see
    source_secrets)."""
    secrets = source_secrets(root, read)
    for meeting in record.meetings.values():
        for item in meeting.agenda:
            if item.disclosure is Disclosure.WITHHELD:  # what it concerns: only number, title, kind, reason are public
                dropped = (item.outcome, item.publication, *item.subjects, *(m.title for m in item.materials))
                secrets.extend(Secret(text, meeting.path, item.line, "非公表の議題の項目") for text in _evidence(dropped))
            if item.disclosure.is_published_on(item.publish_after, day):
                continue
            why = f"後日公表（{item.publish_after}）" if item.publish_after else "後日公表"
            for text in (item.reason, item.publication, *item.subjects):
                if text:
                    secrets.append(Secret(text, meeting.path, item.line, why))
            # its outcome and materials too (public.deferred_view drops them)
            secrets.extend(Secret(text, meeting.path, item.line, why)
                           for text in _evidence((item.outcome, *(m.title for m in item.materials))))
            for element in meeting.elements_of(item.number):
                blocks = element.blocks if isinstance(element, Speech) else (element.block,)
                secrets.extend(Secret(b.text, meeting.path, element.line, why) for b in blocks
                               if not isinstance(b, Withheld))
    held = {(m.number, i.number) for m in record.meetings.values() for i in m.agenda
            if not i.disclosure.is_published_on(i.publish_after, day)}
    for doc in record.decisions.values():
        if doc.disclosure is Disclosure.WITHHELD:
            why = "非公表"
        elif not doc.disclosure.is_published_on(doc.publish_after, day):
            why = f"後日公表（{doc.publish_after}）"
        elif (doc.meeting, doc.agenda) in held:
            why = "後日公表の議題の文書"
        else:
            continue
        secrets.append(Secret(doc.title, doc.path, 1, why))
        secrets.extend(Secret(text, doc.path, number, why) for number, text in _body_lines(root, doc.path))
    return secrets


def _body_lines(root: Path, rel: str) -> list[tuple[int, str]]:
    """(line, passage) of every body line of a withheld or deferred document, markers aside."""
    scratch: list = []
    source = read_source(root / rel, root, scratch)
    if source is None:
        return []
    out = []
    for offset, line in enumerate(source.body.split("\n")):
        folded = _fold_line(line) if _MAYBE.search(line) else ""
        marks = _markers(folded) if folded else []
        if marks:  # the text around the markers, markers cut out
            line = _strip_spans(folded, marks)
        out.extend((source.body_line + offset, p) for p in passages(line))
    return out


def too_short(secrets: list[Secret]) -> list[Problem]:
    """A warning for each withheld passage too short for the verifier to match (`SHORTEST`)."""
    out = []
    for s in secrets:
        length = len(squeeze(s.text))
        if length < SHORTEST:
            out.append(problem("G408", s.path, s.line, why=s.why, text=s.text.strip(), length=length,
                               shortest=SHORTEST))
    return out
