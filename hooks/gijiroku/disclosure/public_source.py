"""`gijiroku check --public-source`: withheld text anywhere in the sources is an error.

For a Commission that keeps its source repository public. It reads the sources as the
verifier does (`secrets.source_secrets`: every published body, registry profiles and
hand-written pages under docs/ included, read more crudely than the parsers, so that it finds
at least what they withhold), and reports each withheld region that holds text other than the
bare placeholder once, at its first such line, with the lines it spans: GitHub shows only ten
annotations per step, so one per line would hide the other regions of a pull request.
"""

from __future__ import annotations

import unicodedata
from itertools import groupby
from pathlib import Path

from ..record.problems import Problem
from ..record.rules import problem
from .secrets import _CLOSE, _SPACE, source_secrets


def _closes(line: str) -> bool:
    """Whether the line ends a region: the close marker alone on it, as `secrets.withheld_lines` reads it."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", line)) == _CLOSE


def regions(text: str, lines: list[int]) -> list[tuple[int, int]]:
    """(first, last) withheld line of each region of `text`, from the sorted withheld `lines`:
    lines belong to one region unless a close marker stands between them."""
    source = text.split("\n")
    out: list[tuple[int, int]] = []
    for number in lines:
        if out and not any(_closes(source[i - 1]) for i in range(out[-1][1] + 1, number)):
            out[-1] = (out[-1][0], number)
        else:
            out.append((number, number))
    return out


def public_source_problems(root: Path) -> list[Problem]:
    """One problem for each withheld region that holds text."""
    found = sorted({(secret.path, secret.line) for secret in source_secrets(root)})
    out = []
    for path, group in groupby(found, key=lambda found: found[0]):
        text = (root / path).read_text(encoding="utf-8", errors="replace")
        for first, last in regions(text, [line for _, line in group]):
            span = f"{first} 行目" if first == last else f"{first}〜{last} 行目"
            out.append(problem("G411", path, first, lines=span))
    return out
