"""What MkDocs does for the pages the package makes whole (issue 15): it converts no Markdown for
them (their body is empty; hooks/site.py, on_pre_page), and Material's tabs are rendered once for
all the pages that print them alike (site/render.py, Tabs), each page still linking every tab from
where it is and marking its own section."""

from __future__ import annotations

import gc
import posixpath
import re
from types import SimpleNamespace

from mkdocs.utils import normalize_url

from conftest import make_project
from gijiroku.site.render import Tabs

SECTIONS = ["", "meetings/", "commissioners/", "agencies/", "decisions/", "search/"]
TITLES = ["ホーム", "会議", "委員", "機関", "決定・資料", "検索"]


def nav(active: str | None = None):
    return SimpleNamespace(items=[SimpleNamespace(url=url, active=url == active, children=None) for url in SECTIONS])


def test_the_tabs_of_pages_alike_are_rendered_once_and_the_others_each_their_own():
    rendered = []

    def caller():
        rendered.append(None)
        return f"tabs {len(rendered)}"

    tabs = Tabs(lambda url, page: normalize_url(url, page=page))

    def render(url, active=None):
        return tabs(SimpleNamespace(url=url) if url is not None else None, nav(active), caller=caller)

    assert render("meetings/1/") == "tabs 1"
    assert render("meetings/244/") == "tabs 1"  # the same folder at the same depth: the same links
    assert render("meetings/1/agenda/1/") == "tabs 2"  # deeper: every link climbs further
    assert render("meetings/2/agenda/3/") == "tabs 2"
    assert render("agencies/digital/") == "tabs 3"  # another section: another tab is its own
    assert render("meetings/", active="meetings/") == "tabs 4"  # the tab's own page (aria-current="page")
    assert render("meetings/", active=None) == "tabs 5"  # the same page, the item not active: not the same
    assert render("decisions/d1/") == "tabs 6"
    assert render("search/") == "tabs 7"  # the page is the tab's URL, not a page under it
    assert render(None) == "tabs 8" and render(None) == "tabs 9"  # no page (the 404 template): never kept
    # A child of a navigation item counts as its item does.
    items = [SimpleNamespace(url=None, active=False, children=[SimpleNamespace(url=u, active=False, children=None)])
             for u in ("a/", "b/")]
    assert tabs(SimpleNamespace(url="a/x/"), SimpleNamespace(items=items), caller=caller) == "tabs 10"
    assert tabs(SimpleNamespace(url="b/x/"), SimpleNamespace(items=items), caller=caller) == "tabs 11"
    assert tabs(SimpleNamespace(url="a/y/"), SimpleNamespace(items=items), caller=caller) == "tabs 10"


_TABS = re.compile(r'<nav class="md-tabs"[^>]*>(.*?)</nav>', re.S)
_TAB = re.compile(r'<li( class="md-tabs__item--active")?><a href="([^"]*)"( aria-current="(?:page|true)")?>([^<]*)</a></li>')


def test_every_page_links_the_tabs_from_where_it_is_and_marks_its_own_section(built_site):
    pages = sorted(built_site.rglob("index.html"))
    assert len(pages) > 50
    for path in pages:
        url = path.parent.relative_to(built_site).as_posix() + "/"
        url = "" if url == "./" else url
        tabs = _TABS.search(path.read_text(encoding="utf-8"))
        assert tabs, url
        found = _TAB.findall(tabs.group(1))
        assert [title for *_, title in found] == TITLES, url
        for (active, href, current, title), section in zip(found, SECTIONS, strict=True):
            target = posixpath.normpath(posixpath.join(url, href)) if href else url.rstrip("/")
            assert target.strip("./") == section.rstrip("/"), (url, title, href)
            mine = bool(section) and url.startswith(section) or url == section
            assert bool(active) == mine, (url, title)
            assert current == ("" if not mine else ' aria-current="page"' if url == section else ' aria-current="true"'), (url, title)


def test_mkdocs_converts_the_markdown_of_the_hand_written_pages_only(tmp_path, fixed_date, monkeypatch):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page

    converted, render = [], Page.render

    def counted(page, config, files):
        converted.append(page.file.src_uri)
        return render(page, config, files)

    monkeypatch.setattr(Page, "render", counted)
    root = make_project(tmp_path / "p")
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
        gc.unfreeze()  # a command-line build freezes what it made (site/build.py): this process goes on
    hand_written = {p.relative_to(root / "docs").as_posix() for p in (root / "docs").rglob("*.md")}
    assert "guide/index.md" in converted and set(converted) <= hand_written
    assert "meetings/10.md" not in converted  # made whole by the package: nothing to convert
    assert "第10回" in (tmp_path / "site" / "meetings" / "10" / "index.html").read_text(encoding="utf-8")
