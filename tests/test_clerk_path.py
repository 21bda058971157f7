"""A clerk's path through issue 14, tried mistake by mistake on a copy of the real record with its
sources: each mistake is reported once, at its line, by its cause."""

from __future__ import annotations

from pathlib import Path

from conftest import record_copy as project
from gijiroku.check import check
from gijiroku.record.sources import SourceText, first_difference


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` and return the line it stands on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def test_a_mistake_in_a_line_is_not_reported_again_as_a_difference_from_the_source(tmp_path):
    """The label 丹埜委員長 differs from the PDF's 丹野委員長 too, but the speaker's message (with
    its did-you-mean) is the cause; a second message at the same line quoting the source is noise."""
    root = project(tmp_path)
    minutes = root / "minutes" / "244.md"
    line = edit(minutes, "○丹野委員長 ありがとうございました。", "○丹埜委員長 ありがとうございました。")
    problems = check(root)[1]
    assert [(p.path, p.line) for p in problems] == [("minutes/244.md", line)]
    assert problems[0].code != "G350"
    assert "丹野委員長" in problems[0].hint


def test_a_difference_elsewhere_is_still_reported_beside_another_mistake(tmp_path):
    root = project(tmp_path)
    minutes = root / "minutes" / "244.md"
    typo = edit(minutes, "○丹野委員長 ありがとうございました。", "○丹埜委員長 ありがとうございました。")
    changed = edit(minutes, "公金受取口座の誤登録", "公金受取口座の誤登緑")
    assert [(p.line, p.code == "G350") for p in check(root)[1]] == [(typo, False), (changed, True)]


def test_a_difference_at_the_start_of_a_line_quotes_the_source_line_it_should_match():
    """〇 (U+3007) typed for ○: the first character differs, so the source's line to show is the
    next one, not the end of the line before (which reads as if the record had skipped text)."""
    source = SourceText("事務局から資料に基づき説明を行った。\n○委員から、施策の実施状況を確認すべきとの意見があった。\n")
    lines = [(31, "事務局から資料に基づき説明を行った。"), (33, "〇委員から、施策の実施状況を確認すべきとの意見があった。")]
    found = first_difference(lines, source, "minutes/1.md", "sources/1.txt")
    assert found is not None and found.line == 33
    assert found.message.endswith("出典 sources/1.txt:2「○委員から、施策の実施状況を確認すべきとの意見が…」。")


SUMMARY_WITHOUT_RECORD = """---
number: 1
date: 2023-06-07
agenda:
  - number: 1
    title: 重点計画について
    disclosure: 公開
---

## 議題1 重点計画について

事務局から資料に基づき説明を行った。

○委員から、施策の実施状況を定期的に確認すべきとの意見があった。

原案のとおり決定した。
"""


def test_a_summary_without_record_is_one_error_even_with_a_bulleted_opinion(tmp_path):
    """A summary's ○委員から、…との意見があった。 is a sentence, not a turn: the file has no turn, so
    the one cause is the missing `record: 議事概要` (G341), not a label without speech (G308) and an
    orphan paragraph (G306) whose 対処 asks for turns the record never had."""
    from test_check_mistakes import fixture_project

    root = fixture_project(tmp_path, SUMMARY_WITHOUT_RECORD)
    problems = check(root)[1]
    assert [(p.code, p.line) for p in problems] == [("G341", 12)]


def test_a_sentence_after_a_mark_in_minutes_with_turns_is_still_a_label_without_speech(tmp_path):
    from test_check_mistakes import fixture_project

    text = SUMMARY_WITHOUT_RECORD.replace("事務局から資料に基づき説明を行った。", "○事務局 説明いたします。")
    root = fixture_project(tmp_path, text)
    assert [(p.code, p.line) for p in check(root)[1]] == [("G308", 14)]


def test_a_mistyped_record_value_is_one_error_at_the_key(tmp_path):
    """record: 議事概容 is the mistake; the body is read by the minutes' stricter grammar, but the
    G341 that would follow asks to write the record key that is already there, mistyped."""
    from test_check_mistakes import fixture_project

    text = SUMMARY_WITHOUT_RECORD.replace("date: 2023-06-07\n", "date: 2023-06-07\nrecord: 議事概容\n")
    root = fixture_project(tmp_path, text)
    assert [(p.code, p.line) for p in check(root)[1]] == [("G170", 4)]


def test_an_impossible_date_is_explained_in_japanese(tmp_path):
    from test_check_mistakes import fixture_project

    for date, why in (("2024-02-30", "2024年2月は29日までです"), ("2023-13-01", "月は1から12までです"),
                      ("2023-04-31", "2023年4月は30日までです"), ("2023-04-00", "日は1からです")):
        root = fixture_project(tmp_path / date, SUMMARY_WITHOUT_RECORD.replace("2023-06-07", date))
        problems = check(root)[1]
        assert [p.message for p in problems if p.code == "G108"] == [f"日付「{date}」は存在しない日付です（{why}）。"]


def test_add_refuses_a_term_that_ends_before_it_starts_by_naming_the_flags(tmp_path, capsys):
    """The checker's own message would point at docs/commissioners/sato.md:7, a file that was
    never written; the clerk typed two dates, and the message names them."""
    from conftest import make_project
    from gijiroku.cli import main

    root = make_project(tmp_path)
    args = ["--root", str(root), "add", "commissioner", "--id", "sato", "--name", "佐藤", "--role", "委員",
            "--term-start", "2023-05-01", "--term-end", "2023-04-01"]
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == ("gijiroku add: 退任日（--term-end）2023-04-01 が就任日（--term-start）"
                                 "2023-05-01 より前です。日付を確かめてください。\n")
    assert not (root / "docs" / "commissioners" / "sato.md").exists()


HEADINGS = """---
number: 1
date: 2023-04-05
agenda:
  - number: 1
    title: 議題の一
    disclosure: 公開
  - number: 2
    title: 議題の二
    disclosure: 公開
  - number: 3
    title: 議題の三
    disclosure: 公開
---

## 議題1 議題の一

○事務局 説明します。

## 議題2議題の二

○事務局 説明します。

## 議題3 議題の三

○事務局 説明します。
"""


def test_a_heading_without_its_space_is_one_error_not_a_missing_item_and_a_wrong_order(tmp_path):
    """「## 議題2議題の二」 is item 2's heading typed without the space: one message at it, not
    also 議題2の見出しが本文にありません and 議題3の見出しが順番どおりではありません."""
    from test_check_mistakes import fixture_project

    root = fixture_project(tmp_path, HEADINGS)
    assert [(p.code, p.line) for p in check(root)[1]] == [("G208", 20)]


def test_a_heading_of_an_unknown_item_without_its_space_is_still_its_own_error(tmp_path):
    from test_check_mistakes import fixture_project

    root = fixture_project(tmp_path, HEADINGS.replace("## 議題2議題の二", "## 議題2議題の二\n\n## 議題9議題の九"))
    assert [(p.code, p.line) for p in check(root)[1]] == [("G208", 20), ("G208", 22)]
