"""What the build's processes of their own share: they end with the build's process."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal


def die_with(parent: int) -> None:
    """In a child of the build's process `parent`: a build that ends before it takes the child's
    answer (refused, interrupted, killed) takes the child with it: the kernel kills the child when
    the build's process ends (Linux; elsewhere the child runs to its end)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the build ended before the call above
        os._exit(1)
