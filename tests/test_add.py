"""`gijiroku add commissioner` and `gijiroku add agency` (authoring/registry_writer.py): a registry
file that `gijiroku check` accepts, from flags or from questions on a terminal."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import FIXED_EPOCH, make_project
from gijiroku.check import check
from gijiroku.cli import main
from gijiroku.record.loader import load_record

COMMISSIONER = """---
id: yamada
name: 山田
full_name: null
reading: null
roles:
  - title: 委員
    from: 2023-04-01
    to: null
---
"""


@pytest.fixture
def root(tmp_path):
    return make_project(tmp_path / "p")


def speak(root, label: str) -> None:
    """A turn by `label`, listed among the attendees, in the fixture meeting of 2023-04-05."""
    meeting = root / "minutes" / "10.md"
    text = meeting.read_text(encoding="utf-8").replace("[井上委員長, 髙村委員]", f"[井上委員長, 髙村委員, {label}]")
    meeting.write_text(text.replace("○井上委員長 閉会します。", f"○{label} 一言申し上げます。\n\n○井上委員長 閉会します。"),
                       encoding="utf-8")


def test_a_commissioner_from_flags_is_written_and_passes_check(root, capsys):
    speak(root, "山田委員")
    assert {p.code for p in check(root)[1]} == {"G301"}  # not registered yet
    assert main(["--root", str(root), "add", "commissioner", "--id", "yamada", "--name", "山田", "--role", "委員",
                 "--term-start", "令和5年4月1日"]) == 0
    out, err = capsys.readouterr()
    assert (root / "docs" / "commissioners" / "yamada.md").read_text(encoding="utf-8") == COMMISSIONER
    assert out == "--- docs/commissioners/yamada.md\n" + COMMISSIONER
    assert "gijiroku check を実行してから、このファイルもプルリクエストに含めてください" in err
    record, problems = check(root)
    assert problems == []
    assert [s.speaker.person_id for s in record.meetings[10].speeches if s.speaker.label == "山田委員"] == ["yamada"]


def test_an_agency_from_flags_is_written_and_passes_check(root, capsys):
    assert main(["--root", str(root), "add", "agency", "--id", "ppc", "--name", "個人情報保護委員会事務局",
                 "--kind", "国の行政機関"]) == 0
    written = (root / "docs" / "agencies" / "ppc.md").read_text(encoding="utf-8")
    assert written == "---\nid: ppc\nname: 個人情報保護委員会事務局\nkind: 国の行政機関\naliases: []\n---\n"
    record, problems = check(root)
    assert problems == [] and record.registry.agencies["ppc"].name == "個人情報保護委員会事務局"


@pytest.mark.parametrize(("args", "message"), [
    (["commissioner", "--id", "inoue", "--name", "井上", "--role", "委員"],
     "docs/commissioners/inoue.md は既にあります。別の id にするか、そのファイルを直接直してください。"),
    (["commissioner", "--id", "Yamada", "--name", "山田", "--role", "委員"], "id「Yamada」は使えません。"),
    (["commissioner", "--id", "yamada", "--name", "山田", "--role", "理事"],
     "役職「理事」は committee.yml の commissioner_titles（委員長代理・委員長・委員）にありません。"),
    (["commissioner", "--id", "yamada", "--name", "山田", "--role", "委員", "--term-start", "5月1日"],
     "日付「5月1日」を読めません。"),
    (["commissioner", "--id", "inoue2", "--name", "井上", "--role", "委員長"],
     "「井上委員長」は既に docs/commissioners/inoue.md の人として登録されていて、在任期間が重なります。"),
    (["commissioner", "--id", "yamada", "--name", "山田"], "--role がありません。"),
    (["commissioner", "--id", "yamada", "--name", "山田委員", "--role", "委員"],
     "名前「山田委員」には姓だけを、記録に印刷されたとおりに書いてください（例 山田）。"),
    (["agency", "--id", "da2", "--name", "デジタル庁", "--kind", "国の行政機関"],
     "docs/agencies/da2.md: 名前「デジタル庁」が digital-agency と da2 の両方にあります。"),
    (["agency", "--id", "x", "--name", "某庁", "--kind", "省庁"], "種類「省庁」は committee.yml の agency_kinds"),
    # check refuses a bidi control in any source (G126): add wrote it all the same
    (["agency", "--id", "x", "--name", "某庁\u202e", "--kind", "国の行政機関"],
     "docs/agencies/x.md:3: 文字の向きを変える見えない制御文字 U+202E（RIGHT-TO-LEFT OVERRIDE）"),
    (["commissioner", "--id", "yamada", "--name", "山\u2066田", "--role", "委員"], "U+2066"),
    # a line break in a name was written as "某庁\nid: x": a name no record prints
    (["agency", "--id", "x", "--name", "某庁\nid: evil", "--kind", "国の行政機関"],
     "名前「某庁\\nid: evil」に改行や制御文字があります。記録に印刷されたとおり一行で書いてください。"),
    (["agency", "--id", "x", "--name", "某\t庁", "--kind", "国の行政機関"], "に改行や制御文字があります"),
])
def test_what_check_would_refuse_is_not_written(root, capsys, args, message):
    before = sorted(p.relative_to(root).as_posix() for p in (root / "docs").rglob("*.md"))
    contents = {p: p.read_bytes() for p in (root / "docs").rglob("*.md") if not p.is_symlink()}
    assert main(["--root", str(root), "add", *args]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("gijiroku add: ") and message in err, err
    assert sorted(p.relative_to(root).as_posix() for p in (root / "docs").rglob("*.md")) == before
    assert all(p.read_bytes() == data for p, data in contents.items())


def test_on_a_terminal_it_asks_in_japanese_and_asks_again(root, capsys, monkeypatch):
    answers = iter(["山田", "山田", "yamada", "委員", "2023-04-01", ""])  # a kanji id is refused and asked again
    asked: list[str] = []

    def prompt(text):
        asked.append(text)
        return next(answers)

    monkeypatch.setattr("builtins.input", prompt)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    assert main(["--root", str(root), "add", "commissioner"]) == 0
    assert (root / "docs" / "commissioners" / "yamada.md").read_text(encoding="utf-8") == COMMISSIONER
    assert [a.split("（")[0] for a in asked] == ["記録に印刷された姓", "id", "id", "役職", "就任日", "退任日"]
    assert "id「山田」は使えません。" in capsys.readouterr().out
    assert check(root)[1] == []


def test_flags_given_on_a_terminal_are_not_asked_again(root, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr("builtins.input", lambda text: asked.append(text) or "国の行政機関")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    assert main(["--root", str(root), "add", "agency", "--id", "mic", "--name", "総務省"]) == 0
    assert [a.split("（")[0] for a in asked] == ["種類"]
    assert load_record(root)[0].registry.agencies["mic"].kind == "国の行政機関"


def test_the_command_as_a_clerk_runs_it(root):
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    result = subprocess.run([sys.executable, "-m", "gijiroku.cli", "add", "commissioner", "--id", "yamada",
                             "--name", "山田", "--role", "委員", "--term-start", "2023-04-01"],
                            cwd=root, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "--- docs/commissioners/yamada.md\n" + COMMISSIONER
    check_run = subprocess.run([sys.executable, "-m", "gijiroku.cli", "check"], cwd=root, env=env,
                               capture_output=True, text=True, timeout=120)
    assert (check_run.returncode, check_run.stdout) == (0, "問題はありません。\n"), check_run.stderr
