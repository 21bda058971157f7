"""Facts, not blanks (issue 13): what the record does not state is left out, the originals are
linked where their URLs are known, the meetings list names its items, and 非公表 is explained."""

from __future__ import annotations

import re
from itertools import takewhile
from pathlib import Path

import pytest

from conftest import ROOT
from sitecheck import by_class, elements, facts_of, links, resolve

pytestmark = pytest.mark.slow

CHART = re.compile(r'<figure class="gk-chart">.*?</figure>', re.S)
ABSENT = "日時・場所・出席者は記録に記載がありません。"


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def article(path: Path) -> str:
    return path.read_text(encoding="utf-8").split('<article class="md-content__inner md-typeset">', 1)[1]


# -- not 不明 ---------------------------------------------------------------------------------------


def test_no_page_of_the_real_site_prints_unknown_but_the_chart_bar(built_site):
    """94 times on 31 pages before: now only a chart's bar (and its text) for undated meetings."""
    charts = 0
    for page in pages(built_site) + [built_site / "feed.xml"]:
        html = page.read_text(encoding="utf-8")
        for chart in CHART.findall(html):
            charts += 1
            assert chart.count("不明") == chart.count("日付不明"), page
        assert "不明" not in CHART.sub("", html), (page, re.findall(r".{30}不明.{10}", CHART.sub("", html)))
    assert charts  # 丹野委員長 spoke at the undated 第136回: the chart with the bar exists
    assert "日付不明" in (built_site / "commissioners" / "tanno" / "index.html").read_text(encoding="utf-8")
    sentence = [p for p in pages(built_site) if ABSENT in p.read_text(encoding="utf-8")]
    assert sentence == [built_site / "meetings" / "136" / "index.html"]
    assert article(sentence[0]).count(ABSENT) == 1


def test_commissioner_card_leaves_out_what_the_registry_lacks(built_site):
    els = elements(built_site / "commissioners" / "tanno" / "index.html")
    facts = facts_of(els)
    assert not {"氏名", "読み"} & set(facts)
    assert facts["役職"] == "委員長"  # no 在任期間: the registry gives no dates


def test_commissioner_card_prints_role_dates_the_registry_has(facts_site):
    facts = facts_of(elements(facts_site / "commissioners" / "inoue" / "index.html"))
    assert facts["役職"] == "委員（在任期間 2020年1月1日 〜 2022年12月31日）委員長（在任期間 2023年1月1日 〜 ）"


def test_undated_document_shows_neither_date_nor_meeting(built_site):
    facts = facts_of(elements(built_site / "decisions" / "digital-agency-kaizen-jokyo" / "index.html"))
    assert set(facts) == {"種類", "関係機関"}
    listing = elements(built_site / "decisions" / "index.html")
    assert "日付の記載がない文書" in [e["text"].rstrip("#") for e in listing if e["tag"] == "h2"]


def test_a_missing_place_is_said_once_and_a_missing_outcome_left_out(facts_site):
    els = elements(facts_site / "meetings" / "11" / "index.html")
    facts = facts_of(els)
    assert facts["日時"] == "令和5年（2023年）6月7日（水） 10:00〜"
    assert "場所" not in facts
    assert [e["text"] for e in by_class(els, "gk-absent")] == ["場所は記録に記載がありません。"]
    item = facts_of(elements(facts_site / "meetings" / "11" / "agenda" / "1" / "index.html"))
    assert "結果" not in item and item["種類"] == "その他"


# -- the originals ----------------------------------------------------------------------------------


def external(path: Path) -> list[tuple[str, str]]:
    return [(e["text"], e["attrs"]["href"]) for e in elements(path)
            if e["tag"] == "a" and e["attrs"].get("rel") == "external"]


def test_meeting_links_its_sources_and_materials_where_the_url_is_known(facts_site):
    page = facts_site / "meetings" / "11" / "index.html"
    assert external(page) == [("議事次第", "https://example.org/ppc/11/shidai.pdf"),
                              ("議事概要", "https://example.org/ppc/11/gaiyou.pdf"),
                              ("資料１", "https://example.org/ppc/11/shiryou1.pdf")]
    facts = facts_of(elements(page))
    assert facts["出典"] == "議事次第議事概要第11回個人情報保護委員会 議事録"  # the last one by title alone
    item = facts_of(elements(facts_site / "meetings" / "11" / "agenda" / "1" / "index.html"))
    assert item["資料"] == "資料１ 例示庁の報告、資料２"
    assert external(facts_site / "meetings" / "11" / "agenda" / "1" / "index.html") == [
        ("資料１", "https://example.org/ppc/11/shiryou1.pdf")]


def test_decision_links_its_source(facts_site):
    assert external(facts_site / "decisions" / "2023-06-07-sourced" / "index.html") == [
        ("例示庁の報告（PDF）", "https://example.org/ppc/11/report.pdf")]


def test_a_page_without_sources_has_no_source_row(facts_site):
    assert "出典" not in facts_of(elements(facts_site / "meetings" / "10" / "index.html"))


# -- the meetings list --------------------------------------------------------------------------------


def meeting_entries(site: Path) -> dict[str, list[dict]]:
    """Each meeting of /meetings/ (by its id) with the elements of its <li> items."""
    els = elements(site / "meetings" / "index.html")
    out = {}
    for entry in by_class(els, "gk-meetings__entry"):
        start = els.index(entry)
        end = next((i for i in range(start + 1, len(els)) if "gk-meetings__entry" in (els[i]["attrs"].get("class") or "")),
                   len(els))
        out[entry["attrs"]["id"]] = els[start:end]
    return out


def items_of(entry: list[dict]) -> list[str]:
    lists = by_class(entry, "gk-meetings__items")
    assert len(lists) == 1
    start, inside = entry.index(lists[0]), lists[0]["text"]
    # the last meeting's elements run on to the page's end (the feeds line has <li>s too): keep the list's own
    return [e["text"] for e in entry[start + 1:] if e["tag"] == "li" and e["text"] in inside]


def test_meetings_list_names_every_item_with_badges_grouped_by_year(built_site):
    entries = meeting_entries(built_site)
    assert list(entries) == ["m244", "m136"]
    assert items_of(entries["m244"]) == [
        "議題1 デジタル社会の実現に向けた重点計画（案）に係る意見聴取について 意見聴取原案のとおり決定",
        "議題2 厚生労働省（職業安定行政業務に関する事務）の全項目評価書（ハローワークシステムのクラウドサービスへの移行等に伴う評価の再実施）について 全項目評価書原案のとおり評価書を承認",
        "議題3 マイナンバーカード等に係る各種事案に対する個人情報保護委員会の対応方針 対応方針原案のとおり決定",
        "議題4 監視・監督について 非公表監視・監督",  # title, badge, kind: what public_record leaves
    ]
    assert len(items_of(entries["m136"])) == 5
    els = elements(built_site / "meetings" / "index.html")
    assert [e["text"].rstrip("#") for e in els if e["tag"] == "h2"] == ["2023年（令和5年）", "開催日の記載がない会議"]
    # the years as jumps, each to its heading (a phone has no table of contents beside the list)
    jumps = list(takewhile(lambda e: e["tag"] == "a", els[els.index(by_class(els, "gk-jumps")[0]) + 1:]))
    assert [(e["text"], e["attrs"]["href"]) for e in jumps] == [("2023年", "#y2023"), ("開催日の記載がない会議", "#unknown")]
    assert {e["attrs"].get("id") for e in els if e["tag"] == "h2"} == {"y2023", "unknown"}
    assert not by_class(els, "gk-table")  # a table squeezed 第244回 to a character a line on a phone


@pytest.mark.parametrize("page", ["meetings", "decisions", "agencies"])
def test_a_long_list_opens_with_a_jump_to_each_of_its_groups(built_site, page):
    """Its years (meetings, documents) or kinds (agencies), in order, each landing on its heading."""
    els = elements(built_site / page / "index.html")
    jumps = list(takewhile(lambda e: e["tag"] == "a", els[els.index(by_class(els, "gk-jumps")[0]) + 1:]))
    headings = [e for e in els if e["tag"] == "h2"]
    assert [e["attrs"]["href"] for e in jumps] == ["#" + h["attrs"]["id"] for h in headings]
    assert all(h["text"].startswith(e["text"]) for e, h in zip(jumps, headings, strict=True))


def test_meetings_list_shows_withheld_and_deferred_items_as_public_record_leaves_them(facts_site):
    entries = meeting_entries(facts_site)
    assert items_of(entries["m10"])[1] == "議題2 監視・監督について 非公表監視・監督"  # no outcome 非公表 badge
    assert items_of(entries["m9"]) == ["議題1 例示株式会社の報告について 後日公表予定"]  # kind and outcome dropped
    assert items_of(entries["m11"]) == ["議題1 例示庁の報告について その他"]  # outcome not in the record


# -- 非公表 explained -----------------------------------------------------------------------------------


def test_disclosure_page_says_what_why_and_whether(facts_site):
    els = elements(facts_site / "disclosure" / "index.html")
    assert next(e for e in els if e["tag"] == "h1")["text"].rstrip("#") == "非公表・後日公表について"
    assert {"withheld", "deferred", "placeholder"} <= {e["attrs"].get("id") for e in els}
    items = [e["text"] for e in els if e["tag"] == "li"]
    assert "第10回試験委員会 議題2 監視・監督について2023年4月5日、種類：監視・監督、理由：監視・監督案件" in items
    assert "第9回試験委員会 議題1 例示株式会社の報告について2021年6月1日、2030年1月1日以降に公表" in items
    text = article(facts_site / "disclosure" / "index.html")
    assert "公表の予定日が記録されていません" in text


def test_every_badge_and_placeholder_links_to_its_part_of_the_explanation(facts_site):
    explanation = facts_site / "disclosure" / "index.html"
    anchors = {e["attrs"]["id"] for e in elements(explanation) if e["attrs"].get("id")}
    kinds = {"gk-badge--withheld": "withheld", "gk-badge--deferred": "deferred", "gk-withheld": "placeholder"}
    seen: dict[str, set[str]] = {kind: set() for kind in kinds.values()}
    for page in pages(facts_site):
        rel = page.relative_to(facts_site).as_posix()
        els = elements(page)
        hrefs = iter(links(facts_site, page))
        for i, el in enumerate(els):
            cls = (el["attrs"].get("class") or "").split()
            kind = next((kinds[c] for c in cls if c in kinds), None)
            if kind is None:
                continue
            # the badge sits inside its link; the placeholder holds its link
            link_el = els[i - 1] if kind != "placeholder" else els[i + 1]
            assert link_el["tag"] == "a", (rel, el)
            link = next(ln for ln in hrefs if ln.value == link_el["attrs"]["href"])
            assert resolve(facts_site, link) == (explanation, kind), (rel, link)
            assert kind in anchors
            seen[kind].add(rel)
        # the footer of every page, the 404 page included
        assert any(resolve(facts_site, ln) == (explanation, "") for ln in links(facts_site, page)), rel
    assert seen["withheld"] >= {"meetings/index.html", "meetings/10/index.html", "meetings/10/agenda/2/index.html"}
    assert seen["deferred"] >= {"meetings/index.html", "meetings/9/index.html", "meetings/9/agenda/1/index.html"}
    assert seen["placeholder"] >= {"meetings/10/index.html", "meetings/10/agenda/2/index.html", "meetings/11/index.html",
                                   "meetings/11/agenda/1/index.html"}


@pytest.mark.parametrize("page, tab", [("index.html", "ホーム"), ("meetings/index.html", "会議"), ("meetings/244/index.html", "会議"),
                                       ("meetings/244/agenda/1/index.html", "会議"), ("commissioners/tanno/index.html", "委員"),
                                       ("guide/index.html", None), ("disclosure/index.html", None)])
def test_the_tab_of_a_pages_section_is_the_current_one(built_site, page, tab):
    """A generated page (not in mkdocs.yml's nav) is in the section of the folder it is in; a page
    under no tab's folder marks no tab, the home page's tab only the home page."""
    els = elements(built_site / page)
    current = by_class(els, "md-tabs__item--active")
    assert [e["text"] for e in current] == ([tab] if tab else []), page
    # and said to a screen reader: the tab's own page is the current page, a page under it is in its section
    said = [(e["text"], e["attrs"]["aria-current"]) for e in els if e["tag"] == "a" and "aria-current" in e["attrs"]]
    own = page in ("index.html", "meetings/index.html")
    assert said == ([(tab, "page" if own else "true")] if tab else []), page


def test_the_guide_is_in_the_footer_not_the_tabs(built_site):
    els = elements(built_site / "index.html")
    tabs = by_class(els, "md-tabs__list")[0]["text"].split()
    assert "職員向けガイド" not in tabs and tabs[0] == "ホーム"
    footer = by_class(els, "gk-footer-links")
    assert footer and "職員向けガイド" in footer[0]["text"] and "非公表・後日公表について" in footer[0]["text"]
    assert {ln.value for ln in links(built_site, built_site / "index.html")} >= {"guide/", "disclosure/"}


def test_the_withheld_passage_itself_is_nowhere(facts_site):
    for path in facts_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml"):
            assert "公表しない部分の文" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_real_site_links_no_source_it_does_not_know(built_site):
    """The real record knows no official URL yet: no page links one (a URL is never guessed)."""
    for page in pages(built_site):
        assert not [v for v in (ln.value for ln in links(built_site, page)) if "ppc.go.jp" in v], page
    assert ROOT.joinpath("minutes", "244.md").read_text(encoding="utf-8").count("url: null") >= 1
