"""The meeting parser, one fixture per edge case (tests/fixtures/parse/)."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from gijiroku.record.meeting import parse_meeting
from gijiroku.record.model import Event, Paragraph, SpeakerKind, Speech, StageDirection, Withheld
from gijiroku.record.problems import Problem
from gijiroku.record.registry import load_committee, load_registry
from gijiroku.record.source import parse_source

PROJECT = FIXTURES / "project"


def registry():
    problems: list[Problem] = []
    reg = load_registry(PROJECT, load_committee(PROJECT, problems), problems)
    assert problems == []
    return reg


def parse_case(name: str):
    text = (FIXTURES / "parse" / f"{name}.md").read_text(encoding="utf-8")
    problems: list[Problem] = []
    source = parse_source(text, f"{name}.md", problems)
    meeting = parse_meeting(source, "1", registry())
    return meeting, problems + source.problems


def shape(meeting):
    """Elements as comparable tuples: ("speech", order, agenda, label, [block texts]) or ("event", …)."""
    out = []
    for e in meeting.elements:
        if isinstance(e, Speech):
            out.append(("speech", e.order, e.agenda, e.speaker.label, [b.text for b in e.blocks]))
        else:
            out.append(("event", e.agenda, type(e.block).__name__, e.block.text))
    return out


def test_fullwidth_space_separates_label_from_speech():
    meeting, problems = parse_case("fullwidth_space_after_label")
    assert problems == []
    assert shape(meeting)[0] == ("speech", 1, None, "井上委員長", ["全角空白の後の発言です。"])


def test_stage_direction_between_turns_stands_alone():
    meeting, problems = parse_case("stage_direction_between_turns")
    assert problems == []
    assert shape(meeting) == [
        ("speech", 1, 1, "事務局", ["説明します。"]),
        ("event", 1, "StageDirection", "（監視・監督関係者以外退室）"),
        ("speech", 2, 1, "井上委員長", ["続けます。"]),
    ]


def test_stage_direction_inside_a_turn_stays_in_it():
    meeting, problems = parse_case("stage_direction_inside_turn")
    assert problems == []
    (speech,) = meeting.speeches
    assert speech.blocks == (Paragraph("前半です。"), StageDirection("（拍手）"), Paragraph("後半です。"))


def test_withheld_region_mid_speech_becomes_placeholder_and_text_is_gone():
    meeting, problems = parse_case("withheld_mid_speech")
    assert problems == []
    (speech,) = meeting.speeches
    assert speech.blocks == (Paragraph("公開の段落。"), Withheld(), Paragraph("公開の続き。"))
    assert "秘密" not in repr(meeting.elements) and "秘密" not in speech.text


def test_withheld_whole_speech_is_not_counted_in_the_order():
    meeting, problems = parse_case("withheld_whole_speech")
    assert problems == []
    assert shape(meeting) == [
        ("speech", 1, 1, "井上委員長", ["一つ目。"]),
        ("event", 1, "Withheld", "（内容について非公表）"),
        ("speech", 2, 1, "髙村委員", ["三つ目。"]),
    ]


def test_withheld_region_on_the_first_line_of_the_body():
    meeting, problems = parse_case("withheld_first_line")
    assert problems == []
    assert shape(meeting)[0] == ("event", None, "Withheld", "（内容について非公表）")
    assert [s.order for s in meeting.speeches] == [1, 2]


def test_withheld_region_on_the_last_line_of_the_file():
    meeting, problems = parse_case("withheld_last_line")
    assert problems == []
    assert shape(meeting) == [
        ("speech", 1, 1, "事務局", ["説明します。"]),
        ("event", 1, "Withheld", "（内容について非公表）"),
    ]


def test_opening_and_closing_parts():
    meeting, problems = parse_case("opening_and_closing")
    assert problems == []
    parts = [(kind, item.number if item else None, [e.order for e in els]) for kind, item, els in meeting.parts()]
    assert parts == [("opening", None, [1]), ("item", 1, [2]), ("closing", None, [3])]
    assert [s.agenda for s in meeting.speeches] == [None, 1, None]


def test_secretariat_roles_are_kept_as_printed_and_a_bare_role_resolves_by_date():
    meeting, problems = parse_case("roles_without_names")
    assert problems == []
    speakers = [(s.speaker.label, s.speaker.kind, s.speaker.person_id) for s in meeting.speeches]
    assert speakers == [
        ("事務局", SpeakerKind.SECRETARIAT, None),
        ("佐藤事務局長", SpeakerKind.SECRETARIAT, None),
        ("委員長", SpeakerKind.COMMISSIONER, "inoue"),  # 2023: 井上 chairs
    ]


def test_dated_roles_change_hands():
    meeting, problems = parse_case("dated_roles")
    assert problems == []
    assert [(s.speaker.label, s.speaker.person_id) for s in meeting.speeches] == [
        ("委員長", "aoki"),  # in 2021 the chair was 青木
        ("井上委員", "inoue"),
    ]


def test_every_line_is_a_paragraph_and_indentation_is_layout():
    meeting, problems = parse_case("paragraphs_one_per_line")
    assert problems == []
    assert meeting.speeches[0].blocks == (Paragraph("一行目。"), Paragraph("二行目。"), Paragraph("字下げの三行目。"))


def test_registry_alias_resolves_a_variant_spelling():
    meeting, problems = parse_case("alias_label")
    assert problems == []
    assert [s.speaker.person_id for s in meeting.speeches] == ["takamura", "takamura"]
    assert [s.speaker.label for s in meeting.speeches] == ["髙村委員", "高村委員"]  # kept as printed


@pytest.mark.parametrize("name", sorted(p.stem for p in (FIXTURES / "parse").glob("*.md")))
def test_every_parse_fixture_is_clean(name):
    _, problems = parse_case(name)
    assert problems == []


def test_event_and_speech_types_are_frozen():
    meeting, _ = parse_case("stage_direction_between_turns")
    with pytest.raises(AttributeError):
        meeting.elements[0].order = 5  # type: ignore[misc]
    assert isinstance(meeting.elements[1], Event)


def test_withheld_regions_on_both_sides_of_a_heading_stay_in_their_own_items():
    """Found by the property tests: adjacent placeholders were merged across a heading."""
    meeting, problems = parse_case("withheld_after_heading")
    assert problems == []
    assert shape(meeting) == [
        ("speech", 1, 1, "井上委員長", ["一つ目。"]),
        ("event", 1, "Withheld", "（内容について非公表）"),
        ("event", 2, "Withheld", "（内容について非公表）"),
        ("speech", 2, 2, "井上委員長", ["二つ目。"]),
    ]
