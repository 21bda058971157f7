"""Publishing never stops silently: a failed deploy opens an issue, or comments on the open one.

The ci workflow's last job runs this after every deploy attempt (push to main, the daily run at
00:10 JST, a manual run) with the result of each job before it:

    python -m gijiroku.ci.deploy_issue --result test=success --result pages=failure --result deploy=skipped

- any job failed: open an issue saying what stopped and what to do, or, when one such issue is
  still open, comment on it (one issue however many days it fails);
- the deploy succeeded: an open issue gets a comment that publishing works again and is closed;
- otherwise (nothing ran): nothing.

The issue is found again by a hidden marker in its body, not by its title, which staff may edit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from zoneinfo import ZoneInfo

from .github import GitHub, GitHubError, run_url, write_summary

MARKER = "<!-- gijiroku:deploy-failure -->"
TITLE = "サイトの公開が止まっています（自動の公開に失敗しました）"
JOBS = {  # the ci workflow's jobs, as staff know them
    "test": "テスト（test）",
    "pages": "検査・サイトの作成・漏えい検証（pages）",
    "deploy": "GitHub Pages への公開（deploy）",
}
EVENTS = {
    "schedule": "毎日の定期実行（日本時間 0 時 10 分）",
    "push": "main への取り込み",
    "workflow_dispatch": "手動の実行（Run workflow）",
}
JST = ZoneInfo("Asia/Tokyo")


def decide(results: dict[str, str]) -> str | None:
    """"failed" when any job failed (or timed out), "recovered" when the deploy succeeded, else None."""
    if any(r == "failure" for r in results.values()):
        return "failed"
    if results.get("deploy") == "success":
        return "recovered"
    return None


def _facts(results: dict[str, str], environ: dict, now: dt.datetime) -> str:
    failed = [JOBS.get(job, job) for job, result in results.items() if result == "failure"]
    event = environ.get("GITHUB_EVENT_NAME", "")
    lines = [
        f"- 日時: {now.astimezone(JST):%Y-%m-%d %H:%M}（日本時間）",
        f"- きっかけ: {EVENTS.get(event, event or '不明')}",
        f"- 失敗した処理: {'、'.join(failed) if failed else 'なし'}",
    ]
    url = run_url(environ)
    if url:
        lines.append(f"- 実行結果: {url}")
    return "\n".join(lines)


def failure_issue(results: dict[str, str], environ: dict, now: dt.datetime) -> tuple[str, str]:
    """The title and body of a new issue about a failed deploy."""
    body = f"""{MARKER}
サイトの自動の公開（GitHub Pages）に失敗しました。公開中のサイトは前回のまま残っていますが、\
`main` に取り込んだ変更と、公表日を迎えた後日公表の議題は、公開が成功するまで公開されません。

{_facts(results, environ, now)}

## 対処

1. 上の「実行結果」を開き、赤い × の付いた処理のログを読みます。
2. 「原稿に誤りがあるため、サイトを作りません。」のときは、示されたファイルと行を直すプルリクエストを作り、`main` に取り込みます。
3. 「非公表・後日公表の本文が出力に含まれていたため、サイトを公開しません」のときは、示された原稿を直します（公開中のサイトには何も出ていません）。
4. 原稿に誤りがなく、GitHub 側の一時的な不具合に見えるときは、Actions の「ci」を開き「Run workflow」で実行し直します。

公開が失敗し続ける間は、このissueに失敗のたびに書き込みます。次の公開が成功すると、そのことを書き込んでこのissueを閉じます。
"""
    return TITLE, body


def failure_comment(results: dict[str, str], environ: dict, now: dt.datetime) -> str:
    return f"{MARKER}\n公開に再び失敗しました。\n\n{_facts(results, environ, now)}\n"


def recovery_comment(environ: dict, now: dt.datetime) -> str:
    url = run_url(environ)
    return (f"公開が成功しました（{now.astimezone(JST):%Y-%m-%d %H:%M}、日本時間）。"
            + (f"実行結果: {url}\n\n" if url else "\n\n") + "このissueを閉じます。\n")


def report(github: GitHub, results: dict[str, str], environ: dict, now: dt.datetime) -> str:
    """Do what `decide` says; return a line saying what was done (for the run's log)."""
    action = decide(results)
    if action is None:
        return "公開は実行されませんでした。issue は作りません。"
    issue = github.open_issue_with(MARKER)
    if action == "recovered":
        if issue is None:
            return "公開は成功しました。"
        github.comment(issue["number"], recovery_comment(environ, now))
        github.request("PATCH", f"/issues/{issue['number']}", {"state": "closed", "state_reason": "completed"})
        return f"公開は成功しました。issue #{issue['number']} を閉じました。"
    if issue is None:
        title, body = failure_issue(results, environ, now)
        created = github.create_issue(title, body)
        return f"公開に失敗しました。issue #{created['number']} を作りました: {created.get('html_url', '')}"
    github.comment(issue["number"], failure_comment(results, environ, now))
    return f"公開に失敗しました。開いている issue #{issue['number']} に書き込みました。"


def _result(text: str) -> tuple[str, str]:
    job, sep, result = text.partition("=")
    if not sep or not job:
        raise argparse.ArgumentTypeError(f"--result は job=結果 の形で書きます（{text}）")
    return job, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gijiroku.ci.deploy_issue",
                                     description="公開の失敗を issue にする（成功したら閉じる）")
    parser.add_argument("--result", type=_result, action="append", default=[], metavar="JOB=RESULT",
                        help="ジョブの結果（needs.<job>.result: success, failure, cancelled, skipped）")
    args = parser.parse_args(argv)
    results = dict(args.result)
    try:
        done = report(GitHub.from_environment(), results, dict(os.environ), dt.datetime.now(tz=JST))
    except GitHubError as err:
        print(f"::error::公開の失敗を issue にできませんでした: {err}")
        return 1
    print(done)
    write_summary(done)
    return 0


if __name__ == "__main__":
    sys.exit(main())
