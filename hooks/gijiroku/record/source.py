"""Reading a source file: encoding, line endings, front matter, YAML with line numbers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .front_matter import FrontMatterHandler
from .problems import HIDING_CHARS, Problem, describe_char
from .radicals import radical_problems
from .rules import problem
from .text import matching_lines
from .wareki import why_no_date
from .yaml_errors import explain

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

    def problem(self, key: tuple | int | None, code: str, /, **values: object) -> None:
        """Report rule `code` (record/rules.py) at a front-matter key path or a line number."""
        line = key if isinstance(key, int) or key is None else self.line_of(*key)
        self.problems.append(problem(code, self.path, line, **values))


# Size limits, in one place (the README's "Inputs the checker refuses" states them). The longest
# real meeting file is about 42 kB; a limit far above any record keeps a mistaken paste or a
# hostile file from costing minutes and memory before it is refused.
MAX_SOURCE_BYTES = 2_000_000  # minutes/, decisions/, docs/commissioners/, docs/agencies/
MAX_COMMITTEE_BYTES = 64_000  # committee.yml


def size_limit_text(limit: int) -> str:
    return f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit // 1000} KB"


# Characters no record needs and that can hide or disguise text (problems.HIDING_CHARS).
FORBIDDEN_CHARS = re.compile(f"[{HIDING_CHARS}]")

MAX_CHAR_REPORTS = 20  # lines reported per file; more means the file is not text at all


def forbidden_chars(text: str, shown: str) -> list[Problem]:
    """One problem for each line that holds a character of FORBIDDEN_CHARS."""
    problems = []
    for line, _, _, m in matching_lines(FORBIDDEN_CHARS, text):
        if len(problems) == MAX_CHAR_REPORTS:
            problems.append(problem("G127", shown, line))
            break
        problems.append(problem(_char_code(m.group()), shown, line, char=describe_char(m.group())))
    return problems


def _char_code(char: str) -> str:
    """The rule a character of FORBIDDEN_CHARS breaks: G126 for a bidirectional control, else G125."""
    bidi = char in "\u061c\u200e\u200f" or "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069"
    return "G126" if bidi else "G125"


def read_text(path: Path, shown: str, problems: list[Problem], limit: int = MAX_SOURCE_BYTES) -> str | None:
    """Read a UTF-8 text file of at most `limit` bytes; refuse anything else with a message:
    a file that is not a regular file, too large, not UTF-8, with a BOM, CR or a forbidden character."""
    if not path.is_file():
        problems.append(problem("G124", shown, None))
        return None
    size = path.stat().st_size
    if size > limit:
        problems.append(problem("G122", shown, None, size=size, limit=size_limit_text(limit)))
        return None
    with path.open("rb") as handle:  # read at most limit + 1 bytes: the file may grow after stat
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        problems.append(problem("G123", shown, None, limit=size_limit_text(limit)))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.append(problem("G101", shown, line))
        return None
    if text.startswith(BOM):
        problems.append(problem("G102", shown, 1))
        return None
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.append(problem("G103", shown, line))
        return None
    found = forbidden_chars(text, shown)
    if found:
        problems.extend(found)
        return None
    problems.extend(radical_problems(text, shown))  # readable, but names and search break on them
    return text


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


# Nesting deeper than any schema needs (agenda → item → materials → entry is 4) is refused
# before Python recursion could be exhausted by `[[[[…`.
MAX_DEPTH = 32

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_KEY_KINDS = {
    _INT_TAG: "整数", "tag:yaml.org,2002:float": "小数", "tag:yaml.org,2002:bool": "真偽値（true・false・yes・no・on・off）",
    "tag:yaml.org,2002:null": "空の値（null・~）", _TIMESTAMP_TAG: "日付",
}


def _shown_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


class _Refused(Exception):
    """Stops reading a front matter at its first construct that this loader does not accept."""


class _EventReader:
    """Front-matter YAML read from the parser's event stream, never from a composed node graph.

    Anchors, aliases, tags, merge keys, complex and non-string keys are refused where they stand
    in the stream, before anything is built from them: an alias is never followed, so an alias
    bomb costs what its text costs. Plain scalars are resolved and constructed one by one, as
    SafeLoader would (with `14:40` kept a string), and every key and item gets its line.
    """

    def __init__(self, loader, first_line: int, shown: str, problems: list[Problem]):
        self.loader, self.first_line, self.shown, self.problems = loader, first_line, shown, problems
        self.lines: dict[tuple, int] = {}
        self.constructor = _Loader("")

    def refuse(self, event, code: str, /, **values: object) -> None:
        self.problems.append(problem(code, self.shown, self.first_line + event.start_mark.line, **values))
        raise _Refused

    def check_event(self, event) -> None:
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent):
            self.refuse(event, "G128", name=anchor)
        if anchor is not None:
            self.refuse(event, "G129", name=anchor)
        tag = getattr(event, "tag", None)
        if tag is not None:
            self.refuse(event, "G130", tag=_shown_tag(tag))

    def document(self) -> Any:
        loader = self.loader
        loader.get_event()  # StreamStartEvent
        if loader.check_event(yaml.StreamEndEvent):
            return {}
        loader.get_event()  # DocumentStartEvent
        value = self.node((), 0)
        loader.get_event()  # DocumentEndEvent
        if loader.check_event(yaml.DocumentStartEvent):
            self.refuse(loader.peek_event(), "G131")
        return value

    def node(self, path: tuple, depth: int) -> Any:
        event = self.loader.get_event()
        self.check_event(event)
        if depth > MAX_DEPTH:
            self.refuse(event, "G132", depth=MAX_DEPTH)
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event)
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not self.loader.check_event(yaml.SequenceEndEvent):
                i = len(items)
                self.lines[path + (i,)] = self.first_line + self.loader.peek_event().start_mark.line
                items.append(self.node(path + (i,), depth + 1))
            self.loader.get_event()
            return items
        out: dict[str, Any] = {}  # a MappingStartEvent: the only other event that starts a node
        while not self.loader.check_event(yaml.MappingEndEvent):
            key, line = self.key()
            if key in out:
                self.problems.append(problem("G107", self.shown, line, key=key))
            self.lines[path + (key,)] = line
            out[key] = self.node(path + (key,), depth + 1)
        self.loader.get_event()
        return out

    def key(self) -> tuple[str, int]:
        """The next mapping key, which must be a plain or quoted string, and its line."""
        event = self.loader.get_event()
        self.check_event(event)
        if not isinstance(event, yaml.ScalarEvent):
            self.refuse(event, "G133")
        self.hiding(event)
        if event.value[:1] == "\u3000" and not event.style:  # indented by a full-width space
            self.refuse(event, "G159")
        tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _MERGE_TAG:
            self.refuse(event, "G134")
        if tag != _STR_TAG:
            self.refuse(event, "G135", key=event.value, kind=_KEY_KINDS.get(tag, _shown_tag(tag)))
        return event.value, self.first_line + event.start_mark.line

    def hiding(self, event) -> None:
        """Refuse a double-quoted scalar whose escapes spell a character of FORBIDDEN_CHARS
        ("\\u202e", "\\e", "\\0", "\\L"): the file's text is checked for them, its decoded values here."""
        m = FORBIDDEN_CHARS.search(event.value) if event.style == '"' else None
        if m:
            self.refuse(event, _char_code(m.group()), char=describe_char(m.group()))

    def scalar(self, event) -> Any:
        self.hiding(event)
        tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.constructor.construct_object(node, deep=True)
        except ValueError:
            # the whole front matter is refused: a value read as null would earn a second,
            # misleading message ("missing", "empty") from the schema
            if tag == _TIMESTAMP_TAG:  # e.g. 2023-02-30 matches the date pattern but is no date
                self.refuse(event, "G108", value=event.value, error=why_no_date(event.value))
            self.refuse(event, "G136", value=event.value[:20])  # thousands of digits


def load_yaml(text: str, first_line: int, shown: str, problems: list[Problem]) -> tuple[Any, dict]:
    """Load front-matter YAML: the value, and the line of every key and list item.

    Refuses (with file and line, and nothing built from them) anchors, aliases, tags, merge keys,
    complex and non-string keys, more than one document and nesting deeper than MAX_DEPTH;
    reports duplicate keys. On a refusal or a syntax error the value is None.
    """
    loader = _Loader(text)
    reader = _EventReader(loader, first_line, shown, problems)
    try:
        value = reader.document()
    except _Refused:
        return None, reader.lines
    except yaml.YAMLError as err:
        problems.append(explain(err, text, first_line, shown))  # in Japanese, at the mistake's line
        return None, reader.lines
    finally:
        loader.dispose()
    if shown != "committee.yml":  # the committee's settings are annotated; a record's values are not
        problems.extend(_inline_comments(text, first_line, shown))
    return value, reader.lines


def _inline_comments(text: str, first_line: int, shown: str) -> list[Problem]:
    """A ` #` after a value on its line: YAML drops it and what follows as a comment, so
    `place: 中央合同庁舎 #4号館` published 中央合同庁舎 (found by a clerk's attack). Each such line,
    with the value as read. A `#` inside a quoted or block value is the value's, and a line that
    is a comment only loses nothing of a value."""
    if " #" not in text and "\t#" not in text:  # nearly every file: not scanned again
        return []
    values: dict[int, list[tuple[int, int, str]]] = {}  # line -> (start, end, value) of its scalars
    keys: dict[int, str] = {}
    key_next = False
    try:
        for token in yaml.scan(text):
            if isinstance(token, yaml.KeyToken):
                key_next = True
                continue
            if isinstance(token, yaml.ScalarToken):
                start, end = token.start_mark, token.end_mark
                if key_next:
                    keys[start.line] = token.value
                for line in range(start.line, end.line + 1):
                    values.setdefault(line, []).append((start.column if line == start.line else 0,
                                                        end.column if line == end.line else 1 << 30, token.value))
            key_next = False
    except yaml.YAMLError:
        return []
    found = []
    for number, line in enumerate(text.split("\n")):
        for hash_at in (i for i, ch in enumerate(line) if ch == "#" and i and line[i - 1] in " \t"):
            spans = values.get(number, [])
            if any(a <= hash_at < b for a, b, _ in spans):
                continue
            before = [v for a, b, v in spans if b <= hash_at]
            if before:  # a value, then the comment: the value as YAML read it
                value = before[-1]
                found.append(problem("G162", shown, first_line + number, comment=line[hash_at:].strip()[:20],
                                     value=value, key=keys.get(number, "…"),
                                     whole=f"{value} {line[hash_at:].strip()}"))
            break
    return found


# The one python-frontmatter handler that reads every front-matter file (record/front_matter.py).
FRONT_MATTER = FrontMatterHandler(load_yaml)


def read_source(path: Path, root: Path, problems: list[Problem]) -> Source | None:
    """Read a front-matter Markdown file; None (with problems) when it cannot be read."""
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    text = read_text(path, shown, problems)
    if text is None:
        return None
    return parse_source(text, shown, problems)


def parse_source(text: str, shown: str, problems: list[Problem]) -> Source | None:
    """A file's text split by FRONT_MATTER into front matter and body; None (with problems) when
    it has no readable front matter or that is not a mapping."""
    parts = FRONT_MATTER.split_lines(text, shown, problems)
    if parts is None:
        return None
    yaml_text, yaml_line, body, body_line = parts
    before = len(problems)
    meta, lines = FRONT_MATTER.load_lines(yaml_text, yaml_line, shown, problems)
    if meta is None and len(problems) > before:
        return None
    if not isinstance(meta, dict):
        problems.append(problem("G121", shown, yaml_line))
        return None
    return Source(shown, meta, lines, body, body_line)


def is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
