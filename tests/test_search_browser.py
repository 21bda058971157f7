"""Search as a reader uses it, in headless Chromium: the real search page over the built site."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from browser import PHONE, serve
from conftest import FIXED_EPOCH, ROOT, build_on_fixed_date, make_project
from gijiroku.record.text import fold
from gijiroku.search import records, tokens
from search_queries import BANGO, KAIZEN, M136, M244, QUERIES, TAIO

pytestmark = pytest.mark.browser

DONE = "#gk-search[data-state=done]"


@pytest.fixture(scope="module")
def desk(browser, site):
    """One wide page for the whole query set (the index stays loaded, as for a reader)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests = []
    page.errors = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(site + "search/")
    page.wait_for_selector("#gk-search[data-state=idle]")
    yield page
    context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def search_for(page, query: str) -> None:
    """Type the query into the search page's box and press Enter, as a reader does."""
    page.fill("#gk-search-q", query)
    page.press("#gk-search-q", "Enter")
    page.wait_for_selector(DONE)


def results(page, base: str) -> list[str]:
    """The site paths of every result, pressing さらに表示 until all are shown."""
    while page.locator(".gk-search__more").is_visible():
        page.click(".gk-search__more")
        page.wait_for_selector(DONE)
    return [urlsplit(h).path.removeprefix(urlsplit(base).path)
            for h in page.eval_on_selector_all(".gk-result__title a", "els => els.map(a => a.href)")]


def key(text: str) -> str:
    return "".join(c for c in fold(text) if unicodedata.category(c)[0] in "LN")


@pytest.mark.parametrize(("query", "expected", "why"), QUERIES, ids=[q for q, _, _ in QUERIES])
def test_each_query_finds_exactly_its_pages(desk, site, query, expected, why):
    search_for(desk, query)
    found = results(desk, site)
    assert sorted(found) == sorted(expected), why
    assert len(found) == len(set(found)), "a page is shown once"
    status = desk.inner_text(".gk-search__status")
    if expected:
        assert f"{len(expected)}件" in status
        words = {key(w) for w in fold(query).split()}
        for result in desk.locator(".gk-result").all():
            marks = [key(m) for m in result.locator("mark").all_inner_texts()]
            assert marks, f"no highlighted excerpt in {result.inner_text()[:80]}"
            assert all(any(m == w or w.startswith(m) or m.startswith(w) for w in words) for m in marks)
    else:
        assert "ありません" in status
    assert desk.errors == []
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in desk.requests)


def test_excerpts_show_the_record_as_printed(desk):
    search_for(desk, "ID")
    assert "ＩＤ" in desk.locator("mark").all_inner_texts()
    search_for(desk, "高村委員")
    labels = desk.locator(".gk-hit__speaker").all_inner_texts()
    assert "髙村委員" in labels
    assert set(desk.locator("mark").all_inner_texts()) == {"髙村委員"}
    search_for(desk, "議題1")
    assert "議題１" in desk.locator("mark").all_inner_texts()


def test_a_sub_result_opens_the_speech_permalink(page, site):
    page.goto(site + "search/?q=" + "再発防止策について申し上げます")
    page.wait_for_selector(DONE)
    link = page.locator(".gk-hit__link").first
    assert urlsplit(link.get_attribute("href")).fragment == "speech-13"
    hit = page.locator(".gk-hit").first
    assert hit.locator(".gk-hit__speaker").inner_text() == "髙村委員"
    assert hit.locator(".gk-hit__permalink").inner_text() == "発言13"
    assert urlsplit(hit.locator(".gk-hit__permalink").get_attribute("href"))[2:] == ("/meetings/244/", "", "speech-13")
    link.click()
    page.wait_for_url("**/meetings/244/?hl=*#speech-13")
    assert page.evaluate("(() => { const r = document.getElementById('speech-13').getBoundingClientRect();"
                         " return r.top >= 0 && r.top < innerHeight; })()")


def test_decision_sub_results_link_to_their_headings(page, site):
    page.goto(site + "search/?q=" + "本人確認の措置")
    page.wait_for_selector(DONE)
    hrefs = page.eval_on_selector_all(".gk-hit__link", "els => els.map(a => a.getAttribute('href'))")
    anchored = [unquote(urlsplit(h).fragment) for h in hrefs if "digital-agency-kaizen-jokyo" in h]
    assert "１本人確認の措置" in anchored
    page.locator(".gk-hit", has=page.locator('.gk-hit__link[href*="digital-agency-kaizen-jokyo"]'),
                 has_text="本人確認の措置").locator(".gk-hit__link").first.click()
    page.wait_for_function("location.hash !== ''")
    assert urlsplit(page.url).path == "/decisions/digital-agency-kaizen-jokyo/"
    assert unquote(urlsplit(page.url).fragment) == "１本人確認の措置"


def facet_counts(page, facet: str) -> dict[str, str]:
    return dict(page.eval_on_selector_all(
        f'[data-facet="{facet}"] li',
        "els => els.map(li => [li.querySelector('label').childNodes[0].textContent.trim(),"
        " li.querySelector('.gk-facet__count').textContent])"))


def choose(page, facet: str, label: str) -> None:
    page.locator(f'[data-facet="{facet}"] label', has_text=label).first.click()
    page.wait_for_selector(DONE)


def hits_per_page(page, base: str) -> dict[str, int]:
    """How many results (speeches, sections) each shown meeting or document says it has."""
    out = {}
    for result in page.locator(".gk-result").all():
        path = urlsplit(result.locator(".gk-result__title a").get_attribute("href")).path.removeprefix(urlsplit(base).path)
        out[path] = int(result.locator(".gk-result__count").inner_text().removeprefix("該当 ").removesuffix("件"))
    return out


def test_filters_narrow_with_counts_and_keep_the_url(page, site):
    page.goto(site + "search/?q=個人情報保護委員会")
    page.wait_for_selector(DONE)
    results(page, site)
    per_page = hits_per_page(page, site)
    # A count is of results (speeches, sections), as each meeting or document lists them.
    kinds = facet_counts(page, "kind")
    assert kinds["議事録"] == f"{per_page[M244] + per_page[M136]}件"
    assert kinds["資料"] == f"{per_page[KAIZEN] + per_page[BANGO]}件" and kinds["決定"] == f"{per_page[TAIO]}件"
    assert facet_counts(page, "year")["2017年（平成29年）"] == f"{per_page[BANGO]}件"
    choose(page, "kind", "議事録")
    assert sorted(results(page, site)) == sorted([M244, M136])
    assert parse_qs(urlsplit(page.url).query) == {"q": ["個人情報保護委員会"], "kind": ["議事録"]}
    assert "（会議・文書 5件）のうち、絞り込んだ" in page.inner_text(".gk-search__status")
    assert "（会議・文書 2件）" in page.inner_text(".gk-search__status")
    # Counts of another filter follow the chosen one; a speaker's count is of their speeches.
    count = facet_counts(page, "speaker")["丹野委員長"]
    choose(page, "speaker", "丹野委員長")
    found = results(page, site)
    hits = shown_hits(page, site)
    assert {h["speaker"] for h in hits} == {"丹野委員長"} and count == f"{len(hits)}件"
    choose(page, "kind", "議事録")  # unchecking: decisions have no speakers, so nothing is added
    assert results(page, site) == found
    page.click(".gk-search__clear")
    page.wait_for_selector(DONE)
    assert len(results(page, site)) == 5


@pytest.mark.parametrize(("facet", "label", "expected"), [
    ("year", "2017年", [BANGO]),
    ("agency", "デジタル庁", [M244, TAIO, KAIZEN]),
    ("outcome", "総務大臣に通知", [M136]),
    ("meeting", "第244回", [M244, TAIO]),
    ("kind", "資料", [KAIZEN, BANGO]),
])
def test_each_filter(page, site, facet, label, expected):
    page.goto(site + "search/?q=個人情報保護委員会")
    page.wait_for_selector(DONE)
    choose(page, facet, label)
    assert sorted(results(page, site)) == sorted(expected)


def test_sort_by_date_or_relevance(page, site):
    page.goto(site + "search/?q=個人情報保護委員会&sort=new")
    page.wait_for_selector(DONE)
    found = results(page, site)
    assert sorted(found[:2]) == sorted([M244, TAIO]) and found[2] == BANGO and sorted(found[3:]) == sorted([M136, KAIZEN])
    page.select_option("#gk-search-sort", "old")
    page.wait_for_selector(DONE)
    found = results(page, site)
    assert found[0] == BANGO and sorted(found[1:3]) == sorted([M244, TAIO])
    assert "sort=old" in page.url
    page.select_option("#gk-search-sort", "relevance")
    page.wait_for_selector(DONE)
    assert "sort" not in page.url and len(results(page, site)) == 5


def test_a_search_url_can_be_shared_and_history_works(page, site):
    page.goto(site + "search/?q=公金受取口座&kind=資料")
    page.wait_for_selector(DONE)
    assert page.input_value("#gk-search-q") == "公金受取口座"
    assert page.is_checked('[data-facet="kind"] input[value="資料"]')
    assert results(page, site) == [KAIZEN]
    search_for(page, "番号法")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["番号法"]}
    page.go_back()
    page.wait_for_selector(DONE)
    assert page.input_value("#gk-search-q") == "公金受取口座"
    assert results(page, site) == [KAIZEN]


def test_the_header_box_of_every_page_leads_to_search(page, site):
    page.goto(site + "meetings/244/")
    page.fill("#gk-header-q", "マイナポイント")
    page.press("#gk-header-q", "Enter")
    page.wait_for_selector(DONE)
    assert urlsplit(page.url).path == "/search/" and parse_qs(urlsplit(page.url).query) == {"q": ["マイナポイント"]}
    assert sorted(results(page, site)) == sorted([M244, TAIO])


def tab_to(page, predicate: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({predicate}); }})()"):
            return
    raise AssertionError(f"Tab never reached {predicate}")


def test_keyboard_alone(page, site):
    page.goto(site)
    tab_to(page, "el.id === 'gk-header-q'")
    page.keyboard.type("全項目評価書")
    page.keyboard.press("Enter")
    page.wait_for_selector(DONE)
    assert len(results(page, site)) == 4
    tab_to(page, "el.name === 'kind' && el.value === '資料'")
    page.keyboard.press("Space")
    page.wait_for_selector(DONE)
    assert sorted(results(page, site)) == sorted([KAIZEN, BANGO])
    assert page.evaluate("document.activeElement.value") == "資料"  # focus stays on the filter
    tab_to(page, "el.classList.contains('gk-hit__link')")
    target = page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    assert "/decisions/" in page.url


def test_on_a_phone(browser, site):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site + "search/?q=マイナンバーカード")
    page.wait_for_selector(DONE)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    toggle = page.locator(".gk-search__panel-toggle")
    assert toggle.is_visible() and not page.locator('[data-facet="kind"]').is_visible()
    toggle.tap()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator('[data-facet="kind"]').is_visible()
    page.locator('[data-facet="kind"] label', has_text="決定").tap()
    page.wait_for_selector(DONE)
    assert results(page, site) == [TAIO]
    assert "1件を選択中" in toggle.inner_text()
    box = page.locator(".gk-hit__link").first.bounding_box()
    assert box["height"] >= 40 and box["width"] >= 300  # an easy target for a thumb
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    context.close()


def test_folding_in_the_browser_is_the_index_folding(desk, built_site):
    """search.js folds every character, and every paragraph of the record, exactly as search/tokens.py does."""
    from gijiroku.disclosure.public import public_record
    from gijiroku.record.loader import load_record

    chars = [chr(c) for c in range(0x20, 0x30000) if unicodedata.category(chr(c)) not in ("Cn", "Cs", "Co")]
    got = desk.evaluate("chars => window.gijirokuSearch.ready().then(() => chars.map(c =>"
                        " window.gijirokuQuery.words(c).map(w => w.join('')).join('')))", chars)
    assert [(c, g) for c, g in zip(chars, got, strict=True) if g != tokens.search_chars(c)] == []
    record, _ = load_record(ROOT)
    paragraphs = sorted({p for u in records.units_of(public_record(record, record_day()), built_site)
                         for b in u.blocks for p in b.paragraphs})
    mapped = desk.evaluate("ps => ps.map(p => window.gijirokuQuery.lettersWithMap(p).chars.join(''))", paragraphs)
    assert [p for p, m in zip(paragraphs, mapped, strict=True) if m != tokens.search_chars(p)] == []


def record_day():
    from gijiroku.disclosure.public import build_date

    return build_date({"SOURCE_DATE_EPOCH": FIXED_EPOCH})


# -- the fixture site with 異体字, widths and withheld text ---------------------------------------------

@pytest.fixture(scope="module")
def variants(search_site):
    with serve(search_site) as base:
        yield base


@pytest.mark.parametrize(("query", "printed", "pages"), [
    ("山崎", "山﨑", ["meetings/11/"]), ("山﨑", "山﨑", ["meetings/11/"]), ("徳島県", "德島県", ["meetings/11/"]),
    ("渡辺", "渡邊", ["meetings/11/"]), ("高村委員", "髙村委員", ["meetings/10/", "meetings/11/"]),
    ("カタカナ", "ｶﾀｶﾅ", ["meetings/11/"]), ("personal data", "Ｐｅｒｓｏｎａｌ", ["meetings/11/"]),
    ("ID", "ＩＤ", ["meetings/11/"]), ("資料1-1", "資料１－１", ["meetings/11/"]),
])
def test_variant_and_width_forms_find_the_printed_form(page, variants, query, printed, pages):
    page.goto(variants + "search/?q=" + query)
    page.wait_for_selector(DONE)
    assert sorted(results(page, variants)) == pages
    assert printed in page.locator("mark").all_inner_texts()


@pytest.mark.parametrize("query", ["ツバメノス", "カモメノス", "ハヤブサノス", "ヒバリノス", "後日公表の中身",
                                   "漏えい検査用の秘匿文字列", "非公表議題の秘匿内容"])
def test_withheld_text_finds_nothing(page, variants, query):
    page.goto(variants + "search/?q=" + query)
    page.wait_for_selector(DONE)
    assert results(page, variants) == []


# -- more results than a page ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """Twelve synthetic meetings (`gijiroku synth`), for paging; yields the address and how many
    of their files print 丹野委員長."""
    import shutil

    from gijiroku.synth.corpus import synthesize, write_corpus

    root = make_project(tmp_path_factory.mktemp("many") / "project", fixture=None)
    corpus = synthesize(ROOT, 12, 0)
    write_corpus(corpus, root)
    tanno = sum("丹野委員長" in text for text in corpus.files.values())
    for kind in ("commissioners", "agencies"):
        shutil.copytree(ROOT / "docs" / kind, root / "docs" / kind, dirs_exist_ok=True)
    build_on_fixed_date(root)
    with serve(root / "site") as base:
        yield base, tanno


def test_load_more_by_keyboard(page, many):
    base, tanno = many
    assert tanno > 10
    page.goto(base + "search/?q=丹野委員長")
    page.wait_for_selector(DONE)
    assert page.locator(".gk-result").count() == 10
    more = page.locator(".gk-search__more")
    assert more.inner_text() == f"さらに表示（残り{tanno - 10}件の会議・文書）"
    more.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(DONE)
    assert page.locator(".gk-result").count() == tanno and not more.is_visible()
    assert page.evaluate("document.activeElement.closest('.gk-result') === document.querySelectorAll('.gk-result')[10]")


# -- results per speech, the speaker filter, dates, operators, the opened page, loading ----------------

def record_speeches() -> list[dict]:
    """Every public speech of the real record, from the model (not from the index): meeting,
    number, speaker as printed, registry id, agenda item and title, text as search folds it."""
    from gijiroku.disclosure.public import public_record
    from gijiroku.record.loader import load_record
    from gijiroku.record.model import Paragraph

    record, _ = load_record(ROOT)
    record = public_record(record, record_day())
    out = []
    for meeting in record.sorted_meetings():
        for e in meeting.elements:
            if not hasattr(e, "speaker"):
                continue
            item = meeting.item(e.agenda) if e.agenda else None
            text = "".join(b.text for b in e.blocks if isinstance(b, Paragraph))
            out.append({"url": f"meetings/{meeting.number}/#speech-{e.order}", "meeting": meeting.title,
                        "speaker": e.speaker.label, "person": e.speaker.person_id, "order": e.order,
                        "item": f"議題{item.number} {item.title}" if item else None, "text": key(e.speaker.label + text)})
    return out


def shown_hits(page, base: str) -> list[dict]:
    """Every result under every meeting or document, opening ほかN件 and さらに表示."""
    results(page, base)
    while (left := page.locator(".gk-hits__more").count()):
        page.locator(".gk-hits__more").first.click()
        page.wait_for_function("n => document.querySelectorAll('.gk-hits__more').length < n", arg=left)
    return page.eval_on_selector_all(".gk-hit", """els => els.map(li => {
        const get = s => li.querySelector(s) ? li.querySelector(s).textContent : null;
        const result = li.closest('.gk-result');
        return {speaker: get('.gk-hit__speaker'), permalink: li.querySelector('.gk-hit__permalink')
                  ? li.querySelector('.gk-hit__permalink').getAttribute('href') : null,
                label: get('.gk-hit__label'), item: get('.gk-hit__item'), text: get('.gk-hit__link'),
                marks: Array.from(li.querySelectorAll('mark')).map(m => m.textContent),
                meeting: result.querySelector('.gk-result__title').textContent,
                date: result.querySelector('.gk-result__date').textContent, link: get('.gk-hit__link') &&
                  li.querySelector('.gk-hit__link').getAttribute('href')};
    })""")


def speech_path(href: str, base: str) -> str:
    parts = urlsplit(href)
    return parts.path.removeprefix(urlsplit(base).path) + "#" + parts.fragment


def test_results_are_speeches_under_their_meeting(page, site):
    """Each speech that holds the word is a result: speaker, meeting, date, 議題, excerpt, permalink."""
    page.goto(site + "search/?q=マイナンバー")
    page.wait_for_selector(DONE)
    hits = shown_hits(page, site)
    speeches = {s["url"]: s for s in record_speeches()}
    found = {speech_path(h["permalink"], site): h for h in hits if h["permalink"]}
    assert set(found) == {url for url, s in speeches.items() if "マイナンバー" in s["text"]}
    for url, hit in found.items():
        speech = speeches[url]
        assert hit["speaker"] == speech["speaker"] and hit["meeting"] == speech["meeting"]
        assert hit["item"] == speech["item"], url
        assert hit["date"] == "令和5年（2023年）5月31日（水）" if url.startswith(M244) else hit["date"]
        assert "マイナンバー" in hit["marks"], url
        assert urlsplit(hit["link"]).fragment == urlsplit(hit["permalink"]).fragment
        assert parse_qs(urlsplit(hit["link"]).query) == {"hl": ["マイナンバー"]}
    # Several speeches of one meeting sit under one heading for it.
    titles = page.locator(".gk-result__title").all_inner_texts()
    assert len(titles) == len(set(titles)) and titles.count("第244回個人情報保護委員会") == 1
    assert page.locator(".gk-result", has_text="第244回個人情報保護委員会").locator(".gk-hit").count() > 3


@pytest.mark.parametrize(("speaker", "label", "word"), [
    ("tanno", "丹野委員長", "マイナンバー"), ("事務局", "事務局", "マイナンバー"), ("tanno", "丹野委員長", "評価書"),
])
def test_the_speaker_filter_selects_that_speakers_remarks(page, site, speaker, label, word):
    page.goto(site + "search/?q=" + word)
    page.wait_for_selector(DONE)
    choose(page, "speaker", label)
    assert parse_qs(urlsplit(page.url).query)["speaker"] == [speaker]
    hits = shown_hits(page, site)
    expected = {s["url"] for s in record_speeches()
                if (s["person"] == speaker or s["speaker"] == speaker) and key(word) in s["text"]}
    assert expected and {speech_path(h["permalink"], site) for h in hits} == expected
    assert {h["speaker"] for h in hits} == {label} and all(h["permalink"] for h in hits)
    assert f"絞り込んだ 発言・箇所 {len(expected)}件" in page.inner_text(".gk-search__status")
    assert facet_counts(page, "speaker")[label] == f"{len(expected)}件"


def test_a_date_range(page, site):
    page.goto(site + "search/?q=個人情報保護委員会&from=2023-05-01&to=2023-06-30")
    page.wait_for_selector(DONE)
    assert sorted(results(page, site)) == sorted([M244, TAIO])
    assert page.input_value("#gk-search-from") == "2023-05-01" and page.input_value("#gk-search-to") == "2023-06-30"
    page.fill("#gk-search-from", "2017-01-01")
    page.wait_for_selector(DONE)
    page.fill("#gk-search-to", "2017-12-31")
    page.wait_for_selector(DONE)
    page.wait_for_function("() => location.search.includes('to=2017-12-31')")
    assert results(page, site) == [BANGO]  # undated 第136回 and the undated document are outside any range
    assert parse_qs(urlsplit(page.url).query)["from"] == ["2017-01-01"]
    page.fill("#gk-search-to", "")
    page.wait_for_function("() => !location.search.includes('to=')")
    page.wait_for_selector(DONE)
    assert sorted(results(page, site)) == sorted([M244, TAIO, BANGO])  # from 2017 on; undated ones stay out


@pytest.mark.parametrize(("query", "expected"), [
    ("横浜市 OR 総務省", {TAIO, M136}),
    ("横浜市 ＯＲ 産業機械健康保険組合 OR 存在しない語句", {TAIO, M136}),
    ("丹野 マイナポイント", {M244}),
    ('"丹野 マイナポイント"', set()),  # a phrase: the words in a row, which the record never prints
    ('"富士通 Japan"', {M244, TAIO}),
    ("「富士通 Japan 株式会社」", {M244, TAIO}),
    ("-富士通", set()),
])
def test_or_exclusion_and_phrases(page, site, query, expected):
    page.goto(site + "search/?q=" + query.replace("+", "%2B"))
    page.wait_for_selector(DONE)
    assert set(results(page, site)) == expected


def test_several_words_show_the_speeches_that_hold_them_all(page, site):
    """丹野 is in 第244回's facts (attendance), so its results are the speeches with マイナポイント,
    not every remark of 丹野委員長."""
    page.goto(site + "search/?q=丹野 マイナポイント")
    page.wait_for_selector(DONE)
    hits = shown_hits(page, site)
    shown = {speech_path(h["permalink"], site) for h in hits if h["permalink"]}
    assert shown == {u for u, s in ((s["url"], s) for s in record_speeches())
                     if u.startswith(M244) and "マイナポイント" in s["text"]}
    assert all("マイナポイント" in h["marks"] for h in hits)


def test_an_excluded_word_is_in_no_result(page, site):
    page.goto(site + "search/?q=マイナンバー -富士通")
    page.wait_for_selector(DONE)
    hits = shown_hits(page, site)
    speeches = {s["url"]: s for s in record_speeches()}
    shown = {speech_path(h["permalink"], site) for h in hits if h["permalink"]}
    assert shown == {u for u, s in speeches.items() if "マイナンバー" in s["text"] and "富士通" not in s["text"]}
    assert all("富士通" not in key(h["text"]) for h in hits)
    page.goto(site + "search/?q=-富士通")
    page.wait_for_selector(DONE)
    assert "探す語を入力してください" in page.inner_text(".gk-search__status")


def test_the_page_explains_the_operators(page, site):
    page.goto(site + "search/")
    page.click(".gk-search-help summary")
    help_text = page.inner_text(".gk-search-help")
    for phrase in ("OR", "-", "「」", "すべての語を含む", "除きます", "発言者で絞り込む"):
        assert phrase in help_text


def test_the_opened_page_marks_the_words_and_scrolls_to_the_first(page, site):
    page.goto(site + "search/?q=マイナンバー&speaker=tanno")
    page.wait_for_selector(DONE)
    last = page.locator(".gk-hit__link").last
    target = urlsplit(last.get_attribute("href")).fragment
    last.click()
    page.wait_for_selector("html[data-gk-highlight]")
    marks = page.locator("article mark.gk-hl")
    assert marks.count() > 3 and set(marks.all_inner_texts()) == {"マイナンバー"}
    # The first word of the linked speech is in view, and marked as the current one.
    current = page.locator("mark.gk-hl--current")
    assert current.count() == 1
    assert page.evaluate(f"document.getElementById('{target}').contains(document.querySelector('.gk-hl--current'))")
    assert page.evaluate("(() => { const r = document.querySelector('.gk-hl--current').getBoundingClientRect();"
                         " return r.top >= 0 && r.bottom <= innerHeight; })()")
    assert page.evaluate("window.scrollY") > 500
    assert f"{marks.count()}箇所" in page.inner_text(".gk-hl-note")
    page.click(".gk-hl-note__clear")
    assert page.locator("mark.gk-hl").count() == 0 and page.locator(".gk-hl-note").count() == 0
    assert "マイナンバーカード" in page.inner_text(f"#{target}")  # the text is whole again


def test_the_opened_page_folds_as_search_does(page, site):
    page.goto(site + "meetings/244/?hl=id 高村委員#speech-13")
    page.wait_for_selector("html[data-gk-highlight]")
    assert {"ＩＤ", "髙村委員"} <= set(page.locator("mark.gk-hl").all_inner_texts())
    page.goto(site + "meetings/244/")
    page.wait_for_load_state("load")
    assert page.locator("mark.gk-hl").count() == 0 and page.locator(".gk-hl-note").count() == 0


def test_the_search_area_says_it_is_loading(browser, site):
    """On a slow connection the area is never blank: first the page's own text, then the script's."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 600,
                                                  "downloadThroughput": 200_000, "uploadThroughput": 200_000})
    page.goto(site + "search/?q=マイナンバー", wait_until="commit")
    page.wait_for_selector("#gk-search")
    seen = []
    while not page.locator(DONE).count():
        seen.append((page.inner_text("#gk-search").strip(), page.get_attribute("#gk-search", "data-state"),
                     page.evaluate("getComputedStyle(document.querySelector('#gk-search')"
                                   ".querySelector('.gk-search__progress') || document.body).visibility")))
        page.wait_for_timeout(100)
    assert len(seen) > 10, "the connection was not slow enough to see the loading state"
    assert all(text for text, _, _ in seen), "the search area was blank while loading"
    assert any("準備" in text for text, _, _ in seen)
    assert any("「マイナンバー」を検索しています" in text and state == "loading" and shown == "visible"
               for text, state, shown in seen)
    context.close()


def test_a_speaker_filter_on_a_phone(browser, site, tmp_path_factory):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site + "search/?q=マイナンバー")
    page.wait_for_selector(DONE)
    page.locator(".gk-search__panel-toggle").tap()
    page.locator('[data-facet="speaker"] label', has_text="丹野委員長").tap()
    page.wait_for_selector(DONE)
    page.locator(".gk-search__panel-toggle").tap()  # closed again, as a reader would
    assert set(page.locator(".gk-hit__speaker").all_inner_texts()) == {"丹野委員長"}
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    permalink = page.locator(".gk-hit__permalink").first.bounding_box()
    assert permalink["height"] >= 44 and permalink["width"] >= 44
    shots = Path(os.environ.get("GIJIROKU_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    page.screenshot(path=str(shots / "search-speaker-phone.png"))
    context.close()


@pytest.mark.parametrize("part", ["search/index/", "search/p/"])
def test_a_part_of_the_index_that_does_not_load_is_said_and_can_be_tried_again(page, site, part):
    """The connection drops after the search page loaded: a chunk of the index, or the texts of the
    results, cannot be fetched. The search said 「…」を検索しています… for ever, its bar moving
    (found by a reader's attack); it says what happened and runs again at a tap, once the
    connection is back."""
    blocked = {"on": True}
    page.goto(site + "search/")
    page.wait_for_function("window.gijirokuSearch !== undefined")
    page.evaluate("window.gijirokuSearch.ready()")  # the facets and the table arrive before the drop
    page.route("**/" + part + "**", lambda route: route.abort() if blocked["on"] else route.continue_())
    search_for_state = page.locator("#gk-search")
    page.fill("#gk-search-q", "マイナンバー")
    page.press("#gk-search-q", "Enter")
    page.wait_for_selector("#gk-search[data-state=error]", timeout=10_000)
    status = page.locator(".gk-search__status")
    assert "読み込めませんでした" in status.inner_text()
    assert not page.locator(".gk-search__progress").is_visible()
    blocked["on"] = False
    status.get_by_role("button", name="もう一度検索する").click()
    page.wait_for_selector(DONE)
    assert search_for_state.get_attribute("data-state") == "done"
    assert page.locator(".gk-result").count() > 0 and page.locator(".gk-hit").count() > 0


def test_back_from_a_result_returns_to_the_same_place_in_the_list(browser, many):
    """The reader shows more results, opens the filters, scrolls down, opens a result and comes
    back: the list showed its first 10 results at the top again, the filters closed (found by a
    reader's attack). It is as they left it."""
    base, tanno = many
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(base + "search/?q=丹野委員長")
        page.wait_for_selector(DONE)
        page.click(".gk-search__more")
        page.wait_for_selector(DONE)
        assert page.locator(".gk-result").count() == tanno
        page.click(".gk-search__panel-toggle")
        target = page.locator(".gk-result").nth(tanno - 2)
        target.scroll_into_view_if_needed()
        page.wait_for_timeout(400)  # the place is noted a moment after scrolling stops
        y = page.evaluate("window.scrollY")
        assert y > 1000
        target.locator(".gk-result__title a").click()
        page.wait_for_load_state()
        assert "/search/" not in page.url
        page.go_back()
        page.wait_for_selector(DONE)
        page.wait_for_timeout(200)
        assert page.locator(".gk-result").count() == tanno
        assert abs(page.evaluate("window.scrollY") - y) < 50
        assert page.get_attribute(".gk-search__panel-toggle", "aria-expanded") == "true"
        # a new search starts at the top with ten results
        search_for(page, "委員会")
        assert page.locator(".gk-result").count() <= 10
    finally:
        context.close()
