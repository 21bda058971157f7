"""An eighth attack, on the newest commits: `import` writes the meeting and its source both or
neither, whatever stops the second write; each test failed before its fix."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, SHORT_MINUTES, import_folders
from gijiroku.cli import main


def test_a_dangling_link_where_the_source_goes_writes_nothing(tmp_path, capsys):
    """sources/300.txt a link to a file in a folder that is gone: it is no file and no folder, so
    f811dfd's test let it by; the meeting was written, then writing the source stopped with
    「予期しない誤りで止まりました（FileNotFoundError …）」, the meeting left without its source."""
    raw, project = import_folders(tmp_path)
    (project / "sources" / "300.txt").symlink_to(tmp_path / "gone" / "300.txt")
    meeting = project / "minutes" / "300.md"
    assert main(["--root", str(ROOT), "import", str(raw), "-o", str(meeting)]) == 1
    err = capsys.readouterr().err
    assert "予期しない誤り" not in err, err
    assert "何も書いていません" in err, err
    assert not meeting.exists()


def test_a_source_that_fails_to_write_leaves_the_meeting_as_it_was(tmp_path, capsys, monkeypatch):
    """A source the system refuses to write (a read-only sources/, a full disk: here the write
    raises as it would): the meeting was already written, with --force over the one before, and
    stayed so. Now the meeting is put back as it was and the clerk is told what failed."""
    raw, project = import_folders(tmp_path)
    meeting = project / "minutes" / "300.md"
    meeting.write_text("前の原稿\n", encoding="utf-8")
    source = project / "sources" / "300.txt"
    real = Path.write_text

    def refuse(self, *args, **kwargs):
        if self == source:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", refuse)
    assert main(["--root", str(ROOT), "import", str(raw), "-o", str(meeting), "--force"]) == 1
    err = capsys.readouterr().err
    assert "予期しない誤り" not in err, err
    assert f"出典「{source}」を書けません" in err, err
    assert meeting.read_text(encoding="utf-8") == "前の原稿\n"
    assert not source.exists()


def test_minutes_a_file_is_said_plainly(tmp_path, capsys):
    """`-o minutes/300.md` where minutes is a file: a FileExistsError's last line, not a message."""
    raw = tmp_path / "raw.txt"
    raw.write_text(SHORT_MINUTES, encoding="utf-8")
    (tmp_path / "minutes").write_text("a file\n", encoding="utf-8")
    assert main(["--root", str(ROOT), "import", str(raw), "-o", str(tmp_path / "minutes" / "300.md")]) == 1
    err = capsys.readouterr().err
    assert "予期しない誤り" not in err, err
    assert f"「{tmp_path / 'minutes'}」がフォルダではなくファイルです" in err, err
    assert not (tmp_path / "sources").exists()


def test_a_meeting_named_from_inside_minutes_gets_its_source(tmp_path, capsys, monkeypatch):
    """Run inside minutes/, `import raw.txt -o 300.md` wrote the meeting and no source, and said
    nothing of it: the source's place was worked out from the path as typed, whose folder has no name."""
    raw, project = import_folders(tmp_path)
    monkeypatch.chdir(project / "minutes")
    assert main(["--root", str(ROOT), "import", str(raw), "-o", "300.md"]) == 0
    assert (project / "minutes" / "300.md").is_file()
    assert (project / "sources" / "300.txt").read_text(encoding="utf-8") == SHORT_MINUTES
    assert "出典" in capsys.readouterr().err
