"""What the build's processes of their own share: they end with the build's process."""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable


def die_with(parent: int) -> None:
    """In a child of the build's process `parent`: a build that ends before it takes the child's
    answer (refused, interrupted, killed) takes the child with it: the kernel kills the child when
    the build's process ends (Linux; elsewhere the child runs to its end)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the build ended before the call above
        os._exit(1)


def stopped_with_me() -> None:
    """A `preexec_fn` for MkDocs' process under `gijiroku build` and `serve`: the kernel sends it
    SIGTERM when the gijiroku process ends (killed outright, its terminal closed), so that MkDocs
    does not build on, or hold the port, for nobody (found by a clerk's attack: it wrote its
    staging folder on after `kill -9`). MkDocs' own processes end with it (`spawned_pool`)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def spawned_pool(workers: int, initializer: Callable | None = None, initargs: tuple = ()) -> concurrent.futures.ProcessPoolExecutor:
    """A pool of `workers` spawned processes (a forked copy of the MkDocs process grows to its size,
    and a build under serve runs threads) that end with this process (`die_with`): a pool's worker
    waits on a queue whose both ends it holds, so a build killed outright left it waiting forever.
    `initializer(*initargs)` runs in each worker after that."""
    return concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                                  initializer=_start, initargs=(os.getpid(), initializer, initargs))


def _start(parent: int, initializer: Callable | None, initargs: tuple) -> None:
    die_with(parent)
    if initializer is not None:
        initializer(*initargs)
