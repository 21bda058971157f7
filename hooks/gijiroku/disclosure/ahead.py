"""The verifier's preparation (`verify.prepare`) made in a forked process while the build
generates its pages (`PrepareAhead`).

`prepare` reads the withheld passages from the sources, folds the whole public text and finds
which windows of the passages it prints: 1.4 to 2.4 s at 1000 meetings, and it grows faster than
the record (the automaton's hits). A command-line build needs it at the first page MkDocs writes
(site/prescan.py); made there, it stood in the way of every page. Generating the pages leaves
the other core idle: a forked copy of the build, holding the same record, makes it there.

Nothing is trusted for having been made elsewhere beyond what the build's own code made: the
child runs the same function on the same objects, and sends back its result, pickled, through a
pipe (never a file: it holds the withheld text). It sends the secrets, the automaton and the
search index's windows (`Prepared.ahead`: a few MB), not the public text (49 MB at 2000
meetings), which only those windows needed. A child that fails, dies or does not answer in time
gives nothing, and the build prepares in its own process, as without it.

The build freezes what it holds before the fork (gc.freeze) and the child collects nothing: a
collection would write to every object the build holds and copy each page of them.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import threading
from collections.abc import Callable

from ..processes import die_with
from .verify import Prepared


class PrepareAhead:
    """`compute` (a call of `verify.prepare`) run in a forked child from now on; `result` waits
    for it. No child where there is no fork, on one core, or if the fork fails."""

    def __init__(self, compute: Callable[[], Prepared]) -> None:
        self._pid: int | None = None
        self._thread: threading.Thread | None = None
        self._data = b""
        self._ok = False
        if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
            return
        read, write = os.pipe()
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: never returns
            os.close(read)
            _child(compute, write, parent)
        os.close(write)
        self._pid = pid
        self._thread = threading.Thread(target=self._collect, args=(read,), name="gijiroku-prepare-ahead", daemon=True)
        self._thread.start()

    def _collect(self, read: int) -> None:
        """In a thread of the build: the child's answer, read as it comes (so that the child
        never waits on a full pipe), then its exit status."""
        with os.fdopen(read, "rb") as pipe:
            self._data = pipe.read()
        try:
            _, status = os.waitpid(self._pid, 0)
            self._ok = os.waitstatus_to_exitcode(status) == 0
        except ChildProcessError:  # reaped by someone else (SIGCHLD ignored): the answer is whole or unpickles to nothing
            self._ok = True

    def result(self, timeout: float) -> Prepared | None:
        """The child's `Prepared`, waiting at most `timeout` seconds; None if there is no child,
        it failed, or it is still at work (then it is stopped)."""
        if self._thread is None:
            return None
        self._thread.join(timeout)
        if self._thread.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._thread.join()
            return None
        self._thread = None
        data, self._data = self._data, b""
        if not self._ok or not data:
            return None
        try:
            prepared = pickle.loads(data)
        except Exception:  # noqa: BLE001 - whatever went wrong, the build prepares for itself
            return None
        return prepared if isinstance(prepared, Prepared) else None


def _child(compute: Callable[[], Prepared], write: int, parent: int) -> None:
    code = 1
    try:
        die_with(parent)
        gc.disable()
        data = pickle.dumps(compute(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        code = 0
    except BaseException:  # noqa: BLE001, S110 - the exit status says it failed; the build prepares for itself
        pass
    finally:
        os._exit(code)
