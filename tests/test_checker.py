"""`gijiroku check`: every mistake reported, each message asserted word for word."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, make_project, write
from gijiroku.check import check
from gijiroku.cli import main

# One fixture a mistake (tests/fixtures/errors/<case>.md, copied to minutes/1.md of the fixture project).
EXPECTED = {
    'agenda_numbering': (
        'minutes/1.md:8: 議題の番号が 3 ですが、2 番目の議題です。\n'
        '    対処: 議題は 1 から順に、飛ばさず重ねずに番号を振ってください。\n'
        'minutes/1.md:17: 議題3の見出しが順番どおりではありません（次は議題2のはずです）。\n'
        '    対処: 見出しを議題番号の順に並べてください。\n'
    ),
    'date_format': (
        "minutes/1.md:3: 会議の見出し情報（front matter）の「date」の値 '2023/04/05' は日付（YYYY-MM-DD）ではありません。\n"
        '    対処: YYYY-MM-DD（例 2023-05-31）で書いてください。和暦や「5月31日」は使えません。記録にないときは null。\n'
    ),
    'deferred_without_date': (
        'minutes/1.md:7: 後日公表の議題に publish_after（公表日）がありません。\n'
        '    対処: publish_after: YYYY-MM-DD を加えてください。公表日が決まるまでは 非公表 にしてください。\n'
    ),
    'heading_mismatch': (
        'minutes/1.md:10: 見出しの議題名が front matter と違います: 「議題の壱」と「議題の一」。\n'
        '    対処: 記録の印刷どおりの議題名に揃えてください。\n'
        'minutes/1.md:14: 見出しの議題2が front matter の agenda にありません。\n'
        '    対処: agenda に number: 2 の議題を加えるか、見出しの番号を直してください。\n'
    ),
    'heading_missing': (
        'minutes/1.md:5: 議題1の見出し「## 議題1 議題の一」が本文にありません。\n'
        '    対処: その議題の発言の前に見出しを置いてください。\n'
    ),
    'impossible_date': (
        'minutes/1.md:3: 日付「2023-02-30」は存在しない日付です（2023年2月は28日までです）。\n'
        '    対処: YYYY-MM-DD 形式で、実在する日付を書いてください。\n'
    ),
    'malformed_markers': (
        'minutes/1.md:14: 非公表マーカーの書き方が違います: <!--非公表-->\n'
        '    対処: この行を「<!-- 非公表 -->」だけにしてください（半角、前後に空白なし）。\n'
        'minutes/1.md:18: 非公表マーカーの書き方が違います: ＜！－－ 非公表 －－＞\n'
        '    対処: この行を「<!-- 非公表 -->」だけにしてください（半角、前後に空白なし）。\n'
        'minutes/1.md:20: 非公表マーカーの前後に空白があります。\n'
        '    対処: この行を「<!-- /非公表 -->」だけにしてください（半角、前後に空白なし）。\n'
    ),
    'missing_keys': (
        'minutes/1.md:1: 会議の見出し情報（front matter）に必須の項目「date」がありません。\n'
        '    対処: 「date: …」を加えてください（開催日 YYYY-MM-DD。記録にないときは null（サイトには表示しない））。\n'
        'minutes/1.md:4: 議題（1 番目）に必須の項目「title」がありません。\n'
        '    対処: 「title: …」を加えてください（議題名（記録のとおり。本文の見出し「## 議題N 議題名」と一致させる））。\n'
    ),
    'nested_marker': (
        'minutes/1.md:16: 非公表の範囲が入れ子になっています（14 行目で開いた範囲が閉じていません）。\n'
        '    対処: 14 行目の範囲を <!-- /非公表 --> で閉じてから、次の範囲を開いてください。\n'
    ),
    'number_and_disclosure': (
        'minutes/1.md:2: number 2 がファイル名「1.md」と違います。\n'
        '    対処: ファイル名を 2.md にするか、number を直してください。\n'
        'minutes/1.md:7: disclosure の値「非公開」は使えません。\n'
        '    対処: 「非公表」の誤りではありませんか。使える値は 公開・非公表・後日公表 です。\n'
    ),
    'orphan_and_bad_turns': (
        'minutes/1.md:12: どの発言にも属さない本文があります: 発言者のいない段落。\n'
        '    対処: 「○表記 発言」で発言を始めるか、ト書きなら（ ）で囲んで一行にしてください。\n'
        'minutes/1.md:14: 発言者の表記の後に発言がありません。\n'
        '    対処: 「○丹野委員長 それでは、…」のように、表記・空白・発言を同じ行に書いてください。\n'
        'minutes/1.md:16: 発言の印が「〇」です。\n'
        '    対処: 発言の始まりは「○」（U+25CB 白丸）にしてください。\n'
    ),
    'raw_html': (
        'minutes/1.md:12: 本文に HTML が含まれています: ○事務局 説明<b>します</b>。\n'
        '    対処: HTML は書けません。非公表の範囲は <!-- 非公表 --> と <!-- /非公表 --> の行で囲んでください。\n'
        'minutes/1.md:14: 本文に HTML が含まれています: <script>alert(1)</script>\n'
        '    対処: HTML は書けません。非公表の範囲は <!-- 非公表 --> と <!-- /非公表 --> の行で囲んでください。\n'
    ),
    'stray_close_marker': (
        'minutes/1.md:14: 対応する <!-- 非公表 --> のない <!-- /非公表 --> があります。\n'
        '    対処: 非公表にする範囲の前に <!-- 非公表 --> を置くか、この行を消してください。\n'
    ),
    'text_after_withheld_turn': (
        'minutes/1.md:18: どの発言にも属さない本文があります: 続きの段落。\n'
        '    対処: 非公表の範囲に発言の始まり（○）が含まれていたため、その後の段落はどの発言にも属しません。「○表記 」で発言を始めてください。\n'
    ),
    'unclosed_marker': (
        'minutes/1.md:14: <!-- 非公表 --> で始まる非公表の範囲が閉じられていません。\n'
        '    対処: 非公表にする文の後に <!-- /非公表 --> だけの行を置いてください。\n'
    ),
    'unknown_keys': (
        'minutes/1.md:4: 会議の見出し情報（front matter）に未知の項目「plase」があります。\n'
        '    対処: 「place」の誤りではありませんか。\n'
        'minutes/1.md:9: 議題（1 番目）に未知の項目「outcom」があります。\n'
        '    対処: 「outcome」の誤りではありませんか。\n'
    ),
    'unknown_speaker': (
        'minutes/1.md:12: 発言者・出席者の表記を名簿で確認できません: 「山田委員」に当たる委員が名簿にいません。\n'
        '    対処: 記録の表記と照らし、委員なら docs/commissioners/ に登録（姓と役職・在任期間）し、事務局の役職なら committee.yml の secretariat_titles に加えてください。\n'
        'minutes/1.md:14: 発言者・出席者の表記を名簿で確認できません: 「田中課長補佐」は委員の役職（委員長代理・委員長・委員）でも事務局の役職でもありません。\n'
        '    対処: 記録の表記と照らし、委員なら docs/commissioners/ に登録（姓と役職・在任期間）し、事務局の役職なら committee.yml の secretariat_titles に加えてください。\n'
    ),
    'yaml_syntax': (
        'minutes/1.md:7: 字下げ（行頭の半角スペースの数）がずれています。\n'
        '    対処: 同じ階層の項目は同じ数の半角スペースで始めてください。議題の「- 」の後の項目は、最初の項目（number）とそろえます。\n'
    ),
}


def project_with(tmp_path: Path, meeting: Path | None = None) -> Path:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "project" / "docs", root / "docs")
    shutil.copy(FIXTURES / "project" / "committee.yml", root)
    (root / "minutes").mkdir()
    (root / "decisions").mkdir()
    if meeting is not None:
        shutil.copy(meeting, root / "minutes" / "1.md")
    return root


def formatted(root: Path) -> str:
    _, problems = check(root)
    return "".join(p.format() + "\n" for p in problems)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_checker_message(case, tmp_path):
    root = project_with(tmp_path, FIXTURES / "errors" / f"{case}.md")
    assert formatted(root) == EXPECTED[case]


def test_every_error_fixture_has_an_expected_message():
    assert sorted(p.stem for p in (FIXTURES / "errors").glob("*.md")) == sorted(EXPECTED)


def test_the_real_content_is_clean():
    _, problems = check(ROOT)
    assert problems == []


def test_the_fixture_project_is_clean():
    _, problems = check(FIXTURES / "project")
    assert problems == []


def test_duplicate_meeting_number(tmp_path):
    root = project_with(tmp_path, FIXTURES / "parse" / "fullwidth_space_after_label.md")
    shutil.copy(root / "minutes" / "1.md", root / "minutes" / "01.md")
    assert formatted(root) == (
        "minutes/01.md:2: number 1 がファイル名「01.md」と違います。\n"
        "    対処: ファイル名を 1.md にするか、number を直してください。\n"
        "minutes/1.md:1: 第1回が minutes/01.md と重複しています。\n"
        "    対処: 一つの会議は一つのファイルにまとめてください。\n"
    )


def test_decision_pointing_at_missing_meeting_item_and_agency(tmp_path):
    root = project_with(tmp_path, FIXTURES / "parse" / "fullwidth_space_after_label.md")
    doc = "---\ntitle: 文書\nkind: 決定\ndate: 2023-04-05\nmeeting: {m}\nagenda: {a}\nagencies: [{ag}]\ndisclosure: 公開\n---\n\n本文。\n"
    write(root / "decisions" / "no-meeting.md", doc.format(m=99, a=1, ag="digital-agency"))
    write(root / "decisions" / "no-item.md", doc.format(m=1, a=7, ag="no-such-agency"))
    assert formatted(root) == (
        "decisions/no-item.md:6: 第1回に議題7がありません。\n"
        "    対処: agenda の番号を確かめてください。\n"
        "decisions/no-item.md:7: 機関 id「no-such-agency」は docs/agencies/ にありません。\n"
        "    対処: docs/agencies/no-such-agency.md を作るか、既存の id を使ってください。\n"
        "decisions/no-meeting.md:5: 文書の meeting: 99 の会議が minutes/ にありません。\n"
        "    対処: minutes/99.md を加えるか、meeting を直してください（不明なら null）。\n"
    )


def test_item_and_decision_must_agree(tmp_path):
    root = make_project(tmp_path / "p")
    text = (root / "minutes" / "10.md").read_text(encoding="utf-8")
    text = text.replace("    agencies: [digital-agency]\n", "    agencies: [digital-agency]\n    decisions: [other-doc]\n", 1)
    write(root / "minutes" / "10.md", text)
    write(root / "decisions" / "other-doc.md",
          "---\ntitle: 別の文書\nkind: 資料\ndate: null\nmeeting: 9\nagenda: 1\ndisclosure: 公開\n---\n\n本文。\n")
    assert formatted(root) == (
        "minutes/10.md:12: 議題1は文書「other-doc」を挙げていますが、その文書は第9回の議題1を指しています。\n"
        "    対処: decisions/other-doc.md の meeting・agenda と、この議題の decisions を一致させてください。\n"
    )


def test_crlf_and_bom_are_refused(tmp_path):
    root = project_with(tmp_path)
    good = (FIXTURES / "parse" / "fullwidth_space_after_label.md").read_bytes()
    (root / "minutes" / "1.md").write_bytes(good.replace(b"\n", b"\r\n"))
    (root / "minutes" / "2.md").write_bytes(b"\xef\xbb\xbf" + good.replace(b"number: 1", b"number: 2"))
    assert formatted(root) == (
        "minutes/1.md:1: 改行コードに CR（Windows の CRLF など）が含まれています。\n"
        "    対処: 改行コードを LF にして保存し直してください（git config core.autocrlf input）。\n"
        "minutes/2.md:1: ファイルの先頭に BOM（U+FEFF）があります。\n"
        "    対処: エディタで「UTF-8（BOM なし）」を選んで保存し直してください。\n"
    )


def test_check_command_exit_codes_and_github_format(tmp_path, capsys):
    root = project_with(tmp_path, FIXTURES / "errors" / "unclosed_marker.md")
    assert main(["--root", str(root), "check", "--format", "github"]) == 1
    out = capsys.readouterr().out
    assert out == ("::error file=minutes/1.md,line=14::<!-- 非公表 --> で始まる非公表の範囲が閉じられていません。"
                   " 対処: 非公表にする文の後に <!-- /非公表 --> だけの行を置いてください。\n"
                   "::warning file=minutes/1.md,line=15::非公表の文「秘密。」は 3 文字しかなく、漏えい検証で照合できません"
                   "（4 文字未満）。 対処: 公表されることはありませんが、漏えいしても検証では見つかりません。"
                   "範囲を前後の文と一つの段落にまとめるか、サイトに出ていないことを目で確かめてください。\n")
    assert main(["--root", str(ROOT), "check"]) == 0


def test_committee_yml_lists_only_the_types_the_verifier_can_walk(tmp_path):
    """reviewed_file_types may list PNG, JPEG, GIF, WebP and ICO (as png, .PNG, jpeg …): the verifier
    walks their every part for text nobody sees in the picture. Any other type (a PDF's text, a
    TIFF's tags) cannot be shown to hold none: `check` names the line, and the build refuses such
    a file anyway."""
    root = make_project(tmp_path / "p")
    committee = root / "committee.yml"
    committee.write_text(committee.read_text(encoding="utf-8") +
                         "reviewed_file_types:\n  - PNG\n  - .jpeg\n  - pdf\n  - ico\n  - tiff\n", encoding="utf-8")
    _, problems = check(root)
    lines = committee.read_text(encoding="utf-8").splitlines()
    found = [(p.line, p.code) for p in problems if p.path == "committee.yml"]
    assert found == [(lines.index("  - pdf") + 1, "G513"), (lines.index("  - tiff") + 1, "G513")]
    assert "png、jpg、gif、webp、ico" in next(p for p in problems if p.code == "G513").format()


def test_check_finds_the_project_from_a_folder_inside_it(tmp_path, monkeypatch, capsys):
    """Run from minutes/ (a clerk's terminal left there), check checked no project and said
    問題はありません; it checks the project the folder is in, and refuses where there is none."""
    root = make_project(tmp_path / "p")
    meeting = sorted((root / "minutes").glob("*.md"))[0]
    write(meeting, meeting.read_text(encoding="utf-8").replace("\n○", "\n〇", 1))
    monkeypatch.chdir(root / "minutes")
    assert main(["check"]) == 1
    assert f"minutes/{meeting.name}" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--root", str(root)]) == 1  # --root after the command, too
    capsys.readouterr()
    assert main(["check"]) == 2
    assert "プロジェクト（mkdocs.yml・committee.yml・minutes/ のあるフォルダー）がありません" in capsys.readouterr().err
    assert main(["--root", str(root / "docs"), "check"]) == 2
    assert "プロジェクトのルートではありません" in capsys.readouterr().err


@pytest.mark.parametrize("kind_id, code", [
    ("../../../../tmp/kindesc", "G514"), ("..", "G514"), ("a" * 300, "G514"), ('x"><b>y</b>', "G514"), ("a#b", "G514"),
    ("Reports", "G514"), ("policies", "G515"),
    ("reports\n", "G514"),  # `$` matched before the newline: the folder was "reports\n" (a second attack)
    ("kd2fda09d", "G515"),  # the hashed id of その他's neighbour 監視・監督, which is not listed
])
def test_an_agenda_kind_id_is_a_folder_name_of_its_own(tmp_path, kind_id, code):
    """An agenda kind's id is the folder of its page (kinds/<id>/): found by an attack, `../..`
    wrote the page outside the site, `..` over the meetings' list, a long one stopped MkDocs with a
    traceback and a repeated one lost a kind's page, each after a check that passed."""
    root = make_project(tmp_path / "p")
    committee = root / "committee.yml"
    entry = f"  その他: {json.dumps(kind_id)}"  # a YAML double-quoted string: "reports\\n" holds the newline
    write(committee, committee.read_text(encoding="utf-8") + f"agenda_kind_ids:\n  全項目評価書: policies\n{entry}\n")
    _, problems = check(root)
    line = committee.read_text(encoding="utf-8").splitlines().index(entry) + 1
    assert [(p.path, p.line, p.code) for p in problems] == [("committee.yml", line, code)]


@pytest.mark.parametrize("name, text, line", [
    ("files/memo.txt", "メモ\n<!-- 非公表 -->\n秘密の文です。\n<!-- /非公表 -->\n", 2),
    ("assets/extra.css", "/* 表 */\np { color: red; }\n/* <!-- 後日公表 --> */\n", 3),
    ("files/wide.txt", "＜！－－　非公表　－－＞\n", 1),  # full width, as NFKC reads it
    # found by a second attack: the marker over two lines, three dashes, a zero-width space, another
    # word for it, JSON's escapes
    ("files/a.txt", "メモ\n<!--\n非公表 -->\n秘密\n", 2), ("files/c.txt", "<!--- 非公表 --->\n", 1),
    ("files/d.txt", "<!--\u200b 非公表 -->\n", 1), ("files/f.txt", "x\n<!-- ここから不開示 -->\n", 2),
    ("files/h.json", '{"a": "<!-- \\u975e\\u516c\\u8868 -->"}\n', 1),
])
def test_a_marker_in_a_file_copied_as_it_is_is_refused(tmp_path, name, text, line):
    """MkDocs copies a .txt or a stylesheet under docs/ as it is: a marker there withholds nothing
    (found by an attack: the enclosed text was published). A stylesheet's `secretariat` is no marker."""
    root = make_project(tmp_path / "p")
    write(root / "docs" / name, text)
    write(root / "docs" / "assets" / "plain.css", ".gk-secretariat > summary { display: none; }\n")
    _, problems = check(root)
    assert [(p.path, p.line, p.code) for p in problems] == [(f"docs/{name}", line, "G621")]


def test_a_decision_of_a_meeting_whose_file_has_its_own_mistake_is_not_said_to_lack_it(tmp_path):
    """minutes/244.md with a BOM (or a CRLF, or no number …) was not read, and every decision of
    that meeting said 「meeting: 244 の会議が minutes/ にありません」, with no line, beside the
    file's own message (found by a clerk's attack): only the file's own message is shown."""
    root = make_project(tmp_path / "p")
    path = root / "minutes" / "10.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    _, problems = check(root)
    assert [(p.path, p.code) for p in problems] == [("minutes/10.md", "G102")]


def test_a_mistake_repeated_thousands_of_times_is_shown_fifty_times_and_counted(tmp_path, capsys):
    """A typo pasted 300 times gave 600 lines (30,000 gave 60,001, found by a clerk's attack): the
    first 50 of a kind are shown, the rest counted; the exit status and the count of errors stay."""
    root = make_project(tmp_path / "p")
    meeting = sorted((root / "minutes").glob("*.md"))[0]
    text = meeting.read_text(encoding="utf-8")
    write(meeting, text + "".join(f"\n〇事務局 {i}回目の誤りです。\n" for i in range(300)))
    assert main(["--root", str(root), "check"]) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith(f"minutes/{meeting.name}:")]
    assert len(lines) == 50
    assert "ほかに 250 件あります" in err and "300 件のエラーがあります" in err


def test_a_marker_in_a_gzipped_file_copied_as_it_is_is_refused(tmp_path):
    import gzip as gz

    root = make_project(tmp_path / "p")
    (root / "docs" / "files").mkdir(parents=True)
    (root / "docs" / "files" / "e.txt.gz").write_bytes(gz.compress("<!-- 非公表 -->\n秘密\n<!-- /非公表 -->\n".encode(), mtime=0))
    _, problems = check(root)
    assert [(p.path, p.line, p.code) for p in problems] == [("docs/files/e.txt.gz", 1, "G621")]
