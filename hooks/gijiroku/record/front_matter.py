"""python-frontmatter's handler for the record: the `---` split and the project's YAML loader.

Every front-matter file is read through one FrontMatterHandler (`FRONT_MATTER` in
record/source.py: minutes/, decisions/, docs/commissioners/, docs/agencies/ and the hand-written
pages under docs/), and written through its subclass in authoring/writer.py. The handler keeps
python-frontmatter's interface (`frontmatter.loads(text, handler=FRONT_MATTER)` works), but the
record reads through `split_lines` and `load_lines`, which keep the line of every key so that
each message names file and line; python-frontmatter's own `parse` strips the text and would
lose them.

The YAML loader is passed in rather than imported: it lives in record/source.py, which reads
every file through this handler.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from frontmatter.default_handlers import YAMLHandler

from .problems import Problem
from .rules import problem

# load_yaml(text, first_line, shown, problems) -> (value, line of every key path)
YamlLoader = Callable[[str, int, str, list[Problem]], tuple[Any, dict]]

DELIMITER = "---"


class FrontMatterError(ValueError):
    """What `load` raises through python-frontmatter's interface: the loader refused the YAML."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


class FrontMatterHandler(YAMLHandler):
    """python-frontmatter's YAML handler with the project's line-aware, alias-refusing loader.

    The front matter opens on the file's first line and closes at the next line that is `---`
    (trailing whitespace allowed on both); the body is everything after, untouched.
    """

    START_DELIMITER = END_DELIMITER = DELIMITER  # detect and split below replace FM_BOUNDARY

    def __init__(self, load_yaml: YamlLoader):
        super().__init__()
        self.load_yaml = load_yaml

    def detect(self, text: str) -> bool:
        """Whether the text opens with a `---` line."""
        return text.split("\n", 1)[0].rstrip() == DELIMITER

    def split_lines(self, text: str, shown: str, problems: list[Problem]) -> tuple[str, int, str, int] | None:
        """(yaml_text, yaml_first_line, body, body_first_line), line numbers 1-based; None, with a
        problem for `shown`, when the text has no front matter or it is not closed."""
        lines = text.split("\n")
        if lines[0].rstrip() != DELIMITER:
            problems.append(problem("G104", shown, 1))
            return None
        for i in range(1, len(lines)):
            if lines[i].rstrip() == DELIMITER:
                return "\n".join(lines[1:i]), 2, "\n".join(lines[i + 1:]), i + 2
        problems.append(problem("G105", shown, 1))
        return None

    def split(self, text: str) -> tuple[str, str]:
        """python-frontmatter's split: ValueError (which its `parse` takes for "no front matter")
        where split_lines reports a problem."""
        problems: list[Problem] = []
        parts = self.split_lines(text, "", problems)
        if parts is None:
            raise ValueError(problems[0].message)
        return parts[0], parts[2]

    def load_lines(self, fm: str, first_line: int, shown: str, problems: list[Problem]) -> tuple[Any, dict]:
        """The front matter's value and the line of every key and list item (None on a refusal)."""
        return self.load_yaml(fm, first_line, shown, problems)

    def load(self, fm: str, **kwargs: Any) -> Any:
        """python-frontmatter's load; FrontMatterError on anything the loader refuses or reports."""
        problems: list[Problem] = []
        value, _ = self.load_lines(fm, kwargs.get("first_line", 2), kwargs.get("shown", ""), problems)
        if problems:
            raise FrontMatterError(problems)
        return value
