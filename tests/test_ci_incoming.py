"""Import in CI (gijiroku.ci.incoming): a file uploaded to incoming/ on a branch becomes
minutes/<n>.md on that branch, committed and pushed, and the importer's warnings reach the pull
request. Run as the import workflow runs it, in a temporary git repository with a remote, on
the seed texts of tests/fixtures/seeds/, against a fake GitHub on localhost."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fake_github import environment as github_env
from fake_github import serve_fake_github
from gitrepo import commit_all, git, git_env, init_repo

from conftest import ROOT, SEEDS, write
from gijiroku.ci.incoming import BOT, MARKER, Outcome, render

MINUTES_244 = SEEDS / "000_ba22dd514cf4d661.txt"  # the text of the 244th meeting's PDF
GIJIROKU = [str(Path(sys.executable).parent / "gijiroku")]


@pytest.fixture
def branch(tmp_path: Path) -> Path:
    """A clone on the branch minutes-244 of a project with the real registries and no meeting,
    its remote (origin, a bare repository) holding main and the branch."""
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True, env=git_env())
    repo = init_repo(tmp_path / "repo")
    shutil.copy(ROOT / "committee.yml", repo / "committee.yml")
    for folder in ("docs/commissioners", "docs/agencies"):
        shutil.copytree(ROOT / folder, repo / folder)
    write(repo / "minutes" / ".gitkeep", "")
    write(repo / "incoming" / "README.md", "議事録の PDF をここにアップロードします。\n")
    commit_all(repo, "main")
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "origin", "main")
    git(repo, "switch", "-q", "-c", "minutes-244")
    return repo


def upload(repo: Path, name: str, data: bytes) -> None:
    """What GitHub's "Upload files" does: one commit adding the file under incoming/, pushed."""
    (repo / "incoming" / name).write_bytes(data)
    commit_all(repo, f"Add files via upload: {name}")
    git(repo, "push", "-q", "origin", "minutes-244")


def run_incoming(repo: Path, fake=None, *args: str, summary: Path | None = None) -> subprocess.CompletedProcess:
    env = github_env(fake) if fake is not None else {k: v for k, v in git_env().items() if not k.startswith("GITHUB_")}
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        env.pop(key, None)  # the script commits as the bot, as in Actions
    env.update(GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1", GITHUB_REF_NAME="minutes-244")
    if summary is not None:
        env["GITHUB_STEP_SUMMARY"] = str(summary)
    return subprocess.run([sys.executable, "-m", "gijiroku.ci.incoming", "--gijiroku", *GIJIROKU, *args],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=300)


def imported_by_hand(repo: Path, source: Path, *extra: str) -> str:
    """What `gijiroku import` itself prints for `source` in the project: the file CI must commit."""
    done = subprocess.run([*GIJIROKU, "--root", str(repo), "import", str(source), *extra],
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode("utf-8")


def test_an_upload_becomes_the_meeting_file_on_the_branch_and_the_pr_hears_of_it(branch, tmp_path):
    upload(branch, "第244回議事録.txt", MINUTES_244.read_bytes())
    expected = imported_by_hand(branch, branch / "incoming" / "第244回議事録.txt")
    with serve_fake_github() as fake:
        fake.add_issue("別のブランチ", pull_head="other")
        pr = fake.add_issue("第244回", pull_head="minutes-244")
        done = run_incoming(branch, fake, "--push", "--comment", summary=tmp_path / "summary.md")
    assert done.returncode == 0, done.stdout + done.stderr
    remote_head = git(branch, "ls-remote", "origin", "refs/heads/minutes-244").split()[0]
    assert remote_head == git(branch, "rev-parse", "HEAD").strip()  # pushed
    assert git(branch, "show", "-s", "--format=%an <%ae>", "HEAD").strip() == f"{BOT[0]} <{BOT[1]}>"
    assert git(branch, "show", "-s", "--format=%s", "HEAD").strip() == \
        "第244回の議事録を取り込む（incoming/第244回議事録.txt から gijiroku import）"
    changed = git(branch, "-c", "core.quotepath=off", "show", "--no-renames", "--name-status", "--format=", "HEAD").split("\n")
    assert sorted(filter(None, changed)) == ["A\tminutes/244.md", "A\tsources/244.txt", "D\tincoming/第244回議事録.txt"]
    assert git(branch, "show", "HEAD:minutes/244.md") == expected
    assert git(branch, "show", "HEAD:sources/244.txt") == MINUTES_244.read_text(encoding="utf-8")  # the source beside it
    assert git(branch, "status", "--porcelain") == ""
    (comment,) = fake.comments_on(pr["number"])
    assert comment.startswith(MARKER)
    assert "- ✅ `incoming/第244回議事録.txt` を `minutes/244.md`（第244回）に取り込みました。" in comment
    assert "### 検査（gijiroku check）\n\n問題はありません。" in comment
    assert "### 次にすること" in comment and "Close pull request" in comment  # CI does not rerun by itself
    assert (tmp_path / "summary.md").read_text(encoding="utf-8").startswith(MARKER)


def test_the_importers_warnings_are_commented_in_japanese(branch):
    (branch / "docs" / "commissioners" / "tanno.md").unlink()  # 丹野委員長 is no longer in the registry
    commit_all(branch, "名簿から一人除く")
    upload(branch, "244.txt", MINUTES_244.read_bytes())
    expected = imported_by_hand(branch, branch / "incoming" / "244.txt", "--number", "244")
    warnings = subprocess.run([*GIJIROKU, "--root", str(branch), "import", str(branch / "incoming" / "244.txt")],
                              capture_output=True, text=True).stderr.splitlines()
    assert any("丹野委員長" in w for w in warnings)
    with serve_fake_github() as fake:
        pr = fake.add_issue("第244回", pull_head="minutes-244")
        done = run_incoming(branch, fake, "--comment", "--ci-reruns")
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(branch, "show", "HEAD:minutes/244.md") == expected
    (comment,) = fake.comments_on(pr["number"])
    listed = comment.split("### 取り込みの警告: `minutes/244.md`\n\n", 1)[1].split("\n\n### ", 1)[0]
    assert [line[2:] for line in listed.splitlines() if line.startswith("- ")] == [w.strip() for w in warnings if w.strip()]
    assert "誤りがあります。直すまでサイトは作られません。" in comment and "丹野委員長" in comment.split("### 検査")[1]
    assert "Close pull request" not in comment  # pushed with a token that starts CI


def test_the_file_name_gives_the_number(branch):
    upload(branch, "250.txt", MINUTES_244.read_bytes())
    done = run_incoming(branch)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (branch / "minutes" / "250.md").read_text(encoding="utf-8").count("\nnumber: 250\n") == 1
    assert "記録では第244回ですが、指定どおり number: 250 にしました。" in done.stdout


def test_what_cannot_be_imported_stays_and_the_run_fails_with_the_reason(branch):
    write(branch / "minutes" / "244.md", "既にある\n")
    commit_all(branch, "既にある会議")
    upload(branch, "第244回.txt", MINUTES_244.read_bytes())
    upload(branch, "memo.docx", b"PK\x03\x04")
    upload(branch, "empty.txt", b"")
    before = git(branch, "rev-parse", "HEAD")
    with serve_fake_github() as fake:
        pr = fake.add_issue("第244回", pull_head="minutes-244")
        done = run_incoming(branch, fake, "--push", "--comment")
    assert done.returncode == 1
    assert git(branch, "rev-parse", "HEAD") == before  # nothing imported, nothing committed
    assert sorted(p.name for p in (branch / "incoming").iterdir()) == ["README.md", "empty.txt", "memo.docx", "第244回.txt"]
    (comment,) = fake.comments_on(pr["number"])
    assert "minutes/244.md は既にあります。上書きはしません。" in comment
    assert "「incoming/memo.docx」は取り込めない種類のファイルです。" in comment
    assert "### ❌ `incoming/empty.txt`\n\n> gijiroku import: " in comment
    assert "::error file=incoming/memo.docx::" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_without_a_pull_request_the_result_goes_to_the_summary_only(branch, tmp_path):
    upload(branch, "第244回.txt", MINUTES_244.read_bytes())
    with serve_fake_github() as fake:
        done = run_incoming(branch, fake, "--comment", summary=tmp_path / "summary.md")
        assert fake.writes() == []
    assert done.returncode == 0
    assert "ブランチ minutes-244 のプルリクエストはまだありません" in done.stdout
    assert "`minutes/244.md`（第244回）" in (tmp_path / "summary.md").read_text(encoding="utf-8")


def test_nothing_waiting_does_nothing(branch):
    before = git(branch, "rev-parse", "HEAD")
    with serve_fake_github() as fake:
        done = run_incoming(branch, fake, "--push", "--comment")
        assert fake.requests == []
    assert done.returncode == 0 and "incoming/ に取り込むファイルはありません。" in done.stdout
    assert git(branch, "rev-parse", "HEAD") == before


def test_a_hostile_file_name_is_shown_in_the_comment_never_obeyed_nor_run(branch):
    """Names a clerk's computer (or a hostile branch) may give: a backtick that would end the code
    span and let a mention ping, a line break that would start a workflow command of its own in
    the log, a shell substitution, a leading dash, bytes that are not UTF-8."""
    names = ["a `@octocat` ![](https:x).txt", "x\n::warning::injected.txt", "$(touch PWNED).txt", "-rf b.txt"]
    for name in names:
        upload(branch, name, b"not a record")
    (branch / "incoming" / os.fsdecode(b"\xff\xfe.txt")).write_bytes(b"not a record either")
    with serve_fake_github() as fake:
        pr = fake.add_issue("第244回", pull_head="minutes-244")
        env = github_env(fake, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1", GITHUB_REF_NAME="minutes-244")
        done = subprocess.run([sys.executable, "-m", "gijiroku.ci.incoming", "--gijiroku", *GIJIROKU, "--comment"],
                              cwd=branch, env=env, capture_output=True, timeout=300)
    out = done.stdout.decode("utf-8")  # strict: the log is UTF-8 whatever the names
    assert done.returncode == 1 and b"Traceback" not in done.stderr, done.stderr.decode("utf-8", "replace")
    (comment,) = fake.comments_on(pr["number"])
    assert "- ❌ ``incoming/a `@octocat` ![](https:x).txt`` は取り込めませんでした" in comment
    assert "- ❌ `incoming/x\\x0a::warning::injected.txt` は" in comment
    assert "- ❌ `incoming/\\udcff\\udcfe.txt` は" in comment
    commands = [line for line in out.splitlines() if line.startswith("::")]
    assert not any(line.startswith("::warning::") for line in commands)
    assert sum(line.startswith("::error file=") for line in commands) == 5
    assert "::error file=incoming/x%0A%3A%3Awarning%3A%3Ainjected.txt::" in out
    assert not (branch / "PWNED").exists() and not (branch / "incoming" / "PWNED").exists()


def test_what_a_source_or_the_checker_says_is_shown_in_the_comment_never_obeyed():
    outcome = Outcome("incoming/245.pdf", "minutes/245.md", 245,
                      warnings=["○@octocat ![](https://evil.example/t.png) を確かめてください"])
    failed = Outcome("incoming/246.pdf", error="1行目\n<details>@octocat\n```")
    text = render([outcome, failed], (False, ["minutes/245.md:3: ```", "@octocat"]), "abc1234", True, {})
    assert "- ○@\u2060octocat \\!\\[\\](https://evil.example/t.png) を確かめてください" in text
    assert "> &lt;details&gt;@\u2060octocat\n> \\`\\`\\`" in text
    assert "````text\nminutes/245.md:3: ```\n@octocat\n````" in text  # in code: no ping, no way out


def test_a_source_already_there_or_a_link_in_place_of_the_meeting_is_a_reason_not_a_traceback(branch, tmp_path):
    write(branch / "sources" / "244.txt", "前に取り込んだ別の本文\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (branch / "minutes" / "245.md").symlink_to(outside / "written-through-the-link.md")  # a dangling link
    commit_all(branch, "出典と、リンク")
    upload(branch, "第244回.txt", MINUTES_244.read_bytes())
    upload(branch, "245.txt", MINUTES_244.read_bytes())
    before = git(branch, "rev-parse", "HEAD")
    done = run_incoming(branch, None)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    assert done.returncode == 1 and git(branch, "rev-parse", "HEAD") == before
    assert "出典「" in done.stdout and "sources/244.txt」は既にあります" in done.stdout
    assert "minutes/245.md は既にあります。上書きはしません。" in done.stdout
    assert list(outside.iterdir()) == [] and not (branch / "minutes" / "244.md").exists()
    assert sorted(p.name for p in (branch / "incoming").iterdir()) == ["245.txt", "README.md", "第244回.txt"]


def test_an_incoming_folder_that_is_a_link_is_not_followed(branch, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(MINUTES_244, elsewhere / "244.txt")
    shutil.rmtree(branch / "incoming")
    (branch / "incoming").symlink_to(elsewhere)
    commit_all(branch, "incoming をリンクにする")
    done = run_incoming(branch, None)
    assert done.returncode == 0 and "incoming/ に取り込むファイルはありません。" in done.stdout
    assert (elsewhere / "244.txt").exists() and not (branch / "minutes" / "244.md").exists()


def test_a_link_or_a_folder_named_like_an_upload_is_left_alone(branch, tmp_path):
    secret = tmp_path / "secret.txt"
    shutil.copy(MINUTES_244, secret)  # a readable record outside the checkout
    (branch / "incoming" / "244.txt").symlink_to(secret)
    (branch / "incoming" / "245.pdf").mkdir()
    write(branch / "incoming" / "245.pdf" / "inside.txt", "x\n")
    commit_all(branch, "リンクとフォルダ")
    done = run_incoming(branch, None)
    assert done.returncode == 0 and "incoming/ に取り込むファイルはありません。" in done.stdout
    assert secret.exists() and not (branch / "minutes" / "244.md").exists()
