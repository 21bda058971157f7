"""Problems found in source files: what is wrong, where, and how to fix it; and the `Rule`
that each is made from (the table of rules is `record/rules.py`).

Every reader in this package reports problems instead of raising, so that one run of
`gijiroku check` lists all of them. Messages are Japanese, for the Commission's staff.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one source file."""

    path: str
    line: int | None
    message: str
    hint: str = ""
    # the rule's code (record/rules.py); not printed, and not part of equality or order, so that
    # a problem is the same problem whether or not it was made from the catalogue
    code: str = field(default="", compare=False)

    def __repr__(self) -> str:
        return f"Problem({self.where()})"

    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def format(self) -> str:
        """Two lines for a terminal: where and what, then how to fix it."""
        text = f"{printable(self.where())}: {printable(self.message)}"
        if self.hint:
            text += f"\n    対処: {printable(self.hint)}"
        return text

    def format_github(self) -> str:
        """A GitHub Actions workflow command, shown as an annotation on the pull request."""
        location = f"file={printable(self.path)}"
        if self.line:
            location += f",line={self.line}"
        text = printable(self.message) + (f" 対処: {printable(self.hint)}" if self.hint else "")
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error {location}::{text}"


# Characters no record needs and that can hide or disguise text: C0 and C1 controls other than
# tab and line feed (CR is refused on its own, with the advice that fits it), the line and
# paragraph separators (YAML and JavaScript count them as line breaks, so lines would shift), and
# the bidirectional controls that can make text read differently from what it is (Trojan Source,
# CVE-2021-42574): embeddings, overrides, isolates and the invisible direction marks; and the
# characters that print nothing, which made ○青木\u200b委員長 a speaker other than 青木委員長 that
# reads the same (zero-width space, joiners, word joiner and invisible operators, the BOM inside a
# text, soft hyphen, combining grapheme joiner, the Hangul fillers, Mongolian vowel separator, Khmer
# inherent vowels and the tag characters; not the variation selectors, which choose a kanji's form).
# A source that holds one is refused (source.FORBIDDEN_CHARS).
HIDING_CHARS = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200d\u2060-\u2064\u3164\ufeff\uffa0\U000e0000-\U000e007f")
# What a message does not print as it is: those, and tab, line feed and CR. A file's name or a
# link's target is printed in a terminal and in CI logs, where an ESC could colour, move or hide
# text and a line break could forge a line of the report.
_UNPRINTABLE = re.compile(f"[\t\n\r{HIDING_CHARS}]")
_CHAR_NAMES = {
    "\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL", "\x0b": "垂直タブ", "\x0c": "改ページ",
    "\u2028": "行区切り LINE SEPARATOR", "\u2029": "段落区切り PARAGRAPH SEPARATOR",
}


def describe_char(char: str) -> str:
    """`U+202E（RIGHT-TO-LEFT OVERRIDE）`: how a message names an invisible character."""
    name = _CHAR_NAMES.get(char) or unicodedata.name(char, "") or "制御文字"
    return f"U+{ord(char):04X}（{name}）"


def printable(text: str) -> str:
    """`text` with each character of _UNPRINTABLE named by its code point: U+001B（ESC）."""
    return _UNPRINTABLE.sub(lambda m: describe_char(m.group()), text)


def _sort_key(problem: Problem) -> tuple:
    return (problem.path, problem.line or 0, problem.message)


def format_problems(problems: list[Problem]) -> str:
    lines = [p.format() for p in sorted(problems, key=_sort_key)]
    lines.append(f"{len(problems)} 件のエラーがあります。")
    return "\n".join(lines)


# -- the rules that make problems (their table is record/rules.py) -------------------------------

TOPICS = {
    "1": "ファイルと front matter",
    "2": "議題と見出し",
    "3": "発言と本文",
    "4": "非公表の範囲",
    "5": "文書・名簿・committee.yml",
    "6": "docs/ のページとファイル",
    "7": "作ったサイトの検査",
}
_CODE = re.compile(r"^G([1-9])[0-9]{2}$")


@dataclass(frozen=True)
class Rule:
    """One rule: what `gijiroku check` prints when it is broken, and what the guide says of it."""

    code: str
    message: str  # template
    hint: str = ""  # template: how to fix it (printed after 対処:)
    guide: str = ""  # 意味と対処 in the staff guide, Markdown; empty: the hint
    warning: bool = False  # reported, never a failure

    @property
    def topic(self) -> str:
        return TOPICS[self.code[1]]

    @property
    def fields(self) -> frozenset[str]:
        """The names the templates need."""
        return frozenset(_fields(self.message) | _fields(self.hint))


def _fields(template: str) -> set[str]:
    names = set()
    for _text, name, _spec, _conversion in string.Formatter().parse(template):
        if name is not None:
            if not name.isidentifier():
                raise ValueError(f"{template!r}: only named fields ({{name}}) may stand in a rule")
            names.add(name)
    return names


def catalogue(table: tuple[Rule, ...]) -> dict[str, Rule]:
    """The rules by code; a malformed table stops the import (and every test) with the reason."""
    rules: dict[str, Rule] = {}
    for rule in table:
        if not _CODE.match(rule.code) or rule.code[1] not in TOPICS:
            raise ValueError(f"{rule.code}: a code is G, a topic digit of TOPICS and two digits")
        if rule.code in rules:
            raise ValueError(f"{rule.code}: two rules with one code")
        if not rule.message:
            raise ValueError(f"{rule.code}: no message")
        rule.fields  # noqa: B018 -- parses both templates: a positional or malformed field raises here
        rules[rule.code] = rule
    return rules
