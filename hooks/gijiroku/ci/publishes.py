"""What this pull request publishes: the comment a reviewer approves publication from.

For every meeting and decision the pull request changes, it lists what the site will show on
the build day (today in Japan, or SOURCE_DATE_EPOCH): each agenda item with its disclosure
(公開, 非公表, 後日公表 with its date), the number of public speeches and of withheld regions,
and what changed against the base branch, warning first about whatever becomes more public.

It never prints withheld text: everything it shows comes from the public view of the record
(`disclosure.public.public_record`) or is a number. An item's title is public whatever its
disclosure; a 非公表 item's reason is public, a 後日公表 item's is not until its date; a document
not yet public is shown by its file name only.

    python -m gijiroku.ci.publishes --base <sha> [--pr N --preview-url URL --artifact NAME] [--out FILE]

compares the working tree (the pull request) with the base commit's tree (read by `git
archive`, so the checkout is untouched), over the files `git diff --name-only base...HEAD` names.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..disclosure.public import build_date, public_record
from ..record.loader import Record, load_record
from ..record.model import AgendaItem, Decision, Disclosure, Meeting, Speech, Withheld
from ..site import urls
from .github import markdown_code, markdown_text

MARKER = "<!-- gijiroku:publishes -->"
SOURCE_FOLDERS = ("minutes/", "decisions/")


@dataclass(frozen=True)
class Side:
    """One side of the comparison: the full record (for counts) and its public view on the day."""

    record: Record
    public: Record

    @classmethod
    def load(cls, root: Path, day: dt.date) -> tuple[Side, int]:
        """The side read from `root`, and how many problems check would report there."""
        record, problems = load_record(root)
        return cls(record, public_record(record, day)), len(problems)

    def meeting_at(self, path: str) -> tuple[Meeting, Meeting] | None:
        """(full, public) meeting read from the source file `path`, or None."""
        for number, meeting in self.record.meetings.items():
            if meeting.path == path:
                return meeting, self.public.meetings[number]
        return None

    def decision_at(self, path: str) -> Decision | None:
        return next((d for d in self.record.decisions.values() if d.path == path), None)


@dataclass(frozen=True)
class Counts:
    speeches: int  # public on the day
    later: int  # speeches a 後日公表 item publishes on its date
    withheld: int  # withheld regions (markers or the record's placeholder)


def _counts(full: Meeting, public: Meeting, agenda: int | None) -> Counts:
    speeches = sum(isinstance(e, Speech) for e in public.elements_of(agenda))
    everything = sum(isinstance(e, Speech) for e in full.elements_of(agenda))
    withheld = 0
    for element in full.elements_of(agenda):
        blocks = element.blocks if isinstance(element, Speech) else (element.block,)
        withheld += sum(isinstance(b, Withheld) for b in blocks)
    return Counts(speeches, everything - speeches, withheld)


def _disclosure(item: AgendaItem) -> str:
    """An item's disclosure in words, from its public view (a deferred item's reason is not there)."""
    if item.disclosure is Disclosure.WITHHELD:
        return f"非公表（理由: {_cell(item.reason)}）" if item.reason else "非公表"
    if item.disclosure is Disclosure.DEFERRED:
        if item.deferred:
            return f"後日公表（{item.publish_after} から公開。それまでは番号と議題名だけ）"
        return f"後日公表（公表日 {item.publish_after} を過ぎたため公開）"
    return "公開"


def _openness(item: AgendaItem | None, day: dt.date) -> int:
    """How much of an item is public on the day: 0 nothing, 1 number and title, 2 everything."""
    if item is None or item.disclosure is Disclosure.WITHHELD:
        return 0
    return 2 if item.disclosure.is_published_on(item.publish_after, day) else 1


def _speech_cell(c: Counts) -> str:
    return f"{c.speeches}（公表日から {c.later}）" if c.later else str(c.speeches)


def _changes(new: Counts, old: Counts | None, item: AgendaItem | None, before: AgendaItem | None,
             day: dt.date, warnings: list[str], where: str) -> str:
    if old is None:  # the meeting is new: nothing to compare with
        return "—"
    notes = []
    if item is not None and before is not None and (
            (item.disclosure, item.publish_after) != (before.disclosure, before.publish_after)):
        was = before.disclosure.label + (f"（{before.publish_after}）" if before.publish_after else "")
        now = item.disclosure.label + (f"（{item.publish_after}）" if item.publish_after else "")
        notes.append(f"公開区分 {was} → {now}")
        if _openness(item, day) > _openness(before, day):
            warnings.append(f"{where}: 公開区分が {was} から {now} に変わり、公開される範囲が広がります。")
    if new.speeches != old.speeches:
        notes.append(f"公開する発言 {old.speeches} → {new.speeches}")
    if new.withheld != old.withheld:
        notes.append(f"非公表の範囲 {old.withheld} → {new.withheld}")
        if new.withheld < old.withheld:
            warnings.append(f"{where}: 非公表の範囲が {old.withheld} から {new.withheld} に減ります。")
    return "、".join(notes) or "—"


def _meeting_section(path: str, head: Side, base: Side | None, day: dt.date, warnings: list[str]) -> list[str]:
    found = head.meeting_at(path)
    before = base.meeting_at(path) if base else None
    if found is None:
        if before is None:
            return [f"### {markdown_code(path)}", "", "読めませんでした。検査（gijiroku check）の誤りを直してください。", ""]
        number = before[0].number
        warnings.append(f"第{number}回: 会議のファイルを削除します。公開中のページ（{urls.meeting(number)}）がなくなります。")
        return [f"### 第{number}回（{markdown_code(path)}）: 削除", "", "このプルリクエストは会議のファイルを削除します。", ""]
    full, public = found
    status = "新規" if before is None else "変更"
    when = full.date.isoformat() if full.date else "日付なし"
    lines = [f"### 第{full.number}回（{when}）: {status}", ""]
    total = _counts(full, public, None)
    items = [(i, _counts(full, public, i.number)) for i in public.agenda]
    speeches = total.speeches + sum(c.speeches for _, c in items)
    withheld = total.withheld + sum(c.withheld for _, c in items)
    lines += [f"公開する発言 {speeches}、非公表の範囲 {withheld}。"
              f"プレビューでは `{urls.meeting(full.number)}` です。", "",
              "| 議題 | 公開区分 | 公開する発言 | 非公表の範囲 | 前との違い |",
              "| --- | --- | --- | --- | --- |"]
    old_full, old_public = before if before else (None, None)
    old_items = {i.number: i for i in old_public.agenda} if old_public else {}
    for item, counts in items:
        where = f"第{full.number}回 議題{item.number}"
        earlier = old_items.get(item.number)
        if earlier is None:
            change = "新しい議題" if old_full is not None else "—"
            if item.disclosure is Disclosure.DEFERRED and not item.deferred:
                warnings.append(f"{where}: 後日公表の公表日 {item.publish_after} を過ぎているため、"
                                "取り込むとすぐに公開されます。")
        else:
            old_counts = _counts(old_full, old_public, item.number)
            change = _changes(counts, old_counts, item, earlier, day, warnings, where)
        lines.append(f"| {item.number}. {_cell(item.title)} | {_disclosure(item)} | {_speech_cell(counts)} "
                     f"| {counts.withheld} | {change} |")
    if total.speeches or total.withheld:
        old_total = _counts(old_full, old_public, None) if old_full else None
        change = _changes(total, old_total, None, None, day, warnings, f"第{full.number}回 議題の外")
        lines.append(f"| 議題の外（開会・閉会） | 公開 | {total.speeches} | {total.withheld} | {change} |")
    for number in sorted(set(old_items) - {i.number for i, _ in items}):
        lines.append(f"| {number}. {_cell(old_items[number].title)} | （削除） | — | — | 議題を削除 |")
    return [*lines, ""]


def _decision_section(paths: list[str], head: Side, base: Side | None, day: dt.date,
                      warnings: list[str]) -> list[str]:
    lines = ["### 決定・資料", "", "| ファイル | 題名 | 種類 | 公開区分 | 会議・議題 | 前との違い |",
             "| --- | --- | --- | --- | --- | --- |"]
    for path in paths:
        doc, old = head.decision_at(path), (base.decision_at(path) if base else None)
        if doc is None:
            what = "削除（公開中のページがなくなります）" if old else "読めませんでした。検査の誤りを直してください"
            if old and old.id in base.public.decisions:
                warnings.append(f"{markdown_code(path)}: 公開中の文書を削除します。")
            lines.append(f"| {_cell_code(path)} | — | — | — | — | {what} |")
            continue
        public = head.public.decisions.get(doc.id)
        title = _cell(public.title) if public else (
            "（非公表のため表示しません）" if doc.disclosure is Disclosure.WITHHELD else "（公開まで表示しません）")
        if doc.disclosure is Disclosure.WITHHELD:
            state = "非公表"
        elif doc.disclosure is Disclosure.DEFERRED:
            state = f"後日公表（{doc.publish_after} から公開）" if public is None else f"後日公表（{doc.publish_after}、公開）"
        else:
            state = "公開" if public else "公開（後日公表の議題の文書のため、議題の公表日まで非表示）"
        link = f"第{public.meeting}回 議題{public.agenda}" if public and public.meeting and public.agenda else "—"
        change = "新規"
        if old is not None:
            was_public = base.public.decisions.get(old.id) is not None
            change = "公開になります" if public and not was_public else (
                "非公開になります" if was_public and not public else "—")
            if public and not was_public:
                warnings.append(f"{markdown_code(path)}: 文書が公開になります。")
        lines.append(f"| {_cell_code(path)} | {title} | {_cell(doc.kind)} | {state} | {link} | {change} |")
    return [*lines, ""]


def _cell(text: str) -> str:
    """Text from a source for a Markdown table cell: a pipe or a line break would break the
    table; a link, an image (fetched from its server by every reader's browser), HTML or a
    mention would be obeyed by GitHub (markdown_text)."""
    return markdown_text(text.replace("|", "｜"))


def _cell_code(path: str) -> str:
    """A file name as code in a table cell: a pipe ends the cell even inside code."""
    return markdown_code(path).replace("|", "\\|")


def render(head_root: Path, changed: list[str], base_root: Path | None, day: dt.date,
           preview_url: str | None = None, artifact: str | None = None) -> str:
    """The comment for a pull request that changes `changed` (paths relative to the root)."""
    head, head_problems = Side.load(head_root, day)
    base = Side.load(base_root, day)[0] if base_root is not None else None
    meetings = sorted((p for p in changed if p.startswith("minutes/") and p.endswith(".md")), key=_meeting_key)
    decisions = sorted(p for p in changed if p.startswith("decisions/") and p.endswith(".md"))
    others = sorted(p for p in changed if not p.startswith(SOURCE_FOLDERS))
    warnings: list[str] = []
    body: list[str] = []
    for path in meetings:
        body += _meeting_section(path, head, base, day, warnings)
    if decisions:
        body += _decision_section(decisions, head, base, day, warnings)
    lines = [MARKER, "## このプルリクエストで公開されるもの", "",
             f"{day.isoformat()}（日本時間）に作るサイトでの公開の範囲です。取り込む（merge）と、"
             "次の公開（毎日 0 時 10 分、または取り込んだ直後）でこのとおり公開されます。非公表の本文はここに表示しません。", ""]
    if preview_url:
        lines += [f"**プレビュー**: [{artifact or 'サイトのプレビュー'}]({preview_url})（ダウンロードして展開し、"
                  "そのフォルダで `python3 -m http.server 8000` を実行して http://127.0.0.1:8000/ を開きます）", ""]
    elif artifact:  # the workflow names the artifact it meant to upload: the build stopped before it
        lines += ["**プレビュー**: ありません。サイトを作れませんでした（CI の結果を見てください）。", ""]
    if head_problems:
        lines += [f"> [!WARNING]\n> 原稿に誤りが {head_problems} 件あります。誤りがある間はサイトを作りません。"
                  "「Files changed」の注釈か CI の検査（gijiroku check）の結果を見て直してください。", ""]
    if warnings:
        lines += ["**確かめてください**", "", *(f"- ⚠️ {w}" for w in warnings), ""]
    if not meetings and not decisions:
        lines += ["このプルリクエストは会議と決定・資料のファイルを変えません。公開される記録は変わりません。", ""]
    lines += body
    if others:
        lines += ["<details><summary>そのほかの変更されたファイル（" + str(len(others)) + " 件）</summary>", "",
                  *(f"- {markdown_code(p)}" for p in others), "", "</details>", ""]
    return "\n".join(lines)


def _meeting_key(path: str) -> tuple[int, str]:
    stem = Path(path).stem
    return (int(stem), path) if stem.isdigit() else (10**9, path)


# -- git ---------------------------------------------------------------------------------------

def _git(root: Path, *args: str) -> bytes:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout


def changed_files(root: Path, base: str) -> list[str]:
    """The files the pull request changes: `git diff --name-only base...HEAD` (added, changed, deleted)."""
    out = _git(root, "-c", "core.quotepath=off", "diff", "--name-only", "--no-renames", f"{base}...HEAD")
    # a name that is not UTF-8 is kept (as lone surrogates, shown escaped): one such file must not stop the comment
    return [line for line in out.decode("utf-8", "surrogateescape").split("\n") if line]


def extract_tree(root: Path, base: str, dest: Path) -> Path:
    """The tree of the merge base of `base` and HEAD, written under `dest` (the checkout untouched)."""
    merge_base = _git(root, "merge-base", base, "HEAD").decode().strip()
    data = _git(root, "archive", "--format=tar", merge_base)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        # files and folders only: a symlinked source is never published (check refuses it), and
        # the machinery's links (mkdocs.yml, hooks/ in a test project) are not read here
        tar.extractall(dest, members=[m for m in tar.getmembers() if m.isfile() or m.isdir()], filter="data")
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gijiroku.ci.publishes",
                                     description="プルリクエストで公開されるものをコメントにする")
    parser.add_argument("--root", default=".", help="プルリクエストのチェックアウト（既定: カレントディレクトリ）")
    parser.add_argument("--base", required=True, help="比べる基のコミット（github.event.pull_request.base.sha）")
    parser.add_argument("--pr", type=int, help="コメントするプルリクエストの番号（省略すると書き込まない）")
    parser.add_argument("--preview-url", help="プレビューの成果物の URL（actions/upload-artifact の artifact-url）")
    parser.add_argument("--artifact", help="プレビューの成果物の名前")
    parser.add_argument("--out", help="コメントの本文を書くファイル（- なら標準出力）")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    try:
        day = build_date()
        changed = changed_files(root, args.base)
        with tempfile.TemporaryDirectory(prefix="gijiroku-base-") as tmp:
            text = render(root, changed, extract_tree(root, args.base, Path(tmp)), day,
                          args.preview_url or None, args.artifact or None)
    except (RuntimeError, ValueError, OSError, tarfile.TarError) as err:
        print(f"::error::公開されるものの一覧を作れませんでした: {err}")
        return 1
    from .github import GitHub, GitHubError, write_summary

    write_summary(text)
    if args.out:
        if args.out == "-":
            sys.stdout.write(text)
        else:
            Path(args.out).write_text(text, encoding="utf-8")
    if args.pr is not None:
        try:
            done, _ = GitHub.from_environment().upsert_comment(args.pr, MARKER, text)
        except GitHubError as err:
            print(f"::error::プルリクエストにコメントできませんでした: {err}")
            return 1
        print("コメントを更新しました。" if done == "updated" else "コメントを書きました。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
