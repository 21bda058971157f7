"""Problems found in source files: what is wrong, where, and how to fix it.

Every reader in this package reports problems instead of raising, so that one run of
`gijiroku check` lists all of them. Messages are Japanese, for the Commission's staff.
"""

from __future__ import annotations

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
        text = f"{self.where()}: {self.message}"
        if self.hint:
            text += f"\n    対処: {self.hint}"
        return text

    def format_github(self) -> str:
        """A GitHub Actions workflow command, shown as an annotation on the pull request."""
        location = f"file={self.path}"
        if self.line:
            location += f",line={self.line}"
        text = self.message + (f" 対処: {self.hint}" if self.hint else "")
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error {location}::{text}"


def _sort_key(problem: Problem) -> tuple:
    return (problem.path, problem.line or 0, problem.message)


def format_problems(problems: list[Problem]) -> str:
    lines = [p.format() for p in sorted(problems, key=_sort_key)]
    lines.append(f"{len(problems)} 件のエラーがあります。")
    return "\n".join(lines)
