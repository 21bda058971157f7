"""Hostile input, class 1: no source text ever becomes markup (issue 11).

Every string of a source is printed as text (templates, Material's head, header, nav), source
Markdown is restricted (refused by check with file:line, and escaped by the renderer anyway),
URL fields take http(s) only, the Content-Security-Policy is the first element of every page
and lets only Material's own inline scripts run, and a post-build fence refuses a page that
holds anything that could run.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hostile import assert_inert, assert_refused, build_site, html_pages, run

from conftest import FIXTURES, ROOT, make_project, own_config

HOSTILE = FIXTURES / "hostile" / "markup"
STRINGS = HOSTILE / "strings"
REFUSED = HOSTILE / "refused"


# -- reading pages -------------------------------------------------------------------------------

class Page(HTMLParser):
    """What a reader and a browser see of a page: head values, texts of chosen elements, and
    every element with its attributes."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.metas: dict[str, str] = {}
        self.head_children: list[tuple[str, dict]] = []
        self.texts: dict[str, str] = {}  # "title", "h1", "topic": their text
        self._topics = 0  # the header's topics: the site's name, then the page's title
        self._open: list[tuple[str, str]] = []  # (tag, key of the text being collected)
        self._depth_in_head = None
        self.text_parts: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        values = {k: v or "" for k, v in attrs}
        self.elements.append((tag, values))
        if tag == "head":
            self._depth_in_head = 0
        elif self._depth_in_head is not None:
            self.head_children.append((tag, values))
        if tag == "meta":
            key = values.get("name") or values.get("property") or values.get("http-equiv")
            if key:
                self.metas.setdefault(key, values.get("content", ""))
        key = None
        if tag == "title":
            key = "title"
        elif tag == "h1" and "h1" not in self.texts:
            key = "h1"
        elif tag == "div" and values.get("class") == "md-header__topic":
            self._topics += 1
            key = "topic" if self._topics == 2 else None
        elif tag == "a" and values.get("class") == "headerlink":
            key = "-"  # the permalink sign is not part of the heading's text
        if tag not in ("meta", "link", "br", "input", "img"):
            self._open.append((tag, key))

    def handle_endtag(self, tag):
        if tag == "head":
            self._depth_in_head = None
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        self.text_parts.append(data)
        keys = [k for _, k in self._open if k]
        if keys and keys[-1] != "-":
            self.texts[keys[-1]] = self.texts.get(keys[-1], "") + data

    @property
    def text(self) -> str:
        return " ".join("".join(self.text_parts).split())


def page(site: Path, rel: str) -> Page:
    return Page((site / rel).read_text(encoding="utf-8"))


def flat(text: str) -> str:
    return " ".join(text.split())


# -- every front-matter string shown as text ------------------------------------------------------

def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


@pytest.fixture(scope="module")
def strings(tmp_path_factory):
    """The fixture project with tests/fixtures/hostile/markup/strings on top, built."""
    root = make_project(tmp_path_factory.mktemp("markup") / "project")
    shutil.copytree(STRINGS, root, dirs_exist_ok=True)
    return root, build_site(root)


def expected_pages() -> dict[str, tuple[str, list[str]]]:
    """Page → (its title, source strings it must show as text), from the fixture's own values."""
    meeting = front(STRINGS / "minutes" / "20.md")
    decision = front(STRINGS / "decisions" / "hostile-strings.md")
    person = front(STRINGS / "docs" / "commissioners" / "hostile-person.md")
    agency = front(STRINGS / "docs" / "agencies" / "hostile-agency.md")
    committee = yaml.safe_load((STRINGS / "committee.yml").read_text(encoding="utf-8"))
    item1, item2 = meeting["agenda"]
    material = item1["materials"][0]
    title = meeting["title"]
    return {
        "meetings/20/index.html": (title, [meeting["place"], meeting["sources"][0]["title"], meeting["note"],
                                           item1["title"], item2["title"], decision["title"]]),
        "meetings/20/agenda/1/index.html": (f"議題1 {item1['title']}（{title}）",
                                            [item1["outcome"], item1["publication"], *item1["subjects"],
                                             material["label"], material["title"], agency["name"], item1["kind"]]),
        "meetings/20/agenda/2/index.html": (f"議題2 {item2['title']}（{title}）", [title]),
        "decisions/hostile-strings/index.html": (decision["title"], [decision["material"], decision["note"],
                                                                     decision["sources"][0]["title"], agency["name"],
                                                                     title]),
        "commissioners/hostile-person/index.html": (f"{person['full_name']}（委員）",
                                                    [person["name"], person["reading"], *person["aliases"]]),
        "agencies/hostile-agency/index.html": (agency["name"], [agency["kind"], *agency["aliases"], title]),
        "index.html": (f"{committee['name']} 議事録", [title, decision["title"]]),
        "meetings/index.html": ("会議", [item1["kind"]]),
        "decisions/index.html": ("決定・資料", [decision["title"]]),
        "commissioners/index.html": ("委員", [person["full_name"]]),
        "agencies/index.html": ("機関", [agency["name"], agency["kind"]]),
    }


NAV = {"index.html": "ホーム", "meetings/index.html": "会議", "decisions/index.html": "決定・資料",
       "commissioners/index.html": "委員", "agencies/index.html": "機関"}


def test_every_source_string_is_printed_as_text(strings):
    """<title>, description, og:title, the header topic and the h1 hold each title exactly as
    text; a plain " does not end og:title; every other field shows as the text it is."""
    _, site = strings
    for rel, (title, shown) in expected_pages().items():
        p = page(site, rel)
        assert p.texts["title"] == f"{title} - 個人情報保護委員会 議事録", (rel, p.texts["title"])
        assert p.metas["og:title"] == NAV.get(rel, title), rel  # a page in the nav is known by its nav title
        assert flat(p.texts["topic"]) == flat(NAV.get(rel, title)), rel
        assert flat(p.texts["h1"]) == flat(title.split("（第20回")[0]), rel  # an agenda page's h1 omits the meeting
        assert p.metas["description"], rel
        for text in shown:
            assert flat(text) in p.text, (rel, text)
        assert not [(tag, name) for tag, values in p.elements for name in values if name.startswith("on")], rel


def test_the_kind_page_heading_from_committee_yml_is_text(strings):
    _, site = strings
    kind = yaml.safe_load((STRINGS / "committee.yml").read_text(encoding="utf-8"))["agenda_kinds"][-1]
    from gijiroku.record.registry import Committee

    rel = f"meetings/kinds/{Committee().kind_id(kind)}/index.html"
    p = page(site, rel)
    assert flat(p.texts["h1"]) == f"{kind}の議題" and p.metas["og:title"] == f"{kind}の議題"
    assert p.texts["title"] == f"{kind}の議題 - 個人情報保護委員会 議事録"


def test_no_source_string_adds_an_element_or_a_link(strings):
    """The payloads (<img onerror>, <script>, <svg onload>, [x](javascript:…), ![](remote),
    {: onclick }) added no script, image, svg outside Material's icons, or link off the list."""
    _, site = strings
    for rel in expected_pages():
        p = page(site, rel)
        scripts = [v for tag, v in p.elements if tag == "script"]
        assert all(v.get("src") or v.get("id") == "__config" or not v for v in scripts), rel
        assert not [v for v in scripts if not v], rel  # no inline script (Material's two are assets/theme.js)
        assert not [v for tag, v in p.elements if tag == "img"], rel
        hrefs = [v.get("href", "") for tag, v in p.elements if tag == "a"]
        assert not [h for h in hrefs if not h.startswith("#") and ("javascript" in h.lower() or "203.0.113.9" in h)], rel
        # '" autofocus onfocus="…' in a title stays inside its attribute
        assert not [tag for tag, values in p.elements if "autofocus" in values or "x" in values], rel


PAGES_SHOWING_PAYLOADS = ["index.html", "meetings/index.html", "meetings/20/index.html", "meetings/20/agenda/1/index.html",
                          "meetings/20/agenda/2/index.html", "decisions/index.html", "decisions/hostile-strings/index.html",
                          "commissioners/index.html", "commissioners/hostile-person/index.html", "agencies/index.html",
                          "agencies/hostile-agency/index.html"]


@pytest.mark.slow
def test_pages_showing_payloads_are_inert_in_chromium(strings):
    _, site = strings
    assert_inert(site, PAGES_SHOWING_PAYLOADS)


def test_the_hostile_strings_site_passes_the_fence(strings):
    from gijiroku.site import csp

    _, site = strings
    assert csp.scan_site(site, "http://127.0.0.1:8000/") == []


# -- bodies and URL fields: refused by check with file:line -----------------------------------------

DESTINATION = {"decision": "decisions/hostile.md", "commissioner": "docs/commissioners/hostile.md",
               "agency": "docs/agencies/hostile.md", "meeting": "minutes/11.md"}
# case → the text on the line that must be named
REFUSED_CASES = {
    "decision-raw-script": "<script>",
    "decision-inline-img-onerror": "<img",
    "decision-attr-list": "{: onmouseover",
    "decision-image-attr-list": "![](x)",
    "decision-remote-image": "![グラフ]",
    "decision-javascript-link": "](javascript:",
    "decision-entity-javascript-link": "&#106;avascript:",
    "decision-reference-data-link": "[a]: data:",
    "decision-split-reference-javascript-link": "    javascript:",  # the URL on the line after `[a]:`
    "decision-vbscript-link": "vbscript:",
    "decision-style": "<style>",
    "decision-sources-vbscript-url": "url:",
    "commissioner-profile-script": "<script>",
    "commissioner-profile-style": "<style>",
    "agency-profile-img-onerror": "<img",
    "agency-profile-bdo": "<bdo",
    "agency-profile-ruby": "<ruby>",
    "agency-profile-attr-list": "{: onclick",
    "agency-profile-javascript-link": "javascript:",
    "meeting-materials-javascript-url": "url: javascript:",
    "meeting-sources-data-url": "url: \"data:",
    "meeting-materials-relative-url": "url: //",
}


def project_with(tmp_path: Path, case: str) -> tuple[Path, str]:
    root = make_project(tmp_path / "p")
    dest = DESTINATION[case.split("-")[0]]
    text = (REFUSED / f"{case}.md").read_text(encoding="utf-8")
    (root / dest).write_text(text, encoding="utf-8")
    line = next(n for n, content in enumerate(text.split("\n"), 1) if REFUSED_CASES[case] in content)
    return root, f"{dest}:{line}"


@pytest.mark.parametrize("case", sorted(REFUSED_CASES))
def test_check_refuses_markup_in_bodies_and_urls(tmp_path, case):
    root, where = project_with(tmp_path, case)
    output = assert_refused(root, where, command="check")
    assert output.count(f"{where}:") == 1, f"one problem, one message:\n{output}"


def test_every_refused_case_has_its_fixture():
    assert sorted(p.stem for p in REFUSED.glob("*.md")) == sorted(REFUSED_CASES)


def test_http_urls_and_relative_links_pass_check(tmp_path):
    root = make_project(tmp_path / "p")
    text = (REFUSED / "meeting-materials-javascript-url.md").read_text(encoding="utf-8")
    (root / "minutes" / "11.md").write_text(text.replace("javascript:window.__pwned=1", "http://www.example.go.jp/a.pdf"),
                                            encoding="utf-8")
    (root / "docs" / "agencies" / "hostile.md").write_text(
        "---\nid: hostile\nname: 普通の機関\nkind: 事業者\n---\n\n[公式](https://www.example.go.jp/) と "
        "[会議](../../meetings/10/)、<https://www.example.go.jp/>。記号 a < b、`<code>` と ＜全角＞。\n",
        encoding="utf-8")
    result = run(root, "check")
    assert result.returncode == 0, result.stdout + result.stderr


# -- the renderer is a fence of its own ---------------------------------------------------------------

def body_of(case: str) -> str:
    return (REFUSED / f"{case}.md").read_text(encoding="utf-8").split("---\n", 2)[2]


@pytest.mark.parametrize("case", sorted(c for c in REFUSED_CASES if not c.startswith("meeting") and "sources" not in c))
def test_the_restricted_markdown_emits_no_source_markup(case):
    """Rendered without the check (as if it were bypassed), a refused body is inert text."""
    from gijiroku.site import csp
    from gijiroku.site.render import SOURCE, render_page

    html, _ = render_page([(SOURCE, body_of(case))])
    p = Page(f"<html><head></head><body>{html}</body></html>")
    tags = {tag for tag, _ in p.elements} - {"html", "head", "body"}
    assert tags <= {"p", "h2", "a", "span", "code", "pre", "em", "strong"}, (case, tags, html)
    assert not [name for _, values in p.elements for name in values if name.startswith("on")], html
    assert all(csp._bad_url(values.get("href", "")) is None for tag, values in p.elements if tag == "a"), html
    assert "203.0.113.9" not in "".join(values.get("src", "") for _, values in p.elements)
    problems = csp.scan_page(f"<html><head>{csp.apply('<head>')[6:]}</head><body>{html}</body></html>", "x.html")
    assert problems == [], problems


def test_every_value_a_template_prints_is_escaped_and_holds_no_line_break():
    """render.finalize: a line break becomes &#10;, so that no value can end a generated page's
    HTML block with a blank line; markup the package made passes as it is."""
    from markupsafe import Markup

    from gijiroku.site.render import finalize

    assert finalize('<b>"x"</b>') == Markup("&lt;b&gt;&#34;x&#34;&lt;/b&gt;")
    assert finalize("a\n\n<i>") == Markup("a&#10;&#10;&lt;i&gt;")
    assert isinstance(finalize("a"), Markup) and finalize("a") == "a"
    made = Markup("<b>ok</b>\n\n")
    assert finalize(made) is made
    assert finalize(3) == 3 and finalize(None) is None


def test_raw_html_in_a_body_is_shown_as_the_text_it_is():
    from gijiroku.site.render import SOURCE, render_page

    html, _ = render_page([(SOURCE, "前 <script>window.__pwned=1</script> 後 <b>太</b> {: #x }")])
    assert Page(html).text == "前 <script>window.__pwned=1</script> 後 <b>太</b> {: #x }"


# -- the post-build fence -----------------------------------------------------------------------------

def test_the_fence_names_a_page_with_an_injected_onerror(strings, tmp_path):
    from gijiroku.site import csp

    _, site = strings
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    target = copy / "meetings" / "20" / "index.html"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('<article class="md-content__inner md-typeset">',
                                   '<article class="md-content__inner md-typeset"><img src=x onerror=alert(1)>', 1),
                      encoding="utf-8")
    problems = csp.scan_site(copy, "http://127.0.0.1:8000/")
    # The unquoted value alert(1) is not plain HTML either (G712, on the same line).
    assert len(problems) == 2 and problems[0].startswith("meetings/20/index.html:")
    assert problems[0].split(": ")[0] == problems[1].split(": ")[0]
    assert "onerror" in problems[0] and "読み方が分かれうる" in problems[1]


FENCED = {
    "iframe": '<iframe src="/"></iframe>', "object": '<object data="x.swf"></object>', "embed": '<embed src="x">',
    "base": '<base href="https://203.0.113.9/">', "refresh": '<meta http-equiv="refresh" content="0;url=https://203.0.113.9/">',
    "javascript href": '<a href=" JaVa&#x09;script:alert(1)">x</a>', "vbscript": '<a href="vbscript:x">x</a>',
    "data src": '<img src="data:image/svg+xml,<svg onload=alert(1)>">', "form action": '<form action="javascript:x"></form>',
    "formaction": '<button formaction="javascript:x">x</button>', "foreign script": '<script src="https://203.0.113.9/x.js"></script>',
    "local script": '<script src="../assets/other.js"></script>', "inline script": "<script>window.__pwned=1</script>",
    "svg onload": '<svg onload="x"></svg>', "svg animate": '<svg><a><animate attributeName="href" values="javascript:x"/></a></svg>',
}


@pytest.mark.parametrize("name", sorted(FENCED))
def test_the_fence_refuses_each_kind_of_active_content(name):
    from gijiroku.site import csp

    head = csp.apply("<head>")[6:]
    clean = f"<!doctype html><html><head>{head}<meta charset=utf-8></head><body><p>本文</p></body></html>"
    assert csp.scan_page(clean, "meetings/1/index.html") == []
    hostile = clean.replace("<p>本文</p>", FENCED[name])
    assert csp.scan_page(hostile, "meetings/1/index.html"), name


def test_the_fence_refuses_a_policy_that_is_not_first_or_allows_inline_script():
    from gijiroku.site import csp

    late = '<html><head><meta charset=utf-8><meta http-equiv="Content-Security-Policy" content="default-src \'self\'"></head></html>'
    assert csp.scan_page(late, "a.html")
    inline = '<html><head><meta http-equiv="Content-Security-Policy" content="script-src \'self\' \'unsafe-inline\'"></head></html>'
    assert csp.scan_page(inline, "a.html")


def test_a_build_with_active_content_is_refused_naming_the_page(tmp_path):
    """A hand-written page under docs/ goes through MkDocs' own Markdown, which keeps raw HTML and
    attribute lists: its source is refused before MkDocs renders it, each line named, and the
    previous site stays (the fence after the build, which refused such a page before, is tested
    on pages a hook rewrites, below)."""
    root = make_project(tmp_path / "p")
    (root / "docs" / "about.md").write_text(
        '# このサイトについて\n\n<div onclick="window.__pwned=1">a</div>\n\n[x](javascript:alert(1))\n\n段落\n'
        '{: onmouseover="window.__pwned=1" }\n', encoding="utf-8")
    output = assert_refused(root, "docs/about.md:3", command="build")
    assert "サイトを作りません" in output
    for where in ("docs/about.md:3: 本文に HTML（「<div…」）は書けません", "docs/about.md:5: リンク先に「javascript:」",
                  "docs/about.md:8: 本文に属性リスト"):
        assert where in output


REWRITE_HOOK = """
from pathlib import Path


def on_post_build(config):  # before gijiroku's (priority -100), after MkDocs wrote the page and it was scanned
    page = Path(config.site_dir) / {page!r}
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", {insert!r} + "</article>", 1),
                    encoding="utf-8")
"""


def with_rewriting_hook(root: Path, page: str, insert: str) -> None:
    """A hook of the project's own that rewrites `page` on disk after MkDocs wrote it."""
    own_config(root, "  - hooks/site.py\n", "  - hooks/site.py\n  - rewrite.py\n")
    (root / "rewrite.py").write_text(REWRITE_HOOK.format(page=page, insert=insert), encoding="utf-8")


def test_a_page_rewritten_after_it_was_written_is_fenced_as_it_is_on_disk(tmp_path):
    """The fence scans each page as MkDocs writes it (site/prescan.py), but takes that finding
    only for a file that still holds those bytes: a later hook's markup is found on disk."""
    root = make_project(tmp_path / "p")
    (root / "docs" / "about.md").write_text("# このサイトについて\n\n段落\n", encoding="utf-8")
    build_site(root)
    with_rewriting_hook(root, "about/index.html", '<img src="x" onerror="window.__pwned=1">')
    output = assert_refused(root, "about/index.html", command="build")
    assert "<img> にイベント属性 onerror" in output


def test_script_allowlist_covers_mkdocs_yml():
    from gijiroku.site import csp

    config = yaml.safe_load(re.sub(r"!!python\S*|!ENV", "", (ROOT / "mkdocs.yml").read_text(encoding="utf-8")))
    assert set(config["extra_javascript"]) <= set(csp.OUR_SCRIPTS)
    assert any(s.startswith("assets/javascripts/bundle.") for s in csp.allowed_scripts())


# -- the Content-Security-Policy of the real site ------------------------------------------------------

def test_the_policy_is_the_first_element_of_every_head(built_site):
    from gijiroku.site import csp

    pages = html_pages(built_site)
    assert "404.html" in pages and "search/index.html" in pages
    for rel in pages:
        data = (built_site / rel).read_bytes()
        assert 0 <= data.find(b"<meta charset=\"utf-8\">") < 1024 - len('<meta charset="utf-8">'), rel
        p = Page(data.decode("utf-8"))
        tag, values = p.head_children[0]
        assert (tag, values.get("http-equiv")) == ("meta", "Content-Security-Policy"), rel
        policy = values["content"]
        script_src = re.search(r"script-src ([^;]*)", policy).group(1)
        assert "'unsafe-inline'" not in script_src and "'wasm-unsafe-eval'" not in script_src  # no WebAssembly
        for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'self'", "worker-src 'none'"):
            assert directive in policy
        inline = [m.group(2) for m in re.finditer(r"<script( [^>]*)?>(.*?)</script>", data.decode(), re.S)
                  if not m.group(1)]
        assert not inline, rel  # Material's two inline scripts (scope, palette) are a file: assets/theme.js
        assert sorted(re.findall(r"'sha256-[^']+'", script_src)) == sorted({csp.script_hash(b) for b in inline}), rel
    assert csp.scan_site(built_site) == []


@pytest.mark.slow
def test_no_csp_violation_and_materials_scripts_run(built_site):
    """Home, a meeting and the search page with results: no violation reported, Material's
    scripts ran (its storage helpers and palette restore, assets/theme.js), search works under
    the policy."""
    from browser import chromium, serve

    with serve(built_site) as base, chromium() as browser:
        context = browser.new_context()
        context.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                                " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
        page_ = context.new_page()
        console: list[str] = []
        page_.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
        page_.on("pageerror", lambda e: console.append(str(e)))
        for path in ("", "meetings/244/", "search/?q=%E5%80%8B%E4%BA%BA%E6%83%85%E5%A0%B1"):
            page_.goto(base + path)
            if path.startswith("search"):
                page_.wait_for_selector(".gk-result__title a", timeout=15000)
            page_.wait_for_timeout(300)
            assert page_.evaluate("() => window.__csp") == [], path
            assert page_.evaluate("() => typeof __md_scope === 'object' && typeof __md_get === 'function'"), path
            assert page_.evaluate("() => document.body.dataset.mdColorScheme !== undefined"), path
        context.close()
    assert not [m for m in console if "Content Security Policy" in m or "Content-Security-Policy" in m], console
