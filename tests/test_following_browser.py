"""Following a long meeting on a phone and citing a speech, in real headless Chromium."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

from browser import PHONE

pytestmark = pytest.mark.browser


@pytest.fixture
def page(phone, site):
    return phone


def top_of(page, selector: str) -> float:
    return page.eval_on_selector(selector, "el => el.getBoundingClientRect().top")


def test_the_agenda_is_an_in_page_contents_on_a_phone(page, site):
    page.goto(site + "meetings/244/")
    toc = page.locator("ol.gk-toc")
    expect(toc.locator(":scope > li > a")).to_have_count(6)  # 開会, 議題1–4, 閉会
    page.locator('.gk-toc > li > a[href="#agenda-3"]').click()
    parts = urlsplit(page.url)
    assert (parts.path, parts.fragment) == ("/meetings/244/", "agenda-3")  # the same page
    page.wait_for_function("Math.abs(document.getElementById('agenda-3').getBoundingClientRect().top) < 120")
    # The item's own page is a separate link beside the title, with a phone-sized target.
    link = page.locator('.gk-toc__page[href="agenda/3/"]')
    box = link.bounding_box()
    assert box["height"] >= 44
    link.click()
    assert urlsplit(page.url).path == "/meetings/244/agenda/3/"


def test_top_and_agenda_are_always_at_hand_on_a_phone(page, site):
    page.goto(site + "meetings/244/#speech-13")
    page.wait_for_function("window.scrollY > 5000")
    bar = page.locator(".gk-jumpbar")
    expect(bar).to_be_visible()
    for link in bar.locator("a").all():  # fixed inside the viewport, big enough for a thumb
        box = link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    bar.get_by_role("link", name="議題一覧").click()
    page.wait_for_function("Math.abs(document.getElementById('agenda').getBoundingClientRect().top) < 120")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(bar).to_be_visible()
    bar.get_by_role("link", name="先頭へ").click()
    page.wait_for_function("window.scrollY === 0")
    # The last speech is not hidden under the bar once scrolled to the end.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    last = page.locator(".gk-speech").last.bounding_box()
    assert last["y"] + last["height"] <= bar.bounding_box()["y"]


def test_the_fact_card_is_compact_on_a_phone(page, site):
    page.goto(site + "meetings/244/")
    card = page.locator(".gk-meeting-card").bounding_box()["height"]
    assert card < 500, card  # 1711 px before the agenda left the card and the secretariat folded
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    # The folded secretariat opens with a tap and holds every name as printed.
    page.locator("details.gk-secretariat > summary").click()
    expect(page.locator("details.gk-secretariat")).to_contain_text("松元事務局長、三原事務局次長")


@pytest.mark.parametrize("meeting, speech, text", [
    (244, 13, "第244回個人情報保護委員会（令和5年5月31日）議事録 髙村委員 発言13"),
    (244, 2, "第244回個人情報保護委員会（令和5年5月31日）議事録 丹野委員長 発言2"),
    (136, 1, "第136回個人情報保護委員会議事録 青山総務課長 発言1"),  # no date in the record: none printed
])
def test_the_copy_button_copies_a_citation(page, site, meeting, speech, text):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(site + f"meetings/{meeting}/")
    button = page.locator(f"#speech-{speech} .gk-copy")
    expect(button).to_have_text("引用をコピー")
    expect(button).to_have_attribute("aria-label", f"発言{speech}の引用をコピー")
    button.click()
    expect(button).to_have_text("コピーしました")
    assert page.evaluate("navigator.clipboard.readText()") == f"{text} {site}meetings/{meeting}/#speech-{speech}"


def test_a_citation_copied_on_an_agenda_page_names_the_meeting(page, site):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(site + "meetings/244/agenda/3/")
    page.locator("#speech-13 .gk-copy").click()
    expect(page.locator("#speech-13 .gk-copy")).to_have_text("コピーしました")
    assert page.evaluate("navigator.clipboard.readText()") == (
        f"第244回個人情報保護委員会（令和5年5月31日）議事録 髙村委員 発言13 {site}meetings/244/#speech-13")


def test_print_from_the_dark_scheme_prints_the_light_marks_and_black_links(page, site):
    """Printed from a device in dark mode: the search's marks were dark gold with white text and
    the secretariat's 11名 link blue, on paper that is white."""
    page.emulate_media(color_scheme="dark")
    page.goto(site + "search/?q=" + quote("マイナンバー"))
    page.wait_for_selector(".gk-search mark")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    page.emulate_media(media="print", color_scheme="dark")
    colours = page.eval_on_selector(".gk-search mark", "m => [getComputedStyle(m).backgroundColor, getComputedStyle(m).color]")
    assert colours == ["rgb(255, 229, 138)", "rgb(0, 0, 0)"]
    page.goto(site + "meetings/244/")
    assert page.eval_on_selector("details.gk-secretariat > summary", "s => getComputedStyle(s).color") == "rgb(0, 0, 0)"


def test_print_keeps_speech_numbers_and_prints_permalinks(page, site):
    page.goto(site + "meetings/244/")
    page.emulate_media(media="print")
    permalink = page.locator("#speech-13 .gk-permalink")
    expect(permalink).to_be_visible()
    expect(permalink).to_have_text("#13")
    after = page.eval_on_selector("#speech-13 .gk-permalink", "el => getComputedStyle(el, '::after').content")
    assert after == f'"\xa0\xa0{site}meetings/244/#speech-13"'  # no-break: a flex box drops plain spaces
    for hidden in (".gk-jumpbar", "#speech-13 .gk-copy", ".md-header", ".gk-toc__page"):
        expect(page.locator(hidden).first).to_be_hidden()
    # The folded secretariat is printed whole.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.eval_on_selector("details.gk-secretariat", "d => d.open")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_the_404_page_answers_in_japanese_with_search(page, site):
    response = page.goto(site + "meetings/9999/agenda/1/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("ページが見つかりません")
    expect(page).to_have_title("ページが見つかりません - 個人情報保護委員会 議事録")
    stylesheet = page.eval_on_selector("body", "el => getComputedStyle(el).fontFamily")
    assert "Noto Sans" in stylesheet or "Hiragino" in stylesheet  # our stylesheet loaded at any depth
    page.locator("#gk-404-q").fill("評価書")
    page.locator("#gk-404-q").press("Enter")
    parts = urlsplit(page.url)
    assert (parts.path, parts.query) == ("/search/", "q=%E8%A9%95%E4%BE%A1%E6%9B%B8")
    page.goto(site + "no/such/page/")
    page.locator(".md-content").get_by_role("link", name="会議", exact=True).click()
    assert urlsplit(page.url).path == "/meetings/"
    assert not [e for e in page.errors if "Content Security Policy" in e], page.errors
