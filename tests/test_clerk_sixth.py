"""A clerk's sixth attack: what a careless clerk does with `gijiroku import` and hand edits, tried
through the command line as staff run it; each test failed before its fix."""

from __future__ import annotations

from conftest import ROOT, record_copy
from gijiroku.check import check, check_warnings
from gijiroku.cli import main

# pdftotext's layout: a form feed begins the first line of each new page
FORM_FEEDS = ("第300回個人情報保護委員会\n"
              "○丹野委員長 ただいまから会議を始めます。\n"
              "○事務局 計画の変更についてもこれらの手\n"
              "\f続を準用することとされております。\n"
              "\f○山田委員 承知しました。\n"
              "○丹野委員長 以上で会議を終わります。\n")


def _imported(tmp_path, text: str, capsys, *args: str) -> tuple[str, str]:
    raw = tmp_path / "raw.txt"
    raw.write_text(text, encoding="utf-8")
    out = tmp_path / "300.md"
    assert main(["--root", str(ROOT), "import", str(raw), "-o", str(out), "--no-source", *args]) == 0
    return out.read_text(encoding="utf-8"), capsys.readouterr().err


def test_a_form_feed_in_the_text_is_a_page_break_not_a_paragraph_break(tmp_path, capsys):
    """read_lines reads a form feed as a page break (a sentence runs on over it), but the text it was
    given had each form feed turned into a line break first (read.source_text), so `import` split
    これらの手|続を準用… into two paragraphs whatever read_lines did."""
    body, _ = _imported(tmp_path, FORM_FEEDS, capsys)
    assert "○事務局 計画の変更についてもこれらの手続を準用することとされております。\n" in body


def test_a_warning_names_the_line_of_the_input_after_form_feeds(tmp_path, capsys):
    """Each form feed, made a line break, moved every later warning down a line: 山田委員 on line 5
    of the file was reported at 入力 7 行目."""
    _, err = _imported(tmp_path, FORM_FEEDS, capsys)
    assert "警告: 入力 5 行目: 発言者を名簿で確認できません: 「山田委員」" in err


def test_the_source_written_from_a_text_with_form_feeds_checks_clean(tmp_path, capsys):
    """The source beside the meeting holds no form feed (record/source.py refuses control
    characters), and the meeting's lines still stand in it."""
    root = record_copy(tmp_path)
    raw = tmp_path / "raw.txt"
    seed = (ROOT / "sources" / "244.txt").read_text(encoding="utf-8")
    raw.write_text(seed.replace("\n\n○", "\n\n\f○"), encoding="utf-8")
    (root / "minutes" / "244.md").unlink()
    (root / "sources" / "244.txt").unlink()
    assert main(["--root", str(root), "import", str(raw), "-o", str(root / "minutes" / "244.md")]) == 0
    assert "\f" not in (root / "sources" / "244.txt").read_text(encoding="utf-8")
    assert check(root)[1] == []  # check's problems are its errors (check_warnings has the rest)


def test_two_records_pasted_into_one_text_are_named(tmp_path, capsys):
    """Two meetings' texts in one file (a clerk copied the next PDF below the first) imported as one
    meeting: the second meeting's header and every speech of it became closing remarks of the
    first, published under its number, and neither import nor check said a word."""
    seed = (ROOT / "sources" / "244.txt").read_text(encoding="utf-8")
    second = seed.replace("第244回", "第245回").replace("令和５年５月３１日", "令和５年６月７日")
    _, err = _imported(tmp_path, seed + "\n" + second, capsys, "--number", "244")
    line = (seed + "\n" + second).split("\n").index("○丹野委員長 それでは、ただいまから、第245回個人情報保護委員会を開会いたします。 ") + 1
    assert (f"警告: 入力 {line} 行目: 第245回の開会の発言です。この入力には二つ目の会議の記録が続いているようです。"
            "一回分ずつ別のテキストにして取り込んでください。") in err


def _unclosed_region(tmp_path):
    root = record_copy(tmp_path)
    minutes = root / "minutes" / "244.md"
    text = minutes.read_text(encoding="utf-8")
    minutes.write_text(text.replace("本日は、全委員が御出席です。", "<!-- 非公表 -->\n本日は、全委員が御出席です。", 1),
                       encoding="utf-8")
    return root


def test_an_unclosed_region_is_one_error_not_a_flood_of_warnings_about_what_it_swallowed(tmp_path):
    """<!-- 非公表 --> left open before 議題1 withholds the rest of the file. The error said so, and
    then 25 warnings G413 (decisions/2023-05-31-taio-hoshin.md holds 「…」 of the withheld passage at
    minutes/244.md:220 … 278) followed, each a consequence of the same error: check already leaves
    out its own warnings about what an unclosed region swallowed, but not these."""
    root = _unclosed_region(tmp_path)
    record, problems = check(root)
    assert [(p.path, p.code) for p in problems] == [("minutes/244.md", "G412")]
    assert check_warnings(root, record) == []


def test_the_warnings_of_check_come_in_the_same_order_every_run(tmp_path):
    """Warnings at no line (G413 in a decision, one per withheld passage it holds) were sorted by
    file and line only, after a set had shuffled them: their order changed from run to run, with
    Python's hash seed."""
    import os
    import subprocess
    import sys

    root = record_copy(tmp_path)
    minutes = root / "minutes" / "244.md"
    text = minutes.read_text(encoding="utf-8")
    first = "個人情報保護委員会は、コンビニでの住民票等の誤交付"
    last = "大きく三つ目の事案につきましても"
    text = text.replace(first, "<!-- 非公表 -->\n" + first, 1).replace(last, "<!-- /非公表 -->\n" + last, 1)
    minutes.write_text(text, encoding="utf-8")
    runs = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run([sys.executable, "-m", "gijiroku.cli", "--root", str(root), "check"],
                              capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.stderr.count("G413") + done.stderr.count("非公表の文と同じ文") > 3
        runs.add(done.stderr)
    assert len(runs) == 1


def test_an_import_whose_source_cannot_be_written_writes_nothing(tmp_path, capsys):
    """A file named sources/ where the source goes (or a folder named like the source): `import -o`
    wrote the meeting, then stopped on the source with a traceback's last line, leaving the meeting
    without its source. Now it says why and writes neither."""
    raw = tmp_path / "raw.txt"
    raw.write_text(FORM_FEEDS, encoding="utf-8")
    for blocker in ("sources", "sources/300.txt"):
        project = tmp_path / blocker.replace("/", "-")
        (project / "minutes").mkdir(parents=True)
        if blocker == "sources":
            (project / "sources").write_text("a file, not a folder\n", encoding="utf-8")
        else:
            (project / blocker).mkdir(parents=True)
        meeting = project / "minutes" / "300.md"
        assert main(["--root", str(ROOT), "import", str(raw), "-o", str(meeting)]) == 1
        err = capsys.readouterr().err
        assert f"出典の置き場所「{project / blocker}」が" in err and "何も書いていません" in err, err
        assert "Error" not in err and not meeting.exists()


def test_a_page_numbered_another_way_is_kept_apart_and_flagged(tmp_path, capsys):
    """Only - 3 - was dropped and a bare 3 flagged: 5 / 20, ページ 5, P.5 and 5頁 on a line of their
    own joined the sentence they fell in (…今5 / 20回の計画…) with no word, and check passed."""
    for page in ("5 / 20", "５／２０", "ページ 5", "P.5", "ｐ．５", "5頁", "12 ページ"):
        text = FORM_FEEDS.replace("これらの手\n\f続を", f"これらの手\n{page}\n続を")
        body, err = _imported(tmp_path, text, capsys, "--force")
        assert f"\n\n{page}\n\n" in body, (page, body)
        assert f"警告: 入力 4 行目: ページ番号のような行「{page}」を一つの段落として残しました。" in err, err
    body, err = _imported(tmp_path, FORM_FEEDS.replace("これらの手\n\f続を", "これらの手\n5 / 20 の続を"), capsys, "--force")
    assert "これらの手5 / 20 の続を" in body and "ページ番号" not in err


def test_a_header_printed_on_every_page_is_named(tmp_path, capsys):
    """A header at the top of each page (第244回個人情報保護委員会 議事録), which the PDF's text puts
    among the record's lines, was joined into the sentence it fell in (…の手第244回個人情報保護委員会
    議事録続を…) with no word. The record's set phrases, repeated as often, are not named."""
    seed = (ROOT / "sources" / "244.txt").read_text(encoding="utf-8")
    header = "第244回個人情報保護委員会 議事録"
    turns = [i for i, line in enumerate(seed.split("\n")) if line.startswith("○")]
    lines = seed.split("\n")
    for at in sorted(turns[5:20:5], reverse=True):  # three pages begin with it, mid-record
        lines[at:at] = [header, ""]
    _, err = _imported(tmp_path, "\n".join(lines), capsys, "--number", "244")
    first = lines.index(header) + 1
    assert f"警告: 入力 {first} 行目: 同じ行「{header}」が 3 回あります" in err, err
    _, err = _imported(tmp_path, seed, capsys, "--number", "244", "--force")
    assert "同じ行" not in err
