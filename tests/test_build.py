"""A real build of the real content: pages, anchors, links to speakers, and the JSON API."""

from __future__ import annotations

import json

import pytest

from sitecheck import by_class, elements, facts_of, speakers

pytestmark = pytest.mark.slow


def parse(path):
    return elements(path)


def test_meeting_244_has_every_turn_with_its_anchor_and_speaker(built_site):
    els = parse(built_site / "meetings" / "244" / "index.html")
    speeches = by_class(els, "gk-speech")
    assert [s["attrs"]["id"] for s in speeches] == [f"speech-{n}" for n in range(1, 17)]
    turns = speakers(els)
    assert [s["text"] for s in turns] == ["森川総務課長", "丹野委員長", "事務局", "丹野委員長", "事務局", "丹野委員長",
                                             "小川委員", "丹野委員長", "加藤委員", "丹野委員長", "事務局", "丹野委員長",
                                             "髙村委員", "丹野委員長", "丹野委員長", "丹野委員長"]
    assert turns[6]["href"] == "../../commissioners/ogawa/"
    assert turns[0]["href"] is None  # a secretariat role is not a registry person


def test_meeting_header_card(built_site):
    els = parse(built_site / "meetings" / "244" / "index.html")
    facts = facts_of(els)
    assert facts["日時"] == "令和5年（2023年）5月31日（水） 14:40〜"
    assert facts["場所"] == "個人情報保護委員会 委員会室"
    assert facts["出席者"].startswith("委員 丹野委員長、小川委員")
    assert "事務局 11名松元事務局長、三原事務局次長" in facts["出席者"]  # the secretariat folds behind its count
    agenda = [e["text"] for e in els if e["tag"] == "li" and e["text"].startswith("議題")
              and "md-nav__item" not in (e["attrs"].get("class") or "")]  # the article's list, not the sidebar's
    # the agenda is the page's contents: jump link, badges, then the link to the item's own page
    assert agenda[0] == "議題1 デジタル社会の実現に向けた重点計画（案）に係る意見聴取について意見聴取原案のとおり決定議題のページ"
    assert agenda[3] == "議題4 監視・監督について非公表監視・監督議題のページ"


def test_meeting_136_says_once_which_facts_the_record_lacks(built_site):
    els = parse(built_site / "meetings" / "136" / "index.html")
    facts = facts_of(els)
    assert not {"日時", "場所", "出席者"} & set(facts)  # left out, not printed as 不明
    assert [e["text"] for e in by_class(els, "gk-absent")] == ["日時・場所・出席者は記録に記載がありません。"]
    assert len(by_class(els, "gk-speech")) == 14


def test_withheld_placeholder_and_stage_direction_are_styled(built_site):
    els = parse(built_site / "meetings" / "244" / "index.html")
    assert [e["text"] for e in by_class(els, "gk-withheld")] == ["（内容について非公表）"]
    assert [e["text"] for e in by_class(els, "gk-stage")] == ["（監視・監督関係者以外退室）"]


def test_api_meetings_exactly_as_the_contract(built_site):
    data = json.loads((built_site / "api" / "meetings.json").read_text(encoding="utf-8"))
    assert list(data) == ["meetings"]
    m136, m244 = data["meetings"]
    assert set(m244) == {"number", "title", "date", "url", "api", "agenda", "record"}
    assert (m136["record"], m244["record"]) == ("議事録", "議事録")
    assert (m136["number"], m136["date"], m244["date"]) == (136, None, "2023-05-31")
    assert m244["url"] == "http://127.0.0.1:8000/meetings/244/"
    item = m244["agenda"][2]
    assert item == {
        "number": 3, "title": "マイナンバーカード等に係る各種事案に対する個人情報保護委員会の対応方針",
        "disclosure": "公開", "outcome": "原案のとおり決定",
        "agencies": ["local-governments", "fujitsu-japan", "health-insurance-societies", "mhlw", "digital-agency", "nta"],
        "summary": None, "url": "http://127.0.0.1:8000/meetings/244/agenda/3/",
    }
    assert m244["agenda"][3]["disclosure"] == "非公表"


def test_api_speeches_exactly_as_the_contract(built_site):
    """speeches.json is the index of the per-year files; no file holds every speech."""
    index = json.loads((built_site / "api" / "speeches.json").read_text(encoding="utf-8"))
    assert index == {"files": [
        {"year": "2023", "count": 16, "url": "http://127.0.0.1:8000/api/speeches/2023.json"},
        {"year": "unknown", "count": 14, "url": "http://127.0.0.1:8000/api/speeches/unknown.json"}]}
    by_year = {f["year"]: json.loads((built_site / "api" / "speeches" / f"{f['year']}.json").read_text(encoding="utf-8"))
               for f in index["files"]}
    assert [len(d["speeches"]) for d in by_year.values()] == [16, 14]
    speeches = [s for d in by_year.values() for s in d["speeches"]]
    first = next(s for s in speeches if s["id"] == "244-13")
    assert set(first) == {"id", "meeting", "meeting_title", "date", "agenda", "agenda_title", "order", "speaker",
                          "speaker_id", "speaker_role", "text", "url"}
    assert (first["meeting"], first["meeting_title"], first["date"], first["agenda"], first["agenda_title"],
            first["order"], first["speaker"], first["speaker_id"], first["speaker_role"]) == (
        244, "第244回個人情報保護委員会", "2023-05-31", 3,
        "マイナンバーカード等に係る各種事案に対する個人情報保護委員会の対応方針", 13, "髙村委員", "takamura", "委員")
    assert first["text"].startswith("再発防止策について申し上げます。\n一連の事案は、")
    assert first["url"] == "http://127.0.0.1:8000/meetings/244/#speech-13"
    secretariat = next(s for s in speeches if s["id"] == "244-1")
    assert (secretariat["speaker"], secretariat["speaker_id"], secretariat["speaker_role"], secretariat["agenda"],
            secretariat["agenda_title"]) == ("森川総務課長", None, "総務課長", None, None)
    assert {s["date"] for s in by_year["unknown"]["speeches"]} == {None}  # 第136回: the record states no date


def test_api_has_one_file_per_meeting_with_its_speeches(built_site):
    index = json.loads((built_site / "api" / "meetings.json").read_text(encoding="utf-8"))["meetings"]
    for entry in index:
        assert entry["api"] == f"http://127.0.0.1:8000/api/meetings/{entry['number']}.json"
        own = json.loads((built_site / "api" / "meetings" / f"{entry['number']}.json").read_text(encoding="utf-8"))
        assert {k: v for k, v in own.items() if k != "speeches"} == entry  # the meeting as in the index
        year = entry["date"][:4] if entry["date"] else "unknown"
        filed = json.loads((built_site / "api" / "speeches" / f"{year}.json").read_text(encoding="utf-8"))["speeches"]
        assert own["speeches"] == [s for s in filed if s["meeting"] == entry["number"]]
    m244 = json.loads((built_site / "api" / "meetings" / "244.json").read_text(encoding="utf-8"))
    assert [s["order"] for s in m244["speeches"]] == list(range(1, 17))
    assert {s["agenda"] for s in m244["speeches"]} == {None, 1, 2, 3, 4}  # 議題4 (非公表): its public remark only
    assert "監視・監督関係者" not in json.dumps(m244["speeches"], ensure_ascii=False)  # a stage direction is no speech


def test_api_decisions_exactly_as_the_contract(built_site):
    data = json.loads((built_site / "api" / "decisions.json").read_text(encoding="utf-8"))
    by_id = {d["id"]: d for d in data["decisions"]}
    assert len(by_id) == 3
    assert by_id["2023-05-31-taio-hoshin"] == {
        "id": "2023-05-31-taio-hoshin",
        "title": "マイナンバーカード等に係る各種事案に対する個人情報保護委員会の対応方針（案）",
        "date": "2023-05-31", "kind": "対応方針", "meeting": 244, "agenda": 3,
        "agencies": ["yokohama", "adachi", "kawasaki", "tokushima", "kumamoto", "niigata", "saitama", "fujitsu-japan",
                     "health-insurance-societies", "mhlw", "ssk", "kokuho-chuokai", "digital-agency", "nta",
                     "local-governments"],
        "url": "http://127.0.0.1:8000/decisions/2023-05-31-taio-hoshin/",
    }
    assert by_id["digital-agency-kaizen-jokyo"]["meeting"] is None


def test_decision_pages_exist(built_site):
    for doc in ("2023-05-31-taio-hoshin", "digital-agency-kaizen-jokyo", "2017-12-08-bango-ho-hokoku"):
        assert (built_site / "decisions" / doc / "index.html").is_file()


def test_a_build_reports_the_seconds_of_each_step(project, monkeypatch, tmp_path):
    """With GIJIROKU_STEPS set (make bench sets it), the build writes each step's seconds there."""
    from conftest import build_on_fixed_date

    target = tmp_path / "steps.json"
    monkeypatch.setenv("GIJIROKU_STEPS", str(target))
    build_on_fixed_date(project)
    steps = json.loads(target.read_text(encoding="utf-8"))
    assert list(steps) == ["read", "generate", "render", "index", "fence", "verify"]  # the index before the fence's findings
    assert all(seconds > 0 for seconds in steps.values())


def test_api_files_are_compact_utf8_json_on_one_line(built_site):
    """Each API file as `api.dump` writes it: Japanese unescaped, no layout (json's indenting
    encoder is Python and took five times as long at 1000 meetings), one line ending the file."""
    files = sorted((built_site / "api").rglob("*.json"))
    assert len(files) >= 7
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n") and text.count("\n") == 1, path
        assert text == json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":")) + "\n"
    assert "個人情報保護委員会" in (built_site / "api" / "meetings.json").read_text(encoding="utf-8")
