"""A failed deploy opens an issue or comments on the open one: the script the ci workflow runs,
run as the workflow runs it, against a fake GitHub on localhost (tests/fake_github.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from fake_github import environment as github_env
from fake_github import serve_fake_github

from conftest import ROOT
from gijiroku.ci.deploy_issue import MARKER, TITLE, decide


def run(fake, *results: str, event: str = "schedule") -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "gijiroku.ci.deploy_issue", *(f"--result={r}" for r in results)]
    env = github_env(fake, GITHUB_EVENT_NAME=event, PYTHONPATH=str(ROOT / "hooks"))
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=60, cwd=ROOT)


FAILED = ("test=skipped", "pages=failure", "deploy=skipped")


@pytest.fixture
def fake():
    with serve_fake_github() as fake:
        fake.add_issue("関係のない issue", "本文")
        fake.add_issue("取り込みのプルリクエスト", "本文", pull_head="minutes-245")  # a PR is listed among issues
        fake.add_issue("前に閉じた公開の失敗", MARKER + "\n古い", state="closed", login="github-actions[bot]")
        yield fake


def test_a_failed_deploy_opens_an_issue_when_none_is_open(fake):
    done = run(fake, *FAILED)
    assert done.returncode == 0, done.stdout + done.stderr
    assert fake.writes() == [("POST", "/repos/commission/gijiroku/issues")]
    issue = fake.issues[-1]
    assert (issue["number"], issue["title"], issue["state"]) == (4, TITLE, "open")
    assert MARKER in issue["body"]
    assert "検査・サイトの作成・漏えい検証（pages）" in issue["body"]  # what failed, in the staff's words
    assert "毎日の定期実行（日本時間 0 時 10 分）" in issue["body"]
    assert "https://github.example/commission/gijiroku/actions/runs/4242" in issue["body"]
    assert "## 対処" in issue["body"]
    assert "issue #4 を作りました" in done.stdout


def test_a_second_failure_comments_on_the_open_issue_instead_of_opening_another(fake):
    assert run(fake, *FAILED).returncode == 0
    done = run(fake, "test=failure", "pages=skipped", "deploy=skipped", event="push")
    assert done.returncode == 0, done.stdout + done.stderr
    assert len([i for i in fake.issues if MARKER in i["body"] and i["state"] == "open"]) == 1
    assert fake.writes()[-1] == ("POST", "/repos/commission/gijiroku/issues/4/comments")
    (comment,) = fake.comments_on(4)
    assert "公開に再び失敗しました" in comment and "テスト（test）" in comment and "main への取り込み" in comment
    assert "開いている issue #4 に書き込みました" in done.stdout


def test_the_open_issue_is_found_on_a_later_page(fake):
    for n in range(150):
        fake.add_issue(f"ほかの issue {n}")
    report = fake.add_issue("公開の失敗（職員が題名を変えた）", "前置き\n" + MARKER, login="github-actions[bot]")
    assert run(fake, *FAILED).returncode == 0
    assert fake.writes() == [("POST", f"/repos/commission/gijiroku/issues/{report['number']}/comments")]
    pages = [body for m, p, body in fake.requests if m == "GET"]
    assert len(pages) == 2


def test_an_issue_someone_else_opened_with_the_marker_is_neither_used_nor_closed(fake):
    # anyone may open an issue on a public repository, and paste the hidden marker into it
    decoy = fake.add_issue("公開の失敗", MARKER + "\n[ここから直す](https://evil.example/)")
    assert run(fake, *FAILED).returncode == 0
    assert fake.comments_on(decoy["number"]) == []
    ours = fake.issues[-1]
    assert ours["number"] != decoy["number"] and ours["user"]["login"] == "github-actions[bot]" and MARKER in ours["body"]
    assert run(fake, "test=success", "pages=success", "deploy=success", event="push").returncode == 0
    assert (decoy["state"], ours["state"]) == ("open", "closed")


def test_a_successful_deploy_closes_the_open_issue_with_a_comment(fake):
    run(fake, *FAILED)
    done = run(fake, "test=success", "pages=success", "deploy=success", event="push")
    assert done.returncode == 0
    assert fake.issues[-1]["state"] == "closed"
    assert "公開が成功しました" in fake.comments_on(4)[-1]
    assert "issue #4 を閉じました" in done.stdout


def test_a_successful_deploy_with_no_open_issue_writes_nothing(fake):
    assert run(fake, "test=skipped", "pages=success", "deploy=success").returncode == 0
    assert fake.writes() == []


def test_a_run_that_deployed_nothing_reports_nothing(fake):
    done = run(fake, "test=skipped", "pages=skipped", "deploy=skipped")
    assert done.returncode == 0 and fake.requests == []


def test_an_api_failure_fails_the_step_with_an_annotation(fake):
    fake.fail_with = 500
    done = run(fake, *FAILED)
    assert done.returncode == 1
    assert done.stdout.startswith("::error::公開の失敗を issue にできませんでした") and "HTTP 500" in done.stdout
    assert "Traceback" not in done.stderr


def test_outside_actions_it_says_what_is_missing(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "hooks")}
    done = subprocess.run([sys.executable, "-m", "gijiroku.ci.deploy_issue", "--result", "pages=failure"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1 and "GITHUB_REPOSITORY, GITHUB_TOKEN" in done.stdout


@pytest.mark.parametrize(("results", "expected"), [
    ({"test": "failure", "pages": "skipped", "deploy": "skipped"}, "failed"),
    ({"test": "success", "pages": "success", "deploy": "failure"}, "failed"),
    ({"test": "skipped", "pages": "success", "deploy": "success"}, "recovered"),
    ({"test": "skipped", "pages": "skipped", "deploy": "skipped"}, None),
    ({"test": "cancelled", "pages": "skipped", "deploy": "skipped"}, None),
])
def test_decide(results, expected):
    assert decide(results) == expected
