"""Sixth attack (a hostile contributor and a careless clerk): the 後日公表 date boundary and what
the dates and existence of withheld or deferred content tell. Each test failed before its fix."""

from __future__ import annotations

import datetime as dt

import pytest
from test_following import SITE_URL, _first_commit, _git, _real_project, build_on, feed_entries, lastmods

from conftest import make_project, write

# -- dates: a document of a 非公表 item --------------------------------------------------------------------

DOCUMENT = """---
title: 監視・監督の結果の公表資料
kind: 公表資料
date: 2023-04-05
meeting: 10
agenda: 2
disclosure: 公開
---

## 概要

公表する資料の本文です。
"""


def test_an_edit_of_the_withheld_link_of_a_published_document_moves_no_date(tmp_path):
    """A public document of a 非公表 item is published with its meeting and agenda left out
    (README: "it names neither the meeting nor the item"). A commit that changed only them (a clerk
    taking out the link that is not published anyway) moved the document's feed `updated` and its
    page's `lastmod`, and the lastmod of every list page, to that commit: the dates told that what
    the file holds of the withheld item had changed."""
    root = _real_project(tmp_path)
    doc = write(root / "decisions" / "2023-04-05-public.md", DOCUMENT)
    _first_commit(root)
    before = build_on(root, tmp_path / "a", "1735657200")
    doc.write_text(DOCUMENT.replace("meeting: 10\nagenda: 2\n", ""), encoding="utf-8")
    _git(root, "commit", "-q", "-am", "link dropped", when="2024-06-01T12:00:00+09:00")
    after = build_on(root, tmp_path / "b", "1735657200")
    page = "decisions/2023-04-05-public/index.html"
    assert (before / page).read_bytes() == (after / page).read_bytes()  # the same public page
    assert lastmods(after) == lastmods(before)
    assert (after / "feed.xml").read_bytes() == (before / "feed.xml").read_bytes()


# -- dates: a document published on its deferred item's day -------------------------------------------------

def test_a_document_of_a_deferred_item_is_dated_by_the_day_it_is_published(tmp_path):
    """A 公開 document of a 後日公表 item appears with its item, on the item's day, without a
    commit. Its feed entry kept the date of its file's last commit, older than the day it first
    appeared (the item's pages and the document's own sitemap entry took the day: README "from
    that day the file is dated no earlier than the day's start in Japan")."""
    root = _real_project(tmp_path)
    write(root / "decisions" / "2021-06-01-report.md", DOCUMENT.replace("meeting: 10\nagenda: 2", "meeting: 9\nagenda: 1")
          .replace("date: 2023-04-05", "date: 2021-06-01").replace("監視・監督の結果", "例示株式会社の報告"))
    _first_commit(root)
    site = build_on(root, tmp_path / "a", "1893423600")  # 2030-01-01 00:00 in Japan: item 9-1's day
    entry = next(e for e in feed_entries(site / "feed.xml") if e["href"] == SITE_URL + "decisions/2021-06-01-report/")
    assert entry["updated"] == "2030-01-01T00:00:00+09:00"
    assert lastmods(site)["decisions/2021-06-01-report/"] == "2030-01-01T00:00:00+09:00"


# -- the day: a SOURCE_DATE_EPOCH past what MkDocs can write ---------------------------------------------------

@pytest.mark.parametrize("command", ["build", "check"])
def test_a_build_day_past_2106_is_refused_with_a_message(tmp_path, command):
    """SOURCE_DATE_EPOCH was accepted up to 9999-12-31 (253402268399), but MkDocs writes the build
    day's midnight (UTC) as the gzip time of sitemap.xml.gz, 32 bits: from 4295030400
    (2106-02-08 in UTC) every build and serve died in MkDocs with a Python traceback
    (struct.error) where the README promises a message; check said nothing. The limit is now
    2**32 - 1 seconds, refused alike by check, build and serve."""
    from hostile import assert_refused

    root = make_project(tmp_path / "p")
    assert_refused(root, "SOURCE_DATE_EPOCH", command=command, env={"SOURCE_DATE_EPOCH": "4295030400"},
                   message="SOURCE_DATE_EPOCH の値「4295030400」は使えません")


def test_the_last_build_day_mkdocs_can_write_is_accepted():
    from gijiroku.disclosure.public import build_date

    assert build_date({"SOURCE_DATE_EPOCH": "4294967295"}) == dt.date(2106, 2, 7)
    with pytest.raises(ValueError, match="4294967296"):
        build_date({"SOURCE_DATE_EPOCH": "4294967296"})
