"""A YAML syntax error, told in Japanese: which mistake it is, and the line it is on.

libyaml (and PyYAML's own scanner) say what the parser expected, in English and often on the
line after the mistake: `date:2023-05-31` is reported as "could not find expected ':'" at the
start of the next key, an unclosed quote as "found unexpected end of stream" at the end of the
front matter. `explain` looks at the lines the error spans and names the mistake a clerk made
(a tab, a full-width colon or space, no space after `:`, a `: ` inside a value, an unclosed
quote or bracket, a shifted indent), as a rule of the catalogue at the line where it is.
What it does not recognise stays G106 with the parser's words, translated where known.
"""

from __future__ import annotations

import json
import re

from .problems import Problem
from .rules import problem

_KEY = r"^[ \t\u3000]*(?:-[ \t\u3000]+)?(?P<key>[A-Za-z_][A-Za-z0-9_-]*)"
_NO_SPACE = re.compile(_KEY + r":(?P<value>[^\s].*)$")
_FULL_COLON = re.compile(_KEY + r"[ \t\u3000]*：")
_FULL_SPACE = re.compile(r"^[ \t]*\u3000|^[ \t\u3000]*(?:-[ \t\u3000]+)?[A-Za-z_][A-Za-z0-9_-]*:\u3000")
_VALUE = re.compile(_KEY + r": +(?P<value>.*)$")
_RESERVED = "@`%"

_PARSER_WORDS = (
    ("mapping values are not allowed", "この位置に「:」は置けません。インデントがずれているか、値に「:」が含まれています"),
    ("could not find expected ':'", "「項目: 値」の「:」が見つかりません"),
    ("found character '\\t'", "タブ文字が含まれています"),
    ("found a tab character", "タブ文字が含まれています"),
    ("did not find expected key", "項目の名前があるべき位置に別のものがあります。インデントを確かめてください"),
    ("did not find expected '-' indicator", "リストの「- 」の位置がずれています"),
    ("found unexpected end of stream", "引用符やかっこが閉じられていません"),
    ("found undefined alias", "「*」で始まる値は YAML の別名と解釈されます"),
    ("did not find expected comment or line break", "値の後や「|」「>」の後に、その行にあってはならない文字があります"),
    ("did not find expected <document start>", "「...」の行の後にも YAML が続いています。「...」の行を消してください"),
)


def parser_words(text: str) -> str:
    """PyYAML's (or libyaml's) wording of a syntax error, in Japanese where it is a common one."""
    for english, japanese in _PARSER_WORDS:
        if english in text:
            return japanese
    return text


def _short(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"


def explain(err, text: str, first_line: int, shown: str) -> Problem:
    """The problem a YAMLError `err` in front-matter `text` (which starts at `first_line`) stands for."""
    lines = text.split("\n")
    mark = getattr(err, "problem_mark", None)
    context = getattr(err, "context_mark", None)
    what = getattr(err, "problem", None) or str(err)
    where = getattr(err, "context", None) or ""
    end = min(mark.line, len(lines) - 1) if mark is not None else len(lines) - 1
    start = min(context.line, end) if context is not None else end

    def at(index: int, code: str, /, **values: object) -> Problem:
        return problem(code, shown, first_line + index, **values)

    if "escape" in what and mark is not None:  # "C:\docs" in double quotes
        escaped = lines[end][mark.column:mark.column + 2]  # libyaml marks the backslash, PyYAML the next
        return at(end, "G161", char=escaped[1:2] if escaped.startswith("\\") else escaped[:1])
    if "quoted scalar" in where and context is not None:  # the span runs to the end: look no further
        return at(start, "G151", quote=_char(lines, context) or '"')
    span = range(start, end + 1)
    for i in span:  # a tab, a full-width colon or space where the error lies is its cause
        if "\t" in lines[i]:
            return at(i, "G150")
    # a plain value runs on over the next line: `number： 1` and `number:1` are reported where it ends
    for i in range(max(start - 1, 0), end + 1):
        if m := _FULL_COLON.match(lines[i]):
            return at(i, "G158", key=m.group("key"))
        if _FULL_SPACE.match(lines[i]):
            return at(i, "G159")
        if i < end and (m := _NO_SPACE.match(lines[i])):
            return at(i, "G152", text=_short(lines[i]), key=m.group("key"), value=_short(m.group("value"), 20))
    if "expected ',' or ']'" in what or "expected ',' or '}'" in what:
        bracket = _char(lines, context) if context is not None else None
        bracket = bracket if bracket in ("[", "{") else ("[" if "']'" in what else "{")
        return at(start, "G155", bracket=bracket, close="]" if bracket == "[" else "}")
    if "could not find expected ':'" in what and (m := _NO_SPACE.match(lines[start])):
        return at(start, "G152", text=_short(lines[start]), key=m.group("key"), value=_short(m.group("value"), 20))
    char = _char(lines, mark)
    if mark is not None and char in ("]", "}"):
        return at(end, "G156", bracket=char)
    if mark is not None and ("expected key" in what or "expected <block end>" in what) and (
            rest := _after_quote(lines[end], mark.column)):
        return at(end, "G157", rest=_short(rest, 20))
    if "mapping values are not allowed" in what and mark is not None:
        m = _VALUE.match(lines[end])
        if m and m.end("key") < mark.column:
            value = m.group("value").strip()
            return at(end, "G153", key=m.group("key"), value=_short(value),
                      quoted=json.dumps(value, ensure_ascii=False) if len(value) <= 40 else '"…"')
        return at(end, "G154")
    if "cannot start any token" in what and char in tuple(_RESERVED):
        return at(end, "G160", char=char)
    if any(words in what for words in ("expected '-' indicator", "expected key", "expected <block end>")):
        return at(end, "G154")
    return at(end, "G106", what=parser_words(what))


def _char(lines: list[str], mark) -> str | None:
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return None
    return lines[mark.line][mark.column]


def _after_quote(line: str, column: int) -> str | None:
    """The text after a closing quote at `column` of `line` (`"abc"def`), or None."""
    before = line[:column].rstrip()
    if before.endswith(('"', "'")) and column < len(line):
        return line[column:].strip() or None
    return None
