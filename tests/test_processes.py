"""The build's processes of their own end with it (hooks/gijiroku/processes.py): a build killed
outright (SIGKILL, or MkDocs stopped by `gijiroku build` on Ctrl-C) leaves no process waiting for
work. A pool's worker waits on a queue whose both ends it holds, so before, the worker of the
read-ahead (record/ahead.py) and of the fence's and the verifier's own pools waited forever."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, process_running

KILLED = """\
import os, signal, sys
from pathlib import Path
from gijiroku import processes
from gijiroku.record.ahead import ReadAhead
if __name__ == '__main__':
    if sys.argv[1] == 'pool':
        pool = processes.spawned_pool(2, print, ('started',))
        pids = [pool.submit(os.getpid).result() for _ in range(4)]
        workers = list(pool._processes)
    else:  # the read-ahead of `load_record`, killed before the build took its answer
        ahead = ReadAhead(Path(sys.argv[2]))
        ahead.start([], [])
        ahead._pool.submit(os.getpid).result()
        workers = list(ahead._pool._processes)
    print(' '.join(str(p) for p in workers), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _killed(tmp_path: Path, what: str) -> tuple[list[int], str]:
    """The worker processes of a process that made `what` and was killed outright, and its output."""
    (tmp_path / "killed.py").write_text(KILLED, encoding="utf-8")
    with (tmp_path / "out").open("w") as out:  # not a pipe, which a worker left behind would hold open
        subprocess.run([sys.executable, str(tmp_path / "killed.py"), what, str(tmp_path)], stdout=out, timeout=120,
                       env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    output = (tmp_path / "out").read_text()
    workers = [int(pid) for pid in output.split() if pid.isdigit()]
    assert workers, output
    return workers, output


def _ended(workers: list[int]) -> bool:
    deadline = time.monotonic() + 15
    while any(process_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(process_running(pid) for pid in workers)


def test_a_spawned_pool_ends_with_the_process_that_made_it(tmp_path):
    workers, output = _killed(tmp_path, "pool")
    assert "started" in output  # the pool's own initializer ran, after processes.die_with
    assert _ended(workers)


def test_the_read_ahead_ends_with_the_build(tmp_path):
    assert _ended(_killed(tmp_path, "ahead")[0])


def test_a_plain_pool_would_have_waited(tmp_path):
    """The test above can fail: a pool made without `spawned_pool` outlives its maker."""
    script = ("import concurrent.futures, multiprocessing, os, signal\n"
              "if __name__ == '__main__':\n"
              "    pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context('spawn'))\n"
              "    pool.submit(os.getpid).result()\n"
              "    print(' '.join(str(p) for p in pool._processes), flush=True)\n"
              "    os.kill(os.getpid(), signal.SIGKILL)\n")
    (tmp_path / "plain.py").write_text(script, encoding="utf-8")
    with (tmp_path / "out").open("w") as out:  # not a pipe: the worker left would hold it open
        subprocess.run([sys.executable, str(tmp_path / "plain.py")], stdout=out, timeout=120)
    workers = [int(pid) for pid in (tmp_path / "out").read_text().split()]
    assert workers
    try:
        time.sleep(2)
        assert all(process_running(pid) for pid in workers)
    finally:
        for pid in workers:
            os.kill(pid, 9)


def test_every_pool_of_the_package_is_a_spawned_pool():
    """No module makes a process pool of its own: each is `processes.spawned_pool`, whose workers
    end with the build."""
    def named(func: ast.expr) -> str | None:
        return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None

    made = []
    for path in sorted((ROOT / "hooks" / "gijiroku").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and named(node.func) in ("ProcessPoolExecutor", "Pool"):
                made.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}")
    assert len(made) == 1 and made[0].startswith("hooks/gijiroku/processes.py:"), made


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def test_mkdocs_stops_when_gijiroku_build_is_killed(tmp_path):
    """`gijiroku build` runs MkDocs in a process of its own: killed outright, it left MkDocs building
    on into its staging folder (found by a clerk's attack). MkDocs is told to stop."""
    import signal

    from conftest import make_project
    from gijiroku.synth.corpus import synthesize, write_corpus

    root = make_project(tmp_path / "p", fixture=None)  # sixty meetings: MkDocs builds for seconds
    write_corpus(synthesize(ROOT, 60, 0), root)
    for kind in ("commissioners", "agencies"):
        shutil.copytree(ROOT / "docs" / kind, root / "docs" / kind, dirs_exist_ok=True)
    with (tmp_path / "out").open("w") as out:
        build = subprocess.Popen([sys.executable, "-m", "gijiroku.cli", "--root", str(root), "build", "--quiet"],
                                 stdout=out, stderr=out, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
        deadline = time.monotonic() + 60
        while not _children(build.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        mkdocs = _children(build.pid)
        assert mkdocs, (tmp_path / "out").read_text()
        while not list(root.glob(".site.staging-*")) and time.monotonic() < deadline:  # MkDocs begins to write
            time.sleep(0.01)
        os.kill(build.pid, signal.SIGKILL)
        killed = time.monotonic()
        build.wait()
        while any(process_running(pid) for pid in mkdocs) and time.monotonic() < killed + 60:
            time.sleep(0.05)
        assert not any(process_running(pid) for pid in mkdocs)
    # MkDocs stopped where it was: it never got to the sitemap, which it writes last
    assert list(root.glob(".site.staging-*")), "the build had not begun to write"
    assert not list(root.glob(".site.staging-*/sitemap.xml")), "MkDocs built on to the end"
