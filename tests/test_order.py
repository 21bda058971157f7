"""The order of commissioners and agencies in lists: role, appointment, reading, the record's own
order; kind, reading, name. Never the romaji id (a file name, not a fact)."""

from __future__ import annotations

from conftest import make_project, write
from gijiroku.record.loader import load_record
from gijiroku.site import order


def person(root, ident, name, title="委員", start="null", reading="null"):
    write(root / "docs" / "commissioners" / f"{ident}.md",
          f"---\nid: {ident}\nname: {name}\nreading: {reading}\nroles:\n  - title: {title}\n    from: {start}\n    to: null\n---\n")


def agency(root, ident, name, kind, reading="null"):
    write(root / "docs" / "agencies" / f"{ident}.md",
          f"---\nid: {ident}\nname: {name}\nkind: {kind}\nreading: {reading}\n---\n")


def loaded(root):
    record, problems = load_record(root)
    assert problems == []
    return record


def test_commissioners_by_role_then_appointment_then_reading_then_the_records_order(tmp_path):
    root = make_project(tmp_path / "p")
    # The fixture's 第10回 lists [井上委員長, 髙村委員]; 第9回 [青木委員長, 井上委員].
    person(root, "a-late", "遅田", start="2022-04-01")
    person(root, "b-early", "早川", start="2019-04-01")
    person(root, "c-read-wa", "和田", reading="わだ")
    person(root, "d-read-a", "安藤", reading="アンドウ")  # katakana sorts with hiragana
    person(root, "zz-unlisted", "無名")
    names = [p.name for p in order.people(loaded(root))]
    assert names[:2] == ["井上", "青木"]  # both have chaired (委員長): appointment 2020-01-01 for both, then
    # 井上 is listed by the newest meeting (第10回), 青木 by 第9回 only
    assert names[2:] == ["早川", "遅田", "安藤", "和田", "髙村", "無名"]


def test_agencies_by_kind_then_reading_then_name_not_by_id(tmp_path):
    root = make_project(tmp_path / "p")  # kinds in its committee.yml: 国の行政機関, 事業者
    agency(root, "a-yokohama", "横浜商事株式会社", "事業者", reading="よこはましょうじ")
    agency(root, "b-adachi", "足立物産株式会社", "事業者", reading="あだちぶっさん")
    agency(root, "c-niigata", "新潟電機株式会社", "事業者")
    agency(root, "a-saitama", "さいたま工業株式会社", "事業者")
    agency(root, "z-cao", "内閣府", "国の行政機関", reading="ないかくふ")
    listed = [(a.kind, a.name) for a in order.agencies(loaded(root))]
    assert listed == [
        ("国の行政機関", "内閣府"), ("国の行政機関", "デジタル庁"),  # a reading first, then the name
        ("事業者", "足立物産株式会社"), ("事業者", "横浜商事株式会社"),  # by reading
        ("事業者", "さいたま工業株式会社"), ("事業者", "例示株式会社"), ("事業者", "新潟電機株式会社"),  # by name
    ]


def test_reading_key_puts_known_readings_first_in_gojuon_order():
    keys = sorted(["わだ", None, "アンドウ", "いとう", ""], key=order.reading_key)
    assert keys[:3] == ["アンドウ", "いとう", "わだ"] and set(keys[3:]) == {None, ""}
