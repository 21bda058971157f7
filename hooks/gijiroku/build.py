"""`gijiroku build` and `gijiroku serve`: MkDocs in a subprocess, and an all-or-nothing site/.

The package never imports MkDocs (see STYLE.md); it runs it. A build goes into a staging
directory; the hook module indexes and verifies it there; only a build that finished and
passed verification replaces `site/`. A failed build leaves the previous site untouched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def mkdocs_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *args]


def build(root: Path, site_dir: Path | None = None, quiet: bool = False) -> int:
    """Build strictly into a staging directory, then swap it in for `site_dir` (default site/)."""
    site_dir = (site_dir or root / "site").resolve()
    staging = site_dir.parent / f".{site_dir.name}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    cmd = mkdocs_command("build", "--strict", "--clean", "--site-dir", str(staging))
    if quiet:
        cmd.append("--quiet")
    result = subprocess.run(cmd, cwd=root, env=env)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"サイトを作れませんでした。{site_dir} は前のままです。", file=sys.stderr)
        return result.returncode or 1
    old = site_dir.parent / f".{site_dir.name}.old-{os.getpid()}"
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    if not quiet:
        print(f"{site_dir} を更新しました（{time.perf_counter() - started:.1f} 秒）。", file=sys.stderr)
    return 0


def serve(root: Path, address: str = "127.0.0.1:8000") -> int:
    """`mkdocs serve --dirty`: after an edit only the pages whose generated source changed are
    rebuilt (see sitebuild.materialize), and the verifier scans only the files rewritten.
    Not strict: MkDocs itself warns that a dirty build is being performed. `make build` and CI are."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    try:
        return subprocess.run(mkdocs_command("serve", "--dirty", "--no-strict", "--dev-addr", address), cwd=root, env=env).returncode
    except KeyboardInterrupt:
        return 0

