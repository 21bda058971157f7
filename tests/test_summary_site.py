"""A meeting published first as its 議事概要, then replaced by its 議事録 (issue 14): the page, the
agenda pages, /api/meetings.json, the feed and the search record say which it is; the URL stays;
the feed shows the change. tests/fixtures/summary holds the summary (a public item, a 非公表 item,
a 後日公表 item, a withheld passage), tests/fixtures/summary_replaced the same meeting's minutes."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, build_on_fixed_date, make_project
from gijiroku.disclosure.public import public_record
from gijiroku.record.loader import load_record
from gijiroku.record.model import PLACEHOLDER
from gijiroku.search.records import meeting_unit
from sitecheck import by_class, elements

pytestmark = pytest.mark.slow

ATOM = "{http://www.w3.org/2005/Atom}"
SUMMARY_1 = ["事務局からデジタル庁の報告の概要について説明があり、了承された。",
             "○委員から、報告の様式を統一するよう求める意見があった。"]
SECRETS = ("サマリー秘匿カナリア", "サマリー後日カナリア")


def _project(path: Path, *overlays: str) -> Path:
    root = make_project(path)
    for overlay in overlays:
        shutil.copytree(FIXTURES / overlay, root, dirs_exist_ok=True)
    return root


@pytest.fixture(scope="module")
def summary_site(tmp_path_factory) -> Path:
    return build_on_fixed_date(_project(tmp_path_factory.mktemp("summary") / "project", "summary"))


def text_of(site: Path, page: str) -> str:
    return " ".join(e["text"] for e in elements(site / page) if e["text"])


def feed_entries(path: Path) -> dict[str, dict]:
    root = ET.parse(path).getroot()
    return {e.find(f"{ATOM}id").text: {"title": e.find(f"{ATOM}title").text,
                                       "category": e.find(f"{ATOM}category").get("term"),
                                       "updated": e.find(f"{ATOM}updated").text}
            for e in root.findall(f"{ATOM}entry")}


def test_the_summary_page_says_it_is_a_summary_and_shows_its_paragraphs(summary_site):
    page = "meetings/11/index.html"
    kind = by_class(elements(summary_site / page), "gk-record-kind")
    assert kind and "この会議の記録は議事概要です" in " ".join(e["text"] for e in kind)
    summaries = [e["text"] for e in by_class(elements(summary_site / page), "gk-summary")]
    assert summaries and all(p in " ".join(summaries) for p in SUMMARY_1)
    assert not by_class(elements(summary_site / page), "gk-speech")
    html = (summary_site / page).read_text(encoding="utf-8")
    assert "（内容について非公表）" in html and "後日公表予定" in html
    # the minutes of meeting 10 say nothing of a summary
    assert not by_class(elements(summary_site / "meetings/10/index.html"), "gk-record-kind")


def test_an_agenda_page_of_the_summary_shows_the_items_summary(summary_site):
    els = elements(summary_site / "meetings/11/agenda/1/index.html")
    assert any(e["tag"] == "h2" and e["text"].startswith("議事概要") for e in els)
    assert all(p in text_of(summary_site, "meetings/11/agenda/1/index.html") for p in SUMMARY_1)


def test_lists_mark_the_summary(summary_site):
    for page in ("meetings/index.html", "index.html"):
        assert "議事概要" in text_of(summary_site, page), page


def test_api_says_which_record_and_gives_the_public_summary(summary_site):
    meetings = {m["number"]: m for m in json.loads((summary_site / "api" / "meetings.json").read_text())["meetings"]}
    assert meetings[11]["record"] == "議事概要" and meetings[10]["record"] == "議事録"
    # a withheld passage is the placeholder where it stood, as on the item's page and in a speech's
    # text; the 非公表 item's record is the placeholder line; the 後日公表 item's, nothing before its day
    assert [i["summary"] for i in meetings[11]["agenda"]] == ["\n".join([*SUMMARY_1, PLACEHOLDER]), PLACEHOLDER, None]
    assert [i["summary"] for i in meetings[10]["agenda"]] == [None, None]


def test_the_feed_entry_is_titled_and_filed_by_its_record(summary_site):
    entries = feed_entries(summary_site / "feed.xml")
    mine = next(v for k, v in entries.items() if k.endswith("/meetings/11/"))
    assert (mine["title"], mine["category"]) == ("第11回試験委員会 議事概要", "議事概要")
    other = next(v for k, v in entries.items() if k.endswith("/meetings/10/"))
    assert (other["title"], other["category"]) == ("第10回試験委員会 議事録", "議事録")
    agency = ET.parse(summary_site / "agencies" / "digital-agency" / "feed.xml").getroot()
    titles = [e.find(f"{ATOM}title").text for e in agency.findall(f"{ATOM}entry")]
    assert "議題1 デジタル庁からの報告について（第11回試験委員会 議事概要）" in titles


def test_the_search_record_is_a_summary_with_its_paragraphs(summary_site):
    heads = [json.loads(gzip.decompress(p.read_bytes())) for p in (summary_site / "search" / "r").glob("*.json.gz")]
    head = next(h for h in heads if h["u"] == "meetings/11/")
    assert head["k"] == "議事概要"
    record, problems = load_record(summary_site.parent)  # the project the site was built from
    assert problems == []
    public = public_record(record, dt.date(2025, 1, 1))
    unit = meeting_unit(public.meetings[11], public)
    assert unit.kind == "議事概要"
    assert [(b.anchor, b.label, b.paragraphs) for b in unit.blocks if b.label == "議事概要"] == [
        ("agenda-1", "議事概要", [p]) for p in SUMMARY_1]


def test_withheld_and_deferred_summary_text_is_in_no_file(summary_site):
    for path in summary_site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            data = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
            text = data.decode("utf-8", errors="replace")
            assert not any(s in text for s in SECRETS), path


def _git(root: Path, *args: str, when: str | None = None) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t.invalid", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t.invalid")
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True, text=True)


def test_the_minutes_replace_the_summary_at_the_same_url_and_the_feed_shows_it(tmp_path):
    root = _project(tmp_path / "project", "summary")
    for name in ("mkdocs.yml", "hooks"):  # a real repository holds files, not links (overrides/ is copied)
        (root / name).unlink()
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, root / name)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "summary", when="2023-05-12T18:00:00+09:00")
    before = build_on_fixed_date(root, tmp_path / "a")
    shutil.copytree(FIXTURES / "summary_replaced", root, dirs_exist_ok=True)
    _git(root, "commit", "-q", "-am", "minutes", when="2023-06-20T12:00:00+09:00")
    after = build_on_fixed_date(root, tmp_path / "b")
    old, new = (next(v for k, v in feed_entries(s / "feed.xml").items() if k.endswith("/meetings/11/"))
                for s in (before, after))
    assert (old["title"], old["updated"]) == ("第11回試験委員会 議事概要", "2023-05-12T18:00:00+09:00")
    assert (new["title"], new["category"], new["updated"]) == ("第11回試験委員会 議事録", "議事録", "2023-06-20T12:00:00+09:00")
    page = after / "meetings" / "11" / "index.html"
    assert page.is_file() and (before / "meetings" / "11" / "index.html").is_file()
    assert not by_class(elements(page), "gk-record-kind") and by_class(elements(page), "gk-speech")
    meetings = {m["number"]: m for m in json.loads((after / "api" / "meetings.json").read_text())["meetings"]}
    assert meetings[11]["record"] == "議事録" and meetings[11]["url"].endswith("/meetings/11/")
