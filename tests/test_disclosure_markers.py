"""Unit tests of hooks/gijiroku/disclosure/markers.py: how a look-alike marker is read when other
punctuation stands next to it, and the defaults the parsers rely on.

Written for mutants of markers.py that `make mutation` found alive. A marker read as the wrong
kind matters: an open look-alike read as a close (or as no marker) leaves the lines after it
outside the region, and prose read as a marker refuses a file that is fine.
"""

from __future__ import annotations

import html
import sys
import unicodedata
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gijiroku.disclosure.markers import CLOSE, OPEN, find_markers, public_markdown, scan_body

# --- a marker's kind comes from its own punctuation -------------------------------------------------

# (line, markers found in it, whether it holds anything else)
BESIDE = {
    # punctuation of the text before a marker is not the marker's own: no `/` of it makes a close
    "slash before": ("1/<!-- 非公表 -->", [OPEN], True),
    "stray </ before": ("</ <!-- 非公表 -->", [OPEN], False),
    "self-closing tag before": ("改行<br/>!-- 非公表 --", [OPEN], True),
    "arrows with a slash before": ("資料 --> / --> 非公表 -->", [OPEN], True),
    # two markers side by side each keep their own brackets
    "close without its < after": ("<!-- 非公表 -->!-- /非公表 -->", [OPEN, CLOSE], False),
    "close after an open without its >": ("<!-- 非公表 --<!-- /非公表 -->", [OPEN, CLOSE], False),
    "stray </ between": ("<!-- 非公表 </ <!-- /非公表 -->", [OPEN, CLOSE], False),
    # an open without its < after a close keeps its `!`
    "open without its < after a close": ("<!-- /非公表 -->!-- 非公表", [CLOSE, OPEN], False),
    # a marker that lost its `<` and its end is still framed by `!-`
    "no < and no end": ("!-- 非公表", [OPEN], False),
    "in a blockquote, no < and no end": ("> !-- 非公表", [OPEN], False),
}


@pytest.mark.parametrize("case", BESIDE)
def test_a_marker_is_read_by_its_own_punctuation_not_its_neighbours(case):
    line, kinds, other = BESIDE[case]
    assert find_markers(line) == (kinds, other)


@pytest.mark.parametrize("case", [c for c, (_, kinds, _) in BESIDE.items() if kinds[-1] == OPEN])
def test_an_open_lookalike_beside_other_punctuation_withholds_what_follows(case):
    # the region it opens runs to the close; read as a close or as no marker, 秘密 would be public
    line = BESIDE[case][0]
    problems: list = []
    lines = scan_body(f"前\n{line}\n秘密\n{CLOSE}\n後", 1, "minutes/1.md", problems)
    assert [(x.text, x.withheld) for x in lines] == [
        ("前", False), (line, True), ("秘密", True), (CLOSE, True), ("後", False)]
    assert [p.where() for p in problems] == ["minutes/1.md:2"]


@pytest.mark.parametrize("line", ["<!-- 非公表 2030/3/31まで -->", "<!-- 非公表（資料1/2） -->", "<!--非公表 A/B-->"])
def test_a_slash_in_the_note_of_an_open_marker_does_not_make_it_a_close(line):
    # the slash of a close stands before the word (`</…>`, `<!-- /…`); read as a close, this
    # line would leave 秘密 outside the region, and staff would be told to delete the real close
    assert find_markers(line) == ([OPEN], True)
    problems: list = []
    lines = scan_body(f"{line}\n秘密\n{CLOSE}\n後", 1, "minutes/1.md", problems)
    assert [x.withheld for x in lines] == [True, True, True, False]
    assert [(p.where(), p.message) for p in problems] == [("minutes/1.md:1", "非公表マーカーが本文と同じ行にあります。")]


# prose with brackets, dashes or arrows around the word: published as written, and not refused
PROSE = ["区分: 公開/＜非公表＞", "＜非公表＞ - 議事概要", "区分: ＜非公表＞ --> ＜公開＞", "資料 非公表-1 --> 公開",
         "＜非公表 <- ＜公開"]


@pytest.mark.parametrize("line", PROSE)
def test_prose_with_a_bracketed_word_and_a_dash_slash_or_arrow_is_no_marker(line):
    assert find_markers(line) == ([], True)
    problems: list = []
    lines = scan_body(f"{line}\n次の行", 1, "minutes/1.md", problems)
    assert [(x.withheld, x.lookalike) for x in lines] == [(False, False), (False, False)]
    assert problems == []


# --- the marker word ---------------------------------------------------------------------------------

def test_a_misspelt_marker_word_is_found_at_the_end_of_a_longer_word():
    # only the last three characters of ここからは非項表 are close to 非公表
    assert find_markers("<!-- ここからは非項表 -->") == ([OPEN], False)


def test_a_comment_whose_words_only_loosely_resemble_hikouhyou_is_a_comment():
    # 非公式…表 spreads the three characters over five: reported as the comment it is, not as a
    # marker (whose message would tell staff to turn the line into 非公表)
    line = "<!-- メモ 非公式 の 表 -->"
    assert find_markers(line) == ([], True)
    problems: list = []
    lines = scan_body(f"{line}\n本文", 1, "docs/a.md", problems, markdown=True, raw_html=False)
    assert [x.withheld for x in lines] == [False, False]
    assert [(p.where(), p.message) for p in problems] == [
        ("docs/a.md:1", "本文に HTML のコメントがあります: <!-- メモ 非公式 の 表 -->")]


# --- defaults the parsers rely on ----------------------------------------------------------------------

def test_scan_body_reads_minutes_by_default_where_backticks_open_no_code_block():
    # meeting.py calls scan_body without markdown=: a minutes body has no code blocks, so a
    # region between ``` lines is honoured, not refused as a marker inside a code block
    problems: list = []
    lines = scan_body(f"```\n{OPEN}\n秘密\n{CLOSE}\n```", 1, "minutes/1.md", problems)
    assert [x.withheld for x in lines] == [False, True, True, True, False]
    assert problems == []


def test_public_markdown_refuses_html_by_default():
    # decision.py calls public_markdown without raw_html=: a decision may hold no HTML at all
    problems: list = []
    assert public_markdown("本文<b>太字</b>\n", 1, "decisions/a.md", problems) == "本文<b>太字</b>\n"
    assert [(p.where(), p.message) for p in problems] == [
        ("decisions/a.md:1", "本文に HTML が含まれています: 本文<b>太字</b>")]


# --- folding: what a marker reader removes ----------------------------------------------------------

def _folded_slowly(text: str) -> str:
    """fold_for_markers' last step as it was, one character at a time."""
    return "".join(c for c in text if not (c.isspace() or unicodedata.category(c) == "Cf"))


def test_a_printable_text_holds_no_space_or_invisible_character_but_the_ascii_space():
    """The fast path of fold_for_markers (a printable text: only U+0020 to remove) is exact over
    every code point of this Python's Unicode database."""
    exceptions = [c for c in range(sys.maxunicode + 1) if chr(c).isprintable()
                  and (chr(c).isspace() or unicodedata.category(chr(c)) == "Cf")]
    assert exceptions == [0x20]


def _folded_as_before(text: str) -> str:
    """fold_for_markers as it was: NFKC of the whole text, every character translated."""
    from gijiroku.disclosure.markers import _LOOKS

    while (undone := unquote(html.unescape(text))) != text:
        text = undone
    return _folded_slowly(unicodedata.normalize("NFKC", text).translate(_LOOKS))


MARKER_MIX = st.lists(st.one_of(
    st.sampled_from(list("<>!-/ 　&;%3Cltgt非公表開示秘") + ["&lt;", "%3C", "&#x3c;", "\u200b", "\u2060", "\u00a0"]),
    st.sampled_from(list("〈《≪‹«⟨〈﹤˂ᐸ❮〉》≫›»⟩〉﹥˃ᐳ❯ǃ‼❗❕ⵑꜝ⁄∕⧸᜵〳‐‑‒–—―−─━ー﹘﹣˗⁃➖")),
    st.sampled_from(list("＜＞！－／（）１ｱｶﾞﾊﾟ①㈱\u3099\u309a\u0301\u0338ｰ")),
    st.characters(),
), max_size=30).map("".join)


@given(MARKER_MIX)
def test_folding_for_markers_is_what_it_was_before_it_was_made_faster(text):
    """NFKC only of the runs it can change, and the look-alikes replaced only where a line holds one."""
    from gijiroku.disclosure.markers import fold_for_markers

    assert fold_for_markers(text) == _folded_as_before(text)


@pytest.mark.parametrize("text", [
    "<!-- 非公表 -->", "< ! - - 非 公 表 - - >", "<!--\u3000非公表\u3000-->", "<!--\u200b非公表\u2060-->",
    "<!--\u00a0非公表\u202f-->", "<!--\t非公表\x0b-->", "&lt;!-- 非公表 --&gt;", "%3C!--%E3%80%80非公表 --%3E",
    "〈！－－ 非公表 －－〉", "本文です。 次の文です。", "",
])
def test_folding_removes_every_space_and_invisible_character(text):
    from gijiroku.disclosure.markers import _LOOKS, fold_for_markers

    folded = fold_for_markers(text)
    assert folded == _folded_slowly(folded)  # nothing left to remove
    if text.isascii() and "&" not in text and "%" not in text:
        assert folded == _folded_slowly(unicodedata.normalize("NFKC", text).translate(_LOOKS))
    if "非" in text and "公表" in text and "!" in folded:
        assert find_markers(text)[0] == [OPEN]
