"""What a clerk reads for the common mistakes: YAML syntax errors in front matter, in Japanese at
the line of the mistake (record/yaml_errors.py), and a stage direction in half-width brackets.

Each case is the rule's own fixture (tests/fixtures/rules/<code>/, which test_rules.py runs for
code and line); here, the exact text a clerk reads for it.
"""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import FIXTURES, make_project
from gijiroku.check import check
from gijiroku.record.source import load_yaml

HINT = "\n    対処: "
MESSAGES = {
    "G106": "minutes/1.md:4: front matter の YAML を読めません（値の後や「|」「>」の後に、その行にあってはならない文字があります）。"
            + HINT + "インデントは半角スペースで揃え、「:」の後に半角スペースを入れ、「:」や「#」を含む値は \"…\" で囲んでください。",
    "G107": "minutes/1.md:5: 項目「place」が二度書かれています。" + HINT + "同じ項目は一度だけ書いてください。",
    "G150": "minutes/1.md:7: front matter にタブ文字があります。YAML の字下げや区切りにタブは使えません。"
            + HINT + "タブを半角スペースに置き換えてください（字下げは半角スペース 2 つずつ。エディタの「タブをスペースに変換」でも直せます）。",
    "G151": "minutes/1.md:4: 「\"」で始まる値の引用符が閉じられていません。"
            + HINT + "値の終わりにも「\"」を置いてください。値の中で引用符を使うときは、全角の「”」「’」にしてください。",
    "G152": "minutes/1.md:4: 「place:委員会室」の「:」の後に半角スペースがありません。"
            + HINT + "「place: 委員会室」のように、「:」の後に半角スペースを一つ入れてください。",
    "G153": "minutes/1.md:4: 値「a: b」に「: 」（コロンと空白）が含まれています。YAML では、そこで項目の名前と値が区切られてしまいます。"
            + HINT + "値を \"…\" で囲んでください（place: \"a: b\"）。",
    "G154": "minutes/1.md:7: 字下げ（行頭の半角スペースの数）がずれています。"
            + HINT + "同じ階層の項目は同じ数の半角スペースで始めてください。議題の「- 」の後の項目は、最初の項目（number）とそろえます。",
    "G155": "minutes/1.md:6: 「[」で始まる一覧が「]」で閉じられていません。"
            + HINT + "一覧の終わりに ] を置いてください（例 [丹野委員長, 小川委員]）。一覧の中の値に「,」「:」「#」があれば \"…\" で囲んでください。",
    "G156": "minutes/1.md:4: 閉じかっこ「]」に対応する開きかっこがありません。" + HINT + "余分な ] を消してください。",
    "G157": "minutes/1.md:4: 引用符で閉じた値の後に「の隣」が続いています。"
            + HINT + "値全体を一組の引用符で囲んでください。値の中の引用符は全角の「”」「’」にしてください。",
    "G158": "minutes/1.md:4: 項目の名前「place」の後の「：」が全角です。" + HINT + "半角の「:」と半角スペースにしてください（place: 値）。",
    "G159": "minutes/1.md:4: front matter の字下げか「:」の後に全角スペースがあります。"
            + HINT + "全角スペースを半角スペースにしてください（字下げは半角スペース 2 つずつ）。",
    "G160": "minutes/1.md:4: 値を「@」で始めることはできません（YAML の予約文字です）。" + HINT + "値全体を \"…\" で囲んでください。",
    "G161": "minutes/1.md:4: \"…\" で囲んだ値の中の「\\」の後に「会」があります（「\\」は特別な書き方の始まりと読まれます）。"
            + HINT + "「\\」を文字として書くときは「\\\\」と二つ重ねるか、値を '…'（半角の一重引用符）で囲んでください。",
    "G330": "minutes/1.md:14: ト書き「(拍手)」の括弧が半角です。" + HINT + "記録のとおり全角の括弧で「（拍手）」と書いてください。",
}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_the_clerk_reads_this_message(code, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", root)
    shutil.copytree(FIXTURES / "rules" / code, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expect.txt"))
    make_project(root, fixture=None)
    _, problems = check(root)
    assert [p.format() for p in problems] == [MESSAGES[code]]


@pytest.mark.parametrize(("text", "code", "line"), [
    ("number: 1\nagenda:\n\t- number: 1\n", "G150", 4),  # a tab as the indent of a list
    ("attendees:\n\tcommissioners: [a]\n", "G150", 3),  # ... of a mapping
    ("number： 1\ndate: 2023-01-01\n", "G158", 2),  # reported by the parser on the line after
    ("number:1\ndate: 2023-01-01\n", "G152", 2),  # ... as is this
    ("agenda:\n\u3000- number: 1\n", "G159", 3),  # read as a key "\u3000- number" by the parser
    ("agenda:\n  - number: 1\n    title:x\n    disclosure: 公開\n", "G152", 4),
    ("title: 'abc\ndate: 2023-01-01\n", "G151", 2),
    ("agencies: [a, b\n", "G155", 2),
    ("x: {a: 1\ny: 2\n", "G155", 2),
    ("number: 1\n date: 2023-01-01\n", "G154", 3),
    ("agenda:\n  - number: 1\n  title: x\n", "G154", 4),
    ("number: 1\n- a\n", "G154", 3),
    ("title: 議題: 説明\n", "G153", 2),
    ("place: [委員会室]]\n", "G156", 2),
    ('place: "委員会室"の隣\n', "G157", 2),
    ("place:\u3000委員会室\nnumber: 1\n", "G159", 2),
    ("place: @委員会室\n", "G160", 2),
    ('place: "C:\\会議室"\n', "G161", 2),
    ("place: |x\n", "G106", 2),
])
@pytest.mark.parametrize("parser", ["libyaml", "python"])
def test_the_mistake_is_named_at_its_line(text, code, line, parser, monkeypatch):
    """With libyaml, and with PyYAML's own parser (where libyaml is missing), whose words differ."""
    if parser == "python":
        import yaml

        from gijiroku.record import source

        class PythonLoader(yaml.SafeLoader):
            yaml_implicit_resolvers = source._Loader.yaml_implicit_resolvers

        monkeypatch.setattr(source, "_Loader", PythonLoader)
    problems: list = []
    assert load_yaml(text, 2, "m.md", problems)[0] is None
    assert [(p.code, p.line) for p in problems] == [(code, line)]


def test_what_the_parser_accepts_is_no_error():
    """A tab or a full-width space inside a value, a value starting with `:`, a `#` the value holds."""
    for text in ("title:\tabc\n", "title: 議題\u3000その一\n", "title: :abc\n", 'title: "abc #注"\n',
                 "title: abc#注\n", "# 注だけの行\ntitle: abc\n", "url: https://www.ppc.go.jp/a/#b\n",
                 "notes: |\n  一行目 #そのまま\n"):
        problems: list = []
        assert load_yaml(text, 2, "m.md", problems)[0] is not None and problems == [], text


@pytest.mark.parametrize(("text", "line", "value"), [
    ("title: abc #注\n", 2, "abc"),
    ("date: 2023-05-31\nplace: 中央合同庁舎 #4号館 共用会議室\n", 3, "中央合同庁舎"),
    ("agenda:\n  - number: 1\n    title: 重点計画 #2\n", 4, "重点計画"),
])
def test_a_comment_after_a_value_is_named_with_the_value_yaml_read(text, line, value):
    """YAML drops ` #` and what follows as a comment: `place: 中央合同庁舎 #4号館` published
    中央合同庁舎 and nothing said so (found by a clerk's attack)."""
    problems: list = []
    load_yaml(text, 2, "m.md", problems)
    assert [(p.code, p.line) for p in problems] == [("G162", line)]
    assert f"値は「{value}」までです" in problems[0].message and '"…"' in problems[0].hint


@pytest.mark.parametrize(("line", "found"), [
    ("（拍手)", ["G330"]), ("(監視・監督関係者以外退室）", ["G330"]), ("（拍手）", []),
    ("個人情報保護法(平成15年法律第57号)について説明します。", []), ("(1)については後ほど。", []),
])
def test_a_stage_direction_in_half_width_brackets_is_caught(tmp_path, line, found):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", root)
    shutil.copytree(FIXTURES / "rules" / "G330", root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expect.txt"))
    meeting = root / "minutes" / "1.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("(拍手)", line), encoding="utf-8")
    make_project(root, fixture=None)
    assert [p.code for p in check(root)[1]] == found


# --- gijiroku check: where its words go, and --public-source by region ----------------------------

def test_the_all_clear_goes_to_standard_output_and_errors_to_standard_error(tmp_path, capsys, fixed_date):
    """(On the fixed day: from the fixtures' publish_after on, check warns that it has passed.)"""
    from gijiroku.cli import main

    root = make_project(tmp_path / "p")
    assert main(["--root", str(root), "check"]) == 0
    assert capsys.readouterr() == ("問題はありません。\n", "")
    meeting = root / "minutes" / "10.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("number: 10", "number:10"), encoding="utf-8")
    assert main(["--root", str(root), "check"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "minutes/10.md:2: 「number:10」の「:」の後に半角スペースがありません。\n" in err
    assert err.endswith("件のエラーがあります。\n")


def test_public_source_reports_each_region_once_with_its_lines(tmp_path, capsys):
    """GitHub shows ten annotations per step: a region of thirty lines is one, not thirty."""
    from gijiroku.cli import main

    root = make_project(tmp_path / "p")
    meeting = root / "minutes" / "10.md"
    text = meeting.read_text(encoding="utf-8")
    long_region = "\n\n".join(f"非公表の段落その{i}です。" for i in range(1, 31))
    text = text.replace("○井上委員長 原案のとおり承認します。",
                        f"○井上委員長 原案のとおり承認します。\n\n<!-- 非公表 -->\n{long_region}\n<!-- /非公表 -->\n"
                        "<!-- 非公表 -->\n（内容について非公表）\n<!-- /非公表 -->\n"
                        "<!-- 非公表 -->\n二つ目の非公表の段落です。\n<!-- /非公表 -->")
    meeting.write_text(text, encoding="utf-8")
    first = text.split("\n").index("非公表の段落その1です。") + 1
    second = text.split("\n").index("二つ目の非公表の段落です。") + 1
    assert main(["--root", str(root), "check", "--public-source", "--format", "github"]) == 1
    out = capsys.readouterr().out
    annotations = [line for line in out.splitlines() if line.startswith("::error")]
    assert annotations == [
        f"::error file=minutes/10.md,line={first}::公開リポジトリに非公表の本文があります（{first}〜{first + 58} 行目）。"
        " 対処: 非公表の範囲には本文を置かず、（内容について非公表）の一行だけにしてください。本文を残す必要があるなら、リポジトリを非公開にしてください。",
        f"::error file=minutes/10.md,line={second}::公開リポジトリに非公表の本文があります（{second} 行目）。"
        " 対処: 非公表の範囲には本文を置かず、（内容について非公表）の一行だけにしてください。本文を残す必要があるなら、リポジトリを非公開にしてください。",
    ]


def test_a_region_ends_only_where_the_verifier_ends_it():
    """Lines of one region stay one (blank lines, a close look-alike with text after it); a close
    marker alone on its line ends it, so the next open marker starts another."""
    from gijiroku.disclosure.public_source import regions
    from gijiroku.disclosure.secrets import withheld_lines

    text = "\n".join([
        "前文",  # 1
        "<!-- 非公表 -->",  # 2
        "一つ目の範囲です。",  # 3
        "",  # 4
        "<!-- /非公表 --> の後も続きます。",  # 5: a look-alike, not alone: the region goes on
        "まだ一つ目です。",  # 6
        "<!-- /非公表 -->",  # 7
        "<!-- 非公表 -->",  # 8
        "二つ目です。",  # 9
        "<!-- /非公表 -->",  # 10
        "公開の文。",  # 11
    ])
    lines = sorted({number for number, _ in withheld_lines(text)})
    assert lines == [3, 5, 6, 9]
    assert regions(text, lines) == [(3, 6), (9, 9)]


def test_a_close_marker_right_before_a_line_opened_inline_ends_the_region():
    """Only the lines between two withheld lines are looked at, each by its own number: a close
    marker on the line just before the next withheld line (opened inline on that line) ends the
    region, and a close marker before the region does not split it."""
    from gijiroku.disclosure.public_source import regions

    text = "\n".join([
        "<!-- 非公表 -->",  # 1
        "一つ目です。",  # 2
        "<!-- /非公表 -->",  # 3
        "<!-- 非公表 -->二つ目です。",  # 4: opened inline (a look-alike), withheld as the verifier reads it
        "二つ目の続きです。",  # 5
        "<!-- /非公表 -->",  # 6
    ])
    assert regions(text, [2, 4, 5]) == [(2, 2), (4, 5)]


def test_public_source_reads_the_sources_as_utf8_whatever_the_locale(tmp_path):
    """A staff machine's locale may not be UTF-8: the close marker must still be read as one, so
    that two regions stay two."""
    import locale

    from gijiroku.disclosure.public_source import public_source_problems

    root = make_project(tmp_path / "p")
    (root / "docs" / "notes.md").write_text(
        "# メモ\n\n<!-- 非公表 -->\n一つ目の非公表の一文です。\n<!-- /非公表 -->\n"
        "<!-- 非公表 -->\n二つ目の非公表の一文です。\n<!-- /非公表 -->\n", encoding="utf-8")
    saved = locale.setlocale(locale.LC_CTYPE)
    try:
        locale.setlocale(locale.LC_CTYPE, "C")
        found = [(p.code, p.where()) for p in public_source_problems(root)]
    finally:
        locale.setlocale(locale.LC_CTYPE, saved)
    assert found == [("G411", "docs/notes.md:4"), ("G411", "docs/notes.md:7")]


def test_public_source_reads_a_file_that_is_not_utf8(tmp_path):
    """check refuses the file (G101) and --public-source still reports its region, without a crash."""
    from gijiroku.disclosure.public_source import public_source_problems

    root = make_project(tmp_path / "p")
    page = root / "docs" / "notes.md"
    page.write_bytes("# メモ\n\n<!-- 非公表 -->\n".encode() + b"\xff\xfe" + "壊れた行の非公表の一文です。\n".encode()
                     + "<!-- /非公表 -->\n".encode())
    assert [(p.code, p.where()) for p in public_source_problems(root)] == [("G411", "docs/notes.md:4")]


def test_a_build_says_what_it_did_in_japanese_without_mkdocs_routine_english(tmp_path):
    """`gijiroku build` as staff run it: MkDocs' routine lines (the staging folder it builds in,
    that it cleans it) stay out of the terminal, its closing line is said in Japanese."""
    from hostile import run

    root = make_project(tmp_path / "p")
    result = run(root, "build")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Building documentation" not in output and "Cleaning site directory" not in output
    assert "staging" not in output and "Documentation built" not in output
    assert re.search(r"サイトを作りました（[0-9.]+ 秒）。", output) and "を更新しました" in output
