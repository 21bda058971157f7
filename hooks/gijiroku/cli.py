"""The `gijiroku` command: check, build, serve, import, new, synth."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _root(args) -> Path:
    return Path(args.root).resolve()


def cmd_check(args) -> int:
    from .check import check

    root = _root(args)
    _, problems = check(root, public_source=args.public_source)
    for problem in problems:
        print(problem.format_github() if args.format == "github" else problem.format())
    if problems:
        print(f"{len(problems)} 件のエラーがあります。", file=sys.stderr)
        return 1
    print("問題はありません。", file=sys.stderr)
    return 0


def cmd_build(args) -> int:
    from .build import build

    return build(_root(args), Path(args.site_dir) if args.site_dir else None, quiet=args.quiet)


def cmd_serve(args) -> int:
    from .build import serve

    return serve(_root(args), args.dev_addr)


def cmd_synth(args) -> int:
    from .synth import synthesize, write_corpus

    out = Path(args.out)
    try:
        corpus = synthesize(_root(args), args.meetings, args.seed)
        write_corpus(corpus, out)
    except (ValueError, FileExistsError) as err:
        print(err, file=sys.stderr)
        return 1
    print(f"{out} に会議 {corpus.meetings} 回（議題 {corpus.items} 件、うち非公表 {corpus.withheld} 件・"
          f"後日公表 {corpus.deferred} 件）と文書 {corpus.decisions} 件を書きました。", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gijiroku", description="個人情報保護委員会の議事録サイトの道具")
    parser.add_argument("--root", default=".", help="プロジェクトのルート（既定: カレントディレクトリ）")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="すべての原稿を検査し、誤りをファイル名・行番号つきで示す")
    p.add_argument("--format", choices=["text", "github"], default="text",
                   help="github: プルリクエストの注釈（GitHub Actions）の形で出す")
    p.add_argument("--public-source", action="store_true",
                   help="非公表の本文が原稿に残っていれば誤りとする（公開リポジトリ用）")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("build", help="サイトを site/ に作る（検査・検索索引・漏えい検証を含む。失敗したら site/ は前のまま）")
    p.add_argument("--site-dir", help="出力先（既定: site/）")
    p.add_argument("--quiet", action="store_true", help="MkDocs の経過を表示しない")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("serve", help="サイトを作り http://127.0.0.1:8000/ で表示する（原稿を直すと作り直す）")
    p.add_argument("--dev-addr", default="127.0.0.1:8000", help="待ち受けるアドレス")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("synth", help="ベンチマーク用に、実際の議事録と文書から合成した N 回分の会議と文書を DIR に書く")
    p.add_argument("--meetings", type=int, required=True, metavar="N", help="会議の数（第1回から第N回）")
    p.add_argument("--out", required=True, metavar="DIR", help="出力先（DIR/minutes/ と DIR/decisions/。空であること）")
    p.add_argument("--seed", type=int, default=0, help="乱数の種。同じ種・同じ元の記録からは同じ出力（既定: 0）")
    p.set_defaults(func=cmd_synth)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
