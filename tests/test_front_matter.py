"""Front matter through python-frontmatter: the project's handler reads (record/front_matter.py)
and writes (authoring/writer.py) every source file, with file and line in every message."""

from __future__ import annotations

import datetime as dt

import frontmatter
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gijiroku.authoring.writer import WRITER, render_file, yaml_scalar
from gijiroku.record.front_matter import FrontMatterError
from gijiroku.record.problems import Problem
from gijiroku.record.source import FRONT_MATTER, parse_source

MEETING = """---
number: 7
start_time: 14:40
attendees:
  commissioners: [丹野委員長]
---

○丹野委員長 開会します。
"""


def test_python_frontmatter_reads_through_the_projects_handler():
    post = frontmatter.loads(MEETING, handler=FRONT_MATTER)
    assert post.metadata == {"number": 7, "start_time": "14:40", "attendees": {"commissioners": ["丹野委員長"]}}
    assert post.content == "○丹野委員長 開会します。"
    assert FRONT_MATTER.detect(MEETING) and not FRONT_MATTER.detect("# 見出し\n---\n")


def test_through_python_frontmatter_an_alias_is_refused_with_its_line():
    text = "---\nnumber: 7\nbase: &b x\nplace: *b\n---\n本文\n"
    with pytest.raises(FrontMatterError) as raised:
        frontmatter.loads(text, handler=FRONT_MATTER)
    assert [(p.line, p.message) for p in raised.value.problems] == [(3, "YAML のアンカー「&b」は使えません。")]


def test_the_split_keeps_the_line_of_the_body_and_reports_an_unclosed_front_matter():
    problems: list[Problem] = []
    assert FRONT_MATTER.split_lines(MEETING, "minutes/7.md", problems) == (
        "number: 7\nstart_time: 14:40\nattendees:\n  commissioners: [丹野委員長]", 2,
        "\n○丹野委員長 開会します。\n", 7)
    assert FRONT_MATTER.split_lines("---\nnumber: 7\n", "minutes/7.md", problems) is None
    assert [(p.where(), p.message) for p in problems] == [
        ("minutes/7.md:1", "front matter が --- の行で閉じられていません。")]
    with pytest.raises(ValueError):
        FRONT_MATTER.split("---\nnumber: 7\n")


def test_the_writer_is_python_frontmatters_dumps():
    post = frontmatter.Post("本文\n")
    post.metadata.update({"number": 7, "date": dt.date(2023, 5, 31)})
    assert frontmatter.dumps(post, handler=WRITER) == render_file(post.metadata, "本文\n") == (
        "---\nnumber: 7\ndate: 2023-05-31\n---\n\n本文\n")


def test_every_shape_the_source_files_use_is_written_as_the_hand_made_files_write_it():
    meta = {
        "title": "改善報告", "meeting": None, "agenda": 2, "agencies": [], "hidden": True,
        "attendees": {"commissioners": ["丹野委員長", "小川委員"], "secretariat": []},
        "items": [{"number": 1, "materials": [{"label": "資料１", "title": "別紙: 概要"}], "subjects": ["a, b"]}],
        "empty": {}, "on": "off",
    }
    assert render_file(meta, "") == """---
title: 改善報告
meeting: null
agenda: 2
agencies: []
hidden: true
attendees:
  commissioners: [丹野委員長, 小川委員]
  secretariat: []
items:
  - number: 1
    materials:
      - label: 資料１
        title: "別紙: 概要"
    subjects: ["a, b"]
empty: {}
"on": "off"
---

"""


@pytest.mark.parametrize(("value", "written"), [
    ("14:40", '"14:40"'),  # YAML 1.1, which MkDocs reads front matter with, takes it for 880
    ("09:30", '"09:30"'),  # a string even in YAML 1.1, but a time: quoted like every time
    ("1:2:3", '"1:2:3"'),
    ("a:b", "a:b"),
    ("*別名", '"*別名"'),
    ("yes", '"yes"'),
    ("2023-05-31", '"2023-05-31"'),
    ("第1回 #2", '"第1回 #2"'),
])
def test_a_string_is_plain_only_where_both_yaml_readers_read_it_back_unchanged(value, written):
    assert yaml_scalar(value) == written


def test_a_value_front_matter_cannot_hold_is_refused():
    with pytest.raises(TypeError):
        yaml_scalar(1.5)


# what a source file may hold: no controls, line separators or format characters (read_text refuses
# them), and none of the two non-characters YAML cannot carry
_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp", "Cf"), exclude_characters="\ufffe\uffff"),
                max_size=12)
_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.dates(), _TEXT)


@settings(max_examples=150, deadline=None)
@given(meta=st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), st.one_of(  # keys such as "on" too
    _SCALAR, st.lists(_SCALAR, max_size=3),
    st.lists(st.dictionaries(st.from_regex(r"[a-z]{1,5}", fullmatch=True), _SCALAR, min_size=1, max_size=3),
             min_size=1, max_size=2)), max_size=5))
@example(meta={"_": ["0?"]})  # libyaml read "[0?]" as a list of "0?"; PyYAML's own scanner refuses it
def test_what_the_writer_writes_reads_back_as_the_same_values_with_either_reader(meta):
    text = render_file(meta, "本文\n")
    problems: list[Problem] = []
    source = parse_source(text, "minutes/1.md", problems)
    assert problems == []
    assert source.meta == meta and source.body == "\n本文\n"
    front = text.split("---\n")[1]
    for loader in (yaml.SafeLoader, yaml.CSafeLoader):  # MkDocs' readers, YAML 1.1, with and without libyaml
        assert (yaml.load(front, Loader=loader) or {}) == meta
