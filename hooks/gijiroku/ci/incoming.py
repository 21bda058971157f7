"""Import in CI: a file uploaded to incoming/ becomes minutes/<n>.md on its branch.

A clerk uploads the Commission's PDF (or its text) to `incoming/` through GitHub's web page, on a
branch of their own. The import workflow then runs, in the branch's checkout:

    python -m gijiroku.ci.incoming --push --comment

For each file in incoming/ (README.md and hidden files aside) it runs `gijiroku import` by its
command line, as a clerk would, so that whatever input the importer reads (text, PDF) is read
here too; writes the meeting to `minutes/<n>.md` (n from the imported front matter, or from the
file name `incoming/<n>.pdf` when the record does not say), removes the uploaded file, runs
`gijiroku check`, commits on the branch and pushes. The importer's warnings and the checker's
result go to the pull request of the branch as a comment in Japanese (when there is one) and
to the run's summary. A file that cannot be imported stays in incoming/, and the comment says why;
an existing minutes/<n>.md is never overwritten.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .github import (
    GitHub,
    GitHubError,
    annotation,
    markdown_code,
    markdown_fence,
    markdown_text,
    run_url,
    write_summary,
)

FOLDER = "incoming"
READABLE = (".txt", ".pdf")
MARKER = "<!-- gijiroku:import -->"
BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
MAX_LINES = 60  # warnings or check lines shown per file; the rest are counted
_NUMBER = re.compile(r"^number:\s*(\d+)\s*$", re.M)


@dataclass
class Outcome:
    """What became of one uploaded file."""

    upload: str  # incoming/…, as the clerk named it
    target: str | None = None  # minutes/<n>.md when imported
    number: int | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # why it was not imported


def uploads(root: Path) -> list[Path]:
    """The files waiting in incoming/: every regular file but the folder's README and hidden files."""
    folder = root / FOLDER
    if not folder.is_dir() or folder.is_symlink():  # a linked folder would read (and delete) files elsewhere
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.is_symlink() and not p.name.startswith(".") and p.name.lower() != "readme.md")


def default_gijiroku() -> list[str]:
    """The `gijiroku` command of this environment (the project's .venv in the workflow)."""
    beside = Path(sys.executable).parent / "gijiroku"
    return [str(beside)] if beside.exists() else ["gijiroku"]


def _front_number(text: str) -> int | None:
    if not text.startswith("---\n"):
        return None
    front = text[4:].split("\n---\n", 1)[0]
    m = _NUMBER.search(front)
    return int(m.group(1)) if m else None


def import_one(root: Path, path: Path, gijiroku: list[str]) -> tuple[Outcome, str | None]:
    """Run `gijiroku import` on one upload: its outcome and, when imported, the meeting file's text."""
    shown = path.relative_to(root).as_posix()
    outcome = Outcome(shown)
    if path.suffix.lower() not in READABLE:
        outcome.error = (f"「{shown}」は取り込めない種類のファイルです。議事録の PDF か、"
                         "そのテキスト（.txt）をアップロードしてください。")
        return outcome, None
    args = [*gijiroku, "--root", str(root), "import", str(path)]
    if path.stem.isascii() and path.stem.isdigit():
        args += ["--number", str(int(path.stem))]
    done = subprocess.run(args, cwd=root, capture_output=True, timeout=300)
    messages = [line.strip() for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    if done.returncode != 0:
        outcome.error = "\n".join(messages) or f"gijiroku import が終了コード {done.returncode} で止まりました。"
        return outcome, None
    text = done.stdout.decode("utf-8")
    outcome.warnings = messages
    number = _front_number(text)
    if number is None:
        outcome.error = (f"「{shown}」から会議の回次（第N回）が読めませんでした。ファイル名を回次にして"
                         f"（例 {FOLDER}/245.pdf）アップロードし直してください。")
        return outcome, None
    target = f"minutes/{number}.md"
    if (root / target).exists() or (root / target).is_symlink():  # a link, even dangling, is never written through
        outcome.error = (f"{target} は既にあります。上書きはしません。取り込み直すときは、先に {target} を"
                         "削除するコミットをしてから、もう一度アップロードしてください。")
        return outcome, None
    outcome.number, outcome.target = number, target
    return outcome, text


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), "-c", "core.quotepath=off", *args],
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"git {args[0]}: {done.stderr.strip()}")
    return done.stdout


def import_all(root: Path, gijiroku: list[str]) -> list[Outcome]:
    """Import every upload, writing minutes/<n>.md and removing the upload (in the index too)."""
    outcomes = []
    for path in uploads(root):
        outcome, text = import_one(root, path, gijiroku)
        if text is not None and outcome.target:
            # again with -o: the importer writes the meeting and, beside it, its source
            # (sources/<n>.txt, the text it read: the upload, or the PDF's text)
            (root / outcome.target).parent.mkdir(parents=True, exist_ok=True)
            done = subprocess.run([*gijiroku, "--root", str(root), "import", str(path), "--number", str(outcome.number),
                                   "-o", str(root / outcome.target)], cwd=root, capture_output=True, timeout=300)
            if done.returncode != 0:  # the source sources/<n>.txt is there already, with another text
                said = [line.strip() for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
                outcome.error = "\n".join(line for line in said if not line.startswith("警告")) or \
                    f"gijiroku import が終了コード {done.returncode} で止まりました。"
                outcome.target = outcome.number = None
                outcomes.append(outcome)
                continue
            _git(root, "rm", "-q", "--cached", "--ignore-unmatch", "--", outcome.upload)
            path.unlink()
            source = f"sources/{outcome.number}.txt"
            _git(root, "add", "--", outcome.target, *([source] if (root / source).is_file() else []))
        outcomes.append(outcome)
    return outcomes


def run_check(root: Path, gijiroku: list[str]) -> tuple[bool, list[str]]:
    """`gijiroku check` on the branch: (passed, its lines)."""
    done = subprocess.run([*gijiroku, "--root", str(root), "check"], cwd=root, capture_output=True, timeout=300)
    lines = (done.stdout + done.stderr).decode("utf-8", "replace").splitlines()
    return done.returncode == 0, [line for line in lines if line.strip()]


def commit(root: Path, outcomes: list[Outcome]) -> str:
    """Commit the imported meetings as github-actions[bot]; the commit's short id."""
    imported = [o for o in outcomes if o.target]
    names = "、".join(f"第{o.number}回" for o in imported)
    origins = "、".join(o.upload for o in imported)
    message = f"{names}の議事録を取り込む（{origins} から gijiroku import）"
    _git(root, "-c", f"user.name={BOT[0]}", "-c", f"user.email={BOT[1]}", "commit", "-q", "-m", message)
    return _git(root, "rev-parse", "--short", "HEAD").strip()


def _clipped(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    return [*lines[:MAX_LINES], f"（ほか {len(lines) - MAX_LINES} 行。全文は Actions の実行結果にあります）"]


def render(outcomes: list[Outcome], check: tuple[bool, list[str]] | None, sha: str | None,
           ci_reruns: bool, environ: dict | None = None) -> str:
    """The comment for the pull request: what was imported, the warnings, the check, what next."""
    lines = [MARKER, "## 議事録の取り込み（incoming/）", ""]
    for o in outcomes:
        if o.target:
            lines.append(f"- ✅ {markdown_code(o.upload)} を `{o.target}`（第{o.number}回）に取り込みました。")
        else:
            lines.append(f"- ❌ {markdown_code(o.upload)} は取り込めませんでした。ファイルは incoming/ に残しています。")
    if sha:
        lines += ["", f"取り込んだファイルを、このブランチにコミットしました（{sha}）。アップロードしたファイルは削除しました。"]
    for o in outcomes:
        if o.error:
            lines += ["", f"### ❌ {markdown_code(o.upload)}", "", *(f"> {markdown_text(line)}" for line in o.error.splitlines())]
        if o.target:
            lines += ["", f"### 取り込みの警告: `{o.target}`", ""]
            if o.warnings:
                lines += ["一つずつ確かめてください（対処は職員向けガイドの「取り込みの警告」にあります）。", "",
                          *(f"- {markdown_text(w)}" for w in _clipped(o.warnings))]
            else:
                lines.append("警告はありません。")
    if check is not None:
        passed, output = check
        lines += ["", "### 検査（gijiroku check）", ""]
        if passed:
            lines.append("問題はありません。")
        else:
            lines += ["誤りがあります。直すまでサイトは作られません。", "", *markdown_fence(_clipped(output))]
    if sha:
        lines += ["", "### 次にすること", "",
                  "1. 「Files changed」で取り込んだファイルを PDF と並べて見直します（職員向けガイドの「見直す」）。"
                  "直すときは、ファイルの「…」から「Edit file」を選び、直してコミットします。",
                  "2. 「このプルリクエストで公開されるもの」のコメントで、議題ごとの公開区分（公開・非公表・後日公表）を確かめます。",
                  "3. 確認できたら承認（Approve）を依頼します。"]
        if not ci_reruns:
            lines += ["", "> [!NOTE]\n> この自動のコミットでは、プルリクエストの自動の確認（CI）が始まりません（GitHub の制限です）。"
                      "上の「Close pull request」を押してから「Reopen pull request」を押すと、このコミットで CI が始まります。"
                      "管理者が secrets に GIJIROKU_BOT_TOKEN を設定すると、自動で始まるようになります。"]
    url = run_url(environ)
    if url:
        lines += ["", f"実行結果: {url}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gijiroku.ci.incoming",
                                     description="incoming/ のファイルを gijiroku import で minutes/<回次>.md にしてコミットする")
    parser.add_argument("--root", default=".", help="ブランチのチェックアウト（既定: カレントディレクトリ）")
    parser.add_argument("--gijiroku", nargs="+", help="gijiroku コマンド（既定: この Python の隣の gijiroku）")
    parser.add_argument("--branch", default=os.environ.get("GITHUB_REF_NAME"), help="ブランチ（既定: GITHUB_REF_NAME）")
    parser.add_argument("--push", action="store_true", help="コミットを origin のブランチに push する")
    parser.add_argument("--comment", action="store_true", help="ブランチのプルリクエストに結果をコメントする")
    parser.add_argument("--wait-for-pr", type=float, default=0, metavar="SECONDS",
                        help="プルリクエストがまだないとき、作られるのを待つ秒数（アップロードの直後に作られることが多い）")
    parser.add_argument("--ci-reruns", action="store_true",
                        help="push が CI を起こす（GIJIROKU_BOT_TOKEN で push する）: コメントで CI の再開を案内しない")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    gijiroku = args.gijiroku or default_gijiroku()
    if not uploads(root):
        print(f"{FOLDER}/ に取り込むファイルはありません。")
        return 0
    try:
        outcomes = import_all(root, gijiroku)
        imported = any(o.target for o in outcomes)
        check = run_check(root, gijiroku) if imported else None
        sha = commit(root, outcomes) if imported else None
        if sha and args.push:
            if not args.branch:
                raise RuntimeError("push するブランチが分かりません（--branch）。")
            _git(root, "push", "-q", "origin", f"HEAD:refs/heads/{args.branch}")
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as err:
        print(f"::error::取り込みのコミットに失敗しました: {err}")
        return 1
    text = render(outcomes, check, sha, args.ci_reruns)
    # what a source or the checker says is not a workflow command, whatever its lines begin with
    token = secrets.token_hex(16)
    print(f"::stop-commands::{token}\n{text}::{token}::")
    write_summary(text)
    for o in outcomes:
        if o.error:
            print(annotation("error", o.error.splitlines()[0], file=o.upload))
    if args.comment:
        try:
            github = GitHub.from_environment()
            pull = github.open_pull_request_for(args.branch or "")
            deadline = time.monotonic() + args.wait_for_pr
            while pull is None and time.monotonic() < deadline:
                time.sleep(min(15, args.wait_for_pr))
                pull = github.open_pull_request_for(args.branch or "")
            if pull is None:
                print(f"ブランチ {args.branch} のプルリクエストはまだありません。結果は実行結果の Summary にあります。")
            else:
                github.comment(pull["number"], text)
                print(f"プルリクエスト #{pull['number']} に結果を書きました。")
        except GitHubError as err:
            print(f"::error::プルリクエストにコメントできませんでした: {err}")
            return 1
    return 1 if any(o.error for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
