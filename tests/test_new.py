"""`gijiroku new`: the skeleton of the next meeting, which fails the checker until it is filled in."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from conftest import FIXTURES, ROOT, write
from gijiroku.authoring.scaffold import PLACEHOLDER_LINE, next_number, parse_day, render_new_meeting
from gijiroku.check import check
from gijiroku.cli import main
from gijiroku.record.registry import Committee


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "project", root)
    return root


def test_next_number_follows_the_highest_meeting(tmp_path):
    assert next_number(ROOT) == 245
    assert next_number(tmp_path) == 1


def test_new_writes_the_next_meeting_file(project, capsys):
    assert main(["--root", str(project), "new", "--date", "令和5年6月7日", "--agenda", "議題の一", "--agenda", "議題の二"]) == 0
    path = project / "minutes" / "11.md"
    assert capsys.readouterr().err == (
        f"{path} を作りました（第11回、2023-06-07）。「この行を…」の行を議事録の本文に置き換え、"
        "front matter を埋めてから gijiroku check を実行してください。\n")
    assert path.read_text(encoding="utf-8") == f"""---
number: 11
title: 第11回試験委員会
date: 2023-06-07
start_time: null
end_time: null
place: null
attendees:
  commissioners: []
  secretariat: []
chair: null
sources:
  - title: 第11回試験委員会 議事録
    url: null
agenda:
  - number: 1
    title: 議題の一
    disclosure: 公開
    publish_after: null
    outcome: null
  - number: 2
    title: 議題の二
    disclosure: 公開
    publish_after: null
    outcome: null
---

{PLACEHOLDER_LINE}

## 議題1 議題の一

{PLACEHOLDER_LINE}

## 議題2 議題の二

{PLACEHOLDER_LINE}
"""


def test_the_skeleton_fails_the_checker_until_it_is_filled_in(project):
    assert main(["--root", str(project), "new", "--date", "2023-06-07", "--agenda", "議題の一"]) == 0
    path = project / "minutes" / "11.md"
    _, problems = check(project)
    # no turn yet: said once, at the first placeholder line, with both ways out (minutes or a summary)
    assert [(p.path, p.line, p.code) for p in problems] == [("minutes/11.md", 23, "G341")]
    assert "各発言を「○表記 発言」で始めてください" in problems[0].hint
    text = path.read_text(encoding="utf-8")
    write(path, text.replace(PLACEHOLDER_LINE, "○井上委員長 開会します。", 1).replace("commissioners: []", "commissioners: [井上委員長]"))
    _, problems = check(project)  # one turn: the other placeholder is a paragraph of no speech
    assert [(p.path, p.line, p.message) for p in problems] == [
        ("minutes/11.md", 27, f"どの発言にも属さない本文があります: {PLACEHOLDER_LINE[:30]}")]
    write(path, text)
    text = path.read_text(encoding="utf-8")
    text = text.replace(PLACEHOLDER_LINE, "○井上委員長 開会します。", 1).replace(PLACEHOLDER_LINE, "○事務局 説明します。")
    text = text.replace("commissioners: []", "commissioners: [井上委員長]")
    write(path, text)
    assert check(project)[1] == []


def test_without_agenda_titles_the_title_must_be_written(project):
    assert main(["--root", str(project), "new", "--date", "2023-06-07", "-o", str(project / "minutes" / "12.md"),
                 "--number", "12"]) == 0
    _, problems = check(project)
    assert "議題（1 番目）の「title」が空です。" in [p.message for p in problems]


def test_new_never_overwrites(project, capsys):
    args = ["--root", str(project), "new", "--number", "10"]
    assert main(args) == 1
    assert capsys.readouterr().err == (f"gijiroku: 「{project / 'minutes' / '10.md'}」は既にあります。"
                                       "上書きするときは --force を付けてください。\n")


def test_new_to_standard_output(capsys):
    assert main(["--root", str(ROOT), "new", "--date", "2023-06-07", "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("---\nnumber: 245\ntitle: 第245回個人情報保護委員会\ndate: 2023-06-07\n")


def test_the_date_defaults_to_today_in_japan(project, monkeypatch):
    import gijiroku.authoring.scaffold

    monkeypatch.setattr(gijiroku.authoring.scaffold, "today_in_japan", lambda: dt.date(2024, 4, 1))
    assert main(["--root", str(project), "new"]) == 0
    assert "\ndate: 2024-04-01\n" in (project / "minutes" / "11.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("text,expected", [
    ("2023-05-31", dt.date(2023, 5, 31)), ("令和5年5月31日", dt.date(2023, 5, 31)),
    ("令和元年5月1日", dt.date(2019, 5, 1)), ("R5.5.31", dt.date(2023, 5, 31)),
])
def test_dates_on_the_command_line(text, expected):
    assert parse_day(text) == expected


def test_a_bad_date_is_a_message(project, capsys):
    assert main(["--root", str(project), "new", "--date", "平成31年5月1日"]) == 1
    assert capsys.readouterr().err == ("gijiroku new: 日付「平成31年5月1日」を読めません: "
                                       "平成31年5月1日は平成の期間（1989-01-08〜2019-04-30）の外です。\n")
    assert main(["--root", str(project), "new", "--date", "来週"]) == 1
    assert "日付「来週」を読めません。" in capsys.readouterr().err


def test_render_uses_the_committee_name():
    text = render_new_meeting(3, None, ["議題"], Committee(name="データ利活用検討会"))
    assert "title: 第3回データ利活用検討会\ndate: null\n" in text
