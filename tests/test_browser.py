"""What a reader does, in real headless Chromium at a phone's size."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def page(phone, site):
    return phone


def in_viewport(page, selector: str) -> bool:
    return page.eval_on_selector(selector, """el => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.top < window.innerHeight;
    }""")


def test_home_to_meeting_to_speaker_to_remark(page, site):
    page.goto(site)
    page.get_by_role("link", name="第244回個人情報保護委員会").first.click()
    assert urlsplit(page.url).path == "/meetings/244/"
    page.locator("#speech-13 h3 > a").click()
    assert urlsplit(page.url).path == "/commissioners/takamura/"
    assert page.locator("h1").inner_text().startswith("髙村委員")
    page.locator(".gk-excerpt a").first.click()
    parts = urlsplit(page.url)
    assert (parts.path, parts.fragment) == ("/meetings/244/", "speech-13")
    page.wait_for_function("location.hash === '#speech-13'")
    assert in_viewport(page, "#speech-13")
    assert page.locator("#speech-13 > p").first.inner_text().startswith("再発防止策について申し上げます。")
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in page.requests), page.requests


def test_agency_reaches_a_decision_and_back(page, site):
    page.goto(site + "agencies/digital-agency/")
    page.locator("#decisions + ul a", has_text="対応方針").first.click()
    assert urlsplit(page.url).path == "/decisions/2023-05-31-taio-hoshin/"
    assert page.locator("h1").inner_text().startswith("マイナンバーカード等に係る各種事案")
    page.get_by_role("link", name="デジタル庁").first.click()
    assert urlsplit(page.url).path == "/agencies/digital-agency/"
    page.go_back()
    assert urlsplit(page.url).path == "/decisions/2023-05-31-taio-hoshin/"
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in page.requests), page.requests


def test_meeting_page_fits_a_phone(page, site):
    page.goto(site + "meetings/244/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert page.locator(".gk-speech").count() == 16


def test_the_button_back_to_the_top_shows_as_the_reader_scrolls_back_up(page, site):
    """The button is not in the page's HTML (only Material's script uses it): assets/theme.js makes
    it at the end of <main>, before Material's script looks for it, which shows it as the reader
    scrolls back up; a tap on it goes to the top. (A long decision: a meeting has its own.)"""
    page.goto(site + "meetings/244/agenda/1/")
    top = page.locator("main > button[data-md-component=top]")
    expect(top).to_have_count(1)
    shown = "!document.querySelector('main > [data-md-component=top]').hidden"  # Material fades it by [hidden]
    assert not page.evaluate(shown)
    page.evaluate("window.scrollTo(0, 5000)")
    page.wait_for_timeout(200)
    assert not page.evaluate(shown)  # not while the reader reads on
    page.evaluate("window.scrollTo(0, 4000)")
    page.wait_for_function(shown)
    assert top.inner_text() == "ページトップへ戻る"
    top.click()
    page.wait_for_function("window.scrollY === 0")
    assert page.errors == []


@pytest.mark.parametrize(("width", "jumpbar"), [(390, True), (1280, False)])
def test_a_meeting_offers_one_way_back_to_the_top(page, site, width, jumpbar):
    """On a phone a meeting's jump bar (議題一覧, 先頭へ) is always at hand, and Material's button
    back to the top, shown as the reader scrolls up, stood beside it: two controls for one thing.
    Where the table of contents is beside the text (no jump bar), Material's button is the way."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site + "meetings/244/")
    page.evaluate("window.scrollTo(0, 6000)")
    page.wait_for_timeout(200)
    page.evaluate("window.scrollTo(0, 5000)")
    page.wait_for_function("!document.querySelector('main > [data-md-component=top]').hidden")
    page.wait_for_timeout(400)  # Material fades the button in
    top, back = page.locator("main > .md-top"), page.locator(".gk-jumpbar a", has_text="先頭へ")
    assert (top.is_visible(), back.is_visible()) == (not jumpbar, jumpbar)
    (back if jumpbar else top).click()
    page.wait_for_function("window.scrollY === 0")
    assert page.errors == []


TABS = ["ホーム", "会議", "委員", "機関", "決定・資料", "検索"]


@pytest.mark.parametrize("width", [320, 390])
def test_a_phone_shows_every_section_without_a_menu(page, site, width):
    """No drawer: the six sections are tabs in view at the top of a phone's page (a row that scrolls
    sideways inside itself if it must), each reached in one tap, and the logo leads home."""
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(site + "meetings/244/")
    assert page.locator(".md-sidebar--primary, [for=__drawer].md-header__button").count() == 0
    tabs = page.locator(".md-tabs__list a")
    assert [t.strip() for t in tabs.all_inner_texts()] == TABS
    assert all(t.is_visible() for t in tabs.all())
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.locator(".md-tabs__list").evaluate("list => list.scrollLeft = list.scrollWidth")
    tabs.last.click()
    assert urlsplit(page.url).path == "/search/"
    page.locator(".md-header__button.md-logo").click()
    assert urlsplit(page.url).path == "/"


@pytest.mark.parametrize("width", [320, 360, 390])
def test_the_header_search_field_opened_on_a_phone_fits_its_width(page, site, width):
    """On a phone the header's search field opens when it takes focus: at 9rem it made a 360 px
    page 4 px wider than the screen and pushed the palette toggle off it (found by a reader's
    attack); it takes what the logo, its button and the toggle leave."""
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(site + "meetings/244/")
    page.locator("#gk-header-q").focus()
    page.wait_for_timeout(300)  # its width is not animated, but a frame is drawn first
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    field = page.locator("#gk-header-q").bounding_box()
    assert field["width"] >= 120  # wide enough to see what one types
    toggle = page.locator(".md-header__option").bounding_box()
    assert toggle["x"] + toggle["width"] <= width


def test_the_current_tab_and_a_focused_tab_are_shown_whole_on_a_narrow_phone(page, site):
    """At 320 px the six tabs are wider than the screen: the current section's tab is scrolled into
    the row, and a tab the keyboard reaches is shown whole (a browser leaves a tab half cut off at
    the edge where it is)."""
    page.set_viewport_size({"width": 320, "height": 640})
    whole = """el => { const r = el.getBoundingClientRect(), row = el.closest('.md-tabs__list').getBoundingClientRect();
                       return r.left >= row.left - 0.5 && r.right <= row.right + 0.5; }"""
    page.goto(site + "search/")
    assert page.locator(".md-tabs__item--active").evaluate(whole)
    page.goto(site + "meetings/244/#speech-13")
    page.wait_for_function("location.hash === '#speech-13'")
    assert in_viewport(page, "#speech-13")  # bringing the tab into its row does not scroll the page
    last = page.locator(".md-tabs__list a").last
    assert not last.evaluate(whole)
    page.locator(".md-tabs__list a").nth(4).focus()
    page.keyboard.press("Tab")
    assert last.evaluate("el => el === document.activeElement") and last.evaluate(whole)


@pytest.mark.parametrize("width", [390, 768, 1024])
def test_the_jump_buttons_cover_neither_the_footer_nor_a_table_of_contents(page, site, width):
    """Scrolled to the end of a meeting, the footer's links are not under the floating 議題一覧 and
    先頭へ; where the table of contents stands beside the text (from 60em), the buttons are not shown."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site + "meetings/244/")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    buttons = page.locator(".gk-jumpbar a")
    toc = page.locator(".md-sidebar--secondary")
    if toc.is_visible():
        assert not buttons.first.is_visible()
        return
    boxes = [buttons.nth(i).bounding_box() for i in range(buttons.count())]
    for link in page.locator(".md-footer a").all():
        box = link.bounding_box()
        for b in boxes:
            apart = (box["x"] + box["width"] <= b["x"] or b["x"] + b["width"] <= box["x"]
                     or box["y"] + box["height"] <= b["y"] or b["y"] + b["height"] <= box["y"])
            assert apart, (link.inner_text(), box, b)


def test_copy_permalink_button(page, site):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(site + "meetings/244/")
    page.locator("#speech-7 .gk-copy").click()
    expect(page.locator("#speech-7 .gk-copy")).to_have_text("コピーしました")  # the clipboard write is async
    copied = page.evaluate("navigator.clipboard.readText()")  # a citation ending in the permalink
    assert copied.startswith("第244回個人情報保護委員会（令和5年5月31日）議事録 ")
    assert copied.endswith(" 発言7 " + site + "meetings/244/#speech-7")


def test_a_page_requests_only_what_it_shows(page, site):
    """Material fetches sitemap.xml beside every <link rel="alternate"> of a page (for its language
    selector, which this site does not use): the feed's and the JSON's links made every page view
    download the whole sitemap (half a megabyte at a thousand meetings) and ask for a missing one."""
    failed = []
    page.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
    for path in ("meetings/244/", "meetings/244/agenda/1/", "commissioners/takamura/", "search/", ""):
        page.goto(site + path, wait_until="networkidle")
    assert page.locator('link[type="application/atom+xml"]').count() == 1  # discovery by the HTML stays
    assert [url for url in page.requests if "sitemap" in url] == []
    assert failed == [] and page.errors == []


BLOCKED_STORAGE = """
for (const name of ["localStorage", "sessionStorage"]) {
  Object.defineProperty(window, name, {get() { throw new DOMException("Access is denied for this document.", "SecurityError"); }});
}
"""


def test_a_reader_who_blocks_storage_gets_the_whole_page(page, site):
    """A browser set to block cookies and site data throws at the first touch of `localStorage`
    (Chromium and Firefox alike): Material's storage helpers (assets/theme.js) stopped there, and
    with them the palette's restore, the palette toggle and the removal of the alternates' rel
    (whose sitemap Material then fetched). Nothing is remembered then, and nothing else is lost."""
    page.add_init_script(BLOCKED_STORAGE)
    failed, thrown = [], []
    page.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
    page.on("pageerror", lambda err: thrown.append(str(err)))
    page.goto(site + "meetings/244/", wait_until="networkidle")
    toggle = page.locator("[data-md-component=palette] label:not([hidden])")
    expect(toggle).to_have_count(1)
    schemes = []
    for _ in range(2):
        toggle.click()
        schemes.append(page.evaluate("document.body.dataset.mdColorScheme"))
    assert "slate" in schemes
    expect(page.locator("main > button[data-md-component=top]")).to_have_count(1)
    assert [url for url in page.requests if "sitemap" in url] == []
    assert thrown == [] and failed == [] and page.errors == []


@pytest.mark.parametrize("stored", ['{"color":{"media":"(prefers-color-scheme)"}}', '{"color":{"scheme":"nosuch"}}',
                                    "5", "[]", '"slate"', "{not json"])
def test_a_palette_stored_wrong_is_forgotten(page, site, stored):
    """What another page of this host (or an older release) stored as the palette is read by
    Material's script, which took its index as a number: without one every page threw, and the
    palette toggle and the button back to the top were gone. A palette without an index is none."""
    page.add_init_script(f"localStorage.setItem('/.__palette', {stored!r})")
    thrown = []
    page.on("pageerror", lambda err: thrown.append(str(err)))
    page.goto(site + "meetings/244/agenda/1/", wait_until="networkidle")
    expect(page.locator("[data-md-component=palette] label:not([hidden])")).to_have_count(1)
    assert page.evaluate("document.body.dataset.mdColorScheme") in ("default", "slate")
    assert thrown == [] and page.errors == []


COVERED = """() => {
  const e = document.activeElement, bar = document.querySelector('.gk-jumpbar');
  if (!e || !bar || bar.contains(e)) return 0;
  const r = e.getBoundingClientRect();
  let area = 0;
  for (const q of [...bar.children].map(a => a.getBoundingClientRect())) {
    area += Math.max(0, Math.min(r.right, q.right) - Math.max(r.left, q.left))
          * Math.max(0, Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top));
  }
  return r.width * r.height ? area / (r.width * r.height) : 0;
}"""


def test_a_control_the_keyboard_reaches_is_never_under_the_floating_buttons(page, site):
    """On a phone the 議題一覧 and 先頭へ buttons float at the bottom: a focused 引用をコピー button
    was 88 % under them (found by a reader's attack; WCAG 2.4.11). The page scrolls each control
    the keyboard moves to clear of them."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site + "meetings/244/")
    assert page.locator(".gk-jumpbar").is_visible()
    covered = []
    for _ in range(80):
        page.keyboard.press("Tab")
        covered.append(page.evaluate(COVERED))
    assert max(covered) == 0
