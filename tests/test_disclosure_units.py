"""Small unit tests of hooks/gijiroku/disclosure/: the exact messages staff read, and the edge
cases of each rule that the end-to-end suites reach only by chance.

Most of them were written for mutants that `make mutation` found alive: each asserts behaviour
someone relies on (a message, a line number, a line withheld or published), not the code's shape.
"""

from __future__ import annotations

import pytest

from gijiroku.disclosure.markers import parse_disclosure, scan_body

VALUES = "使える値は 公開・非公表・後日公表 です。"
SUGGEST_WITHHELD = f"「非公表」の誤りではありませんか。{VALUES}"
SUGGEST_NOTHING = f"{VALUES}公開してよいと確かめるまでは 非公表 にしてください。"


# --- disclosure values -----------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "秘匿", "confidental", "withhold", "hiden",  # misspelt or near words for withheld: found by similarity
    "部外秘", "社外秘",  # similar to 秘, though only loosely (below difflib's default cutoff)
    "非   公開", "非公   開",  # spaces inside a word are ignored
])
def test_a_value_meaning_withheld_suggests_hikouhyou(value):
    assert parse_disclosure(value) == SUGGEST_WITHHELD


@pytest.mark.parametrize("value", ["公表しない", "内部限定", "機密", "後日", "open"])
def test_a_value_not_meaning_withheld_suggests_nothing_but_hikouhyou_until_checked(value):
    assert parse_disclosure(value) == SUGGEST_NOTHING


# --- scan_body: every message, exactly -------------------------------------------------------------

OPEN, CLOSE = "<!-- 非公表 -->", "<!-- /非公表 -->"
SAME_LINE_HINT = (f"マーカーは行の中では効きません。「{OPEN}」と「{CLOSE}」をそれぞれ一行だけで書き、"
                  "公表しない文をその間の行に置いてください。直すまでは、この行全体を非公表として扱います。")
HTML_HINT = f"HTML は書けません。非公表の範囲は {OPEN} と {CLOSE} の行で囲んでください。"
COMMENT_HINT = f"コメントはページの HTML にそのまま公開されます。公表しない文は {OPEN} と {CLOSE} の行で囲んでください。"

# case: (body starting at line 10, markdown, raw_html) -> [(line, message, hint)]
MESSAGES = {
    "marker in a code block": ("```\n<!-- 非公表 -->\n```", True, True, [
        (11, "非公表マーカーがコードブロック（```）の中にあります。",
         "マーカーはコードブロックの外に置いてください。コードブロックの中では効きません。")]),
    "nested": (f"{OPEN}\na\n{OPEN}\nb\n{CLOSE}", False, True, [
        (12, "非公表の範囲が入れ子になっています（10 行目で開いた範囲が閉じていません）。",
         f"10 行目の範囲を {CLOSE} で閉じてから、次の範囲を開いてください。")]),
    "stray close": (f"a\n{CLOSE}", False, True, [
        (11, f"対応する {OPEN} のない {CLOSE} があります。",
         f"非公表にする範囲の前に {OPEN} を置くか、この行を消してください。")]),
    "unclosed": (f"a\n{OPEN}\nb", False, True, [
        (11, f"{OPEN} で始まる非公表の範囲が閉じられていません。",
         f"非公表にする文の後に {CLOSE} だけの行を置いてください。")]),
    "inline": (f"本文{OPEN}秘密", False, True, [(10, "非公表マーカーが本文と同じ行にあります。", SAME_LINE_HINT)]),
    "spaces around": (f" {OPEN}\na\n{CLOSE}", False, True, [
        (10, "非公表マーカーの前後に空白があります。", f"この行を「{OPEN}」だけにしてください（半角、前後に空白なし）。")]),
    "full-width close": (f"{OPEN}\na\n＜!-- /非公表 --＞", False, True, [
        (12, "非公表マーカーの書き方が違います: ＜!-- /非公表 --＞",
         f"この行を「{CLOSE}」だけにしてください（半角、前後に空白なし）。")]),
    # the line is shown up to its 40th character (a message must not carry a whole paragraph)
    "raw HTML": ("x" * 30 + "<b>" + "y" * 20 + "</b>", False, True, [
        (10, "本文に HTML が含まれています: " + "x" * 30 + "<b>yyyyyyy", HTML_HINT)]),
    "comment in a page": ("z" * 30 + "<!-- 下書きのメモを残しておく -->", True, False, [
        (10, "本文に HTML のコメントがあります: " + "z" * 30 + "<!-- 下書きのメ", COMMENT_HINT)]),
}


@pytest.mark.parametrize("case", MESSAGES)
def test_every_marker_mistake_has_its_exact_message(case):
    body, markdown, raw_html, expected = MESSAGES[case]
    problems: list = []
    scan_body(body, 10, "f.md", problems, markdown=markdown, raw_html=raw_html)
    assert [(p.path, p.line, p.message, p.hint) for p in problems] == [("f.md", *e) for e in expected]


def test_a_misspelt_marker_word_is_found_inside_other_characters():
    # 非公 inside brackets: only a three-character end of the word is close enough to 非公表
    problems: list = []
    lines = scan_body(f"<!-- 「非公」 -->\n秘密\n{CLOSE}\n公開", 1, "f.md", problems)
    assert [x.withheld for x in lines] == [True, True, True, False]
    assert [p.message for p in problems] == ["非公表マーカーの書き方が違います: <!-- 「非公」 -->"]
