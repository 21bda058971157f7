"""Disclosure markers and values, read fail-closed.

`scan_body` is the one place that decides which source lines are withheld, in every body the
site publishes: minutes, decisions, registry profiles and hand-written pages under docs/. The
parsers use it to drop those lines; the verifier uses `withheld_passages` (built on the same
scan) to know what must appear in no published file.

A marker works only as a line of its own, written exactly as `OPEN` or `CLOSE`. Anything that
resembles one (full-width, entity-escaped, misspelt, missing its `!`, inline with other text,
in a front-matter value) is reported, and inside a body it is treated as the marker it
resembles, so that a region is never half-published while the mistake stands.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

from ..record.model import PLACEHOLDER, Disclosure
from ..record.problems import Problem
from ..record.rules import problem
from ..record.text import nfkc, without_code_spans

OPEN = "<!-- 非公表 -->"
CLOSE = "<!-- /非公表 -->"

_FENCE = re.compile(r"^\s*(```|~~~)")
_RAW_HTML = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*(?:\s|/?>)|/[A-Za-z]|!|\?)")
_COMMENT = re.compile(r"<!--")

# Words a person might write for a disclosure value, mapped to the value they meant.
_SYNONYMS = {
    "非公開": Disclosure.WITHHELD, "非開示": Disclosure.WITHHELD, "不開示": Disclosure.WITHHELD,
    "非公表": Disclosure.WITHHELD, "秘": Disclosure.WITHHELD, "withheld": Disclosure.WITHHELD,
    "private": Disclosure.WITHHELD, "secret": Disclosure.WITHHELD, "confidential": Disclosure.WITHHELD,
    "hidden": Disclosure.WITHHELD,
    "公開": Disclosure.PUBLIC, "公表": Disclosure.PUBLIC, "public": Disclosure.PUBLIC,
    "open": Disclosure.PUBLIC, "published": Disclosure.PUBLIC,
    "後日公表": Disclosure.DEFERRED, "後日公開": Disclosure.DEFERRED, "後日": Disclosure.DEFERRED,
    "deferred": Disclosure.DEFERRED, "later": Disclosure.DEFERRED, "embargo": Disclosure.DEFERRED,
    "embargoed": Disclosure.DEFERRED,
}
VALUES_HINT = "使える値は 公開・非公表・後日公表 です。"


def parse_disclosure(value: object) -> Disclosure | str:
    """The Disclosure for a front-matter value, or a hint for a value that is not one.

    The hint never proposes a value less safe than 非公表: a reader who follows it must not
    publish what was meant to be withheld, so 公表 is not answered with 公開.
    """
    if isinstance(value, str) and value in {d.value for d in Disclosure}:
        return Disclosure(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().lower().replace(" ", "")
    guess = _SYNONYMS.get(text)
    if guess is None:
        close = difflib.get_close_matches(text, list(_SYNONYMS), n=1, cutoff=0.4)
        guess = _SYNONYMS[close[0]] if close else None
    if guess is Disclosure.WITHHELD:
        return f"「非公表」の誤りではありませんか。{VALUES_HINT}"
    return f"{VALUES_HINT}公開してよいと確かめるまでは 非公表 にしてください。"


@dataclass(frozen=True)
class BodyLine:
    number: int  # 1-based line number in the file
    text: str
    withheld: bool  # inside a 非公表 region (the markers themselves count as withheld)
    marker: str | None = None  # "open" or "close" on a marker line
    lookalike: bool = False  # a line holding something like a marker: reported, and withheld whole


# --- look-alikes -------------------------------------------------------------------------------------

# Characters a marker's punctuation can be mistyped as, mapped to what they resemble.
_LOOKS = str.maketrans({
    **dict.fromkeys("〈《≪‹«⟨〈﹤˂ᐸ❮", "<"), **dict.fromkeys("〉》≫›»⟩〉﹥˃ᐳ❯", ">"),
    **dict.fromkeys("ǃ‼❗❕ⵑꜝ", "!"), **dict.fromkeys("⁄∕⧸᜵〳", "/"),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\u2501\u30fc\ufe58\ufe63"
                    "\u02d7\u2043\u2796", "-"),
})
_LOOKALIKE = re.compile("[" + "".join(re.escape(chr(c)) for c in _LOOKS) + "]")
_PUNCT = "<>!-/"
_WORD = re.compile(r"[^<>!\-/]+")
_STRONG = ("非公表", "非公開", "非開示", "不開示", "不公表", "公表", "公開", "開示")
_TARGETS = ["非公表", "非公開", "非開示"]
_ENGLISH = {k for k, v in _SYNONYMS.items() if v is Disclosure.WITHHELD and k.isascii()}


def fold_for_markers(text: str) -> str:
    """The text as a marker reader sees it: entities and percent escapes undone, NFKC, look-alike
    brackets, dashes and slashes mapped to ASCII, every space and invisible character removed."""
    # &amp;lt; and the like: undo escapes until nothing changes, however deep (each round that
    # changes the text shortens it, so this ends)
    while (undone := unquote(html.unescape(text))) != text:
        text = undone
    text = nfkc(text)  # only the runs NFKC can change (record/text.py): a third of the time of the whole line
    if _LOOKALIKE.search(text):  # ー in a katakana word, mostly; translate reads every character, slowly
        text = _LOOKALIKE.sub(_lookalike, text)
    # A printable text (no Other, no Separator but U+0020: str.isprintable) holds no space or
    # invisible character but the ASCII space, over every code point (a test checks it): most
    # lines of a record take this path, at C speed (the loop below was about a quarter of the
    # time a build spent reading its sources).
    if text.isprintable():
        return text.replace(" ", "")
    # every space separator (Zs) is isspace(); Cf adds the invisible ones (U+200B, U+2060 ...)
    return "".join(c for c in text if not (c.isspace() or unicodedata.category(c) == "Cf"))


def _lookalike(match: re.Match) -> str:
    return _LOOKS[ord(match.group())]


def _marker_word(word: str) -> bool:
    """Whether a word next to marker punctuation means (or misspells) 非公表.

    The word of a marker written inline runs on into the text beside it (`<!--非項表秘密`), so
    a misspelling is looked for at either end of the word, not only as the whole of it.
    """
    lowered = word.lower()
    if any(w in word for w in _STRONG) or any(lowered.startswith(e) or lowered.endswith(e) for e in _ENGLISH):
        return True
    ends = {piece for size in (2, 3, 4) for piece in (word[:size], word[-size:])}
    return any(difflib.get_close_matches(piece, _TARGETS, n=1, cutoff=0.6) for piece in ends)


def _runs(folded: str, start: int, end: int) -> tuple[str, str]:
    """The marker punctuation just before and just after folded[start:end], split so that two
    markers side by side (`…--><!--…`) each keep their own brackets."""
    i = start
    while i > 0 and folded[i - 1] in _PUNCT:
        i -= 1
    before = folded[i:start]
    if "<" in before:
        before = before[before.rindex("<"):]
    elif ">" in before:
        before = before[before.rindex(">") + 1:]
    j = end
    while j < len(folded) and folded[j] in _PUNCT:
        j += 1
    after = folded[end:j]
    if ">" in after:
        after = after[: after.index(">") + 1]
    elif "<" in after:
        after = after[: after.index("<")]
    return before, after


def find_markers(text: str, markdown: bool = False) -> tuple[list[str], bool]:
    """Every marker or look-alike in `text`, in order (OPEN or CLOSE for each), and whether the
    text holds anything besides them.

    In Markdown a code span that is exactly a marker (`` `<!-- 非公表 -->` ``) quotes it, as the
    staff guide does, and is no marker: Markdown shows it as literal text.
    """
    if markdown:
        text = without_code_spans(text, lambda content: content.strip() in (OPEN, CLOSE))
    folded = fold_for_markers(text)
    found: list[str] = []
    other = False
    for m in _WORD.finditer(folded):
        before, after = _runs(folded, m.start(), m.end())
        # A marker's signs: `!` or dashes, or the slash of `</…>`; and something that frames the
        # word: a bracket, `!-`, or two dashes on each side. Prose (`- 非公表の資料 -`,
        # `メンバー非公表`) has one sign at most, so it is never taken for a marker.
        marks = "!" in before or "-" in before or "-" in after or "/" in before
        bracketed = ("<" in before or ">" in after or ("!" in before and "-" in before)
                     or (before.count("-") >= 2 and after.count("-") >= 2))
        if marks and bracketed and _marker_word(m.group()):
            # a close's slash stands before its word (`</…>`, `<!-- /…`); one after the word is
            # the text's own (`<!-- 非公表 3/31まで -->`), and an open is the safer reading
            found.append(CLOSE if "/" in before else OPEN)
        else:
            other = True
    return found, other


# --- bodies --------------------------------------------------------------------------------------------

def scan_body(body: str, first_line: int, path: str, problems: list[Problem],
              markdown: bool = False, raw_html: bool = True) -> list[BodyLine]:
    """Classify every body line, reporting every marker mistake.

    Fail-closed: after an error the rest of the file is still scanned so every mistake is
    reported, and callers must not publish a file with problems. `markdown` says the body is
    Markdown (a decision, a profile, a page), where fenced code blocks exist and markers inside
    them are refused. `raw_html` refuses any HTML; without it (a hand-written page) only HTML
    comments are refused, because a comment is published in the page's source.
    """
    out: list[BodyLine] = []
    open_at: int | None = None
    guessed = False  # the open region was opened by a look-alike
    fence: str | None = None
    for offset, text in enumerate(body.split("\n")):
        number = first_line + offset
        if markdown and (m := _FENCE.match(text)):
            fence = None if fence == m.group(1) else (fence or m.group(1))
        if text in (OPEN, CLOSE):
            if fence:
                problems.append(problem("G409", path, number))
            elif text == OPEN:
                if open_at is not None:
                    problems.append(problem("G403", path, number, line=open_at))
                else:
                    open_at, guessed = number, False
            else:
                if open_at is None:
                    problems.append(problem("G402", path, number))
                open_at = None
            out.append(BodyLine(number, text, True, "open" if text == OPEN else "close"))
            continue
        found, other = find_markers(text, markdown)
        if found:
            problems.append(_lookalike_problem(path, number, text, found, other))
            # Treat a look-alike as the marker it resembles, and its whole line as withheld, so
            # that a region is never half-published while the mistake stands.
            for kind in found:
                if kind == OPEN and open_at is None:
                    open_at, guessed = number, True
                elif kind == CLOSE:
                    open_at = None
            out.append(BodyLine(number, text, True, lookalike=True))
            continue
        if not fence and (_RAW_HTML.search(text) if raw_html else _COMMENT.search(_unquoted(text))):
            problems.append(_html_problem(path, number, text, raw_html))
        out.append(BodyLine(number, text, open_at is not None))
    # A region opened by a look-alike is already reported on its line: one mistake, one message.
    if open_at is not None and not guessed:
        problems.append(problem("G401", path, open_at))
    return out


def _lookalike_problem(path: str, number: int, text: str, found: list[str], other: bool) -> Problem:
    shown = text.strip()
    if other:  # the line is not shown: its text is meant to be withheld, and messages reach CI logs
        return problem("G406", path, number)
    if shown in (OPEN, CLOSE):
        return problem("G405", path, number, marker=found[0])
    return problem("G404", path, number, text=shown, marker=found[0])


def _html_problem(path: str, number: int, text: str, raw_html: bool) -> Problem:
    if raw_html:
        return problem("G314", path, number, text=text.strip()[:40])
    return problem("G407", path, number, text=text.strip()[:40])


def _unquoted(text: str) -> str:
    """A Markdown line with its code spans (which Markdown shows as literal text) blanked out:
    a space, so that no `<!--` is formed across one (`<!`x`--` is no comment)."""
    return without_code_spans(text, replacement=" ")


def public_markdown(body: str, first_line: int, path: str, problems: list[Problem],
                    raw_html: bool = True) -> str:
    """A Markdown body with every withheld region replaced by the placeholder paragraph."""
    out: list[str] = []
    for line in scan_body(body, first_line, path, problems, markdown=True, raw_html=raw_html):
        if line.marker == "open":
            out.extend(["", PLACEHOLDER, ""])
        elif not line.withheld:
            out.append(line.text)
    return "\n".join(out).strip("\n") + "\n"


def marker_lines(body: str, first_line: int, path: str) -> set[int]:
    """The lines of a Markdown body that the disclosure scan owns: markers, look-alikes of them and
    withheld text (the markup checks leave them to it: one problem, one message)."""
    return {line.number for line in scan_body(body, first_line, path, [], markdown=True)
            if line.withheld or line.marker or find_markers(line.text, markdown=True)[0]}


def withheld_passages(lines: list[BodyLine]) -> list[tuple[int, str]]:
    """The text of every withheld line (line number, text), markers excluded."""
    return [(line.number, line.text) for line in lines if line.withheld and line.marker is None
            and line.text.strip()]


# --- front matter ----------------------------------------------------------------------------------


def front_matter_problems(meta: object, lines: dict[tuple, int], path: str) -> list[Problem]:
    """A marker or look-alike in any front-matter string (keys included) is an error: no value
    can be partly withheld, so the marker would be published as written."""
    problems: list[Problem] = []

    def line_of(key: tuple) -> int:
        while key and key not in lines:
            key = key[:-1]
        return lines[key] if key else 1  # the nearest enclosing key with a line; 1 when none has

    def walk(value: object, key: tuple) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(k, key + (k,))
                walk(v, key + (k,))
        elif isinstance(value, list | tuple):
            for i, v in enumerate(value):
                walk(v, key + (i,))
        elif isinstance(value, str) and find_markers(value)[0]:
            name = ".".join(str(k) for k in key)  # never empty: front matter is a mapping
            problems.append(problem("G145", path, line_of(key), name=name))

    walk(meta, ())
    return sorted(set(problems))
