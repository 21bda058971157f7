"""Disclosure markers and values, read fail-closed.

`scan_body` is the one place that decides which source lines are withheld. The parsers use
it to drop those lines; the verifier uses `withheld_passages` (built on the same scan) to
know what must appear in no published file.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from ..model import Disclosure
from ..problems import Problem

OPEN = "<!-- 非公表 -->"
CLOSE = "<!-- /非公表 -->"

_FENCE = re.compile(r"^\s*(```|~~~)")
_ANGLE = re.compile("[<>＜＞〈〉《》≪≫﹤﹥]")
_RAW_HTML = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*(?:\s|/?>)|/[A-Za-z]|!|\?)")

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


def parse_disclosure(value: object) -> Disclosure | str:
    """The Disclosure for a front-matter value, or a hint naming the nearest valid value."""
    valid = [d.value for d in Disclosure]
    if isinstance(value, str) and value in valid:
        return Disclosure(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().lower().replace(" ", "")
    guess = _SYNONYMS.get(text)
    if guess is None:
        close = difflib.get_close_matches(text, list(_SYNONYMS), n=1, cutoff=0.4)
        guess = _SYNONYMS[close[0]] if close else None
    if guess is None:
        return "公開・非公表・後日公表 のいずれかを書いてください。"
    return f"「{guess.value}」の誤りではありませんか。使える値は 公開・非公表・後日公表 です。"


@dataclass(frozen=True)
class BodyLine:
    number: int  # 1-based line number in the file
    text: str
    withheld: bool  # inside a 非公表 region (the markers themselves count as withheld)
    marker: str | None = None  # "open" or "close" on a marker line


def scan_body(body: str, first_line: int, path: str, problems: list[Problem],
              markdown: bool = False) -> list[BodyLine]:
    """Classify every body line, reporting every marker mistake.

    Fail-closed: after an error the rest of the file is still scanned so every mistake is
    reported, and callers must not publish a file with problems. `markdown` says the body is
    Markdown (a decision), where fenced code blocks exist and markers inside them are refused.
    """
    out: list[BodyLine] = []
    open_at: int | None = None
    fence: str | None = None
    for offset, text in enumerate(body.split("\n")):
        number = first_line + offset
        if markdown and (m := _FENCE.match(text)):
            fence = None if fence == m.group(1) else (fence or m.group(1))
        if text in (OPEN, CLOSE):
            if fence:
                problems.append(Problem(path, number, "非公表マーカーがコードブロック（```）の中にあります。",
                                        "マーカーはコードブロックの外に置いてください。コードブロックの中では効きません。"))
            elif text == OPEN:
                if open_at is not None:
                    problems.append(Problem(path, number, f"非公表の範囲が入れ子になっています（{open_at} 行目で開いた範囲が閉じていません）。",
                                            f"{open_at} 行目の範囲を {CLOSE} で閉じてから、次の範囲を開いてください。"))
                else:
                    open_at = number
            else:
                if open_at is None:
                    problems.append(Problem(path, number, f"対応する {OPEN} のない {CLOSE} があります。",
                                            f"非公表にする範囲の前に {OPEN} を置くか、この行を消してください。"))
                open_at = None
            out.append(BodyLine(number, text, True, "open" if text == OPEN else "close"))
            continue
        near = near_marker(text)
        if near:
            what = ("非公表マーカーの前後に空白があります。" if text.strip() in (OPEN, CLOSE)
                    else f"非公表マーカーの書き方が違います: {text.strip()}")
            problems.append(Problem(path, number, what, f"この行を「{near}」だけにしてください（半角、前後に空白なし）。"))
            # Treat a near miss as the marker it resembles, so a region is never half-published.
            if near == OPEN and open_at is None:
                open_at = number
            elif near == CLOSE:
                open_at = None
            out.append(BodyLine(number, text, True))
            continue
        if _RAW_HTML.search(text) and not fence:
            problems.append(Problem(path, number, f"本文に HTML が含まれています: {text.strip()[:40]}",
                                    f"HTML は書けません。非公表の範囲は {OPEN} と {CLOSE} の行で囲んでください。"))
        out.append(BodyLine(number, text, open_at is not None))
    if open_at is not None:
        problems.append(Problem(path, open_at, f"{OPEN} で始まる非公表の範囲が閉じられていません。",
                                f"非公表にする文の後に {CLOSE} だけの行を置いてください。"))
    return out


def near_marker(text: str) -> str | None:
    """The marker a malformed marker line was meant to be, or None if it is no marker."""
    if text in (OPEN, CLOSE) or not _ANGLE.search(text):  # every attempt at a marker has an angle bracket
        return None
    folded = unicodedata.normalize("NFKC", text)
    folded = re.sub(r"[\s\u200b\ufeff]+", "", folded).replace("ー", "-").replace("−", "-").replace("―", "-")
    m = re.fullmatch(r"<!?-*(/?)([^<>!/-]*)-*>?", folded)
    if not folded.startswith("<!") and not folded.endswith("-->"):
        return None
    if not m:
        return None
    word = m.group(2)
    if word == "非公表" or difflib.get_close_matches(word, ["非公表", "非公開", "非開示"], n=1, cutoff=0.5):
        return CLOSE if m.group(1) else OPEN
    return None


def withheld_passages(lines: list[BodyLine]) -> list[tuple[int, str]]:
    """The text of every withheld line (line number, text), markers excluded."""
    return [(line.number, line.text) for line in lines if line.withheld and line.marker is None
            and line.text.strip()]
