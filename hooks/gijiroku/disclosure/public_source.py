"""`gijiroku check --public-source`: withheld text anywhere in the sources is an error.

For a Commission that keeps its source repository public. It reads the sources as the
verifier does (`secrets.source_secrets`: every published body, registry profiles and
hand-written pages under docs/ included, read more crudely than the parsers, so that it finds
at least what they withhold), and reports each line that holds withheld text other than the
bare placeholder.
"""

from __future__ import annotations

from pathlib import Path

from ..record.problems import Problem
from ..record.rules import problem
from .secrets import source_secrets


def public_source_problems(root: Path) -> list[Problem]:
    """One problem for each source line that holds withheld text."""
    lines = sorted({(secret.path, secret.line) for secret in source_secrets(root)})
    return [problem("G411", path, line) for path, line in lines]
