"""Small unit tests of hooks/gijiroku/disclosure/: the exact messages staff read, and the edge
cases of each rule that the end-to-end suites reach only by chance.

Most of them were written for mutants that `make mutation` found alive: each asserts behaviour
someone relies on (a message, a line number, a line withheld or published), not the code's shape.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import replace

import pytest

from gijiroku.disclosure import readers, secrets, verify
from gijiroku.disclosure.markers import find_markers, parse_disclosure, scan_body
from gijiroku.disclosure.public import build_date

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


# --- the verifier's messages -----------------------------------------------------------------------

UNREADABLE_HINT = ("\n    対処: このファイルを docs/ から除くか、UTF-8 のテキストにしてください。人が中身を確かめた"
                   "画像（png・jpg・gif・webp・ico）なら、committee.yml の reviewed_file_types に加えてください。")


def test_an_unreadable_file_is_named_with_the_source_it_was_copied_from():
    assert readers.Unreadable("a/b.pdf", "PDF").format() == (
        "a/b.pdf: PDFは読めないため、非公表の本文が含まれていないことを確かめられません。" + UNREADABLE_HINT)
    assert readers.Unreadable("a/b.pdf", "PDF", "docs/a/b.pdf").format() == (
        "docs/a/b.pdf（出力 a/b.pdf）: PDFは読めないため、非公表の本文が含まれていないことを確かめられません。"
        + UNREADABLE_HINT)


def test_a_leak_names_the_output_the_source_line_and_the_text_found():
    secret = secrets.Secret("秘密の話です", "minutes/1.md", 3, "後日公表（2030-01-01）")
    assert verify.Leak("x/index.html", secret, "秘密の話").format() == (
        "x/index.html: minutes/1.md:3 の後日公表（2030-01-01）の本文が出力に含まれています（「秘密の話」）。")


def test_a_passage_too_short_to_verify_is_warned_about_with_its_length():
    short = secrets.Secret(" 秘 密 ", "minutes/1.md", 3, "非公表")
    assert [(p.where(), p.message, p.hint) for p in secrets.too_short([short, secrets.Secret("秘密の話", "m.md", 1, "")])] == [
        ("minutes/1.md:3", f"非公表の文「秘 密」は 2 文字しかなく、漏えい検証で照合できません（{secrets.SHORTEST} 文字未満）。",
         "公表されることはありませんが、漏えいしても検証では見つかりません。範囲を前後の文と一つの段落にまとめるか、"
         "サイトに出ていないことを目で確かめてください。")]


# --- SOURCE_DATE_EPOCH -----------------------------------------------------------------------------

EPOCH_HINT = ("1970-01-01 00:00 UTC からの秒数を、0 以上の整数（2106 年 2 月 7 日まで）で書いてください"
              "（例 SOURCE_DATE_EPOCH=$(date -d 2030-01-01 +%s)）。"
              "今日の日付で作るときは SOURCE_DATE_EPOCH を設定しないでください（unset SOURCE_DATE_EPOCH）。")


@pytest.mark.parametrize(("value", "shown"), [
    ("", ""), ("-1", "-1"), ("1.5", "1.5"), ("１２３", "１２３"), ("253402268400", "253402268400"),
    ("1234567890123", "1234567890123"),  # 13 digits, though smaller than the limit would be with a leading 0
    ("9" * 40, "9" * 40), ("9" * 41, "9" * 40 + "…"),  # a long value is cut in the message
])
def test_a_malformed_source_date_epoch_is_refused_with_the_exact_message(value, shown):
    with pytest.raises(ValueError) as err:
        build_date({"SOURCE_DATE_EPOCH": value})
    assert str(err.value) == f"環境変数 SOURCE_DATE_EPOCH の値「{shown}」は使えません。" + EPOCH_HINT


# --- markers in front matter -----------------------------------------------------------------------

FRONT = ("---\nnumber: 3\ntitle: 会議\nagenda:\n  - number: 1\n    title: 議題\n  - number: 2\n"
         "    title: 題<!-- 非公表 -->\n    subjects: [甲, \"乙<!--非公表-->\"]\n\"<!--非公表-->\": 値\n---\n本文\n")


def _front_matter_problems(lines=None):
    from gijiroku.disclosure.markers import front_matter_problems
    from gijiroku.record.source import parse_source

    scratch: list = []
    source = parse_source(FRONT, "minutes/3.md", scratch)
    assert scratch == []
    problems = front_matter_problems(source.meta, source.lines if lines is None else lines, "minutes/3.md")
    return [(p.line, p.message.removeprefix("front matter の値（").removesuffix("）に非公表マーカーがあります。"))
            for p in problems]


def test_a_marker_in_front_matter_is_reported_at_its_own_line_in_a_value_or_a_key():
    assert _front_matter_problems() == [(8, "agenda.1.title"), (9, "agenda.1.subjects.1"), (10, "<!--非公表-->")]


def test_a_marker_in_front_matter_without_a_line_of_its_own_is_reported_at_the_nearest_enclosing_key():
    assert _front_matter_problems({("agenda",): 4, ("agenda", 1): 7}) == [
        (1, "<!--非公表-->"), (7, "agenda.1.subjects.1"), (7, "agenda.1.title")]
    assert _front_matter_problems({}) == [(1, "<!--非公表-->"), (1, "agenda.1.subjects.1"), (1, "agenda.1.title")]


def test_minutes_refuse_html_by_default():
    problems: list = []
    scan_body("本文<b>太字</b>", 1, "minutes/1.md", problems)
    assert [p.message for p in problems] == ["本文に HTML が含まれています: 本文<b>太字</b>"]


def test_a_comment_sign_split_by_a_code_span_is_no_comment():
    # Markdown prints `<!<code>x</code>--`: no comment reaches the page, so nothing to refuse
    problems: list = []
    scan_body("比較は <!`x`-- のように書きます。", 1, "docs/a.md", problems, markdown=True, raw_html=False)
    assert problems == []
    scan_body("比較は `x` <!-- 下書き", 1, "docs/a.md", problems, markdown=True, raw_html=False)
    assert [p.message for p in problems] == ["本文に HTML のコメントがあります: 比較は `x` <!-- 下書き"]


@pytest.mark.parametrize(("body", "public"), [
    ("\n\n本文\n\n\n", "本文\n"),  # blank lines at either end go
    ("    字下げしたコード\n", "    字下げしたコード\n"),  # an indented code block keeps its indentation
    ("X 線の資料\n", "X 線の資料\n"),
    (f"{OPEN}\n秘密\n{CLOSE}\n後", "（内容について非公表）\n\n後\n"),
])
def test_public_markdown_keeps_the_body_as_written_around_the_placeholder(body, public):
    from gijiroku.disclosure.markers import public_markdown

    problems: list = []
    assert public_markdown(body, 1, "decisions/a.md", problems) == public
    assert problems == []


# --- the verifier's own reading of the sources ------------------------------------------------------

@pytest.mark.parametrize(("text", "withheld"), [
    ("前\n<!-- 非公表 -->\n秘密\n<!-- /非公表 -->\n後", [(7, "秘密")]),
    ("前\n<!-- 非公表 -->\n秘密", [(7, "秘密")]),  # an unclosed region runs to the end of the file
    # inline markers: the text after the open marker is withheld, and an inline close ends nothing
    ("本文<!-- 非公表 -->秘密の話<!-- /非公表 -->後の話\n次の行", [(5, "秘密の話"), (5, "後の話"), (6, "次の行")]),
    ("a\n&amp;lt;!-- 非公表 --&amp;gt;\n秘密\n<!-- /非公表 -->\nb", [(7, "秘密")]),  # escaped twice
    ("a\n＜！－－ 非公開 －－＞\n秘密\n＜!-- /非公表 --＞\nb", [(7, "秘密")]),  # full width, both ends
    ("`<!-- 非公表 -->` の書き方\n公開", []),  # inline code: the staff guide showing the syntax
    ("<!--秘密-->\nx\n<!-- /非公表 -->\ny", [(6, "x")]),
    ("<!-- secret -->\nx\n<!-- /非公表 -->\ny", [(6, "x")]),
    ("<!-- メモ -->\nx", []),  # a comment that is no marker opens nothing
    ("非公開-->\nx\n<!-- /非公表 -->", [(6, "x")]),  # the end of a marker alone
    ("〈!-- 非公表 --〉\n\n  \nx\n <!-- /非公表 --> \ny", [(8, "x")]),  # blank lines are no passage
])
def test_the_verifier_reads_markers_its_own_crude_way(text, withheld):
    assert secrets.withheld_lines(text, 5) == withheld


def _escaped(text: str, times: int) -> str:
    for _ in range(times):
        text = html.escape(text)
    return text


@pytest.mark.parametrize("line", [
    "<\u200b!--非公-->", "<!\u200b--非公-->", "<\t!--非公-->", "＜\u200b！－－非公－－＞",  # invisible or tab inside
    "<!--\u200b非項表\u200b-->",
    *(_escaped("<!-- 非公表 -->", n) for n in (1, 2, 4, 6)),  # escaped any number of times
])
def test_a_marker_with_invisible_characters_or_escapes_is_still_a_marker(line):
    assert find_markers(line) == ([OPEN], False)
    problems: list = []
    lines = scan_body(f"{line}\n秘密\n{CLOSE}\n公開", 1, "f.md", problems)
    assert [x.withheld for x in lines] == [True, True, True, False] and len(problems) == 1


def test_each_line_says_what_it_is_to_the_parsers():
    # meeting.py reads these: a Withheld block at "open", a turn closed at "close", no
    # heading message on a look-alike line (it has its own)
    problems: list = []
    lines = scan_body(f"前\n{OPEN}\n秘密\n{CLOSE}\n＜!-- 非公表 --＞\n# 見出し\n<!-- /非公表 -->", 1, "f.md", problems)
    assert [(x.number, x.text, x.withheld, x.marker, x.lookalike) for x in lines] == [
        (1, "前", False, None, False), (2, OPEN, True, "open", False), (3, "秘密", True, None, False),
        (4, CLOSE, True, "close", False), (5, "＜!-- 非公表 --＞", True, None, True),
        (6, "# 見出し", True, None, False), (7, CLOSE, True, "close", False)]


def test_a_marker_after_a_closed_code_block_is_honoured():
    problems: list = []
    lines = scan_body(f"```\nコード\n```\n{OPEN}\n秘密\n{CLOSE}\n~~~\n{OPEN}\n~~~", 1, "d.md", problems, markdown=True)
    assert [x.withheld for x in lines] == [False, False, False, True, True, True, False, True, False]
    assert [p.where() for p in problems] == ["d.md:8"]  # inside the second block: refused, not honoured


# -- public_record, field by field (README: "What of a withheld or deferred item is public") ------------

def _views():
    """A meeting of three items, each with every field set: public, 非公表, 後日公表 (until 2030),
    and a document for each, plus a public document due in 2030, a 非公表 one and, last, a public
    one of no meeting (what is left out must not end the walk); viewed on 2025-01-01."""
    from gijiroku.disclosure.public import public_record
    from gijiroku.record.loader import Record
    from gijiroku.record.model import AgendaItem, Decision, Disclosure, Material, Meeting
    from gijiroku.record.registry import Committee, Registry

    def item(number, disclosure, publish_after=None):
        return AgendaItem(9, number, f"議題{number}", disclosure, publish_after, kind="種類", outcome="結果",
                          publication="資料は後日公表", reason="理由", subjects=("案件",), agencies=("a",),
                          materials=(Material("資料１", "資料名"),), decisions=(f"d{number}",), line=number)

    later = dt.date(2030, 1, 1)
    meeting = Meeting(number=9, title="第9回", date=dt.date(2024, 1, 1), agenda=(
        item(1, Disclosure.PUBLIC), item(2, Disclosure.WITHHELD), item(3, Disclosure.DEFERRED, later)))
    docs = {f"d{n}": Decision(f"d{n}", f"文書{n}", "決定", None, meeting=9, agenda=n) for n in (1, 2, 3)}
    docs["due"] = Decision("due", "期日前", "決定", None, disclosure=Disclosure.DEFERRED, publish_after=later)
    docs["d1x"] = Decision("d1x", "非公表の文書", "決定", None, meeting=9, agenda=1, disclosure=Disclosure.WITHHELD)
    docs["z"] = Decision("z", "最後の文書", "決定", None)  # public, after every document that is left out
    first = meeting.agenda[0]
    meeting = replace(meeting, agenda=(replace(first, decisions=("d1", "d1x")), *meeting.agenda[1:]))
    record = Record(Registry(Committee()), {9: meeting}, docs)
    return record, public_record(record, dt.date(2025, 1, 1))


def _fields(i):
    return (i.number, i.title, i.kind, i.reason, i.outcome, i.publication, i.subjects, i.agencies, i.materials,
            i.decisions, i.deferred)


def test_public_record_keeps_a_public_item_whole_but_its_unpublished_documents():
    record, public = _views()
    assert _fields(public.item(9, 1)) == _fields(replace(record.item(9, 1), decisions=("d1",)))


def test_public_record_keeps_number_title_kind_reason_of_a_withheld_item():
    _, public = _views()
    assert _fields(public.item(9, 2)) == (2, "議題2", "種類", "理由", None, None, (), (), (), (), False)


def test_public_record_keeps_number_and_title_of_a_deferred_item():
    _, public = _views()
    assert _fields(public.item(9, 3)) == (3, "議題3", None, None, None, None, (), (), (), (), True)


def test_public_record_documents():
    _, public = _views()
    assert sorted(public.decisions) == ["d1", "d2", "z"]  # d3: of a deferred item; due: deferred itself
    assert (public.decisions["d1"].meeting, public.decisions["d1"].agenda) == (9, 1)
    assert (public.decisions["d2"].meeting, public.decisions["d2"].agenda) == (None, None)  # names no withheld item
    assert public.item(9, 1).decisions == ("d1",)  # its 非公表 document d1x is not linked
    assert public.build_date == dt.date(2025, 1, 1)


def test_public_record_publishes_a_deferred_document_on_its_date():
    from gijiroku.disclosure.public import public_record

    record, _ = _views()
    on_the_day = public_record(record, dt.date(2030, 1, 1))
    assert sorted(on_the_day.decisions) == ["d1", "d2", "d3", "due", "z"]
    assert on_the_day.item(9, 3).decisions == ("d3",) and not on_the_day.item(9, 3).deferred


def test_public_record_drops_only_a_deferred_items_elements():
    from gijiroku.disclosure.public import public_record
    from gijiroku.record.model import Event, Paragraph, Speaker, SpeakerKind, Speech, StageDirection

    record, _ = _views()
    speaker = Speaker("事務局", SpeakerKind.SECRETARIAT, None, "事務局")
    elements = tuple(Speech(9, n, n, speaker, (Paragraph(f"発言{n}"),), n) for n in (1, 2, 3)) + (
        Event(3, StageDirection("（退室）"), 9),)
    record.meetings[9] = replace(record.meetings[9], elements=elements)
    public = public_record(record, dt.date(2025, 1, 1))
    assert [e.agenda for e in public.meetings[9].elements] == [1, 2]
