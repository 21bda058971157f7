"""Reading a source file: encoding, line endings, front matter, YAML with line numbers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

BOM = "\ufeff"


@dataclass
class Source:
    """A source file split into front matter and body, with the line numbers of both."""

    path: str  # relative to the project root, for messages
    meta: dict[str, Any]
    lines: dict[tuple, int]  # key path -> 1-based line in the file
    body: str
    body_line: int  # line number of the first body line
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, *key: Any) -> int | None:
        """Line of a front-matter key path, falling back to its nearest parent."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return 1

    def problem(self, key: tuple | int | None, message: str, hint: str = "") -> None:
        line = key if isinstance(key, int) or key is None else self.line_of(*key)
        self.problems.append(Problem(self.path, line, message, hint))


def read_text(path: Path, shown: str, problems: list[Problem]) -> str | None:
    """Read a UTF-8 text file; refuse BOM, CRLF and other encodings with a message."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.append(
            Problem(shown, line, "ファイルが UTF-8 ではありません。",
                    "エディタで文字コードを UTF-8（BOM なし）にして保存し直してください。")
        )
        return None
    if text.startswith(BOM):
        problems.append(
            Problem(shown, 1, "ファイルの先頭に BOM（U+FEFF）があります。",
                    "エディタで「UTF-8（BOM なし）」を選んで保存し直してください。")
        )
        return None
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.append(
            Problem(shown, line, "改行コードに CR（Windows の CRLF など）が含まれています。",
                    "改行コードを LF にして保存し直してください（git config core.autocrlf input）。")
        )
        return None
    return text


def split_front_matter(text: str, shown: str, problems: list[Problem]) -> tuple[str, int, str, int] | None:
    """Split `---` YAML front matter from the body.

    Returns (yaml_text, yaml_first_line, body, body_first_line), line numbers 1-based.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        problems.append(
            Problem(shown, 1, "ファイルが front matter（--- で囲んだ YAML）で始まっていません。",
                    "1 行目を --- にし、YAML の項目を書いた後を --- の行で閉じてください。")
        )
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() == "---":
            return "\n".join(lines[1:i]), 2, "\n".join(lines[i + 1:]), i + 2
    problems.append(
        Problem(shown, 1, "front matter が --- の行で閉じられていません。",
                "YAML の項目の後に --- だけの行を置いてください。")
    )
    return None


# libyaml's parser when PyYAML has it (10x faster); marks, and so line numbers, are the same.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    """SafeLoader that keeps `14:40` a string instead of YAML 1.1's base-60 integer 880."""


_INT_TAG = "tag:yaml.org,2002:int"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _INT_TAG]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _INT_TAG,
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)


_YAML_PROBLEMS = (
    ("mapping values are not allowed", "この位置に「:」は置けません。インデントがずれているか、値に「:」が含まれています"),
    ("could not find expected ':'", "「項目: 値」の「:」が見つかりません"),
    ("found character '\\t'", "タブ文字が含まれています"),
    ("found a tab character", "タブ文字が含まれています"),
    ("did not find expected key", "項目の名前があるべき位置に別のものがあります。インデントを確かめてください"),
    ("did not find expected '-' indicator", "リストの「- 」の位置がずれています"),
    ("found unexpected end of stream", "引用符やかっこが閉じられていません"),
    ("found undefined alias", "「*」で始まる値は YAML の別名と解釈されます"),
)


def _yaml_problem(problem: str) -> str:
    """PyYAML's (or libyaml's) wording of a syntax error, in Japanese where it is a common one."""
    for english, japanese in _YAML_PROBLEMS:
        if english in problem:
            return japanese
    return problem


def load_yaml(text: str, first_line: int, shown: str, problems: list[Problem]) -> tuple[Any, dict]:
    """Load YAML, recording the line of every key and list item, reporting duplicate keys."""
    lines: dict[tuple, int] = {}
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        what = _yaml_problem(getattr(err, "problem", None) or str(err))
        problems.append(
            Problem(shown, line, f"front matter の YAML を読めません（{what}）。",
                    "インデントは半角スペースで揃え、「:」の後に半角スペースを入れ、"
                    "「:」や「#」を含む値は \"…\" で囲んでください。")
        )
        return None, lines
    if node is None:
        return {}, lines
    constructor = _Loader("")

    def build(n: yaml.Node, path: tuple) -> Any:
        if isinstance(n, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in n.value:
                key = build(key_node, path)
                line = first_line + key_node.start_mark.line
                if key in out:
                    problems.append(
                        Problem(shown, line, f"項目「{key}」が二度書かれています。",
                                "同じ項目は一度だけ書いてください。")
                    )
                lines[path + (key,)] = line
                out[key] = build(value_node, path + (key,))
            return out
        if isinstance(n, yaml.SequenceNode):
            items = []
            for i, item in enumerate(n.value):
                lines[path + (i,)] = first_line + item.start_mark.line
                items.append(build(item, path + (i,)))
            return items
        try:
            return constructor.construct_object(n, deep=True)
        except ValueError as err:  # e.g. 2023-02-30 matches the date pattern but is no date
            problems.append(
                Problem(shown, first_line + n.start_mark.line, f"日付「{n.value}」は存在しない日付です（{err}）。",
                        "YYYY-MM-DD 形式で、実在する日付を書いてください。")
            )
            return None

    return build(node, ()), lines


def read_source(path: Path, root: Path, problems: list[Problem]) -> Source | None:
    """Read a front-matter Markdown file; None (with problems) when it cannot be read."""
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    text = read_text(path, shown, problems)
    if text is None:
        return None
    return parse_source(text, shown, problems)


def parse_source(text: str, shown: str, problems: list[Problem]) -> Source | None:
    parts = split_front_matter(text, shown, problems)
    if parts is None:
        return None
    yaml_text, yaml_line, body, body_line = parts
    before = len(problems)
    meta, lines = load_yaml(yaml_text, yaml_line, shown, problems)
    if meta is None and len(problems) > before:
        return None
    if not isinstance(meta, dict):
        problems.append(
            Problem(shown, yaml_line, "front matter は「項目: 値」の並びでなければなりません。",
                    "number: 244 のように書いてください。")
        )
        return None
    return Source(shown, meta, lines, body, body_line)


def is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
