"""Numbers a hostile or broken source prints: a heading, a date or a 第N回 of thousands of digits
(Python refuses int() of over 4,300 digits), and a 第N回 that check would refuse. check and
import answer in Japanese with the file and line, never with an unexpected error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS, make_project, write
from gijiroku.record.wareki import parse_number

HUGE = "1" * 5000
GIJIROKU = str(Path(sys.executable).parent / "gijiroku")
MINUTES_244 = SEEDS / "000_ba22dd514cf4d661.txt"


@pytest.mark.parametrize("text", [HUGE, "〇" * 5000, "９" * 13])
def test_a_number_no_record_prints_is_none(text):
    assert parse_number(text) is None


def test_parse_number_still_reads_what_records_print():
    assert [parse_number(t) for t in ("244", "２４４", "二百四十四", "二〇二三", "元")] == [244, 244, 244, 2023, 1]


def test_check_reports_a_heading_of_thousands_of_digits_with_its_line(tmp_path):
    root = make_project(tmp_path / "p")
    write(root / "minutes" / "13.md", "---\nnumber: 13\ndate: 2024-01-01\nagenda:\n  - number: 1\n    title: 議題\n"
          f"    disclosure: 公開\n---\n\n## 議題1 議題\n\n○事務局 はい。\n\n## 議題{HUGE} 議題\n\n日時：令和{HUGE}年１月１日\n")
    done = subprocess.run([GIJIROKU, "--root", str(root), "check"], capture_output=True, text=True, timeout=120)
    said = done.stdout + done.stderr
    assert done.returncode == 1 and "予期しない誤り" not in said and "Traceback" not in said, said[:500]
    assert f"minutes/13.md:14: 見出し「## 議題{HUGE[:20]}" in said


@pytest.mark.parametrize("printed", ["12345", "9" * 5000])
def test_import_leaves_a_meeting_number_check_would_refuse_unknown(tmp_path, printed):
    text = MINUTES_244.read_text(encoding="utf-8").replace("第244回", f"第{printed}回")
    assert f"第{printed}回" in text
    write(tmp_path / "in.txt", text)
    done = subprocess.run([GIJIROKU, "import", str(tmp_path / "in.txt")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "予期しない誤り" not in done.stderr, done.stderr[:500]
    assert "\nnumber: null\n" in done.stdout


def test_a_repeated_heading_that_ends_in_thousands_of_digits_gets_an_anchor_of_its_own():
    # a profile's body may hold it twice: the build stopped on int() of the digits
    from gijiroku.record.markup import unique_id

    anchor = "x_" + HUGE
    used = {anchor}
    assert unique_id(anchor, used) == anchor + "_1" and unique_id(anchor, used) == anchor + "_2"
    assert unique_id("x_1", {"x_1"}) == "x_2"  # as the toc extension numbers a repeated heading
