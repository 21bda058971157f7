"""A reader on a phone searching a 議事概要 (issue 14): the hit says which agenda item it is under."""

from __future__ import annotations

import shutil

import pytest

from browser import PHONE, serve
from conftest import FIXTURES, build_on_fixed_date, make_project

pytestmark = pytest.mark.browser

DONE = "#gk-search[data-state=done]"


@pytest.fixture(scope="module")
def summary_base(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("summary") / "project")
    shutil.copytree(FIXTURES / "summary", root, dirs_exist_ok=True)
    with serve(build_on_fixed_date(root)) as base:
        yield base


def test_a_summary_paragraph_hit_names_its_agenda_item(browser, summary_base):
    """A speech's hit shows 議題N …; a summary paragraph's showed only 議事概要 (the kind, already on
    the result), because the item was hidden as if the hit were the item's own heading."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(summary_base + "search/?q=報告の様式を統一")
        page.wait_for_selector(DONE)
        hits = page.locator(".gk-hit__head")
        assert hits.count() == 1
        assert hits.first.locator(".gk-hit__item").count() == 1
        assert hits.first.locator(".gk-hit__item").inner_text() == "議題1 デジタル庁からの報告について"
        assert hits.first.locator(".gk-hit__label").inner_text() == "議事概要"
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1]
    finally:
        context.close()


def test_the_heading_hit_of_an_item_does_not_repeat_the_item(browser, summary_base):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(summary_base + "search/?q=デジタル庁からの報告について")
        page.wait_for_selector(DONE)
        heads = page.locator(".gk-hit__head")
        texts = [heads.nth(i).inner_text() for i in range(heads.count())]
        heading = [t for t in texts if t.startswith("議題1 デジタル庁からの報告について")]
        assert heading and all(t.count("デジタル庁からの報告について") == 1 for t in heading), texts
    finally:
        context.close()
