"""A meeting page is mostly its record (issue 15): at most three times the bytes of its visible
text, measured as `make bench` measures it (bench/bench.py's page_ratios and visible_text_bytes:
text outside script, style, template and noscript, whitespace collapsed), over the pages bench
measures (its 50 synthetic meetings, seed 0). Sizes, not times.

The bytes that every page shares (Material's head, header, tabs, table of contents, footer and
scripts) are held to a budget of their own: 4.2 to 6.6 KB (5.1 to 7.5 KB before the toggles, the
palette's form and the top button that only Material's script uses were made by assets/theme.js,
the footer lost Material's wrappers and the site's feed was named only by the pages that list what
it lists; 8.0 to 9.5 KB before the drawer, which printed the tabs' links again, and a table of
contents of four entries or fewer went; 11.2 to 12.9 KB before the palette toggle, Material's
inline scripts and its configuration became assets/theme.js). The worst page, meetings/42/ of the
bench's corpus (a meeting of one short item), is 2.98 times its text: 9,820 bytes for 3,296 (3.42,
3.58, 4.11 and 5.03 before).
"""

from __future__ import annotations

import re
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from bench import PAGE_LIMIT, PAGES_MEETINGS, build_env, make_project, page_ratios  # noqa: E402
from gijiroku.site.render import compact_html  # noqa: E402

SEED = 0  # bench's default seed
CHROME_BUDGET = 6_600  # bytes of a meeting page outside its <article>: 4,218 to 6,524 (5,143 to 7,448 and 8,040 to 9,530 before)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A build of the meetings whose pages bench measures (bench's project: 50 meetings, seed 0)."""
    from gijiroku.site.commands import build

    root = make_project(tmp_path_factory.mktemp("size") / "project", PAGES_MEETINGS, SEED)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", build_env()["SOURCE_DATE_EPOCH"])  # the bench's build day
        assert build(root, root / "site", quiet=True) == 0
    return root / "site"


@pytest.fixture(scope="module")
def meeting_pages(site) -> dict[str, str]:
    """The HTML of every meeting page (meetings/<n>/index.html) of that build."""
    return {page.parent.name: page.read_text(encoding="utf-8")
            for page in (site / "meetings").glob("*/index.html") if page.parent.name.isdigit()}


@pytest.mark.slow
def test_every_meeting_page_is_at_most_three_times_its_text(site):
    """As bench measures it, every meeting page of the 50."""
    ratios = {path: html / text for path, html, text in page_ratios(site)}
    assert len(ratios) == PAGES_MEETINGS
    over = {path: round(ratio, 3) for path, ratio in ratios.items() if ratio > PAGE_LIMIT}
    assert over == {}


@pytest.mark.slow
def test_what_every_page_shares_is_said_once_and_small(meeting_pages):
    """No icon is printed as an inline SVG, the meeting's citation is said once (not in every
    turn), the palette toggle, Material's inline scripts and its configuration are said once in
    assets/theme.js (not in every page), and the shared chrome stays within its budget."""
    for number, html in meeting_pages.items():
        chrome = len(html.encode()) - len(html[html.index("<article"):html.index("</article>")].encode())
        assert chrome <= CHROME_BUDGET, (number, chrome)
        assert "<svg" not in html, number
        assert "<script>" not in html and 'id="__config"' not in html and "data-md-color-media" not in html, number
        assert html.count('src="../../assets/theme.js"') == 1, number
        assert html.count("data-cite=") == 1, number
        # No drawer printing the tabs' links again, no title on every heading's # or name on every
        # turn's #n (gijiroku.js adds them), no credit line; a table of contents beside the text
        # only when it has five entries or more (its entries are the page's h2).
        # Nor the empty containers of what the site does not use (overrides/base.html), nor a class
        # on every tab and its link.
        # Nor what only Material's script uses, which assets/theme.js makes: its two toggles, the
        # body's palette, the palette's form and the button back to the top.
        for gone in ("md-sidebar--primary", "gk-i--menu", "この見出しへのリンク", "の固定リンク", "Material for MkDocs",
                     "md-overlay", 'data-md-component="announce"', "md-dialog", "md-tabs__link", 'class="md-tabs__item"',
                     "data-md-toggle", "data-md-color-scheme", 'data-md-component="palette"', 'data-md-component="top"'):
            assert gone not in html, (number, gone)
        assert ('class="md-sidebar md-sidebar--secondary"' in html) == (html.count("<h2 ") >= 5), number
        turns = len(re.findall(r'class="gk-speech[ "]', html))
        assert turns == html.count('class="gk-permalink"') > 0, number


@pytest.mark.slow
def test_every_stylesheet_and_script_a_page_loads_is_in_the_site(site, meeting_pages):
    """overrides/base.html names Material's stylesheets and script by their file names: a page that
    named one the theme does not have would be a page without its look or its script."""
    for number, html in meeting_pages.items():
        loads = re.findall(r'<link rel="stylesheet" href="([^"]+)"|<script src="([^"]+)"', html)
        assert len(loads) == 7, number  # Material's two stylesheets and script, ours (1 + 3)
        for ref in ("".join(pair) for pair in loads):
            assert (site / "meetings" / number / ref).resolve().is_file(), (number, ref)


def test_a_page_loses_its_indentation_and_nothing_else():
    """Whitespace that holds a line break becomes one line break between tags and in text; tags
    (their attribute values too), comments, scripts, styles and preformatted text keep theirs, and
    so does every other character (U+3000, the ideographic space, is text)."""
    page = ("\n  <!doctype html>\n<html>\n  <head>\n    <script>if (a)\n      b()</script>\n"
            "    <style>p {\n  color: red }</style>\n  </head>\n  <body>\n    <ul>\n      <li>\n"
            "        ホーム\n      </li>\n\n\n    </ul>\n"
            '    <p title="a\n   b > c" class=\'x\n  y\'>一\u3000\n\u3000二  三</p>\n'
            "    <pre>  x\n    y\n</pre><!-- a\n   b -->\n    <TEXTAREA>\n  z</TEXTAREA>\n  </body>\n</html>\n")
    assert compact_html(page) == (
        "<!doctype html>\n<html>\n<head>\n<script>if (a)\n      b()</script>\n"
        "<style>p {\n  color: red }</style>\n</head>\n<body>\n<ul>\n<li>\nホーム\n</li>\n</ul>\n"
        '<p title="a\n   b > c" class=\'x\n  y\'>一\u3000\n\u3000二  三</p>\n'
        "<pre>  x\n    y\n</pre><!-- a\n   b -->\n<TEXTAREA>\n  z</TEXTAREA>\n</body>\n</html>\n")
    assert compact_html("<p>a</p>") == "<p>a</p>"


def test_the_content_the_package_made_is_left_as_it_is_and_the_rest_compacted():
    """A generated page's content (`made`) is not read again: the page around it is compacted as
    before, and where the content is already compact (it is: see the golden pages) the page is the
    same as when all of it was compacted."""
    made = "<h1 id=\"a\">第1回</h1>\n<p>本文\u3000です。</p>\n<pre>  x\n    y</pre>\n<p>終わり</p>"
    page = f"<html>\n  <body>\n    <article>\n  \n{made}\n    </article>\n  </body>\n</html>\n"
    assert compact_html(page, made) == compact_html(page) == (
        f"<html>\n<body>\n<article>\n{made}\n</article>\n</body>\n</html>\n")
    loose = "<p>一\n     二</p>\n\n\n<p>三</p>"  # not compact: kept as the package made it
    assert compact_html(page.replace(made, loose), loose) == f"<html>\n<body>\n<article>\n{loose}\n</article>\n</body>\n</html>\n"
    # Content that is not there, or does not begin and end with a tag, is compacted with the page.
    assert compact_html(page, "<p>ない</p>") == compact_html(page)
    assert compact_html("<p>一\n   二</p>", "一\n   二") == "<p>一\n二</p>"
    assert compact_html("\n  <p>a</p>", "<p>a</p>") == "<p>a</p>"  # the page's leading whitespace still goes
