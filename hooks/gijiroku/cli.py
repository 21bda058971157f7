"""The `gijiroku` command: check, build, serve, import, new, synth."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

SAME_SHOWN = 50  # errors of one kind printed by check (the rest counted)


class NotAProject(Exception):
    """The command runs on a project, and none is where it was run or named by --root."""


def is_project(folder: Path) -> bool:
    """Whether `folder` is a project's root: it holds mkdocs.yml, committee.yml or minutes/."""
    return (folder / "mkdocs.yml").is_file() or (folder / "committee.yml").is_file() or (folder / "minutes").is_dir()


def find_root(start: Path) -> Path | None:
    """The project that `start` is in: the nearest folder from it upward that is a project's root."""
    for folder in (start, *start.parents):
        if is_project(folder):
            return folder
    return None


def _root(args, required: bool = True) -> Path:
    """The project's root: --root, or the folder the command runs in or the nearest above it that
    is a project's root (run from minutes/, `check` checked no project and passed). Without one, a
    command that reads the record stops; `import` and `synth` (`required` false) run where they are."""
    if getattr(args, "root", None) is not None:
        root = Path(args.root).resolve()
        if required and not is_project(root):
            raise NotAProject(f"--root の {root} はプロジェクトのルートではありません（mkdocs.yml・committee.yml・"
                              "minutes/ のどれもありません）。mkdocs.yml のあるフォルダーを指定してください。")
        return root
    here = Path.cwd()
    found = find_root(here)
    if found is None and required:
        raise NotAProject(f"{here} とその上のフォルダーにプロジェクト（mkdocs.yml・committee.yml・minutes/ のある"
                          "フォルダー）がありません。リポジトリの中で実行するか、--root でそのルートを指定してください。")
    return found or here


def _build_day_error() -> str | None:
    """The message when SOURCE_DATE_EPOCH is set but is no build date, else None."""
    from .disclosure.public import build_date

    try:
        build_date()
    except ValueError as err:
        return str(err)
    return None


def cmd_check(args) -> int:
    """Errors and warnings go to standard error, the all-clear to standard output; with
    `--format github` the annotations go to standard output, where the runner reads them."""
    from .check import check, check_warnings

    root = _root(args)
    github = args.format == "github"
    report = sys.stdout if github else sys.stderr
    record, problems = check(root, public_source=args.public_source)
    shown: dict[str, int] = {}
    for problem in problems:  # a mistake repeated thousands of times (a pasted typo) is shown SAME_SHOWN times
        kind = problem.code or problem.message
        shown[kind] = shown.get(kind, 0) + 1
        if shown[kind] <= SAME_SHOWN:
            print(problem.format_github() if github else problem.format(), file=report)
    for kind, count in shown.items():
        if count > SAME_SHOWN:
            note = f"同じ種類の誤り（{kind}）がほかに {count - SAME_SHOWN} 件あります。上のものを直してから、もう一度検査してください。"
            print(f"::error::{note}" if github else note, file=report)
    day_error = _build_day_error()  # what the build would stop on: check says it too
    if day_error:
        print(f"::error::{day_error}" if github else f"gijiroku: {day_error}", file=report)
    warnings = [] if day_error else check_warnings(root, record)  # the warnings depend on the build date
    for warning in warnings:  # reported, never a failure: the exit status says only whether there are errors
        print(warning.format_github().replace("::error", "::warning", 1) if github else "警告 " + warning.format(),
              file=report)
    if warnings:
        print(f"{len(warnings)} 件の警告があります（エラーではありません）。", file=sys.stderr)
    if problems or day_error:
        print(f"{len(problems) + bool(day_error)} 件のエラーがあります。", file=sys.stderr)
        return 1
    print("問題はありません。")
    return 0


def cmd_build(args) -> int:
    from .site.commands import build

    day_error = _build_day_error()
    if day_error:
        print(f"gijiroku: {day_error}", file=sys.stderr)
        return 1
    return build(_root(args), Path(args.site_dir) if args.site_dir else None, quiet=args.quiet)


def cmd_serve(args) -> int:
    from .site.commands import serve

    day_error = _build_day_error()
    if day_error:
        print(f"gijiroku: {day_error}", file=sys.stderr)
        return 1
    return serve(_root(args), args.dev_addr)


def cmd_synth(args) -> int:
    from .synth.corpus import synthesize, write_corpus

    out = Path(args.out)
    try:
        corpus = synthesize(_root(args, required=False), args.meetings, args.seed)
        write_corpus(corpus, out)
    except (ValueError, FileExistsError) as err:
        print(err, file=sys.stderr)
        return 1
    print(f"{out} に会議 {corpus.meetings} 回（議題 {corpus.items} 件、うち非公表 {corpus.withheld} 件・"
          f"後日公表 {corpus.deferred} 件）と文書 {corpus.decisions} 件を書きました。", file=sys.stderr)
    return 0


def _registry(root: Path):
    """The committee and registries of the project at `root` (an import still works without them)."""
    from .record.registry import load_committee, load_registry

    problems: list = []
    registry = load_registry(root, load_committee(root, problems), problems)
    for problem in problems:
        print(f"警告: 名簿を読めません: {problem.format()}", file=sys.stderr)
    return registry


def _write_text(text: str, output: str | None, force: bool) -> int:
    """Write to the file `output`, or to standard output; never overwrite a file without --force."""
    if output in (None, "-"):
        out = sys.stdout
        if hasattr(out, "buffer") and (out.encoding or "").lower().replace("-", "") != "utf8":
            out.flush()
            out.buffer.write(text.encode("utf-8"))
            out.buffer.flush()
        else:
            out.write(text)
        return 0
    path = Path(output)
    if path.is_dir():
        print(f"gijiroku: 「{output}」はフォルダです。書き出すファイル名（minutes/245.md など）を指定してください。",
              file=sys.stderr)
        return 1
    if path.exists() and not force:
        print(f"gijiroku: 「{output}」は既にあります。上書きするときは --force を付けてください。", file=sys.stderr)
        return 1
    if blocked := next((p for p in reversed(path.parents) if p.exists() and not p.is_dir()), None):
        print(f"gijiroku: 書き出す場所の「{blocked}」がフォルダではなくファイルです。何も書いていません。", file=sys.stderr)
        return 1
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_or_put_back(path, text)
    except OSError as err:
        print(f"gijiroku: 「{output}」を書けません（{err.strerror or err}）。", file=sys.stderr)
        return 1
    return 0


def _was(path: Path) -> bytes | bool:
    """What `path` holds before it is written: its bytes, or whether a name (a link) is there."""
    return path.read_bytes() if path.is_file() else path.is_symlink()


def _put_back(path: Path, before: bytes | bool) -> None:
    """`path` as `_was` found it: a file written half-way (a full disk) is neither the old nor the new."""
    if isinstance(before, bytes):
        path.write_bytes(before)
    elif not before:
        path.unlink(missing_ok=True)


def _write_or_put_back(path: Path, text: str) -> None:
    """Write `path`; when the write fails, put back what was there (found by an attack: --force over
    a meeting on a full disk left half the new one and not the one before) and raise."""
    before = _was(path)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError:
        _put_back(path, before)
        raise


def cmd_import(args) -> int:
    from .authoring.importer import import_minutes
    from .authoring.read import NotMinutes, read_input
    from .record.schema import WEB_URL

    if args.source_url is not None and not WEB_URL.match(args.source_url):
        print(f"gijiroku import: --source-url「{args.source_url}」は使えません。議事録 PDF の公式の URL を、"
              "https:// または http:// から書いてください。", file=sys.stderr)
        return 1
    try:
        found = read_input(args.input)
        result = import_minutes(found.text, _registry(_root(args, required=False)), number=args.number, source_url=args.source_url)
    except NotMinutes as err:
        print(f"gijiroku import: {err}", file=sys.stderr)
        return 1
    if found.radicals:
        print(f"警告: 部首の文字 {found.radicals} 個を漢字に直しました（⻑ → 長 など。PDF から写すと混じります）。",
              file=sys.stderr)
    for notice in result.notices:
        print(notice.format(), file=sys.stderr)
    source = _source_path(args)
    if source is not None and (problem := _source_problem(source)):
        print(problem, file=sys.stderr)
        return 1
    if source is not None and source.exists() and not args.force and source.read_bytes() != found.source.encode("utf-8"):
        print(f"gijiroku: 出典「{source}」は既にあります。上書きするときは --force を付けてください。", file=sys.stderr)
        return 1
    meeting = Path(args.output) if source is not None else None
    before = _was(meeting) if meeting is not None else None
    status = _write_text(result.text, args.output, args.force)
    if status == 0 and args.output not in (None, "-"):
        stem = Path(args.output).stem
        if result.number is not None and _absolute(args.output).parent.name == "minutes" and stem != str(result.number):
            print(f"警告: 第{result.number}回のファイル名は minutes/{result.number}.md にしてください。", file=sys.stderr)
        if source is not None:
            try:
                source.parent.mkdir(parents=True, exist_ok=True)
                _write_or_put_back(source, found.source)  # the source before, with --force, kept
            except OSError as err:  # both or neither: the meeting goes back to what it was
                _put_back(meeting, before)
                print(f"gijiroku: 出典「{source}」を書けません（{err.strerror or err}）。会議のファイルも書く前のまま"
                      "にしました。何も書いていません。", file=sys.stderr)
                return 1
            print(f"{args.output} と出典 {source} に書きました。内容を確かめ、gijiroku check を実行してください。",
                  file=sys.stderr)
        else:
            print(f"{args.output} に書きました。内容を確かめ、gijiroku check を実行してください。", file=sys.stderr)
    return status


def _source_path(args) -> Path | None:
    """Where the source goes: beside the meeting, `sources/<n>.txt` for `-o …/minutes/<n>.md`."""
    if args.output in (None, "-") or args.no_source:
        return None
    out = _absolute(args.output)
    if out.parent.name != "minutes" or out.suffix != ".md":
        return None
    return out.parent.parent / "sources" / f"{out.stem}.txt"


def _absolute(output: str) -> Path:
    """`-o` as the place it names: `-o 244.md` run inside minutes/, and `-o minutes/drafts/../244.md`
    (whose folder as typed is `..`: no source was written, found by an attack), are in minutes/."""
    return Path(os.path.abspath(output))


def _source_problem(source: Path) -> str | None:
    """Why the source cannot go beside the meeting, asked before the meeting is written: an import
    writes both or neither (a file named sources/ left the meeting written without its source and
    a traceback's last line, found by a clerk's attack)."""
    if source.parent.exists() and not source.parent.is_dir():
        path, what = source.parent, "フォルダではなくファイル"
    elif source.is_dir():
        path, what = source, "ファイルではなくフォルダ"
    else:
        return None
    return (f"gijiroku: 出典の置き場所「{path}」が{what}です。名前を変えて場所を空けるか、出典を書かないときは"
            " --no-source を付けてください。何も書いていません。")


def cmd_new(args) -> int:
    from .authoring.scaffold import next_number, parse_day, render_new_meeting, today_in_japan

    root = _root(args)
    number = args.number if args.number is not None else next_number(root)
    try:
        day = parse_day(args.date) if args.date else today_in_japan()
    except ValueError as err:
        print(f"gijiroku new: {err}", file=sys.stderr)
        return 1
    text = render_new_meeting(number, day, args.agenda or [], _registry(root).committee)
    output = args.output or str(root / "minutes" / f"{number}.md")
    status = _write_text(text, output, args.force)
    if status == 0 and output != "-":
        print(f"{output} を作りました（第{number}回、{day.isoformat()}）。"
              "「この行を…」の行を議事録の本文に置き換え、front matter を埋めてから gijiroku check を実行してください。",
              file=sys.stderr)
    return status


def cmd_add(args) -> int:
    """`gijiroku add commissioner|agency`: a registry file from flags or, on a terminal, questions."""
    from .authoring import registry_writer as rw
    from .record.registry import load_committee, load_registry

    root = _root(args)
    problems: list = []
    registry = load_registry(root, load_committee(root, problems), problems)
    for problem in problems:
        print(f"警告: 今の名簿に誤りがあります: {problem.format()}", file=sys.stderr)
    fields = ("id", "name", "role", "term_start", "term_end") if args.entry == "commissioner" else ("id", "name", "kind")
    given = {name: getattr(args, name) for name in fields}
    try:
        if sys.stdin.isatty() and not args.no_input:
            given = rw.ask(args.entry, given, registry.committee)
        path, text = rw.render_entry(args.entry, given, root, registry)
        rw.write_entry(path, text)
    except rw.Refused as err:
        print(f"gijiroku add: {err}", file=sys.stderr)
        return 1
    except FileExistsError:
        print(f"gijiroku add: {path} が書いている間に作られました。内容を確かめてください。", file=sys.stderr)
        return 1
    shown = path.relative_to(root).as_posix()
    print(f"--- {shown}\n{text}", end="")
    print(rw.next_step(args.entry, shown), file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    root_help = "プロジェクトのルート（既定: 今いるフォルダーか、その上で mkdocs.yml のあるフォルダー）"
    parser = argparse.ArgumentParser(prog="gijiroku", description="個人情報保護委員会の議事録サイトの道具")
    parser.add_argument("--root", default=None, help=root_help)
    common = argparse.ArgumentParser(add_help=False)  # --root after the command too (gijiroku check --root DIR)
    common.add_argument("--root", default=argparse.SUPPRESS, help=root_help)
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, **kw) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], **kw)

    p = command("check", help="すべての原稿を検査し、誤りをファイル名・行番号つきで示す")
    p.add_argument("--format", choices=["text", "github"], default="text",
                   help="github: プルリクエストの注釈（GitHub Actions）の形で出す")
    p.add_argument("--public-source", action="store_true",
                   help="非公表の本文が原稿に残っていれば誤りとする（公開リポジトリ用）")
    p.set_defaults(func=cmd_check)

    p = command("build", help="サイトを site/ に作る（検査・検索索引・漏えい検証を含む。失敗したら site/ は前のまま）")
    p.add_argument("--site-dir", help="出力先（既定: site/）")
    p.add_argument("--quiet", action="store_true", help="MkDocs の経過を表示しない")
    p.set_defaults(func=cmd_build)

    p = command("serve", help="サイトを作り http://127.0.0.1:8000/ で表示する（原稿を直すと作り直す）")
    p.add_argument("--dev-addr", default="127.0.0.1:8000", help="待ち受けるアドレス")
    p.set_defaults(func=cmd_serve)

    p = command("synth", help="ベンチマーク用に、実際の議事録と文書から合成した N 回分の会議と文書を DIR に書く")
    p.add_argument("--meetings", type=int, required=True, metavar="N", help="会議の数（第1回から第N回）")
    p.add_argument("--out", required=True, metavar="DIR", help="出力先（DIR/minutes/ と DIR/decisions/。空であること）")
    p.add_argument("--seed", type=int, default=0, help="乱数の種。同じ種・同じ元の記録からは同じ出力（既定: 0）")
    p.set_defaults(func=cmd_synth)
    p = command("import", help="議事録の PDF（または PDF から写したテキスト）を会議のファイル（minutes/N.md）に変換する")
    p.add_argument("input", help="議事録の PDF か、そのテキストファイル（- なら標準入力）")
    p.add_argument("-o", "--output", help="書き出すファイル（既定: 標準出力）。例 minutes/245.md")
    p.add_argument("--number", type=int, help="会議の回次（記録から読めないときや、読んだ値を改めるとき）")
    p.add_argument("--force", action="store_true", help="-o のファイルが既にあっても上書きする")
    p.add_argument("--source-url", metavar="URL",
                   help="議事録 PDF の公式の URL（https://…）。sources に記録する（省略すると url は null）")
    p.add_argument("--no-source", action="store_true",
                   help="出典（-o minutes/N.md のとき sources/N.txt に書く PDF のテキスト）を書かない")
    p.set_defaults(func=cmd_import)

    p = command("new", help="次の会議のファイルの雛形を minutes/ に作る（回次・日付・議題の見出し）")
    p.add_argument("--number", type=int, help="回次（既定: minutes/ にある最大の回次 + 1）")
    p.add_argument("--date", help="開催日（2023-05-31 や 令和5年5月31日。既定: 今日）")
    p.add_argument("--agenda", action="append", metavar="議題名", help="議題名（議題ごとに繰り返す）")
    p.add_argument("-o", "--output", help="書き出すファイル（既定: minutes/<回次>.md。- なら標準出力）")
    p.add_argument("--force", action="store_true", help="ファイルが既にあっても上書きする")
    p.set_defaults(func=cmd_new)

    p = command("add", help="委員・機関を名簿（docs/commissioners/、docs/agencies/）に登録する")
    kinds = p.add_subparsers(dest="entry", required=True)
    q = kinds.add_parser("commissioner", help="委員を登録する（id・記録の表記の姓・役職・在任期間）")
    q.add_argument("--id", help="英小文字・数字・ハイフンの id（ファイル名になる。例 tanno）")
    q.add_argument("--name", help="記録に印刷された姓（例 丹野）")
    q.add_argument("--role", help="役職（committee.yml の commissioner_titles のいずれか。例 委員長）")
    q.add_argument("--term-start", dest="term_start", help="就任日（2023-04-01 や 令和5年4月1日。省略すると不明）")
    q.add_argument("--term-end", dest="term_end", help="退任日（省略すると在任中・不明）")
    q.add_argument("--no-input", action="store_true", help="端末でも質問しない（足りない項目は誤りにする）")
    q.set_defaults(func=cmd_add)
    q = kinds.add_parser("agency", help="機関を登録する（id・機関名・種類）")
    q.add_argument("--id", help="英小文字・数字・ハイフンの id（ファイル名になる。例 digital-agency）")
    q.add_argument("--name", help="機関名（記録のとおり。例 デジタル庁）")
    q.add_argument("--kind", help="種類（committee.yml の agency_kinds のいずれか）")
    q.add_argument("--no-input", action="store_true", help="端末でも質問しない（足りない項目は誤りにする）")
    q.set_defaults(func=cmd_add)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except NotAProject as err:
        print(f"gijiroku: {err}", file=sys.stderr)
        return 2
    except Exception as err:  # never a traceback for staff; GIJIROKU_DEBUG=1 shows it to developers
        if os.environ.get("GIJIROKU_DEBUG"):
            raise
        detail = " ".join(str(err).split())
        print(f"gijiroku: 予期しない誤りで止まりました（{type(err).__name__}: {detail}）。"
              "入力を確かめ、解決しないときは GIJIROKU_DEBUG=1 を付けて実行した結果を開発担当に伝えてください。",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
