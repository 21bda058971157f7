"""sources/: the official text beside each meeting and document, and check's comparison with it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SEEDS, write
from conftest import record_copy as project
from gijiroku.authoring.importer import import_minutes
from gijiroku.check import check, check_warnings
from gijiroku.record.problems import Problem
from gijiroku.record.registry import load_committee, load_registry
from gijiroku.record.sources import SourceText, list_sources

# tests/fixtures/seeds/README.md: which official text each file of the record was made from
SEED_OF = {"244.txt": "000_ba22dd514cf4d661.txt", "136.txt": "003_673e9350a45522c7.txt",
           "decisions/digital-agency-kaizen-jokyo.txt": "001_9e0e7b87955f1a43.txt",
           "decisions/2023-05-31-taio-hoshin.txt": "002_d033e62ab533392d.txt",
           "decisions/2017-12-08-bango-ho-hokoku.txt": "004_7c2691e03fe354de.txt"}


def test_every_meeting_and_document_has_its_official_text_beside_it():
    meetings, decisions, problems = list_sources(ROOT)
    assert problems == []
    assert sorted(meetings) == sorted(int(p.stem) for p in (ROOT / "minutes").glob("*.md"))
    assert sorted(decisions) == sorted(p.stem for p in (ROOT / "decisions").glob("*.md"))
    for name, seed in SEED_OF.items():
        assert (ROOT / "sources" / name).read_bytes() == (SEEDS / seed).read_bytes()


def test_sources_are_not_published():
    """The build publishes docs/ only; sources/ stands beside it."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert not re.search(r"^docs_dir:", config, re.M) or re.search(r"^docs_dir: docs$", config, re.M)
    assert not (ROOT / "docs" / "sources").exists()


def found(root: Path) -> list[str]:
    record, problems = check(root)
    return [p.format() for p in problems + check_warnings(root, record)]


def replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


def test_the_record_checks_clean_against_its_sources(tmp_path):
    assert found(project(tmp_path)) == []


def test_a_changed_character_is_reported_with_both_lines(tmp_path):
    root = project(tmp_path)
    minutes = root / "minutes" / "244.md"
    replace(minutes, "公金受取口座の誤登録", "公金受取口座の誤登緑")
    # the record's paragraph around the difference, and the source's line 201, where the PDF
    # wrapped 公|金受取口座 (the same words stand on line 500 too: the line that follows the
    # record's own order is the one named)
    assert found(root) == [
        "minutes/244.md:117: 本文が出典 sources/244.txt と違います。"
        "記録「…イナ保険証の紐付け誤り、さらに公金受取口座の誤登緑等の事案が発生している状況です。国民の信頼を確…」、"
        "出典 sources/244.txt:201「金受取口座の誤登録等の事案が発生している状況です。国民の信頼を確…」。\n"
        "    対処: 記録の PDF のとおりに直してください（改行と空行の違いは問いません）。PDF に印刷されていない文なら、"
        "公表してよい文か確かめ、公表しない文は非公表の範囲で囲んでください。出典のほうが誤りなら、出典を PDF から取り込み直してください。"]
    assert (root / "sources" / "244.txt").read_text(encoding="utf-8").split("\n")[200].startswith("金受取口座の誤登録等の")
    assert (root / "minutes" / "244.md").read_text(encoding="utf-8").split("\n")[116].count("誤登緑") == 1


def test_only_the_first_difference_of_a_meeting_is_reported(tmp_path):
    root = project(tmp_path)
    minutes = root / "minutes" / "136.md"
    replace(minutes, "○丹野委員長 ", "○丹野委員長　")  # a full-width space is not what was printed
    replace(minutes, "させていただきます", "させていただく", count=5)
    problems = [p for p in check(root)[1]]
    assert [(p.code, p.path, p.line) for p in problems] == [("G351", "minutes/136.md", line_of(minutes, "○丹野委員長　"))]


def test_line_wraps_blank_lines_page_numbers_and_indents_are_no_difference(tmp_path):
    root = project(tmp_path)
    source = root / "sources" / "244.txt"
    text = "".join(line.strip() for line in source.read_text(encoding="utf-8").split("\n"))
    text = text.replace("○", "\n○")  # one line a turn, no paragraph breaks at all
    rewrapped = "\n".join(text[i:i + 23] for i in range(0, len(text), 23))  # and another width
    source.write_text("- 1 -\n　" + rewrapped.replace("\n", "\n\n", 40) + "\n", encoding="utf-8")
    assert found(root) == []


def test_withheld_text_is_neither_compared_nor_quoted(tmp_path):
    """A marked region, and the section of a 非公表 or 後日公表 item, hold what no PDF prints."""
    root = project(tmp_path)
    minutes = root / "minutes" / "244.md"
    replace(minutes, "本日は、全委員が御出席です。\n",
            "本日は、全委員が御出席です。\n\n<!-- 非公表 -->\n印刷されていない秘密の段落その一\n<!-- /非公表 -->\n")
    replace(minutes, "（内容について非公表）", "（内容について非公表）\n\n印刷されていない秘密の段落その二")
    assert found(root) == []
    replace(minutes, "    disclosure: 非公表\n", "    disclosure: 公開\n")  # now item 4 is public
    messages = found(root)
    assert len(messages) == 1 and "印刷されていない秘密の段落その二" in messages[0]
    assert "その一" not in "".join(messages)


def test_a_meeting_without_its_source_is_a_warning_only_when_others_have_one(tmp_path):
    root = project(tmp_path)
    (root / "sources" / "136.txt").unlink()
    assert found(root) == [
        "minutes/136.md: 第136回の出典 sources/136.txt がありません（ほかの会議には出典があります）。\n"
        "    対処: 議事録の PDF（またはそのテキスト）を gijiroku import で取り込むと、出典が sources/ に書かれます。"
        "手で作った会議なら、元にした公式のテキストを sources/136.txt に置いてください。"]
    shutil.rmtree(root / "sources")
    assert found(root) == []


@pytest.mark.parametrize("name,kind", [("245.txt", "G181"), ("0244.txt", "G180"), ("244.md", "G180"), ("notes", "G180"),
                                       ("decisions/x.md", "G180"), ("decisions/Bad_Id.txt", "G180"),
                                       ("decisions/no-such.txt", "G181")])
def test_stray_and_orphan_sources(tmp_path, name, kind):
    root = project(tmp_path)
    target = root / "sources" / name
    if name == "notes":
        target.mkdir()
    else:
        write(target, "テキスト\n")
    assert [(p.code, p.path) for p in check(root)[1]] == [(kind, f"sources/{name}")]


def test_an_unreadable_source_is_refused_like_any_source_file(tmp_path):
    root = project(tmp_path)
    (root / "sources" / "136.txt").write_bytes("本文\r\n".encode("cp932"))
    assert [(p.code, p.path) for p in check(root)[1]] == [("G101", "sources/136.txt")]


# --- every layout the importer reads checks clean against the text it was imported from --------

OTHER = FIXTURES / "import_project"


def _registry(root: Path):
    problems: list[Problem] = []
    return load_registry(root, load_committee(root, problems), problems)


@pytest.mark.parametrize("raw,base", [(SEEDS / "000_ba22dd514cf4d661.txt", ROOT), (SEEDS / "003_673e9350a45522c7.txt", ROOT)]
                         + [(p, OTHER) for p in sorted((FIXTURES / "import").glob("*.txt"))
                            if p.stem in ("numbered_header_kanji_zero_marks", "diamond_header_bracket_speakers",
                                          "labels_on_own_lines_agenda_list")]
                         + [(FIXTURES / "import" / f"{case}.txt", ROOT) for case in
                            ("double_spaced_page_break_withheld", "label_alone_on_line", "no_space_after_label",
                             "page_numbers", "bracket_at_line_start")],
                         ids=lambda v: v.stem if isinstance(v, Path) and v.suffix else None)
def test_an_imported_meeting_checks_clean_against_its_source(raw, base, tmp_path):
    text = raw.read_text(encoding="utf-8")
    result = import_minutes(text, _registry(base))
    root = tmp_path / "p"
    root.mkdir()
    for name in ("committee.yml", "docs/commissioners", "docs/agencies"):
        (shutil.copytree if (base / name).is_dir() else shutil.copy)(base / name, root / name)
    write(root / "minutes" / f"{result.number}.md", result.text)
    write(root / "sources" / f"{result.number}.txt", text)
    assert [p for p in check(root)[1] if p.path.startswith("sources") or p.code == "G350"] == []


def test_the_stream_keeps_file_lines():
    source = SourceText(" 一行目 \n\n- 2 -\n\f　二行目\n三行目")
    assert source.stream == "一行目\n二行目\n三行目"
    assert [source.where(i)[0] for i in (0, 4, 8)] == [1, 4, 5]
    assert source.find("一行目二行目") and source.find("一行目 二行目") and not source.find("一行目  二行目")


def test_a_hostile_pair_of_files_costs_linear_time():
    """Finding is str.find plus one walk, never a search whose cost is the product of the lengths."""
    import time

    from gijiroku.record.sources import first_difference

    source = SourceText("\n".join("あ" * 40 for _ in range(5000)))  # 200 000 characters
    started = time.monotonic()
    found = first_difference([(1, "あ" * 50_000 + "い")], source, "minutes/1.md", "sources/1.txt")
    assert found is not None and found.code == "G350" and found.line == 1
    assert time.monotonic() - started < 20  # about 0.1 s; a backtracking search takes hours


@pytest.mark.parametrize(("old", "new", "named"), [
    ("○丹野委員長 それでは、ただいまから", "○丹野委員長\u3000それでは、ただいまから",
     "記録は全角スペース（U+3000）、出典は半角スペース（U+0020）"),
    ("第244回個人情報保護委員会を開会", "第２44回個人情報保護委員会を開会",
     "記録はFULLWIDTH DIGIT TWO（U+FF12）、出典はDIGIT TWO（U+0032）"),
])
def test_a_character_that_looks_like_the_printed_one_is_named(tmp_path, old, new, named):
    """A full-width space where the PDF prints a space, or a full-width digit for a half-width one,
    looks the same in both quotes of the message: the message names the two characters (G351), so
    that the clerk knows what to retype."""
    root = project(tmp_path)
    replace(root / "minutes" / "244.md", old, new)
    [message] = found(root)
    assert message.split("\n")[0].endswith(f"違うのは見た目の同じ別の文字です: {named}。"), message


def test_a_no_break_space_after_a_label_is_named_where_the_turn_starts(tmp_path):
    """`○丹野委員長` and a no-break space: the label is not read as one (the space that ends it is
    half-width or full-width), and the message says which space it is, not that the paragraph
    belongs to no turn (G319)."""
    root = project(tmp_path)
    minutes = root / "minutes" / "244.md"
    replace(minutes, "○丹野委員長 それでは、ただいまから", "○丹野委員長\u00a0それでは、ただいまから")
    [message] = found(root)
    line = line_of(minutes, "○丹野委員長\u00a0")
    assert message.split("\n")[0] == (f"minutes/244.md:{line}: "
                                       "発言者の表記「○丹野委員長」の後の空白がノーブレークスペース（U+00A0）です。")


@pytest.mark.parametrize(("typed", "printed", "alike"), [
    ("\u00a0", " ", True), ("\u3000", " ", True), ("\t", " ", True), ("\u2002", "\u3000", True),
    ("1", "１", True), ("-", "－", True), ("(", "（", True), ("ｶ", "カ", True),
    ("①", "１", False), ("¹", "１", False), ("ﬁ", "f", False), ("㍻", "平", False), ("誤", "語", False), ("a", "a", False),
])
def test_look_alike_characters_are_spaces_or_the_wide_and_narrow_forms_of_one(typed, printed, alike):
    """G351 says the two characters look the same: only for two spaces, or the full-width and
    half-width forms of one character. A circled or superscript digit, a ligature or a squared
    era name has the same NFKC form as what it is made of, and looks different."""
    from gijiroku.record.sources import _look_alike

    assert _look_alike(typed, printed) is alike
    assert _look_alike(printed, typed) is alike


@pytest.mark.parametrize("old, new, twice", [
    ("本日は、全委員が御出席です。\n", "本日は、全委員が御出席です。\n\n本日は、全委員が御出席です。\n", "本日は、全委員が御出席です。"),
    ("## 閉会\n", "## 閉会\n\n○丹野委員長 ありがとうございました。\n", "○丹野委員長 ありがとうございました。"),
])
def test_a_line_the_source_holds_once_is_not_in_the_record_twice(tmp_path, old, new, twice):
    """A paragraph pasted twice, or a turn copied from another (the source prints 「ありがとう
    ございました。」 five times, the record had it five times, then six), passed the check: each
    was found somewhere in the source (found by a clerk's attack). A line the record moved
    elsewhere still passes, as does a line printed as often as the record has it."""
    root = project(tmp_path)
    minutes = root / "minutes" / "244.md"
    replace(minutes, old, new)
    problems = found(root)
    assert len(problems) == 1 and problems[0].startswith("minutes/244.md:")
    assert "G352" not in problems[0] and "一か所" in problems[0] and twice in problems[0]
    line = int(problems[0].split(":")[1])
    assert minutes.read_text(encoding="utf-8").split("\n")[line - 1] == twice


def test_a_tab_the_pdf_text_holds_is_the_space_the_importer_wrote(tmp_path):
    """A tab after a label in the PDF's text (○森川総務課長<TAB>それでは…): the importer writes a
    space in the meeting and keeps the text as it is in the source, and check refused its own
    import (found by a clerk's attack)."""
    root = project(tmp_path)
    source = root / "sources" / "244.txt"
    text = source.read_text(encoding="utf-8")
    assert text.count("○森川総務課長 ") >= 1
    source.write_text(text.replace("○森川総務課長 ", "○森川総務課長\t", 1), encoding="utf-8")
    assert found(root) == []
