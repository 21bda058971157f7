"""A ninth attack, on the newest commits: check's page-number paragraphs (G322) and `import -o`
writing the meeting and its source both or neither; each test failed before its fix."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, import_folders, make_project
from gijiroku.check import check, check_warnings
from gijiroku.cli import main

MEETING = """---
number: 1
date: 2023-04-05
agenda:
  - number: 1
    title: 議題の一
    disclosure: 公開
---

## 議題1 議題の一

○事務局 計画の変更についてもこれらの手
{number}
続を準用することとされております。
"""


def _page_numbers(tmp_path, number: str) -> list[str]:
    project = make_project(tmp_path / "project", None)
    (project / "minutes" / "1.md").write_text(MEETING.format(number=number), encoding="utf-8")
    record, problems = check(project)
    assert not problems, [p.format() for p in problems]
    return [f"{p.code} {p.path}:{p.line}" for p in check_warnings(project, record) if p.code == "G322"]


def test_a_page_number_between_lines_without_blank_lines_is_warned(tmp_path):
    """Every line of a body is a paragraph, blank lines or not: 「手」「5 / 20」「続を…」 are three
    paragraphs on the page, as the record reads them; G322 asked for blank lines on both sides
    (as import writes it), so a clerk who took out the blank lines to join the sentence published
    it split, check silent."""
    assert _page_numbers(tmp_path, "5 / 20") == ["G322 minutes/1.md:13"]


def test_a_page_number_with_a_trailing_tab_is_warned(tmp_path):
    """「5」 and a tab is the paragraph 5 on the page; G322 took off spaces only."""
    assert _page_numbers(tmp_path, "5\t") == ["G322 minutes/1.md:13"]


def test_an_existing_source_not_in_utf8_is_said_plainly(tmp_path, capsys):
    """sources/300.txt already there, not UTF-8 (saved by another editor): without --force,
    import stopped with 「予期しない誤りで止まりました（UnicodeDecodeError …）」."""
    raw, project = import_folders(tmp_path)
    source = project / "sources" / "300.txt"
    source.write_bytes(b"\x82\xa0 Shift_JIS\n")
    assert main(["--root", str(ROOT), "import", str(raw), "-o", str(project / "minutes" / "300.md")]) == 1
    err = capsys.readouterr().err
    assert "予期しない誤り" not in err, err
    assert f"出典「{source}」は既にあります" in err, err
    assert not (project / "minutes" / "300.md").exists()
    assert source.read_bytes() == b"\x82\xa0 Shift_JIS\n"


def test_a_meeting_named_through_dot_dot_gets_its_source(tmp_path, capsys):
    """`-o minutes/drafts/../300.md` writes minutes/300.md; its folder's name as typed is `..`,
    so no source was written and nothing said so (16438a2's case, by another path)."""
    raw, project = import_folders(tmp_path)
    (project / "minutes" / "drafts").mkdir()
    assert main(["--root", str(ROOT), "import", str(raw), "-o", str(project / "minutes" / "drafts" / ".." / "300.md")]) == 0
    assert (project / "minutes" / "300.md").is_file()
    assert (project / "sources" / "300.txt").is_file(), capsys.readouterr().err


def _fail_halfway(monkeypatch, victim: Path) -> None:
    """Writing `victim` stops half-way, as on a full disk: half the text is in the file."""
    real = Path.write_text

    def half(self, text, *args, **kwargs):
        if self == victim:
            real(self, text[: len(text) // 2], *args, **kwargs)
            raise OSError(28, "No space left on device", str(self))
        return real(self, text, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", half)


def test_a_source_that_fails_half_way_leaves_the_source_before(tmp_path, capsys, monkeypatch):
    """--force over a meeting and its source, the disk full half-way through the source: the
    meeting was put back and the clerk told 「何も書いていません」, but the source before was
    left cut off in the middle of the new one."""
    raw, project = import_folders(tmp_path)
    meeting, source = project / "minutes" / "300.md", project / "sources" / "300.txt"
    meeting.write_text("前の原稿\n", encoding="utf-8")
    source.write_text("前の出典\n", encoding="utf-8")
    _fail_halfway(monkeypatch, source)
    assert main(["--root", str(ROOT), "import", str(raw), "-o", str(meeting), "--force"]) == 1
    err = capsys.readouterr().err
    assert "何も書いていません" in err, err
    assert meeting.read_text(encoding="utf-8") == "前の原稿\n"
    assert source.read_text(encoding="utf-8") == "前の出典\n"


def test_a_meeting_that_fails_half_way_leaves_the_meeting_before(tmp_path, capsys, monkeypatch):
    """--force over a meeting, the disk full half-way through it: the meeting before was gone,
    half of the new one in its place, and the message said only that it could not be written."""
    raw, project = import_folders(tmp_path)
    meeting = project / "minutes" / "300.md"
    meeting.write_text("前の原稿\n", encoding="utf-8")
    _fail_halfway(monkeypatch, meeting)
    assert main(["--root", str(ROOT), "import", str(raw), "-o", str(meeting), "--force"]) == 1
    err = capsys.readouterr().err
    assert "書けません" in err, err
    assert meeting.read_text(encoding="utf-8") == "前の原稿\n"
    assert not (project / "sources" / "300.txt").exists()


def test_a_new_meeting_that_fails_half_way_is_not_left(tmp_path, capsys, monkeypatch):
    """The same with no meeting before: half a meeting file was left, that check then read."""
    raw, project = import_folders(tmp_path)
    meeting = project / "minutes" / "300.md"
    _fail_halfway(monkeypatch, meeting)
    assert main(["--root", str(ROOT), "import", str(raw), "-o", str(meeting)]) == 1
    assert "書けません" in capsys.readouterr().err
    assert not meeting.exists()
