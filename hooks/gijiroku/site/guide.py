"""The staff guide's list of checker messages, made from the rule catalogue when the site is built.

`docs/guide/index.md` holds the line `CHECK_MESSAGES` where the tables go; the hook
(`hooks/site.py`, on_page_markdown) hands every hand-written page to `expand_check_messages`
after its 非公表 regions are replaced. One table per topic of `record/rules.py`, one row per
rule: code, message, 意味と対処. The rows are written here, a line each, rather than from a
Jinja template: a table row is one line of Markdown, and every cell goes through `_cell`.
"""

from __future__ import annotations

import html
import re
import string

from ..record.problems import TOPICS, Rule
from ..record.rules import RULES

CHECK_MESSAGES = "[[gijiroku:check-messages]]"
# How the guide shows a varying part of a message: numbers as N and M, anything else as …
SHOWN = {"n": "N", "number": "N", "meeting": "N", "line": "N", "length": "N", "position": "M",
         "expected": "M", "agenda": "M", "low": "1", "high": "9999", "shortest": "4"}

_MARKER = re.compile(r"(<!-- /?非公表 -->)")
# Python-Markdown's backslash escapes (and | for the tables extension): literal wherever they stand
_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!|])")


def shown(template: str) -> str:
    """A template as the guide prints it: each field replaced by what stands for it."""
    out = []
    for text, name, _spec, _conversion in string.Formatter().parse(template):
        out.append(text)
        if name is not None:
            out.append(SHOWN.get(name, "…"))
    return "".join(out)


def _cell(text: str) -> str:
    """Plain text as a table cell: the disclosure markers in code spans (so that they are shown,
    never read as markers or comments), everything else escaped."""
    parts = _MARKER.split(text)
    return "".join(f"`{part}`" if i % 2 else _SPECIAL.sub(r"\\\1", html.escape(part, quote=False))
                   for i, part in enumerate(parts))


def _row(rule: Rule) -> str:
    advice = rule.guide or _cell(shown(rule.hint))  # guide: Markdown written for the guide
    message = ("警告 " if rule.warning else "") + _cell(shown(rule.message))
    return f"| {rule.code} | {message} | {advice} |"


def check_messages() -> str:
    """The Markdown of every table: a heading per topic, a row per rule in code order."""
    out = []
    for digit, topic in TOPICS.items():
        rows = [_row(rule) for code, rule in sorted(RULES.items()) if code[1] == digit]
        out += [f"### {topic}", "", "| コード | メッセージ | 意味と対処 |", "| --- | --- | --- |", *rows, ""]
    return "\n".join(out).rstrip("\n")


def expand_check_messages(markdown: str) -> str:
    """`markdown` with each line that is `CHECK_MESSAGES` replaced by the tables."""
    if CHECK_MESSAGES not in markdown:
        return markdown
    return "\n".join(check_messages() if line.strip() == CHECK_MESSAGES else line
                     for line in markdown.split("\n"))
