"""The five official documents as content: every word as printed, speakers and outcomes as the record says."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, SEEDS
from gijiroku.record.loader import load_record
from gijiroku.record.model import Disclosure, Speech

WS = re.compile(r"\s+")


@pytest.fixture(scope="module")
def record():
    rec, problems = load_record(ROOT)
    assert problems == []
    return rec


def squeeze(text: str) -> str:
    return WS.sub("", text)


def record_text(meeting) -> str:
    """The meeting's record as printed: ○label + text for each turn, stage directions, placeholders."""
    parts = []
    for e in meeting.elements:
        parts.append(f"○{e.speaker.label}{e.text}" if isinstance(e, Speech) else e.block.text)
    return squeeze("".join(parts))


HEADER_244 = ("日時", "場所", "出席者", "梶田委員", "松元事務局長", "栗原参事官")


def test_244_reproduces_every_character_of_the_record(record):
    seed = (SEEDS / "000_ba22dd514cf4d661.txt").read_text(encoding="utf-8")
    lines = [line for line in seed.split("\n") if line.strip()]
    body = [line for line in lines if not line.strip().startswith(HEADER_244)]
    assert len(lines) - len(body) == 6
    assert record_text(record.meetings[244]) == squeeze("".join(body))


def test_136_reproduces_every_character_of_the_record(record):
    seed = (SEEDS / "003_673e9350a45522c7.txt").read_text(encoding="utf-8")
    assert record_text(record.meetings[136]) == squeeze(seed)


def test_244_header_as_printed(record):
    m = record.meetings[244]
    assert (m.date.isoformat(), m.start_time, m.end_time, m.place) == ("2023-05-31", "14:40", None, "個人情報保護委員会 委員会室")
    assert [s.label for s in m.commissioners] == ["丹野委員長", "小川委員", "中村委員", "大島委員", "浅井委員",
                                                 "加藤委員", "藤原委員", "梶田委員", "髙村委員"]
    assert [s.person_id for s in m.commissioners] == ["tanno", "ogawa", "nakamura", "oshima", "asai", "kato",
                                                     "fujiwara", "kajita", "takamura"]
    assert [s.label for s in m.secretariat] == ["松元事務局長", "三原事務局次長", "山澄審議官", "森川総務課長",
                                               "吉屋参事官", "栗原参事官", "香月参事官", "小嶋参事官", "片岡参事官",
                                               "石田参事官", "松本研究官"]
    assert m.chair.person_id == "tanno"


def test_136_facts_the_record_lacks_are_unknown(record):
    m = record.meetings[136]
    assert (m.date, m.start_time, m.place, m.commissioners, m.secretariat) == (None, None, None, None, None)


# (order, agenda, label, registry id) for every turn, derived by hand from the seeds.
TURNS_244 = [
    (1, None, "森川総務課長", None), (2, None, "丹野委員長", "tanno"),
    (3, 1, "事務局", None), (4, 1, "丹野委員長", "tanno"),
    (5, 2, "事務局", None), (6, 2, "丹野委員長", "tanno"), (7, 2, "小川委員", "ogawa"),
    (8, 2, "丹野委員長", "tanno"), (9, 2, "加藤委員", "kato"), (10, 2, "丹野委員長", "tanno"),
    (11, 3, "事務局", None), (12, 3, "丹野委員長", "tanno"), (13, 3, "髙村委員", "takamura"),
    (14, 3, "丹野委員長", "tanno"), (15, 4, "丹野委員長", "tanno"), (16, None, "丹野委員長", "tanno"),
]
TURNS_136 = [
    (1, None, "青山総務課長", None), (2, None, "丹野委員長", "tanno"),
    (3, 1, "事務局", None), (4, 1, "丹野委員長", "tanno"),
    (5, 2, "事務局", None), (6, 2, "丹野委員長", "tanno"),
    (7, 3, "事務局", None), (8, 3, "丹野委員長", "tanno"), (9, 3, "中村委員", "nakamura"),
    (10, 3, "丹野委員長", "tanno"),
    (11, 4, "事務局", None), (12, 4, "丹野委員長", "tanno"),
    (13, 5, "事務局", None), (14, 5, "丹野委員長", "tanno"),
]


@pytest.mark.parametrize("number,turns", [(244, TURNS_244), (136, TURNS_136)])
def test_speaker_and_agenda_of_every_turn(record, number, turns):
    got = [(s.order, s.agenda, s.speaker.label, s.speaker.person_id) for s in record.meetings[number].speeches]
    assert got == turns


def test_thirty_turns_in_all(record):
    assert len(record.speeches()) == 30


def test_the_same_chair_in_2020_and_2023(record):
    ids = {s.speaker.person_id for n in (136, 244) for s in record.meetings[n].speeches if s.speaker.label == "丹野委員長"}
    assert ids == {"tanno"}


OUTCOMES = {
    (244, 1): ("意見聴取", "原案のとおり決定", Disclosure.PUBLIC, ("cao",)),
    (244, 2): ("全項目評価書", "原案のとおり評価書を承認", Disclosure.PUBLIC, ("mhlw",)),
    (244, 3): ("対応方針", "原案のとおり決定", Disclosure.PUBLIC,
               ("local-governments", "fujitsu-japan", "health-insurance-societies", "mhlw", "digital-agency", "nta")),
    (244, 4): ("監視・監督", "非公表", Disclosure.WITHHELD, ()),
    (136, 1): ("全項目評価書", "全項目評価書を承認", Disclosure.PUBLIC, ("sangyo-kikai-kenpo",)),
    (136, 2): ("全項目評価書", "全項目評価書を承認", Disclosure.PUBLIC, ("cao",)),
    (136, 3): ("独自利用事務", "原案のとおり決定し、公表", Disclosure.PUBLIC, ("local-governments",)),
    (136, 4): ("独自利用事務", "総務大臣に通知", Disclosure.PUBLIC, ("local-governments", "mic")),
    (136, 5): ("報告", "報告", Disclosure.PUBLIC, ("mic",)),
}


def test_outcomes_kinds_and_agencies_per_item(record):
    got = {i.key: (i.kind, i.outcome, i.disclosure, i.agencies)
           for m in record.meetings.values() for i in m.agenda}
    assert got == OUTCOMES
    assert record.item(244, 1).publication == "資料、議事録及び議事概要は後日公表"
    assert record.item(244, 4).reason == "監視・監督案件"


def test_244_item_4_shows_only_what_the_record_prints(record):
    parts = [(type(e).__name__, getattr(e, "order", None)) for e in record.meetings[244].elements_of(4)]
    assert parts == [("Event", None), ("Speech", 15), ("Event", None)]


def test_three_decisions_linked_as_the_record_says(record):
    assert sorted(record.decisions) == ["2017-12-08-bango-ho-hokoku", "2023-05-31-taio-hoshin",
                                        "digital-agency-kaizen-jokyo"]
    policy = record.decisions["2023-05-31-taio-hoshin"]
    assert (policy.meeting, policy.agenda, policy.date.isoformat(), policy.kind) == (244, 3, "2023-05-31", "対応方針")
    assert record.item(244, 3).decisions == ("2023-05-31-taio-hoshin",)
    report = record.decisions["digital-agency-kaizen-jokyo"]
    assert (report.meeting, report.date, report.agencies) == (None, None, ("digital-agency",))
    old = record.decisions["2017-12-08-bango-ho-hokoku"]
    assert (old.date.isoformat(), old.kind) == ("2017-12-08", "報告結果")
    assert "グラフ" in old.note


MARKDOWN_SYNTAX = re.compile(r"[#\-|*>]")
# Lines of the extracted PDFs that are layout, not wording: page numbers, repeated table
# headers, and the 資料３ / 公表資料 marks (kept in front matter).
LAYOUT = {"4", "5", "6", "7", "10", "11", "資料３", "公表資料", "事案の概要問題の所在当委員会の着眼点と対応方針",
          "指導事項改善策の実施状況"}


@pytest.mark.parametrize("seed,doc", [
    ("002_d033e62ab533392d.txt", "2023-05-31-taio-hoshin"),
    ("001_9e0e7b87955f1a43.txt", "digital-agency-kaizen-jokyo"),
    ("004_7c2691e03fe354de.txt", "2017-12-08-bango-ho-hokoku"),
])
def test_decision_contains_every_printed_line(record, seed, doc):
    decision = record.decisions[doc]
    body = MARKDOWN_SYNTAX.sub("", squeeze(decision.title + decision.body))
    missing = []
    for line in (SEEDS / seed).read_text(encoding="utf-8").split("\n"):
        key = MARKDOWN_SYNTAX.sub("", squeeze(line.replace("<sup>", "").replace("</sup>", "")))
        if key and key not in LAYOUT and key not in body:
            missing.append(line)
    assert missing == []
