"""Search as a reader uses it, in headless Chromium: the real search page over the built site."""

from __future__ import annotations

import unicodedata
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from browser import PHONE, chromium, serve
from conftest import FIXED_EPOCH, ROOT, build_on_fixed_date, make_project
from gijiroku.record.text import fold
from gijiroku.search import records, tokens
from search_queries import BANGO, KAIZEN, M136, M244, QUERIES, TAIO

pytestmark = pytest.mark.browser

DONE = "#gk-search[data-state=done]"


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def site(built_site):
    with serve(built_site) as base:
        yield base


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
    labels = desk.locator(".gk-hit__label").all_inner_texts()
    assert any(label.startswith("髙村委員") for label in labels)
    assert set(desk.locator("mark").all_inner_texts()) == {"髙村委員"}
    search_for(desk, "議題1")
    assert "議題１" in desk.locator("mark").all_inner_texts()


def test_a_sub_result_opens_the_speech_permalink(page, site):
    page.goto(site + "search/?q=" + "再発防止策について申し上げます")
    page.wait_for_selector(DONE)
    link = page.locator(".gk-hit__link").first
    assert urlsplit(link.get_attribute("href")).fragment == "speech-13"
    assert link.locator(".gk-hit__label").inner_text() == "髙村委員 #13"
    link.click()
    page.wait_for_url("**/meetings/244/#speech-13")
    assert page.evaluate("(() => { const r = document.getElementById('speech-13').getBoundingClientRect();"
                         " return r.top >= 0 && r.top < innerHeight; })()")


def test_decision_sub_results_link_to_their_headings(page, site):
    page.goto(site + "search/?q=" + "本人確認の措置")
    page.wait_for_selector(DONE)
    hrefs = page.eval_on_selector_all(".gk-hit__link", "els => els.map(a => a.getAttribute('href'))")
    anchored = [unquote(urlsplit(h).fragment) for h in hrefs if "digital-agency-kaizen-jokyo" in h]
    assert "１本人確認の措置" in anchored
    page.locator('.gk-hit__link[href*="digital-agency-kaizen-jokyo"]', has_text="本人確認の措置").first.click()
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


def test_filters_narrow_with_counts_and_keep_the_url(page, site):
    page.goto(site + "search/?q=個人情報保護委員会")
    page.wait_for_selector(DONE)
    assert facet_counts(page, "kind") == {"議事録": "2件", "決定": "1件", "資料": "2件"}
    assert facet_counts(page, "year") == {"2023年（令和5年）": "2件", "2017年（平成29年）": "1件", "日付不明": "2件"}
    choose(page, "kind", "議事録")
    assert sorted(results(page, site)) == sorted([M244, M136])
    assert parse_qs(urlsplit(page.url).query) == {"q": ["個人情報保護委員会"], "kind": ["議事録"]}
    assert "5件のうち、絞り込んだ 2件" in page.inner_text(".gk-search__status")
    # Counts of another filter follow the chosen one.
    assert facet_counts(page, "speaker")["髙村委員"] == "1件"
    choose(page, "speaker", "髙村委員")
    assert results(page, site) == [M244]
    choose(page, "kind", "議事録")  # unchecking
    assert results(page, site) == [M244]
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
                        " window.gijirokuSearch.parseQuery(c).map(w => w.join('')).join('')))", chars)
    assert [(c, g) for c, g in zip(chars, got, strict=True) if g != tokens.search_chars(c)] == []
    record, _ = load_record(ROOT)
    paragraphs = sorted({p for u in records.units_of(public_record(record, record_day()), built_site)
                         for b in u.blocks for p in b.paragraphs})
    mapped = desk.evaluate("ps => ps.map(p => window.gijirokuSearch.lettersWithMap(p).chars.join(''))", paragraphs)
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
    assert more.inner_text() == f"さらに表示（残り{tanno - 10}件）"
    more.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(DONE)
    assert page.locator(".gk-result").count() == tanno and not more.is_visible()
    assert page.evaluate("document.activeElement.closest('.gk-result') === document.querySelectorAll('.gk-result')[10]")
