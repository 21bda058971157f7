"""Following a case and citing it, as the built site gives it: feeds per commissioner and agency,
dates that only a change of the sources moves, the order of lists, titles, badges, the 404 page."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, build_on_fixed_date, make_project, write
from sitecheck import by_class, elements, speakers

pytestmark = pytest.mark.slow

SITE_URL = "http://127.0.0.1:8000/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def feed_entries(path: Path) -> list[dict]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}").text, required
    return [{"title": e.find(f"{ATOM}title").text, "href": e.find(f"{ATOM}link").get("href"),
             "updated": e.find(f"{ATOM}updated").text,
             "published": (e.find(f"{ATOM}published").text if e.find(f"{ATOM}published") is not None else None)}
            for e in root.findall(f"{ATOM}entry")]


def speaker_of(site: Path, url: str) -> str:
    """The speaker label of the speech a permalink points to, read from the built meeting page."""
    path, _, anchor = url[len(SITE_URL):].partition("#")
    els = elements(site / path / "index.html")
    at = next(i for i, e in enumerate(els) if e["attrs"].get("id") == anchor)
    return speakers(els[at:])[0]["text"]


def alternates(site: Path, page: str) -> dict[str, str]:
    return {e["attrs"]["href"]: e["attrs"]["type"] for e in elements(site / page)
            if e["tag"] == "link" and e["attrs"].get("rel") == "alternate"}


# -- feeds per commissioner and per agency ----------------------------------------------------------

def test_every_commissioner_and_agency_has_a_feed_linked_from_its_page(built_site):
    for folder in ("commissioners", "agencies"):
        ids = [p.stem for p in (ROOT / "docs" / folder).glob("*.md")]
        assert ids
        for ident in ids:
            assert (built_site / folder / ident / "feed.xml").is_file(), (folder, ident)
            feed_entries(built_site / folder / ident / "feed.xml")
            alts = alternates(built_site, f"{folder}/{ident}/index.html")
            assert alts.get("feed.xml") == "application/atom+xml", alts  # relative to the page
            assert by_class(elements(built_site / folder / ident / "index.html"), "gk-feeds"), (folder, ident)
    api = {e["attrs"]["href"] for e in elements(built_site / "api" / "index.html") if e["tag"] == "a"}
    assert {"../commissioners/tanno/feed.xml", "../agencies/mhlw/feed.xml", "../feed.xml", "meetings.json"} <= api


def test_a_commissioners_feed_holds_only_their_own_public_remarks(built_site):
    entries = feed_entries(built_site / "commissioners" / "tanno" / "feed.xml")
    assert [e["title"] for e in entries] == ["第244回個人情報保護委員会 丹野委員長の発言（9件）",
                                            "第136回個人情報保護委員会 丹野委員長の発言（7件）"]
    for e in entries:
        assert speaker_of(built_site, e["href"]) == "丹野委員長"
    assert entries[0]["published"] == "2023-05-31T00:00:00+09:00"
    assert entries[1]["published"] is None  # 第136回: the record gives no date, none is invented
    takamura = feed_entries(built_site / "commissioners" / "takamura" / "feed.xml")
    assert all(speaker_of(built_site, e["href"]) == "髙村委員" for e in takamura) and takamura


def test_an_agencys_feed_lists_its_items_documents_and_mentions(built_site):
    entries = feed_entries(built_site / "agencies" / "mhlw" / "feed.xml")
    hrefs = [e["href"] for e in entries]
    assert SITE_URL + "meetings/244/agenda/2/" in hrefs
    assert any("/decisions/" in h for h in hrefs)
    mentions = [e for e in entries if "#speech-" in e["href"]]
    assert mentions and all("厚生労働省に言及した発言" in e["title"] for e in mentions)
    assert SITE_URL + "meetings/244/agenda/4/" not in hrefs  # the 非公表 item names no agency anywhere


def test_footer_links_the_site_feed_and_the_api_page(built_site):
    for page in ("index.html", "meetings/244/index.html", "agencies/mhlw/index.html", "404.html"):
        els = elements(built_site / page)
        assert by_class(els, "gk-footer-links"), page
        hrefs = [e["attrs"].get("href", "") for e in els if e["tag"] == "a"]
        assert any(h.endswith("feed.xml") and "commissioners" not in h and "agencies" not in h for h in hrefs), page
        assert any(h.rstrip("/").endswith("api") for h in hrefs), page
    assert alternates(built_site, "meetings/index.html").get("../api/meetings.json") == "application/json"


# -- dates from git, never from the build ---------------------------------------------------------

def _git(root: Path, *args: str, when: str | None = None) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t.invalid", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t.invalid")
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    return subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True, text=True).stdout


def lastmods(site: Path) -> dict[str, str | None]:
    root = ET.parse(site / "sitemap.xml").getroot()
    out = {}
    for url in root.findall(f"{SITEMAP}url"):
        mod = url.find(f"{SITEMAP}lastmod")
        out[url.find(f"{SITEMAP}loc").text[len(SITE_URL):]] = mod.text if mod is not None else None
    return out


def build_on(root: Path, site: Path, epoch: str) -> Path:
    from gijiroku.site.commands import build

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", epoch)
        assert build(root, site, quiet=True) == 0
    return site


def test_lastmod_and_feed_dates_come_from_git_not_from_the_build(tmp_path):
    root = _real_project(tmp_path)
    # An undated meeting, as 第136回: its feed entry was dated by every build before.
    text = (FIXTURES / "project" / "minutes" / "9.md").read_text(encoding="utf-8")
    write(root / "minutes" / "9.md", text.replace("date: 2021-06-01", "date: null", 1))
    _first_commit(root)
    first = build_on(root, tmp_path / "a", "1735657200")
    again = build_on(root, tmp_path / "b", "1767193200")  # a year later: nothing changed
    assert (first / "sitemap.xml").read_bytes() == (again / "sitemap.xml").read_bytes()
    for feed in ("feed.xml", "commissioners/aoki/feed.xml", "agencies/digital-agency/feed.xml"):
        assert (first / feed).read_bytes() == (again / feed).read_bytes(), feed
    mods = lastmods(first)
    assert mods["meetings/9/"] == mods["meetings/10/"] == "2024-03-01T10:00:00+09:00"
    undated = next(e for e in feed_entries(first / "feed.xml") if e["href"] == SITE_URL + "meetings/9/")
    assert undated["updated"] == "2024-03-01T10:00:00+09:00" and undated["published"] is None

    # One meeting changes: its pages move, the other meeting's do not.
    path = root / "minutes" / "10.md"
    path.write_text(path.read_text(encoding="utf-8").replace("place: 委員会室", "place: 第二委員会室"), encoding="utf-8")
    _git(root, "commit", "-q", "-am", "place", when="2024-05-02T09:30:00+09:00")
    later = lastmods(build_on(root, tmp_path / "c", "1767193200"))
    assert later["meetings/10/"] == later["meetings/10/agenda/1/"] == "2024-05-02T09:30:00+09:00"
    assert later["meetings/9/"] == "2024-03-01T10:00:00+09:00"
    assert later["commissioners/inoue/"] == "2024-05-02T09:30:00+09:00"  # spoke at 第10回
    assert later["commissioners/aoki/"] == "2024-03-01T10:00:00+09:00"  # attended 第9回 only
    assert later[""] == "2024-05-02T09:30:00+09:00"  # the home page lists everything


def test_without_git_history_lastmod_is_left_out(tmp_path):
    site = build_on_fixed_date(make_project(tmp_path / "project"))
    mods = lastmods(site)
    assert mods and set(mods.values()) == {None}
    # The feed's dates are the record's, not the build's (2025-01-01).
    assert all(not e["updated"].startswith("2025-01-01") for e in feed_entries(site / "feed.xml"))


def test_the_real_sites_undated_meeting_is_dated_by_its_last_commit(built_site):
    commit, _, when = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%H %cI", "--", "minutes/136.md"],
                                     capture_output=True, text=True).stdout.strip().partition(" ")
    if not when:  # a tarball of the project: no history, and the test says so rather than pass
        pytest.fail("the project has no git history: this test needs its repository")
    shallow = Path(subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--git-path", "shallow"],
                                  capture_output=True, text=True).stdout.strip())
    shallow = shallow if shallow.is_absolute() else ROOT / shallow
    if shallow.is_file() and commit in shallow.read_text().split():
        when = None  # a shallow clone: the file may be older than its boundary commit; no date is known
    entry = next(e for e in feed_entries(built_site / "feed.xml") if e["href"] == SITE_URL + "meetings/136/")
    assert entry["updated"] == when or when is None
    assert lastmods(built_site)["meetings/136/"] == when


# -- order of lists ----------------------------------------------------------------------------------

def test_commissioners_are_listed_chair_first_then_in_the_records_order(built_site):
    names = [e["text"] for e in by_class(elements(built_site / "commissioners" / "index.html"), "gk-person__name")]
    # 第244回's attendee list: the Commission's own order of precedence, not the romaji ids.
    assert names == ["丹野", "小川", "中村", "大島", "浅井", "加藤", "藤原", "梶田", "髙村"]


def test_agencies_are_grouped_by_kind_and_never_sorted_by_id(built_site):
    els = elements(built_site / "agencies" / "index.html")
    kinds = [e["text"].rstrip("#") for e in els if e["tag"] == "h2"]
    assert kinds == ["国の行政機関", "地方公共団体", "医療保険者等", "公的機関", "事業者", "総称"]
    national = [e["text"] for e in els if e["tag"] == "a" and e["attrs"].get("href", "") in
                ("cao/", "digital-agency/", "mhlw/", "mic/", "nta/")]
    assert national == sorted(national)  # by name where no reading is given (ids would put cao first)
    assert national[0] == "デジタル庁"


# -- titles, badges, captions, 404 ---------------------------------------------------------------------

def title_of(site: Path, page: str) -> str:
    return next(e["text"] for e in elements(site / page) if e["tag"] == "title")


def test_titles_name_the_site_once(built_site):
    assert title_of(built_site, "index.html") == "個人情報保護委員会 議事録"
    assert title_of(built_site, "meetings/244/index.html") == "第244回個人情報保護委員会 - 個人情報保護委員会 議事録"
    assert title_of(built_site, "404.html") == "ページが見つかりません - 個人情報保護委員会 議事録"


def test_no_badge_is_shown_twice(built_site):
    """第136回 議題5 is of the kind 報告 with the outcome 報告: one badge says it."""
    from sitecheck import Elements

    html = (built_site / "meetings" / "136" / "index.html").read_text(encoding="utf-8")
    groups = [chunk.split("</p>")[0].split("</li>")[0] for chunk in html.split('class="gk-item-meta">')[1:]]
    groups += [chunk.split("</span></li>")[0] for chunk in html.split('class="gk-toc__meta">')[1:]]
    assert len(groups) == 10  # five items, in the contents and above each section
    for group in groups:
        parser = Elements()
        parser.feed(group)
        badges = [e["text"] for e in by_class(parser.elements, "gk-badge")]
        assert badges and len(badges) == len(set(badges)), badges
    assert html.count('<span class="gk-badge gk-badge--kind">報告</span>') == 2
    assert '<span class="gk-badge gk-badge--outcome">報告</span>' not in html


def test_citations_name_the_meeting_with_its_date_only_when_the_record_gives_it(built_site):
    """A page says the meeting's citation once (the copy button adds the speaker, the turn's number
    and the permalink: test_following_browser.py), never once per turn."""
    def cites(page):
        return [e["attrs"]["data-cite"] for e in elements(built_site / page) if "data-cite" in e["attrs"]]

    assert cites("meetings/244/index.html") == ["第244回個人情報保護委員会（令和5年5月31日）議事録"]
    assert cites("meetings/244/agenda/3/index.html") == ["第244回個人情報保護委員会（令和5年5月31日）議事録"]
    assert cites("meetings/136/index.html") == ["第136回個人情報保護委員会議事録"]


def test_the_404_page_is_japanese_with_search_and_main_links(built_site):
    html = (built_site / "404.html").read_text(encoding="utf-8")
    assert html.index('http-equiv="Content-Security-Policy"') < html.index("<title>")
    els = elements(built_site / "404.html")
    assert next(e["text"] for e in els if e["tag"] == "h1") == "ページが見つかりません"
    forms = [e["attrs"]["action"] for e in els if e["tag"] == "form" and "action" in e["attrs"]]
    assert len(forms) == 2  # the header's and the page's
    assert forms and all(a == "/search/" for a in forms)  # absolute: the page is served at any path
    hrefs = {e["attrs"].get("href") for e in els if e["tag"] == "a"}
    assert {"/meetings/", "/commissioners/", "/agencies/", "/decisions/", "/search/", "/api/"} <= hrefs
    scripts = [e for e in els if e["tag"] == "script" and not e["attrs"].get("src")]
    assert all("gk-" not in e["text"] for e in scripts)  # no script of ours inline


def test_chart_caption_names_the_chair_upright(built_site):
    els = elements(built_site / "commissioners" / "tanno" / "index.html")
    caption = next(e["text"] for e in els if e["tag"] == "figcaption")
    assert caption.startswith("丹野委員長の年ごとの発言数")
    css = (ROOT / "docs" / "assets" / "gijiroku.css").read_text(encoding="utf-8")
    assert ".md-typeset .gk-chart figcaption {" in css and "font-style: normal" in css.split(".md-typeset .gk-chart figcaption {")[1].split("}")[0]


def test_a_commit_that_changes_only_withheld_text_moves_no_date(tmp_path):
    """Editing the text inside a 非公表 region (or of an item not yet published) gave the meeting's
    pages and its feed entry that commit's date, telling readers that withheld content changed
    (found by an attack). The date is the last commit that changed what the file publishes."""
    root = _real_project(tmp_path)
    path = root / "minutes" / "10.md"
    text = path.read_text(encoding="utf-8")
    assert "○井上委員長 原案のとおり承認します。" in text
    path.write_text(text.replace("○井上委員長 原案のとおり承認します。", "○井上委員長 原案のとおり承認します。\n\n"
                                 "<!-- 非公表 -->\n○事務局 伏せる文の一稿目です。\n<!-- /非公表 -->", 1), encoding="utf-8")
    _first_commit(root)
    path.write_text(path.read_text(encoding="utf-8").replace("伏せる文の一稿目です。", "伏せる文の二稿目で、行も\n\n増えました。"),
                    encoding="utf-8")
    _git(root, "commit", "-q", "-am", "withheld only", when="2024-04-01T10:00:00+09:00")
    site = build_on(root, tmp_path / "a", "1767193200")
    mods = lastmods(site)
    assert mods["meetings/10/"] == mods["meetings/10/agenda/1/"] == "2024-03-01T10:00:00+09:00"
    entry = next(e for e in feed_entries(site / "feed.xml") if e["href"] == SITE_URL + "meetings/10/")
    assert entry["updated"] == "2024-03-01T10:00:00+09:00"
    # a public change moves it, as before
    path.write_text(path.read_text(encoding="utf-8").replace("place: 委員会室", "place: 第二委員会室"), encoding="utf-8")
    _git(root, "commit", "-q", "-am", "place", when="2024-05-02T09:30:00+09:00")
    assert lastmods(build_on(root, tmp_path / "b", "1767193200"))["meetings/10/"] == "2024-05-02T09:30:00+09:00"


def test_a_withheld_only_edit_of_a_public_meeting_or_a_document_moves_no_date(tmp_path):
    """A meeting whose items are all published but whose body holds a 非公表 passage, and a document
    with one: editing only that passage moved their dates (found by a second attack)."""
    root = _real_project(tmp_path)
    meeting, document = root / "minutes" / "9.md", root / "decisions" / "2023-04-05-example.md"
    region = "\n\n<!-- 非公表 -->\n{}\n<!-- /非公表 -->\n"
    text = meeting.read_text(encoding="utf-8")
    assert "○井上委員 了解しました。" in text
    meeting.write_text(text.replace("○井上委員 了解しました。", "○井上委員 了解しました。" + region.format("○事務局 伏せる一稿目です。"), 1),
                       encoding="utf-8")
    document.write_text(document.read_text(encoding="utf-8") + region.format("伏せる文書の一稿目です。"), encoding="utf-8")
    _first_commit(root)
    for path in (meeting, document):
        path.write_text(path.read_text(encoding="utf-8").replace("一稿目", "二稿目"), encoding="utf-8")
    _git(root, "commit", "-q", "-am", "withheld only", when="2024-04-01T10:00:00+09:00")
    mods = lastmods(build_on(root, tmp_path / "a", "1924992000"))  # 2031: meeting 9's 後日公表 item is published
    assert mods["decisions/2023-04-05-example/"] == "2024-03-01T10:00:00+09:00"
    assert mods["meetings/9/"] == "2030-01-01T00:00:00+09:00"  # the day its item was published, not the withheld edit's


def _first_commit(root: Path) -> None:
    """The project, a repository now, committed as its record on 2024-03-01 at 10:00 in Japan."""
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "record", when="2024-03-01T10:00:00+09:00")


def _real_project(tmp_path: Path) -> Path:
    """A project of the fixtures as a repository holds it: files, not links (overrides/ is copied)."""
    root = make_project(tmp_path / "project")
    for name in ("mkdocs.yml", "hooks"):
        (root / name).unlink()
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, root / name)
    return root


def test_a_withheld_only_edit_of_a_profile_or_a_hand_written_page_moves_no_date(tmp_path):
    """Found by an attack: the dates of the commissioner's pages, of the hand-written page and of
    the home page moved with a commit that changed only the text of a 非公表 region of a profile or
    a page under docs/."""
    root = _real_project(tmp_path)
    region = "\n<!-- 非公表 -->\n内部メモの一稿目は非公表である。\n<!-- /非公表 -->\n"
    profile = root / "docs" / "commissioners" / "inoue.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\n井上の経歴。\n" + region, encoding="utf-8")
    write(root / "docs" / "about.md", "# 概要\n\n公開の説明。\n" + region)
    _first_commit(root)
    for path in (profile, root / "docs" / "about.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("一稿目", "二稿目"), encoding="utf-8")
    _git(root, "commit", "-q", "-am", "withheld only", when="2024-04-01T10:00:00+09:00")
    site = build_on(root, tmp_path / "a", "1735657200")
    mods = lastmods(site)
    assert "二稿目" not in (site / "commissioners" / "inoue" / "index.html").read_text(encoding="utf-8")
    assert mods["commissioners/inoue/"] == mods["about/"] == mods[""] == "2024-03-01T10:00:00+09:00"
    # a public change moves them, as before
    profile.write_text(profile.read_text(encoding="utf-8").replace("井上の経歴。", "井上の略歴。"), encoding="utf-8")
    _git(root, "commit", "-q", "-am", "public", when="2024-05-02T09:30:00+09:00")
    later = lastmods(build_on(root, tmp_path / "b", "1735657200"))
    assert later["commissioners/inoue/"] == later[""] == "2024-05-02T09:30:00+09:00"
    assert later["about/"] == "2024-03-01T10:00:00+09:00"


def test_an_item_published_later_dates_its_pages_and_entry_by_its_day_from_that_day(tmp_path):
    """Found by an attack: the daily build published a 後日公表 item on its day, without a commit,
    and no `updated` or `lastmod` moved, so feed readers and crawlers were never told."""
    root = _real_project(tmp_path)
    assert "publish_after: 2030-01-01" in (root / "minutes" / "9.md").read_text(encoding="utf-8")
    _first_commit(root)
    before = build_on(root, tmp_path / "before", "1893423599")  # 2029-12-31 23:59:59 in Japan
    after = build_on(root, tmp_path / "after", "1893423600")  # 2030-01-01 00:00:00 in Japan

    def entry(site: Path) -> dict:
        return next(e for e in feed_entries(site / "feed.xml") if e["href"] == SITE_URL + "meetings/9/")

    assert entry(before)["updated"] == lastmods(before)["meetings/9/agenda/1/"] == "2024-03-01T10:00:00+09:00"
    published = "2030-01-01T00:00:00+09:00"
    assert entry(after)["updated"] == published
    assert lastmods(after)["meetings/9/"] == lastmods(after)["meetings/9/agenda/1/"] == lastmods(after)[""] == published
    assert lastmods(after)["meetings/10/"] == "2024-03-01T10:00:00+09:00"
