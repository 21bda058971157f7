"""A meeting page is mostly its record (issue 15): at most three times the bytes of its visible
text, measured as `make bench` measures it (bench/bench.py's visible_text_bytes: text outside
script, style, template and noscript, whitespace collapsed). Sizes, not times.

The bytes that every page shares (Material's header, tabs, drawer, table of contents, footer,
the policy and the scripts) are held to a budget of their own: 11 to 13 KB, so that a meeting of
less than about 5 KB of text (one short item) is over three times its text whatever its own markup.
"""

from __future__ import annotations

import re
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from bench import build_env, make_project, visible_text_bytes  # noqa: E402
from gijiroku.site.render import compact_html  # noqa: E402

MEETINGS = 20
CHROME_BUDGET = 13_500  # bytes of a meeting page outside its <article>: 11,200 to 12,900 (17,600 to 19,600 before)


@pytest.fixture(scope="module")
def meeting_pages(tmp_path_factory) -> dict[str, str]:
    """The HTML of every meeting page of a build of 20 synthetic meetings (bench's project, seed 0)."""
    from gijiroku.site.commands import build

    root = make_project(tmp_path_factory.mktemp("size") / "project", MEETINGS, 0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", build_env()["SOURCE_DATE_EPOCH"])  # the bench's build day
        assert build(root, root / "site", quiet=True) == 0
    return {page.parent.name: page.read_text(encoding="utf-8")
            for page in (root / "site" / "meetings").glob("*/index.html")}


@pytest.mark.slow
def test_every_meeting_page_is_at_most_three_times_its_text(meeting_pages):
    assert len(meeting_pages) == MEETINGS
    ratios = {n: len(html.encode()) / visible_text_bytes(html) for n, html in meeting_pages.items()}
    worst = max(ratios, key=ratios.get)
    assert ratios[worst] <= 3, f"meetings/{worst}/: {ratios[worst]:.2f}"


@pytest.mark.slow
def test_what_every_page_shares_is_said_once_and_small(meeting_pages):
    """No icon is printed as an inline SVG, the meeting's citation is said once (not in every
    turn), and the shared chrome stays within its budget."""
    for number, html in meeting_pages.items():
        chrome = len(html.encode()) - len(html[html.index("<article"):html.index("</article>")].encode())
        assert chrome <= CHROME_BUDGET, (number, chrome)
        assert "<svg" not in html, number
        assert html.count("data-cite=") == 1, number
        turns = len(re.findall(r'class="gk-speech[ "]', html))
        assert turns == html.count('class="gk-permalink"') > 0, number


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
