"""Facts, not blanks, in real headless Chromium: the meetings list read on a phone, a badge
that opens the explanation of 非公表, and the links to the originals."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser import PHONE, serve

pytestmark = pytest.mark.browser

# GIJIROKU_SCREENSHOTS=DIR keeps the screenshots for a person to look at.
SHOTS = os.environ.get("GIJIROKU_SCREENSHOTS")


@pytest.fixture(scope="module")
def real(built_site):
    with serve(built_site) as base:
        yield base


@pytest.fixture(scope="module")
def facts(facts_site):
    with serve(facts_site) as base:
        yield base


def local_only(page) -> bool:
    return all(urlsplit(u).hostname == "127.0.0.1" for u in page.requests)


def test_meetings_list_is_readable_at_390_px_and_lists_every_item(phone, real, built_site, tmp_path):
    phone.goto(real + "meetings/")
    layout = phone.evaluate("""() => {
        const article = document.querySelector("article").getBoundingClientRect();
        const lines = el => el.getClientRects().length;
        const lineHeight = el => parseFloat(getComputedStyle(el).lineHeight);
        return {
            scroll: document.documentElement.scrollWidth,
            article: article.width,
            heads: [...document.querySelectorAll(".gk-meetings__head")].map(h => ({
                text: h.querySelector("a").textContent,
                numberLines: lines(h.querySelector("a")),
                dateLines: h.querySelector("time") ? lines(h.querySelector("time")) : 1,
                height: h.querySelector("a").getBoundingClientRect().height,
                lineHeight: lineHeight(h.querySelector("a")),
            })),
            entries: [...document.querySelectorAll(".gk-meetings__entry")].map(e => ({
                id: e.id,
                items: [...e.querySelectorAll(".gk-meetings__items > li")].map(li => ({
                    text: li.querySelector("a").textContent,
                    width: li.getBoundingClientRect().width,
                    lines: [...li.querySelector("a").getClientRects()].map(r => r.width),
                })),
            })),
        };
    }""")
    assert layout["scroll"] <= PHONE["width"]  # nothing wider than the phone
    assert [h["text"] for h in layout["heads"]] == ["第244回", "第136回"]
    for head in layout["heads"]:  # 第244回 on one line, not 第/244/回
        assert head["numberLines"] == 1 and head["dateLines"] == 1, head
        assert head["height"] < 1.5 * head["lineHeight"], head
    for entry in layout["entries"]:
        for item in entry["items"]:  # each item runs the width of the list, many characters a line
            assert item["width"] >= 0.85 * layout["article"], item
            if len(item["lines"]) > 1:  # a long title wraps after most of the width, not after a character
                assert item["lines"][0] >= 0.6 * item["width"], item
    api = json.loads((built_site / "api" / "meetings.json").read_text(encoding="utf-8"))
    expected = {f"m{m['number']}": [f"議題{i['number']} {i['title']}" for i in m["agenda"]] for m in api["meetings"]}
    assert {e["id"]: [i["text"] for i in e["items"]] for e in layout["entries"]} == expected
    shot = Path(SHOTS) if SHOTS else tmp_path
    shot.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(shot / "meetings-list-phone.png"), full_page=True)
    assert local_only(phone), phone.requests


def test_withheld_badge_opens_its_explanation(phone, real):
    phone.goto(real + "meetings/")
    badge = phone.locator(".gk-badge-link", has_text="非公表")
    assert badge.count() == 1
    badge.click()
    phone.wait_for_function("location.hash === '#withheld'")
    assert urlsplit(phone.url).path == "/disclosure/"
    assert phone.locator("h1").inner_text().startswith("非公表・後日公表について")
    top = phone.eval_on_selector("#withheld", "el => el.getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"] / 2  # scrolled to the part about 非公表
    assert "監視・監督案件" in phone.locator("#withheld ~ ul").first.inner_text()  # the recorded reason
    assert local_only(phone), phone.requests


def test_placeholder_and_deferred_badge_open_their_parts(phone, facts):
    phone.goto(facts + "meetings/11/")
    phone.get_by_role("link", name="（内容について非公表）").click()
    phone.wait_for_function("location.hash === '#placeholder'")
    assert urlsplit(phone.url).path == "/disclosure/"
    phone.goto(facts + "meetings/9/agenda/1/")
    phone.locator(".gk-badge-link", has_text="後日公表予定").click()
    phone.wait_for_function("location.hash === '#deferred'")
    assert "2030年1月1日以降に公表" in phone.locator("#deferred ~ ul").first.inner_text()
    assert local_only(phone), phone.requests


def test_meeting_with_sources_links_the_originals(phone, facts):
    phone.goto(facts + "meetings/11/")
    sources = phone.locator(".gk-facts dd a[rel=external]")
    assert [(a.inner_text(), a.get_attribute("href")) for a in sources.all()] == [
        ("議事次第", "https://example.org/ppc/11/shidai.pdf"), ("議事概要", "https://example.org/ppc/11/gaiyou.pdf")]
    assert all(a.is_visible() for a in sources.all())
    assert "第11回個人情報保護委員会 議事録" in phone.locator(".gk-facts").inner_text()  # no URL: its title alone
    material = phone.locator(".gk-item-meta a[rel=external]")
    assert (material.inner_text(), material.get_attribute("href")) == ("資料１", "https://example.org/ppc/11/shiryou1.pdf")
    assert local_only(phone), phone.requests  # linked, never fetched
