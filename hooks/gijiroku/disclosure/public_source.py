"""Where withheld text sits in the sources: for `check --public-source` and for the verifier."""

from __future__ import annotations

from pathlib import Path

from ..model import PLACEHOLDER
from ..problems import Problem
from ..record import source_files
from ..source import read_source
from .markers import scan_body, withheld_passages


def public_source_problems(root: Path) -> list[Problem]:
    """Every withheld line in the sources is an error, for a repository that is public itself."""
    problems: list[Problem] = []
    minutes, decisions = source_files(root)
    for path in minutes + decisions:
        scratch: list[Problem] = []
        source = read_source(path, root, scratch)
        if source is None:
            continue
        lines = scan_body(source.body, source.body_line, source.path, scratch, markdown=path in decisions)
        for number, text in withheld_passages(lines):
            if text.strip() != PLACEHOLDER:
                problems.append(Problem(
                    source.path, number, "公開リポジトリに非公表の本文があります。",
                    "非公表の範囲には本文を置かず、（内容について非公表）の一行だけにしてください。"
                    "本文を残す必要があるなら、リポジトリを非公開にしてください。"))
    return problems
