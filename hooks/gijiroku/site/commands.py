"""`gijiroku build` and `gijiroku serve`: MkDocs in a subprocess, and an all-or-nothing site/.

The package never imports MkDocs (see STYLE.md); it runs it. A build goes into a staging
directory; the hook module indexes and verifies it there; only a build that finished and
passed verification replaces `site/`. A failed build leaves the previous site untouched.

The staging directory holds pages that are not verified yet, so it never outlives its build:
Ctrl-C (SIGINT) or SIGTERM stops MkDocs and removes it, and a build removes what a build that
died harder (SIGKILL, a power cut) left behind. It lies outside docs/, so neither MkDocs' build
nor its `serve` (which builds into a temporary directory of its own) ever reads or serves it,
and .gitignore keeps it out of commits.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..processes import stopped_with_me
from ..record.problems import printable

# Seconds MkDocs gets to stop after SIGTERM before it is killed.
STOP_TIMEOUT = 10


def mkdocs_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *args]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a process of another user: alive
        return True
    return True


def remove_stale(site_dir: Path) -> list[Path]:
    """Remove the staging and old-site directories of builds of `site_dir` whose process is gone."""
    # A process number has at most 7 digits (Linux's largest is 4,194,304): a longer one names no build.
    pattern = re.compile(rf"^\.{re.escape(site_dir.name)}\.(?:staging|old)-([1-9]\d{{0,6}})$")
    removed = []
    if not site_dir.parent.is_dir():
        return removed
    for path in site_dir.parent.iterdir():
        m = pattern.match(path.name)
        if m and path.is_dir() and not path.is_symlink() and (int(m.group(1)) == os.getpid() or not _alive(int(m.group(1)))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


class _Interrupted(Exception):
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class _Signals:
    """SIGINT and SIGTERM raise _Interrupted while `armed`, and are held back while not (the swap
    of site/ must not stop half-way)."""

    def __init__(self):
        self.armed = True
        self.pending: int | None = None
        self.previous: dict[int, object] = {}

    def __enter__(self):
        if threading.current_thread() is not threading.main_thread():
            return self  # only the main thread may set handlers; a caller in a thread handles its own
        for signum in (signal.SIGINT, signal.SIGTERM):
            self.previous[signum] = signal.signal(signum, self.handle)
        return self

    def handle(self, signum, frame):
        if self.armed:
            raise _Interrupted(signum)
        self.pending = signum

    def __exit__(self, *exc):
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        return False


def _stop(process: subprocess.Popen) -> None:
    """Stop MkDocs: SIGTERM, then SIGKILL if it does not end in time."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# What a project is made of: the swap of the site must never replace one of these (or the project).
PROJECT_PARTS = ("committee.yml", "mkdocs.yml", "minutes", "decisions", "docs", "sources", "incoming",
                 "overrides", "hooks", "tests", "bench", "mutation", ".git", ".github", ".ci", ".devcontainer", ".venv")


def _project_part(root: Path, site_dir: Path) -> str | None:
    """What of the project `site_dir` (resolved) is, as the message says it; None for a folder of its own."""
    project = root.resolve()
    if project.is_relative_to(site_dir):
        return "プロジェクトのフォルダ" if site_dir == project else f"プロジェクト {project} を含むフォルダ"
    for name in PROJECT_PARTS:
        for part in {project / name, (root / name).resolve()}:
            if site_dir.is_relative_to(part) and (part.exists() or part.is_symlink()):
                return f"プロジェクトの {name}" + ("" if site_dir == part else " の中のフォルダ")
    if site_dir.exists() and not site_dir.is_dir():
        return "フォルダでなくファイル"
    return None


def _foreign_files(site_dir: Path) -> list[str]:
    """The names in an existing folder given for the site that is neither empty nor a site this
    tool built (its index.html and assets/theme.js): the swap would delete them. [] otherwise."""
    if not site_dir.is_dir():
        return []
    names = sorted(p.name for p in site_dir.iterdir())
    if not names or ((site_dir / "index.html").is_file() and (site_dir / "assets" / "theme.js").is_file()):
        return []
    return names


def _cannot_make(site_dir: Path) -> str | None:
    """Why the build could not make `site_dir` (resolved) and its staging folder beside it; None if it can."""
    ancestor = next((p for p in site_dir.parents if p.exists()), None)
    if ancestor is not None and not ancestor.is_dir():
        return f"{ancestor} がフォルダでなくファイルです"
    if len(f".{site_dir.name}.staging-{os.getpid()}".encode()) > 255:  # a name's limit on every common file system
        return "名前が長すぎます。作業用のフォルダ（.名前.staging-番号）の名前が 255 バイトを超えます"
    return None


def _lost(old: Path, new: Path) -> list[str]:
    """What of the folder `old` the folder `new` has not (files and links, as paths relative to
    `old`): what swapping `new` in for `old` would delete."""
    lost = []
    for folder, dirs, files in os.walk(old):
        here = Path(folder)
        for name in files + [d for d in dirs if (here / d).is_symlink()]:
            rel = (here / name).relative_to(old)
            if not (new / rel).is_file() and not (new / rel).is_symlink():
                lost.append(rel.as_posix())
    return sorted(lost)


def _named(names: list[str], limit: int = 3) -> str:
    shown = "、".join(printable(name) for name in names[:limit])
    return shown + (f" ほか {len(names) - limit} 件" if len(names) > limit else "")


def build(root: Path, site_dir: Path | None = None, quiet: bool = False) -> int:
    """Build strictly into a staging directory, then swap it in for `site_dir` (default site/).

    A `site_dir` that is a symbolic link is refused: the swap would empty the folder it leads to,
    and a link committed as site/ could lead to any folder of whoever builds."""
    given = site_dir or root / "site"
    if given.is_symlink():
        print(f"出力先 {printable(str(given))} はシンボリックリンク（{printable(os.readlink(given))}）です。サイトを作ると、リンクの先のフォルダの"
              "中身が消えて置き換わります。リンクを消すか、--site-dir に実際のフォルダを指定してください。", file=sys.stderr)
        return 1
    site_dir = given.resolve()
    held = _project_part(root, site_dir)
    if held is not None:
        print(f"出力先 {printable(str(given))} は{printable(held)}です。サイトを作ると、そこにあったものが消えてサイトに置き換わります。"
              "--site-dir にはプロジェクトの原稿やプログラムのない、サイト用のフォルダを指定してください（既定は site/）。",
              file=sys.stderr)
        return 1
    unmade = _cannot_make(site_dir)
    if unmade is not None:
        print(f"出力先 {printable(str(given))} は作れません（{printable(unmade)}）。--site-dir に別のフォルダを指定してください。",
              file=sys.stderr)
        return 1
    # The project's own site/ (not a link) is the site's folder whatever it holds; any other folder
    # given is one of the reader's: it is replaced only when it holds nothing or an earlier site,
    # and (after the build) only when the new site holds everything it held.
    own = root / "site"
    guarded = own.is_symlink() or site_dir != own.resolve()
    foreign = _foreign_files(site_dir) if guarded else []
    if foreign:
        print(f"出力先 {printable(str(given))} には、このツールが作ったサイトでないもの（{_named(foreign)}）があります。サイトを作ると、"
              "それらが消えてサイトに置き換わります。--site-dir には空のフォルダか、まだないフォルダ、または前にサイトを"
              "作ったフォルダを指定してください。", file=sys.stderr)
        return 1
    staging = site_dir.parent / f".{site_dir.name}.staging-{os.getpid()}"
    old = site_dir.parent / f".{site_dir.name}.old-{os.getpid()}"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    cmd = mkdocs_command("build", "--strict", "--clean", "--site-dir", str(staging))
    if quiet:
        cmd.append("--quiet")
    process = None
    with _Signals() as signals:
        try:
            remove_stale(site_dir)
            process = subprocess.Popen(cmd, cwd=root, env=env, preexec_fn=stopped_with_me)
            returncode = process.wait()
            signals.armed = False  # from here to the end of the swap, a signal waits
        except _Interrupted as interrupted:
            signals.armed = False
            if process is not None:
                _stop(process)
            shutil.rmtree(staging, ignore_errors=True)
            name = "Ctrl-C、SIGINT" if interrupted.signum == signal.SIGINT else "SIGTERM"
            print(f"中断しました（{name}）。作りかけのサイトは消去し、{site_dir} は前のままです。", file=sys.stderr)
            return 128 + interrupted.signum
        if returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            print(f"サイトを作れませんでした。{site_dir} は前のままです。", file=sys.stderr)
            return returncode if returncode > 0 else 1
        lost = _lost(site_dir, staging) if guarded and site_dir.is_dir() else []
        if lost:
            shutil.rmtree(staging, ignore_errors=True)
            print(f"出力先 {printable(str(given))} には、作ったサイトにないもの（{_named(lost)}）があるため、サイトを入れ替えませんでした"
                  f"（入れ替えると消えます）。{printable(str(given))} は前のままです。残したいものを別の場所へ移すか、"
                  "--site-dir に別のフォルダを指定してください。", file=sys.stderr)
            return 1
        if site_dir.exists():
            site_dir.rename(old)
        staging.rename(site_dir)
        shutil.rmtree(old, ignore_errors=True)
    if signals.pending is not None:
        print(f"中断の合図を受けましたが、{site_dir} の更新は済んでいました。", file=sys.stderr)
        return 128 + signals.pending
    if not quiet:
        print(f"{site_dir} を更新しました（{time.perf_counter() - started:.1f} 秒）。", file=sys.stderr)
    return 0


def serve(root: Path, address: str = "127.0.0.1:8000") -> int:
    """`mkdocs serve --dirty`: after an edit only the pages whose generated source changed are
    rebuilt (see session.SourceFiles), and the verifier scans only the files rewritten. A build
    that fails shows the checker's messages in the browser until the source is fixed
    (site/serve_errors.py). Not strict: `make build` and CI are."""
    taken = address_problem(address)
    if taken:  # MkDocs would build the whole site first, then stop with a traceback
        print(f"gijiroku: {taken}", file=sys.stderr)
        return 1
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return _run_until_stopped(mkdocs_command("serve", "--dirty", "--no-strict", "--dev-addr", address), root, env)


def address_problem(address: str) -> str | None:
    """Why `serve` cannot listen at `address` (host:port), in a clerk's words; None when it can."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        return f"--dev-addr「{address}」は「127.0.0.1:8000」のように「アドレス:ポート番号」で書いてください。"
    host = host.strip("[]")
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as MkDocs' server binds
            probe.bind((host, int(port)))
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            return (f"{address} はほかのプログラム（別の gijiroku serve など）が使っています。そちらを止めるか、"
                    f"--dev-addr {host}:{int(port) + 1} のように別のポートを指定してください。")
        return f"{address} で待ち受けられません（{err.strerror}）。--dev-addr のアドレスを確かめてください。"
    return None


def _run_until_stopped(cmd: list[str], root: Path, env: dict) -> int:
    """Run MkDocs until it ends. Ctrl-C or SIGTERM to `gijiroku serve` stops it too: left running,
    it would hold the port and the terminal after the command that started it is gone."""
    process = None
    with _Signals():
        try:
            process = subprocess.Popen(cmd, cwd=root, env=env, preexec_fn=stopped_with_me)
            return process.wait()
        except (_Interrupted, KeyboardInterrupt):
            if process is not None:
                _stop(process)
            return 0
