"""The pull-request comment saying what merging publishes (gijiroku.ci.publishes): on the real
record, on a fixture project with a 非公表 and a 後日公表 item and withheld text of every kind
(tests/fixtures/ci/publishes/, sentinels named カナリア), and run as the workflow runs it, on a
temporary git repository against a fake GitHub on localhost."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fake_github import environment as github_env
from fake_github import serve_fake_github
from gitrepo import commit_all, git, init_repo

from conftest import FIXED_EPOCH, FIXTURES, ROOT, make_project, write
from gijiroku.ci.publishes import MARKER, render
from gijiroku.disclosure.secrets import SHORTEST, collect_secrets
from gijiroku.record.loader import load_record
from gijiroku.record.model import PLACEHOLDER
from gijiroku.record.text import squeeze

DAY = dt.date(2025, 1, 1)  # FIXED_EPOCH in Japan
OVERLAY = FIXTURES / "ci" / "publishes"


def sources(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for folder in ("minutes", "decisions")
            for p in sorted((root / folder).glob("*.md"))]


def assert_no_withheld_text(root: Path, text: str) -> int:
    """Nothing the verifier would look for in the site (on DAY) stands in `text`; returns how many
    secrets were looked for, so that a test can say the search was not empty."""
    record, _ = load_record(root)
    secrets = [s for s in collect_secrets(root, record, DAY) if len(squeeze(s.text)) >= SHORTEST]
    shown = squeeze(text)
    leaked = [s for s in secrets if squeeze(s.text) in shown]
    assert leaked == []
    return len(secrets)


def rows(text: str, heading: str) -> list[list[str]]:
    """The cells of the table under the first heading that starts with `heading`."""
    section = text.split("\n" + heading, 1)[1].split("\n### ", 1)[0]
    return [[c.strip() for c in line.strip("|").split(" | ")] for line in section.splitlines()
            if line.startswith("| ") and not line.startswith(("| 議題 |", "| ファイル |", "| ---"))]


# --- the real record -------------------------------------------------------------------------

def test_the_real_record_every_meeting_item_and_document_with_counts_from_the_sources():
    text = render(ROOT, sources(ROOT), None, DAY)
    record, problems = load_record(ROOT)
    assert problems == [] and record.meetings
    for number, meeting in record.meetings.items():
        source = (ROOT / meeting.path).read_text(encoding="utf-8")
        turns = sum(line.startswith("○") for line in source.splitlines())  # no marker, nothing deferred
        placeholders = sum(line == PLACEHOLDER for line in source.splitlines())
        when = meeting.date.isoformat() if meeting.date else "日付なし"
        assert f"### 第{number}回（{when}）: 新規\n\n公開する発言 {turns}、非公表の範囲 {placeholders}。" in text
        table = rows(text, f"### 第{number}回（{when}）: 新規")
        assert [r[0] for r in table[:len(meeting.agenda)]] == [f"{i.number}. {i.title}" for i in meeting.agenda]
        for item, row in zip(meeting.agenda, table, strict=False):
            assert row[1] == ("公開" if item.disclosure.label == "公開" else f"非公表（理由: {item.reason}）")
    documents = rows(text, "### 決定・資料")
    assert {r[0]: r[1] for r in documents} == {f"`{d.path}`": d.title for d in record.decisions.values()}
    assert_no_withheld_text(ROOT, text)


def test_the_real_record_withheld_item_is_named_but_nothing_of_it_is_shown():
    record, _ = load_record(ROOT)
    withheld = [(m, i) for m in record.meetings.values() for i in m.agenda if i.disclosure.label == "非公表"]
    assert withheld, "the real record has a 非公表 item"
    text = render(ROOT, sources(ROOT), None, DAY)
    for meeting, item in withheld:
        row = next(r for r in rows(text, f"### 第{meeting.number}回") if r[0].startswith(f"{item.number}. "))
        assert row[1].startswith("非公表")
        if item.outcome and len(squeeze(item.outcome)) >= SHORTEST:
            assert squeeze(item.outcome) not in squeeze(text)


# --- a fixture project with withheld text of every kind ---------------------------------------

@pytest.fixture
def fixture_project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project")
    shutil.copytree(OVERLAY, root, dirs_exist_ok=True)
    return root


CANARIES = ["非公表の本文カナリアいろはにほへと", "非公表の結果カナリアほへとちり", "後日公表の理由カナリアぬるをわ",
            "後日公表の発言カナリアよたれそつね", "後日公表の文書カナリアならむうゐ", "後日公表の文書の本文カナリアのおくやま",
            "後日公表の中身"]


def test_a_fixture_project_lists_disclosures_and_never_prints_withheld_text(fixture_project):
    text = render(fixture_project, sources(fixture_project), None, DAY)
    for canary in CANARIES:
        assert canary in "".join(p.read_text(encoding="utf-8") for p in (fixture_project / "minutes").glob("*.md")) \
            or canary in "".join(p.read_text(encoding="utf-8") for p in (fixture_project / "decisions").glob("*.md"))
        assert canary not in text and "カナリア" not in text
    assert assert_no_withheld_text(fixture_project, text) >= 6  # every sentinel is a secret the verifier knows
    assert rows(text, "### 第12回（2024-03-06）: 新規") == [
        ["1. 例示市の評価書について", "公開", "2", "1", "—"],
        ["2. 例示会社への指導について", "非公表（理由: 監視・監督案件）", "0", "1", "—"],
        ["3. 例示庁の報告について", "後日公表（2030-04-01 から公開。それまでは番号と議題名だけ）", "0（公表日から 2）", "0", "—"],
        ["議題の外（開会・閉会）", "公開", "1", "0", "—"],
    ]
    assert "公開する発言 3、非公表の範囲 2。プレビューでは `meetings/12/` です。" in text
    assert rows(text, "### 第9回（2021-06-01）: 新規")[0] == [
        "1. 例示株式会社の報告について", "後日公表（2030-01-01 から公開。それまでは番号と議題名だけ）", "0（公表日から 2）", "0", "—"]
    assert ["`decisions/2024-03-06-deferred.md`", "（公開まで表示しません）", "公表資料", "後日公表（2030-04-01 から公開）",
            "—", "新規"] in rows(text, "### 決定・資料")


def test_on_the_publication_date_the_deferred_item_is_public_and_counted(fixture_project):
    text = render(fixture_project, ["minutes/12.md"], None, dt.date(2030, 4, 1))
    assert ["3. 例示庁の報告について", "後日公表（公表日 2030-04-01 を過ぎたため公開）", "2", "0", "—"] \
        in rows(text, "### 第12回")
    assert "⚠️ 第12回 議題3: 後日公表の公表日 2030-04-01 を過ぎているため、取り込むとすぐに公開されます。" in text
    assert "後日公表の発言カナリア" not in text  # the comment never quotes speeches, public or not


def test_a_source_with_errors_is_reported_as_such(fixture_project):
    write(fixture_project / "minutes" / "13.md", "---\nnumber: [13\n---\n本文\n")  # YAML that does not parse
    text = render(fixture_project, ["minutes/13.md"], None, DAY)
    assert re.search(r"原稿に誤りが \d+ 件あります", text)
    assert "### `minutes/13.md`\n\n読めませんでした。検査（gijiroku check）の誤りを直してください。" in text


def test_without_a_preview_url_the_comment_says_there_is_no_preview(fixture_project):
    text = render(fixture_project, ["minutes/12.md"], None, DAY, None, "site-preview-pr-3")
    assert "**プレビュー**: ありません。サイトを作れませんでした（CI の結果を見てください）。" in text
    assert "site-preview-pr-3" not in text
    assert "**プレビュー**" not in render(fixture_project, ["minutes/12.md"], None, DAY)


def test_a_change_to_anything_else_says_the_record_is_unchanged(fixture_project):
    text = render(fixture_project, ["README.md", "docs/guide/index.md"], None, DAY)
    assert "公開される記録は変わりません" in text and "- `docs/guide/index.md`" in text


HOSTILE = "評価書 ![](https://evil.example/t.png) @octocat <details><summary>開く</summary> [こちら](https://evil.example/) #1"


def test_a_title_a_reason_or_a_file_name_is_shown_never_obeyed_by_github(fixture_project):
    """GitHub renders the comment: an image from a source would be fetched by every reader's
    browser, a mention would ping, HTML would break the layout, a backtick in a file name would
    end its code span."""
    twelve = fixture_project / "minutes" / "12.md"
    twelve.write_text(twelve.read_text(encoding="utf-8")
                      .replace("title: 例示市の評価書について", f"title: '{HOSTILE}'")
                      .replace("reason: 監視・監督案件", "reason: '監視 ![](https://evil.example/r.png) | @octocat'"),
                      encoding="utf-8")
    document = fixture_project / "decisions" / "2023-04-05-example.md"
    document.write_text(re.sub(r"(?m)^title: .*$", f"title: '{HOSTILE}'", document.read_text(encoding="utf-8")),
                        encoding="utf-8")
    text = render(fixture_project, ["minutes/12.md", "decisions/2023-04-05-example.md", "decisions/a`@ghost`.md",
                                    "docs/x`<img src=https://evil.example/>`.md"], None, DAY)
    for obeyed in ("![", "<details><summary>開く", "@octocat", "#1 "):  # the last file name is code (below)
        assert obeyed not in text
    assert not re.search(r"(?<!\\)\]\(", text)  # no link: every ] before a ( is escaped
    table = rows(text, "### 第12回（2024-03-06）: 新規")
    assert [len(r) for r in table] == [5, 5, 5, 5]  # no pipe from a source splits a row
    assert table[0][0].startswith("1. 評価書 \\!\\[\\](https://evil.example/t.png) @\u2060octocat &lt;details&gt;")
    assert table[1][1] == "非公表（理由: 監視 \\!\\[\\](https://evil.example/r.png) ｜ @\u2060octocat）"
    documents = rows(text, "### 決定・資料")
    assert documents[1][0] == "``decisions/a`@ghost`.md``" and documents[0][1].startswith("評価書 \\!\\[")
    assert "- ``docs/x`<img src=https://evil.example/>`.md``" in text

# --- the command, on a pull request's checkout, against a fake GitHub --------------------------

@pytest.fixture
def pull_request(tmp_path: Path, fixture_project: Path) -> tuple[Path, str]:
    """A repository whose main holds the fixture project without meeting 12, and a pull request
    branch that adds it, brings 9's 後日公表 date before the build day, deletes a document and
    edits the README."""
    repo = init_repo(tmp_path / "repo")
    shutil.copytree(fixture_project, repo, dirs_exist_ok=True, symlinks=True)
    (repo / "minutes" / "12.md").unlink()
    (repo / "decisions" / "2024-03-06-deferred.md").unlink()
    write(repo / "README.md", "説明\n")
    base = commit_all(repo, "main")
    git(repo, "switch", "-q", "-c", "minutes-12")
    shutil.copy(OVERLAY / "minutes" / "12.md", repo / "minutes" / "12.md")
    nine = repo / "minutes" / "9.md"
    nine.write_text(nine.read_text(encoding="utf-8").replace("2030-01-01", "2024-06-01"), encoding="utf-8")
    (repo / "decisions" / "2023-04-05-example.md").unlink()
    write(repo / "README.md", "説明を直した\n")
    commit_all(repo, "第12回を加える")
    return repo, base


def run_publishes(repo: Path, fake, *args: str) -> subprocess.CompletedProcess:
    env = github_env(fake, SOURCE_DATE_EPOCH=FIXED_EPOCH)
    return subprocess.run([sys.executable, "-m", "gijiroku.ci.publishes", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_command_compares_with_the_base_and_updates_its_own_comment(pull_request, tmp_path):
    repo, base = pull_request
    with serve_fake_github() as fake:
        pr = fake.add_issue("第12回を加える", "", pull_head="minutes-12")
        fake.add_comment(pr["number"], "レビューの感想")  # someone else's comment is left alone
        args = ["--base", base, "--pr", str(pr["number"]), "--artifact", "site-preview-pr-1",
                "--preview-url", "https://github.example/commission/gijiroku/actions/runs/4242/artifacts/9",
                "--out", str(tmp_path / "comment.md")]
        first = run_publishes(repo, fake, *args)
        assert first.returncode == 0, first.stdout + first.stderr
        assert "コメントを書きました。" in first.stdout
        second = run_publishes(repo, fake, *args)
        assert second.returncode == 0 and "コメントを更新しました。" in second.stdout
        ours = [c for c in fake.comments if MARKER in c["body"]]
        assert len(ours) == 1 and len(fake.comments) == 2
        assert fake.writes() == [("POST", f"/repos/commission/gijiroku/issues/{pr['number']}/comments"),
                                 ("PATCH", f"/repos/commission/gijiroku/issues/comments/{ours[0]['id']}")]
    text = ours[0]["body"]
    assert text == (tmp_path / "comment.md").read_text(encoding="utf-8")
    assert "[site-preview-pr-1](https://github.example/commission/gijiroku/actions/runs/4242/artifacts/9)" in text
    assert "### 第12回（2024-03-06）: 新規" in text
    assert "### 第9回（2021-06-01）: 変更" in text and "### 第10回" not in text  # only what changed
    assert rows(text, "### 第9回（2021-06-01）: 変更")[0] == [
        "1. 例示株式会社の報告について", "後日公表（公表日 2024-06-01 を過ぎたため公開）", "2", "0",
        "公開区分 後日公表（2030-01-01） → 後日公表（2024-06-01）、公開する発言 0 → 2"]
    assert ("- ⚠️ 第9回 議題1: 公開区分が 後日公表（2030-01-01） から 後日公表（2024-06-01） に変わり、"
            "公開される範囲が広がります。") in text
    assert "- ⚠️ `decisions/2023-04-05-example.md`: 公開中の文書を削除します。" in text
    assert "- `README.md`" in text
    assert "カナリア" not in text
    assert git(repo, "status", "--porcelain") == ""  # the checkout is left as it was


def test_the_command_without_a_pull_request_only_writes_the_text(pull_request):
    repo, base = pull_request
    with serve_fake_github() as fake:
        done = run_publishes(repo, fake, "--base", base, "--out", "-")
        assert fake.requests == []
    assert done.returncode == 0 and done.stdout.startswith(MARKER)


def test_an_unknown_base_is_an_annotation_not_a_traceback(pull_request):
    repo, _ = pull_request
    with serve_fake_github() as fake:
        done = run_publishes(repo, fake, "--base", "0" * 40, "--out", "-")
    assert done.returncode == 1 and done.stdout.startswith("::error::公開されるものの一覧を作れませんでした")
    assert "Traceback" not in done.stderr


def test_a_file_name_that_is_not_utf8_is_listed_escaped_and_the_comment_is_written(pull_request):
    # one such name in a pull request stopped the comment: the reviewer had nothing to approve from
    repo, base = pull_request
    (repo / os.fsdecode(b"docs/\xff\xfe.md")).write_bytes(b"x\n")
    commit_all(repo, "名前が UTF-8 でないファイル")
    with serve_fake_github() as fake:
        pr = fake.add_issue("第12回を加える", "", pull_head="minutes-12")
        done = run_publishes(repo, fake, "--base", base, "--pr", str(pr["number"]))
        assert done.returncode == 0, done.stdout + done.stderr
        (comment,) = fake.comments_on(pr["number"])
    assert "- `docs/\\udcff\\udcfe.md`" in comment and "### 第12回（2024-03-06）: 新規" in comment
