"""Disclosure end to end: 非公表 and 後日公表 never reach a published byte, and the verifier proves it."""

from __future__ import annotations

import gzip
import html
import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXED_EPOCH, FIXTURES, build_on_fixed_date, make_project, write
from gijiroku.check import check
from gijiroku.disclosure import verify
from gijiroku.disclosure.pasted import pasted
from gijiroku.disclosure.public import build_date, public_record, unpublished_registry_files
from gijiroku.disclosure.secrets import collect_secrets
from gijiroku.record.loader import load_record
from gijiroku.record.model import replaced
from gijiroku.search import indexing, records
from gijiroku.site.commands import build

BUILD_DAY = build_date({"SOURCE_DATE_EPOCH": FIXED_EPOCH})  # 2025-01-01

# One fixture a mistake in a decision (tests/fixtures/errors_decisions/<case>.md).
DECISION_ERRORS = {
    'disclosure-english': (
        'decisions/disclosure-english.md:5: disclosure の値「private」は使えません。\n'
        '    対処: 「非公表」の誤りではありませんか。使える値は 公開・非公表・後日公表 です。\n'
    ),
    'disclosure-typo': (
        'decisions/disclosure-typo.md:5: disclosure の値「後日公開」は使えません。\n'
        '    対処: 使える値は 公開・非公表・後日公表 です。公開してよいと確かめるまでは 非公表 にしてください。\n'
    ),
    'kind-and-publish-after': (
        'decisions/kind-and-publish-after.md:3: 文書の種類「報告書」は使えません。\n'
        '    対処: 次のいずれかにしてください: 勧告、命令、対応方針、意見、指導、指針、決定、規則、報告結果、改善報告、公表資料、資料。\n'
        'decisions/kind-and-publish-after.md:6: publish_after は後日公表の文書にだけ書けます。\n'
        '    対処: disclosure を 後日公表 にするか、publish_after を消してください。\n'
        'decisions/kind-and-publish-after.md:9: 本文に HTML が含まれています: 本文<br>改行。\n'
        '    対処: HTML は書けません。非公表の範囲は <!-- 非公表 --> と <!-- /非公表 --> の行で囲んでください。\n'
    ),
    'marker-in-code-block': (
        'decisions/marker-in-code-block.md:11: 非公表マーカーがコードブロック（```）の中にあります。\n'
        '    対処: マーカーはコードブロックの外に置いてください。コードブロックの中では効きません。\n'
        'decisions/marker-in-code-block.md:13: 非公表マーカーがコードブロック（```）の中にあります。\n'
        '    対処: マーカーはコードブロックの外に置いてください。コードブロックの中では効きません。\n'
    ),
    'marker-stray-spaces': (
        'decisions/marker-stray-spaces.md:12: 非公表マーカーの前後に空白があります。\n'
        '    対処: この行を「<!-- 非公表 -->」だけにしてください（半角、前後に空白なし）。\n'
        'decisions/marker-stray-spaces.md:16: 非公表マーカーの書き方が違います: <!-- 非公表-->\n'
        '    対処: この行を「<!-- 非公表 -->」だけにしてください（半角、前後に空白なし）。\n'
    ),
}


@pytest.mark.parametrize("case", sorted(DECISION_ERRORS))
def test_decision_input_mistake_message(case, tmp_path):
    root = make_project(tmp_path / "p", fixture=None)
    shutil.copytree(FIXTURES / "project" / "docs", root / "docs", dirs_exist_ok=True)
    shutil.copy(FIXTURES / "errors_decisions" / f"{case}.md", root / "decisions" / f"{case}.md")
    _, problems = check(root)
    assert "".join(p.format() + "\n" for p in problems) == DECISION_ERRORS[case]


def test_every_decision_error_fixture_has_an_expected_message():
    assert sorted(p.stem for p in (FIXTURES / "errors_decisions").glob("*.md")) == sorted(DECISION_ERRORS)


# --- the public view ---------------------------------------------------------------------------------

def test_deferred_item_before_and_on_its_date():
    record, problems = load_record(FIXTURES / "project")
    assert problems == []
    import datetime as dt

    before = public_record(record, dt.date(2029, 12, 31))
    item = before.item(9, 1)
    assert (item.deferred, item.title, item.outcome, item.agencies) == (True, "例示株式会社の報告について", None, ())
    assert [s.order for s in before.meetings[9].speeches] == [1]
    on = public_record(record, dt.date(2030, 1, 1))
    assert on.item(9, 1).deferred is False and on.item(9, 1).outcome == "報告"
    assert [s.order for s in on.meetings[9].speeches] == [1, 2, 3]


def test_an_agency_only_a_deferred_item_names_is_published_on_the_items_date(tmp_path):
    """example-corp is named by meeting 9's 後日公表 item only: before its date, unless a published
    title or speech prints its name, the registry has no such agency (no page, feed or place in the
    lists names the company: found by an attack), and its registry file is not published either;
    on the date it is. digital-agency, named by public items, is always published."""
    import datetime as dt

    root = make_project(tmp_path / "p")
    text = (root / "minutes" / "9.md").read_text(encoding="utf-8")
    write(root / "minutes" / "9.md", text.replace("例示株式会社の報告について", "ある事業者の報告について"))
    record, problems = load_record(root)
    assert problems == []
    before, on = public_record(record, dt.date(2029, 12, 31)), public_record(record, dt.date(2030, 1, 1))
    assert sorted(before.registry.agencies) == ["digital-agency"]
    assert unpublished_registry_files(record, before) == ["agencies/example-corp.md"]
    assert sorted(on.registry.agencies) == ["digital-agency", "example-corp"] and on.registry is record.registry
    assert unpublished_registry_files(record, on) == []
    # an alias a public title prints is no reason to publish it (重点計画 as an alias: a second attack)
    agency = root / "docs" / "agencies" / "example-corp.md"
    text = agency.read_text(encoding="utf-8")
    write(agency, text.replace("aliases: []", "aliases: [評価書]") if "aliases: []" in text
          else text.replace("---\n", "---\naliases: [評価書]\n", 1))
    record, problems = load_record(root)
    assert problems == [] and "評価書" in record.item(10, 1).title
    assert sorted(public_record(record, dt.date(2029, 12, 31)).registry.agencies) == ["digital-agency"]
    # a title that names it (a deferred item's title is public) publishes it before the date
    record, _ = load_record(FIXTURES / "project")
    assert "例示株式会社" in record.item(9, 1).title
    assert sorted(public_record(record, dt.date(2029, 12, 31)).registry.agencies) == ["digital-agency", "example-corp"]


@pytest.mark.slow
def test_the_build_publishes_no_page_of_an_agency_only_a_deferred_item_names(tmp_path):
    root = make_project(tmp_path / "p")
    text = (root / "minutes" / "9.md").read_text(encoding="utf-8")
    write(root / "minutes" / "9.md", text.replace("例示株式会社の報告について", "ある事業者の報告について")
          .replace("例示株式会社から報告", "ある事業者から報告"))
    site = build_on_fixed_date(root)
    assert not (site / "agencies" / "example-corp").exists()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml"):
            assert "例示株式会社" not in path.read_text(encoding="utf-8"), path


def test_the_public_view_keeps_the_records_own_objects_where_nothing_is_taken_out():
    """What is published whole is the parsed object itself (under serve, the same object build
    after build: reuse finds it at once); an item taken in part, and its meeting, are copies."""
    import datetime as dt

    record, _ = load_record(FIXTURES / "project")
    before, on = public_record(record, dt.date(2029, 12, 31)), public_record(record, dt.date(2030, 1, 1))
    assert on.meetings[9] is record.meetings[9]  # its item is published on the day: nothing taken out
    assert before.meetings[9] is not record.meetings[9] and before.item(9, 1) is not record.item(9, 1)
    assert before.item(9, 1).deferred and not record.item(9, 1).deferred
    # meeting 10: item 2 is 非公表 (a copy without its outcome …), item 1 is published whole
    assert on.meetings[10] is not record.meetings[10] and on.item(10, 2) is not record.item(10, 2)
    assert on.item(10, 1) is record.item(10, 1) and before.item(10, 1) is record.item(10, 1)


def test_replaced_is_replace_unless_every_field_holds_the_same_objects():
    item = load_record(FIXTURES / "project")[0].item(10, 1)
    assert replaced(item, title=item.title, decisions=item.decisions) is item
    assert replaced(item, decisions=tuple(item.decisions)) is item  # a new tuple of the same objects
    copy = replaced(item, title=item.title + "改")
    assert copy is not item and copy.title == item.title + "改" and copy.number == item.number
    equal_not_same = "".join(list(item.title))  # an equal string that is another object
    assert equal_not_same == item.title and equal_not_same is not item.title
    assert replaced(item, title=equal_not_same) is not item
    longer = replaced(item, decisions=(*item.decisions, "x"))
    assert longer is not item and longer.decisions == (*item.decisions, "x")
    assert replaced(item, decisions=[*item.decisions]) is not item  # a list is not the tuple it holds


def test_withheld_and_deferred_decisions_are_not_published(tmp_path):
    root = make_project(tmp_path / "p")
    doc = "---\ntitle: {t}\nkind: 決定\ndate: 2023-04-05\ndisclosure: {d}\n{extra}---\n\n{t}の本文。\n"
    write(root / "decisions" / "secret-doc.md", doc.format(t="秘密の決定", d="非公表", extra=""))
    write(root / "decisions" / "later-doc.md", doc.format(t="後日の決定", d="後日公表", extra="publish_after: 2030-01-01\n"))
    write(root / "decisions" / "item-doc.md",
          "---\ntitle: 後日公表議題の文書\nkind: 資料\ndate: null\nmeeting: 9\nagenda: 1\ndisclosure: 公開\n---\n\n本文。\n")
    record, problems = load_record(root)
    assert problems == []
    public = public_record(record, BUILD_DAY)
    assert sorted(public.decisions) == ["2023-04-05-example"]


# --- the verifier -------------------------------------------------------------------------------------

SENTINEL = "極秘標識ほげふがぴよ参号の文言です"


def leaky_project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "p")
    text = (root / "minutes" / "10.md").read_text(encoding="utf-8")
    text = text.replace("○井上委員長 原案のとおり承認します。",
                        f"○井上委員長 原案のとおり承認します。\n\n<!-- 非公表 -->\n{SENTINEL}\n<!-- /非公表 -->")
    write(root / "minutes" / "10.md", text)
    return root


@pytest.fixture(scope="module")
def leaky_site(tmp_path_factory):
    root = leaky_project(tmp_path_factory.mktemp("leak"))
    build_on_fixed_date(root)
    return root


def run_verifier(root: Path):
    record, _ = load_record(root)
    return verify.verify_site(root, root / "site", record, public_record(record, BUILD_DAY), BUILD_DAY,
                              verify.template_text())


def test_a_withheld_passage_naming_the_next_item_is_no_leak(tmp_path):
    """The search index reads a heading as one run of letters (議題2監視監督について): a withheld
    sentence that names the next item as the record prints it is not evidence of a leak."""
    root = make_project(tmp_path / "p")
    text = (root / "minutes" / "10.md").read_text(encoding="utf-8")
    write(root / "minutes" / "10.md", text.replace(
        "○井上委員長 原案のとおり承認します。",
        "○井上委員長 原案のとおり承認します。\n\n<!-- 非公表 -->\n次に、議題２「監視・監督について」に移ります。\n<!-- /非公表 -->"))
    build_on_fixed_date(root)
    assert "に移ります" not in (root / "site" / "meetings" / "10" / "index.html").read_text(encoding="utf-8")


def test_clean_build_verifies(leaky_site):
    leaks, report = run_verifier(leaky_site)
    assert leaks == []
    assert report.secrets == 3  # the sentinel line and the two lines of the deferred item
    assert report.files > 50


@pytest.mark.parametrize("how", ["html", "gzip", "json-escaped", "zero-width", "split-by-tags", "fullwidth",
                                 "search-part", "search-index"])
def test_verifier_catches_injected_leak(leaky_site, tmp_path, monkeypatch, how):
    site = tmp_path / "site"
    shutil.copytree(leaky_site / "site", site)
    root = tmp_path
    for name in ("minutes", "decisions", "docs", "committee.yml"):
        (root / name).symlink_to(leaky_site / name)
    excerpt = SENTINEL[2:14]  # any 12 characters of a passage are evidence
    if how == "html":
        target = site / "meetings" / "10" / "index.html"
        target.write_text(target.read_text(encoding="utf-8") + f"<p>{excerpt}</p>", encoding="utf-8")
    elif how == "gzip":
        target = site / "sitemap.xml.gz"
        target.write_bytes(gzip.compress(gzip.decompress(target.read_bytes()) + excerpt.encode()))
    elif how == "json-escaped":
        target = site / "api" / "speeches.json"
        target.write_text(target.read_text(encoding="utf-8") + json.dumps(excerpt), encoding="utf-8")
        assert excerpt not in target.read_text(encoding="utf-8")
    elif how == "zero-width":
        target = site / "feed.xml"
        target.write_text(target.read_text(encoding="utf-8") + "\u200b".join(excerpt), encoding="utf-8")
    elif how == "split-by-tags":
        target = site / "commissioners" / "inoue" / "index.html"
        target.write_text(target.read_text(encoding="utf-8") + "<b>" + excerpt[:5] + "</b>\n" + excerpt[5:],
                          encoding="utf-8")
    elif how == "search-part":  # the text the search page shows, gzipped JSON
        target = sorted((site / "search" / "p").glob("*.json.gz"))[0]
        parts = json.loads(gzip.decompress(target.read_bytes()))
        target.write_bytes(gzip.compress(json.dumps([*parts, [99, [excerpt]]]).encode()))
    elif how == "search-index":  # an indexer that indexed a withheld passage: only codes in the files
        iter_units = records.iter_units

        def leaking(record, site_dir):
            for unit in iter_units(record, site_dir):
                if unit.url == "meetings/10/":
                    unit.blocks.append(records.Block("", "", [excerpt]))
                yield unit

        monkeypatch.setattr(indexing, "iter_units", leaking)
        indexing.index_site(site, _records(leaky_site)[1])
        target = site / "search" / "index（meetings/10/）"
        assert not any(excerpt in p.read_bytes().decode("utf-8", "ignore") for p in (site / "search" / "index").iterdir())
    else:
        target = site / "search" / "index.html"
        wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in "ＩＤ" + excerpt)
        target.write_text(target.read_text(encoding="utf-8") + html.escape(wide), encoding="utf-8")
    leaks, _ = verify.verify_site(root, site, *_records(leaky_site), BUILD_DAY, verify.template_text())
    if how == "search-index":  # the index_site run also wrote the passage to the text part it shows
        leaks = [leak for leak in leaks if not leak.output.startswith("search/p/")]
    assert [(leak.output, leak.secret.path, leak.secret.line) for leak in leaks] == [
        (target.relative_to(site).as_posix(), "minutes/10.md", 39)]
    assert leaks[0].format().startswith(f"{target.relative_to(site).as_posix()}: minutes/10.md:39 の非公表の本文")


def _records(root: Path):
    record, _ = load_record(root)
    return record, public_record(record, BUILD_DAY)


def test_a_leaking_build_fails_and_keeps_the_previous_site(tmp_path, fixed_date):
    root = leaky_project(tmp_path)
    assert build(root, root / "site", quiet=True) == 0
    before = sorted(p.relative_to(root / "site") for p in (root / "site").rglob("*"))
    # A staff member pastes the withheld sentence into a commissioner's profile page.
    profile = root / "docs" / "commissioners" / "inoue.md"
    write(profile, profile.read_text(encoding="utf-8") + f"\n{SENTINEL}\n")
    assert build(root, root / "site", quiet=True) != 0
    after = sorted(p.relative_to(root / "site") for p in (root / "site").rglob("*"))
    assert after == before
    assert SENTINEL not in (root / "site" / "commissioners" / "inoue" / "index.html").read_text(encoding="utf-8")
    assert not list(root.glob(".site.staging-*"))


def test_a_page_rewritten_after_it_was_written_is_verified_as_it_is_on_disk(tmp_path, fixed_date):
    """The verifier scans each page as MkDocs writes it (site/prescan.py), but takes that finding
    only for a file that still holds those bytes: a later hook that writes a leak into a page
    refuses the build."""
    from hostile import assert_refused
    from test_hostile_markup import with_rewriting_hook

    root = leaky_project(tmp_path)
    assert build(root, root / "site", quiet=True) == 0
    with_rewriting_hook(root, "meetings/10/index.html", f"<p>{SENTINEL}</p>")
    output = assert_refused(root, "meetings/10/index.html: minutes/10.md:", command="build")
    assert "の非公表の本文が出力に含まれています" in output, output


def test_public_source_mode(tmp_path, capsys, fixed_date):
    from gijiroku.cli import main

    root = leaky_project(tmp_path)
    assert main(["--root", str(root), "check"]) == 0
    assert main(["--root", str(root), "check", "--public-source"]) == 1
    assert capsys.readouterr().err.startswith(
        "minutes/10.md:39: 公開リポジトリに非公表の本文があります（39 行目）。\n"
        "    対処: 非公表の範囲には本文を置かず、（内容について非公表）の一行だけにしてください。")


def test_public_source_mode_reads_profiles_and_hand_written_pages(tmp_path, capsys):
    from gijiroku.cli import main

    root = make_project(tmp_path / "p")
    profile = root / "docs" / "commissioners" / "inoue.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\n<!-- 非公表 -->\n経歴の非公表の一文です。\n<!-- /非公表 -->\n",
                       encoding="utf-8")
    write(root / "docs" / "notes" / "index.md", "# メモ\n\n<!-- 非公表 -->\n手書きのページの非公表の一文です。\n<!-- /非公表 -->\n")
    assert main(["--root", str(root), "check"]) == 0
    assert main(["--root", str(root), "check", "--public-source"]) == 1
    out = capsys.readouterr().err
    lines = len(profile.read_text(encoding="utf-8").split("\n"))
    assert f"docs/commissioners/inoue.md:{lines - 2}: 公開リポジトリに非公表の本文があります（{lines - 2} 行目）。" in out
    assert "docs/notes/index.md:4: 公開リポジトリに非公表の本文があります（4 行目）。" in out


def test_parallel_scan_finds_the_same_leaks(leaky_site, tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(leaky_site / "site", site)
    for name in ("minutes", "decisions", "docs", "committee.yml"):
        (tmp_path / name).symlink_to(leaky_site / name)
    for page in ("meetings/10/index.html", "agencies/digital-agency/index.html", "api/meetings.json"):
        target = site / page
        target.write_text(target.read_text(encoding="utf-8") + f'<i title="{SENTINEL}"></i>', encoding="utf-8")
    serial, _ = verify.verify_site(tmp_path, site, *_records(leaky_site), BUILD_DAY, verify.template_text())
    monkeypatch.setattr(verify, "PARALLEL_BYTES", 0)
    parallel, _ = verify.verify_site(tmp_path, site, *_records(leaky_site), BUILD_DAY, verify.template_text())
    assert [leak.output for leak in parallel] == [leak.output for leak in serial] == [
        "agencies/digital-agency/index.html", "api/meetings.json", "meetings/10/index.html"]


def test_the_verifier_counts_every_page_template_as_public_text():
    """Text the templates print is public by definition; losing it (as when the templates moved
    to site/templates/) turns every build that withholds a passage they quote into a false alarm."""
    from conftest import ROOT

    folder = ROOT / "hooks" / "gijiroku" / "site" / "templates"
    expected = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.j2"))]
    assert len(expected) > 10
    assert verify.template_text() == expected


PASTED = "立入検査の結果、漏えい件数は約八万件と判明したと報告された"


@pytest.mark.parametrize("where, edit", [
    ("decisions/2023-04-05-example.md", lambda root: append(root / "decisions" / "2023-04-05-example.md",
                                                             f"\n{PASTED}。\n")),
    ("minutes/10.md", lambda root: replace_in(root / "minutes" / "10.md", "    agencies: [digital-agency]\n",
                                              f"    agencies: [digital-agency]\n    subjects: [{PASTED}]\n")),
    ("docs/agencies/digital-agency.md", lambda root: replace_in(root / "docs" / "agencies" / "digital-agency.md",
                                                                "aliases: [", f"aliases: [{PASTED}, ")),
])
def test_a_withheld_passage_pasted_into_a_public_field_is_named_by_check(tmp_path, where, edit):
    """The verifier skips a window the public record prints too (以上です。): so a withheld passage
    copied into a decision's body, an item's subjects or an agency's alias went out with it, the
    build saying 漏えい 0 件 (found by an attack). Check names a field that holds a run of the
    passage, a warning: a decision read out in a 非公表 session and published is such a pair too."""
    root = make_project(tmp_path / "p")
    replace_in(root / "minutes" / "10.md", "○井上委員長 原案のとおり承認します。",
               f"○井上委員長 原案のとおり承認します。\n\n<!-- 非公表 -->\n○事務局 {PASTED}。\n<!-- /非公表 -->")
    record, problems = load_record(root)
    assert problems == []
    assert pasted(collect_secrets(root, record, BUILD_DAY), public_record(record, BUILD_DAY)) == []
    edit(root)
    record, problems = load_record(root)
    assert problems == []
    found = pasted(collect_secrets(root, record, BUILD_DAY), public_record(record, BUILD_DAY))
    assert [(p.where, p.secret.path) for p in found] == [(where, "minutes/10.md")]
    message = found[0].problem().format()
    assert message.startswith(f"{where}: ") and "minutes/10.md:" in message and found[0].problem().code == "G413"


def test_a_common_phrase_in_a_public_field_is_no_paste(tmp_path):
    """A few words in common (a name, a short formula) are not a copy: a run of 22 folded characters is."""
    root = make_project(tmp_path / "p")
    replace_in(root / "minutes" / "10.md", "○井上委員長 原案のとおり承認します。",
               "○井上委員長 原案のとおり承認します。\n\n<!-- 非公表 -->\n○事務局 デジタル庁の全項目評価書について、"
               "立入検査の結果を報告します。\n<!-- /非公表 -->")
    append(root / "decisions" / "2023-04-05-example.md", "\nデジタル庁の全項目評価書についての決定。立入検査の結果を公表する。\n")
    record, problems = load_record(root)
    assert problems == []
    assert pasted(collect_secrets(root, record, BUILD_DAY), public_record(record, BUILD_DAY)) == []


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
