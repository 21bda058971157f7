"""The model's own derived values, which pages, search and the synthetic corpus all read."""

from __future__ import annotations

from dataclasses import replace

from gijiroku.record.model import Decision, Person, Role
from gijiroku.record.registry import Committee, hashed_id


def test_display_title_as_printed_or_with_the_full_name():
    tanno = Person("tanno", "丹野", (Role("委員"), Role("委員長")))
    assert tanno.display_title == "丹野委員長"  # the latest role, as the record prints the label
    assert replace(tanno, full_name="丹野美絵子").display_title == "丹野美絵子（委員長）"
    assert Person("x", "某").display_title == "某"


def test_has_chaired_is_any_role_of_chair():
    assert Person("a", "甲", (Role("委員長"), Role("委員"))).has_chaired
    assert not Person("b", "乙", (Role("委員"), Role("委員長代理"))).has_chaired
    assert not Person("c", "丙").has_chaired


def test_hashed_id_is_k_and_eight_hex_digits_of_sha256():
    assert hashed_id("国の行政機関") == "ke77637a0"  # the anchor tests/golden/agencies.html pins


def test_an_agenda_kind_id_comes_from_committee_yml_else_from_its_hash():
    assert Committee().kind_id("報告") == hashed_id("報告")
    assert Committee(agenda_kind_ids={"報告": "report"}).kind_id("報告") == "report"


def test_decision_category():
    decision = Decision("d", "題", "指導", None)
    assert decision.category == "決定"
    assert replace(decision, kind="報告結果").category == "資料"
