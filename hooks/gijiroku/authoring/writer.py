"""The one front-matter writer: `gijiroku import`, `gijiroku new` and `gijiroku synth` write through it.

`render_file(meta, body)` is `frontmatter.dumps` with FrontMatterWriter, the project's
python-frontmatter handler (record/front_matter.py) with its export replaced. PyYAML's dumper,
which python-frontmatter's YAMLHandler uses, cannot write what the hand-made files under
minutes/ look like (lists of names in brackets and lists of entries in block style under the
same key, `"14:40"` quoted, a sequence indented under its key), so `export` writes YAML itself:

    key: scalar                 plain where it reads back unchanged, else "double-quoted"
    key: [a, b]                 a list of scalars (attendees, subjects, agencies)
    key:                        a mapping (attendees), its keys indented by two
      sub: value
    key:                        a list of mappings (sources, agenda, materials)
      - first: value
        second: value

A string is written plain only when it reads back unchanged with the project's loader
(record/source.py) and with PyYAML's YAML 1.1 SafeLoader, which MkDocs uses; a clock time is
always quoted, as the hand-made files write it: YAML 1.1 reads `14:40` as the base-60 integer 880
(though `09:30` as a string).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from typing import Any

import frontmatter
import yaml

from ..record.front_matter import DELIMITER, FrontMatterHandler
from ..record.source import load_yaml

_PLAIN_UNSAFE_START = set("-?:,[]{}#&*!|>'\"%@`！＃")
_YAML_1_1 = (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # MkDocs loads with the first
_CLOCK = re.compile(r"[0-9]{1,2}:[0-9]{2}")


def yaml_scalar(value: Any, flow: bool = False) -> str:
    """A YAML scalar that reads back as exactly `value` (strings double-quoted where needed)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise TypeError(f"front matter cannot hold a {type(value).__name__}: {value!r}")
    if _plain_ok(value, flow):
        return value
    return json.dumps(value, ensure_ascii=False)


@lru_cache(maxsize=4096)  # synth writes the same names, kinds and outcomes thousands of times
def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or text[0] in _PLAIN_UNSAFE_START or ": " in text or " #" in text:
        return False
    if text.endswith(":") or any(ch in text for ch in "\t\n\\") or _CLOCK.fullmatch(text):
        return False
    if flow and any(ch in text for ch in ",[]{}"):
        return False
    document = f"k: [{text}]" if flow else f"k: {text}"
    expected = {"k": [text] if flow else text}
    problems: list = []
    loaded, _ = load_yaml(document, 1, "", problems)
    if problems or loaded != expected:
        return False
    try:  # libyaml and PyYAML's own scanner differ on plain scalars in flow ("[0?]"): ask both
        return all(yaml.load(document, Loader=loader) == expected for loader in _YAML_1_1)
    except yaml.YAMLError:
        return False


def _flow_list(values: list) -> str:
    return "[" + ", ".join(yaml_scalar(v, flow=True) for v in values) + "]"


def _mapping_lines(mapping: dict, indent: int) -> list[str]:
    lines: list[str] = []
    for key, value in mapping.items():
        if not isinstance(key, str):  # the loader refuses any other key
            raise TypeError(f"a front-matter key must be a string: {key!r}")
        head = f"{' ' * indent}{yaml_scalar(key)}:"
        if isinstance(value, dict):
            lines.extend([head, *_mapping_lines(value, indent + 2)] if value else [f"{head} {{}}"])
        elif isinstance(value, list) and value and all(isinstance(v, dict) and v for v in value):
            lines.append(head)
            for entry in value:
                # "- " takes the place of the entry's indent on its first key
                entry_lines = _mapping_lines(entry, indent + 4)
                entry_lines[0] = f"{' ' * (indent + 2)}- {entry_lines[0][indent + 4:]}"
                lines.extend(entry_lines)
        elif isinstance(value, list):
            lines.append(f"{head} {_flow_list(value)}")
        else:
            lines.append(f"{head} {yaml_scalar(value)}")
    return lines


class FrontMatterWriter(FrontMatterHandler):
    """The project's front-matter handler, writing the layout of the hand-made source files."""

    def export(self, metadata: dict[str, object], **kwargs: object) -> str:
        """The front matter's YAML, without delimiters (python-frontmatter's export)."""
        return "\n".join(_mapping_lines(metadata, 0))

    def format(self, post: frontmatter.Post, **kwargs: object) -> str:
        """The whole file: python-frontmatter's layout (front matter, a blank line, the body),
        with the body as given; python-frontmatter's own format strips the final newline."""
        return f"{DELIMITER}\n{self.export(post.metadata)}\n{DELIMITER}\n\n{post.content}"


WRITER = FrontMatterWriter(load_yaml)


def render_file(meta: dict, body: str) -> str:
    """A source file: `meta` as front matter (keys in their order), a blank line, then `body`."""
    post = frontmatter.Post(body)
    post.metadata.update(meta)  # not Post(body, **meta): a key could be named "content" or "handler"
    return frontmatter.dumps(post, handler=WRITER)
