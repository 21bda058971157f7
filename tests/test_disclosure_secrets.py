"""Unit tests of hooks/gijiroku/disclosure/secrets.py: which source files the verifier and
`check --public-source` read, its own crude reading of the markers, the passages one withheld
line stands for, and what of the parsed record must not be published on a given day.

Written for mutants `make mutation` found alive; each asserts what the verifier relies on.
"""

from __future__ import annotations

import datetime as dt
import locale

import pytest
from hostile import assert_refused

from conftest import make_project
from gijiroku.check import check_warnings
from gijiroku.disclosure import secrets
from gijiroku.disclosure.markers import scan_body
from gijiroku.record.loader import load_record

CANARY = "カナリアひみつのはなしです"
REGION = f"# 題\n\n<!-- 非公表 -->\n{CANARY}\n<!-- /非公表 -->\n"


# --- published_sources: every file whose text the site publishes ------------------------------------

def test_published_sources_are_the_bodies_and_every_markdown_file_under_docs(tmp_path):
    root = make_project(tmp_path / "p")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "linked.md").write_text("本文\n", encoding="utf-8")
    (root / "docs" / "notes").mkdir()
    (root / "docs" / "notes" / "shared").symlink_to(outside, target_is_directory=True)  # refused (G607), not walked
    (root / "docs" / "other").mkdir()
    (root / "docs" / "other" / "linked.md").write_text("本文\n", encoding="utf-8")
    (root / "docs" / "notes" / "inner").symlink_to(root / "docs" / "other", target_is_directory=True)  # MkDocs follows it
    for name in ("a.md", "b.markdown", "c.mdown", "d.mkdn", "e.mkd", "f.MD", "g.Markdown", "h.txt", "i.png"):
        (root / "docs" / "notes" / name).write_text("本文\n", encoding="utf-8")
    (root / "minutes" / "notes.txt").write_text("本文\n", encoding="utf-8")
    found = [p.relative_to(root).as_posix() for p in secrets.published_sources(root)]
    assert found == [
        "minutes/10.md", "minutes/9.md", "decisions/2023-04-05-example.md",
        "docs/agencies/digital-agency.md", "docs/agencies/example-corp.md",
        "docs/commissioners/aoki.md", "docs/commissioners/inoue.md", "docs/commissioners/takamura.md", "docs/guide/index.md",
        "docs/notes/a.md", "docs/notes/b.markdown", "docs/notes/c.mdown", "docs/notes/d.mkdn",
        "docs/notes/e.mkd", "docs/notes/f.MD", "docs/notes/g.Markdown", "docs/notes/inner/linked.md",
        "docs/other/linked.md"]


def test_a_withheld_region_in_a_markdown_page_of_any_suffix_is_a_secret(tmp_path):
    root = make_project(tmp_path / "p")
    (root / "docs" / "notes").mkdir()
    for name in ("a.markdown", "b.MD"):
        (root / "docs" / "notes" / name).write_text(REGION, encoding="utf-8")
    assert [(s.text, s.path, s.line, s.why) for s in secrets.source_secrets(root)] == [
        (CANARY, "docs/notes/a.markdown", 4, "非公表"), (CANARY, "docs/notes/b.MD", 4, "非公表")]


def test_a_page_mkdocs_copies_as_it_is_cannot_publish_its_withheld_region(tmp_path):
    # MkDocs renders only lower-case Markdown suffixes: docs/notes/x.MD would be copied to the
    # site as written, withheld region and all. The checker refuses the name (G620) before the
    # build; the verifier, which reads the file for its secrets too, would refuse it after.
    root = make_project(tmp_path / "p")
    (root / "docs" / "notes").mkdir()
    (root / "docs" / "notes" / "x.MD").write_text(REGION, encoding="utf-8")
    output = assert_refused(root, "docs/notes/x.MD: ファイル名の拡張子「.MD」に大文字があります", command="build")
    assert "（.md）" in output
    assert ("docs/notes/x.MD", 4) in {(s.path, s.line) for s in secrets.source_secrets(root)}


def test_a_page_that_cannot_be_read_does_not_stop_the_reading_of_the_pages_after_it(tmp_path):
    root = make_project(tmp_path / "p")
    (root / "docs" / "notes").mkdir()
    (root / "docs" / "notes" / "a.md").symlink_to(tmp_path / "missing.md")  # MkDocs publishes nothing of it
    (root / "docs" / "notes" / "b.md").write_bytes(f"{REGION}<!-- 非公表 -->\n".encode() + b"\xff\xfe\xfd")
    (root / "docs" / "notes" / "c.md").write_text(REGION, encoding="utf-8")
    found = [(s.text, s.path, s.line) for s in secrets.source_secrets(root)]
    # b.md is no UTF-8: check refuses it, and the verifier still reads what it can of it
    assert found == [(CANARY, "docs/notes/b.md", 4), ("\ufffd" * 3, "docs/notes/b.md", 7),
                     (CANARY, "docs/notes/c.md", 4)]


# --- withheld_lines: the verifier's crude reading -------------------------------------------------

@pytest.mark.parametrize(("text", "withheld"), [
    # a line of a region with a marker on it: the text before the marker is withheld too
    ("<!-- 非公表 -->\n続きの文<!-- 非公表 -->後\n<!-- /非公表 -->\n公開", [(2, "続きの文"), (2, "後")]),
    # only the close marker alone on its line ends a region; a close inline ends nothing
    ("<!-- 非公表 -->\n文<!-- /非公表 -->\n秘密\n<!-- /非公表 -->\n公開", [(2, "文"), (3, "秘密")]),
    # a close with no region open opens none
    ("<!-- /非公表 -->\n公開", []),
    ("<!-- /非公表 -->後\n公開", []),
    # a marker word in any case, or near 非公表 by spelling
    ("<!-- SECRET -->\n秘密\n<!-- /非公表 -->\n公開", [(2, "秘密")]),
    ("<!--公ア-->\n秘密\n<!-- /非公表 -->\n公開", [(2, "秘密")]),
    # escapes: only percent, only entities
    ("%3C!--非公表--%3E\n秘密\n<!-- /非公表 -->\n公開", [(2, "秘密")]),
    ("&#60;!--非公表--&#62;\n秘密\n<!-- /非公表 -->\n公開", [(2, "秘密")]),
    # a backtick after a marker that no backtick opens is no code span
    ("<!--非公表-->`\n秘密\n<!-- /非公表 -->\n公開", [(1, "`"), (2, "秘密")]),
])
def test_the_verifier_reads_a_line_with_markers_generously(text, withheld):
    assert secrets.withheld_lines(text) == withheld


# --- passages and their forms -----------------------------------------------------------------------

@pytest.mark.parametrize(("line", "parts"), [
    ("○事務局 説明の文です。", ["説明の文です。"]),
    ("○事務局　全角の空白の後", ["全角の空白の後"]),
    ("## 見出しの文", ["見出しの文"]),
    ("> 引用の文", ["引用の文"]),
    ("1. 番号の文", ["番号の文"]),
    ("!!! note 注記の文", ["注記の文"]),
    ("???+ note 畳んだ注記", ["畳んだ注記"]),
    ("![図の説明](img/a.png \"題\")", ["図の説明", "img/a.png"]),
    ("__強調__と~~取消~~と`コード`", ["強調と取消とコード"]),
    ("| 欄一 | （内容について非公表） | |", ["欄一"]),
])
def test_a_withheld_line_stands_for_its_text_without_markdown(line, parts):
    assert secrets.passages(line) == parts


@pytest.mark.parametrize(("text", "forms"), [
    ("秘密の話です", {"秘密の話です"}),
    ("A&amp;B 社の件", {"a&amp;b社の件", "a&b社の件"}),
    ("   ", set()),
])
def test_a_passage_is_looked_for_as_written_and_with_its_entities_undone(text, forms):
    assert secrets.variants(text) == forms


def test_the_passages_a_file_withholds_are_numbered_by_their_line():
    text = "前\n<!-- 非公表 -->\n![図の説明](img/a.png)\n○事務局 説明の文です。\n<!-- /非公表 -->\n公開の文\n"
    assert secrets.file_passages(text) == [(3, "図の説明"), (3, "img/a.png"), (4, "説明の文です。")]
    assert secrets.file_passages("公開の文だけです。\n") == []


# --- collect_secrets: what of the parsed record must not be published on a day ----------------------

MEETING = """---
number: 12
date: 2024-07-01
start_time: "10:00"
place: 委員会室
attendees:
  commissioners: [井上委員長, 髙村委員]
  secretariat: [鈴木総務課長]
chair: 井上委員長
agenda:
  - number: 1
    title: デジタル庁の報告について
    disclosure: 公開
    kind: その他
    outcome: 報告
    agencies: [digital-agency]
  - number: 2
    title: 監視・監督について
    disclosure: 非公表
    kind: 監視・監督
    reason: 監視・監督案件
    outcome: 結果は指導とした
    publication: 公表の方法を定めた
    subjects: [例示株式会社の件, 短い]
    materials:
      - label: 資料１
        title: 検査の結果の一覧
      - label: 資料２
  - number: 3
    title: 例示株式会社の報告について
    disclosure: 後日公表
    publish_after: 2030-01-01
    kind: その他
    reason: 調査が続いているため
    publication: 資料は後日公表する
    subjects: [調査の対象の会社]
    outcome: 報告を受けて調査を継続
    materials: [{label: 資料３, title: 調査の経過の概要}]
---

○井上委員長 それでは、会議を始めます。

## 議題1 デジタル庁の報告について

○事務局 デジタル庁から報告がありました。

## 議題2 監視・監督について

（監視・監督関係者以外退室）

<!-- 非公表 -->
○事務局 非公表の説明の中身です。
<!-- /非公表 -->

## 議題3 例示株式会社の報告について

（後日公表の会議の退室）

○事務局 後日公表の説明その一です。

後日公表の説明その二です。

<!-- 非公表 -->
○事務局 後日公表の中の非公表の文です。
<!-- /非公表 -->

## 閉会

○井上委員長 閉会します。
"""
DOCUMENTS = {  # name: title, agenda item, disclosure, body
    "withheld": ("非公表の文書の題", 2, "非公表",
                 "非公表の文書の本文です。\n\n<!-- 非公表 -->\n範囲の中の文です。\n<!-- /非公表 -->"),
    "deferred": ("後日公表の文書の題", 1, "後日公表\npublish_after: 2026-01-01", "後日公表の文書の本文です。"),
    "held": ("後日公表の議題の文書の題", 3, "公開", "議題が後日公表の文書です。"),
    "public": ("公開の文書の題", 1, "公開", "公開の文書の本文です。"),
}
ALWAYS = [  # withheld for good: the marked regions, what a withheld item concerns, a withheld document
    ("非公表の説明の中身です。", "minutes/12.md", 52, "非公表"),
    ("後日公表の中の非公表の文です。", "minutes/12.md", 64, "非公表"),
    ("範囲の中の文です。", "decisions/2024-07-01-withheld.md", 13, "非公表"),
    # a withheld item: outcome, publication, subjects, material titles (a 2-character subject is a label)
    ("結果は指導とした", "minutes/12.md", 17, "非公表の議題の項目"),
    ("公表の方法を定めた", "minutes/12.md", 17, "非公表の議題の項目"),
    ("例示株式会社の件", "minutes/12.md", 17, "非公表の議題の項目"),
    ("検査の結果の一覧", "minutes/12.md", 17, "非公表の議題の項目"),
]
UNTIL_2030 = [  # a deferred item: reason, publication, subjects, outcome, material titles and every public block of its record
    ("調査が続いているため", "minutes/12.md", 29, "後日公表（2030-01-01）"),
    ("資料は後日公表する", "minutes/12.md", 29, "後日公表（2030-01-01）"),
    ("調査の対象の会社", "minutes/12.md", 29, "後日公表（2030-01-01）"),
    ("報告を受けて調査を継続", "minutes/12.md", 29, "後日公表（2030-01-01）"),  # found missing by an attack
    ("調査の経過の概要", "minutes/12.md", 29, "後日公表（2030-01-01）"),
    ("（後日公表の会議の退室）", "minutes/12.md", 57, "後日公表（2030-01-01）"),
    ("後日公表の説明その一です。", "minutes/12.md", 59, "後日公表（2030-01-01）"),
    ("後日公表の説明その二です。", "minutes/12.md", 59, "後日公表（2030-01-01）"),
    ("例示株式会社から報告がありました。後日公表の中身。", "minutes/9.md", 18, "後日公表（2030-01-01）"),
    ("了解しました。", "minutes/9.md", 20, "後日公表（2030-01-01）"),
]
DEFERRED_DOCUMENT = [
    ("後日公表の文書の題", "decisions/2024-07-01-deferred.md", 1, "後日公表（2026-01-01）"),
    ("後日公表の文書の本文です。", "decisions/2024-07-01-deferred.md", 11, "後日公表（2026-01-01）"),
]
HELD_DOCUMENT = [  # a public document of a deferred item waits for the item
    ("後日公表の議題の文書の題", "decisions/2024-07-01-held.md", 1, "後日公表の議題の文書"),
    ("議題が後日公表の文書です。", "decisions/2024-07-01-held.md", 10, "後日公表の議題の文書"),
]
WITHHELD_DOCUMENT = [  # its title and every body line, the marker lines aside
    ("非公表の文書の題", "decisions/2024-07-01-withheld.md", 1, "非公表"),
    ("非公表の文書の本文です。", "decisions/2024-07-01-withheld.md", 10, "非公表"),
    ("範囲の中の文です。", "decisions/2024-07-01-withheld.md", 13, "非公表"),
]


@pytest.fixture(scope="module")
def record_project(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("secrets") / "p")
    (root / "minutes" / "12.md").write_text(MEETING, encoding="utf-8")
    for name, (title, agenda, disclosure, body) in DOCUMENTS.items():
        (root / "decisions" / f"2024-07-01-{name}.md").write_text(
            f"---\ntitle: {title}\nkind: 指導\ndate: 2024-07-01\nmeeting: 12\nagenda: {agenda}\n"
            f"disclosure: {disclosure}\n---\n\n{body}\n", encoding="utf-8")
    record, problems = load_record(root)
    assert problems == []
    return root, record


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2025, 12, 31), ALWAYS + UNTIL_2030 + DEFERRED_DOCUMENT + HELD_DOCUMENT + WITHHELD_DOCUMENT),
    (dt.date(2026, 1, 1), ALWAYS + UNTIL_2030 + HELD_DOCUMENT + WITHHELD_DOCUMENT),
    (dt.date(2030, 1, 1), ALWAYS + WITHHELD_DOCUMENT),
])
def test_the_secrets_of_a_day_are_everything_withheld_or_not_yet_published(record_project, day, expected):
    root, record = record_project
    assert [(s.text, s.path, s.line, s.why) for s in secrets.collect_secrets(root, record, day)] == expected


def test_a_document_whose_file_is_gone_is_still_looked_for_by_its_title(record_project, tmp_path):
    root, record = record_project
    copy = make_project(tmp_path / "p")  # the record read before the file went away (serve, an edit)
    assert [(s.text, s.path, s.line) for s in secrets.collect_secrets(copy, record, dt.date(2030, 1, 1))
            if s.path.startswith("decisions/")] == [("非公表の文書の題", "decisions/2024-07-01-withheld.md", 1)]


@pytest.mark.parametrize(("open_", "close"), [("\u2329", "\u232a"), ("\ufe3d", "\ufe3e"), ("\ufe3f", "\ufe40")])
def test_brackets_that_fold_to_angle_brackets_open_a_region_for_the_verifier_as_for_the_parser(open_, close):
    # 〈 U+2329 folds to 〈 U+3008, then to <; the parser withholds the region such a look-alike opens
    body = f"前\n{open_}!-- 非公表 --{close}\n秘密の文です\n<!-- /非公表 -->\n後"
    problems: list = []
    parser = [line.number for line in scan_body(body, 1, "x.md", problems) if line.withheld and line.marker is None]
    assert parser == [2, 3] and len(problems) == 1
    assert secrets.withheld_lines(body) == [(3, "秘密の文です")]


def test_no_character_the_quick_filter_skips_can_fold_into_a_marker_bracket():
    # withheld_lines and _body_lines fold only the lines the filter lets through: a character
    # that folds to < or > and is not in it would hide a marker from the verifier.
    missed = [f"U+{cp:04X}" for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF
              and any(b in secrets._fold_line(chr(cp)) for b in "<>") and not secrets._MAYBE.search(chr(cp))]
    assert missed == []


@pytest.mark.parametrize(("text", "withheld"), [
    # a marker on a line that also holds an undecodable % or & (folding stops there, the marker stays)
    ("前\n<!-- 非公表 -->達成率50%\n秘密\n<!-- /非公表 -->\n後", [(2, "達成率50%"), (3, "秘密")]),
    ("前\n<!-- 非公表 -->A&B社\n秘密\n<!-- /非公表 -->\n後", [(2, "A&B社"), (3, "秘密")]),
    # a marker after HTML that is no marker, or after the syntax quoted as inline code
    ("<b>注</b><!-- 非公表 -->\n秘密\n<!-- /非公表 -->\n後", [(2, "秘密")]),
    ("`<!-- 非公表 -->` と書きます<!-- 非公表 -->\n秘密\n<!-- /非公表 -->\n後", [(2, "秘密")]),
    # the end of a close marker alone closes (nothing is open): it opens no region
    ("前\n/非公表-->\n公開の文\n後", []),
])
def test_every_marker_of_a_line_is_read(text, withheld):
    assert secrets.withheld_lines(text) == withheld


def test_the_sources_are_read_as_utf8_whatever_the_locale(tmp_path):
    # A staff machine's locale may not be UTF-8 (Windows: cp932); the sources are UTF-8 always.
    root = make_project(tmp_path / "p")
    (root / "docs" / "notes").mkdir()
    (root / "docs" / "notes" / "a.md").write_text(REGION, encoding="utf-8")
    saved = locale.setlocale(locale.LC_CTYPE)
    try:
        locale.setlocale(locale.LC_CTYPE, "C")
        found = [(s.text, s.path, s.line) for s in secrets.source_secrets(root)]
    finally:
        locale.setlocale(locale.LC_CTYPE, saved)
    assert found == [(CANARY, "docs/notes/a.md", 4)]


def test_a_withheld_items_field_of_four_characters_is_looked_for_and_of_three_is_not(tmp_path):
    root = make_project(tmp_path / "p")
    (root / "minutes" / "12.md").write_text(
        MEETING.replace("subjects: [例示株式会社の件, 短い]", "subjects: [四字熟語, 三文字]"), encoding="utf-8")
    record, problems = load_record(root)
    assert problems == []
    assert [s.text for s in secrets.collect_secrets(root, record, dt.date(2030, 1, 1))
            if s.why == "非公表の議題の項目"] == ["結果は指導とした", "公表の方法を定めた", "四字熟語", "検査の結果の一覧"]


def test_a_deferred_item_without_its_date_is_named_as_deferred_in_the_warnings(tmp_path):
    root = make_project(tmp_path / "p")
    (root / "minutes" / "12.md").write_text(
        MEETING.replace("    publish_after: 2030-01-01\n", "").replace("[調査の対象の会社]", "[調査先]"), encoding="utf-8")
    record, problems = load_record(root)  # check refuses the item (no date), and warns all the same
    assert [p.where() for p in problems] == ["minutes/12.md:31"]
    warnings = [p.message for p in check_warnings(root, record) if p.path == "minutes/12.md"]
    assert warnings == [f"後日公表の文「調査先」は 3 文字しかなく、漏えい検証で照合できません（{secrets.SHORTEST} 文字未満）。"]


def test_a_files_passages_read_through_a_memo_give_the_same_secrets(record_project):
    """Under serve `read` is a memo of file_passages by the file's text (verify.Memo): it is asked
    once for each published file, with that file's text, and its answers are the secrets."""
    root, record = record_project
    day = dt.date(2025, 12, 31)
    asked: list[str] = []

    def read(text: str) -> list[tuple[int, str]]:
        asked.append(text)
        return secrets.file_passages(text)

    assert secrets.collect_secrets(root, record, day, read) == secrets.collect_secrets(root, record, day)
    assert asked == [p.read_text(encoding="utf-8") for p in secrets.published_sources(root)]
    # what `read` answers is what the secrets of the sources are, with each file's path
    found = secrets.source_secrets(root, lambda text: [(1, "代わりの答えです")] if "非公表の説明の中身" in text else [])
    assert [(s.text, s.path, s.line) for s in found] == [("代わりの答えです", "minutes/12.md", 1)]
