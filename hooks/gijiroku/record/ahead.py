"""Part of the record (the last third of minutes/ and the decisions) parsed in a process of its
own while the build parses the rest: reading on two cores (`with ReadAhead(root) as ahead:
load_record(root, cache, ahead=ahead.start)`; leaving the block lets the process go).

Nothing is trusted for having been parsed elsewhere: each result comes keyed by the bytes of the
file and the fingerprint of the registries it was parsed against (`loader.parse_ahead`), and
`load_record` takes it only through its parse cache, so a file or registry that changed in
between is parsed again. A process that fails or cannot start gives nothing, and `load_record`
parses every file itself, as without it (a mistake in the code fails there, as it would).
"""

from __future__ import annotations

import concurrent.futures
import os
from collections.abc import Callable
from pathlib import Path

from ..processes import spawned_pool
from .loader import parse_ahead


class ReadAhead:
    """One process for one load, spawned as the build's other workers are (a forked copy of a
    large process grows to its size); none on a machine of one core."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    def start(self, minutes: list[Path], decisions: list[Path]) -> Callable[[], list]:
        """Parse these files in the process; returns what waits for the results ([] on any failure)."""
        if (os.cpu_count() or 1) < 2:  # the process would take turns with this one
            return list
        try:
            self._pool = spawned_pool(1)
            future = self._pool.submit(parse_ahead, self.root, minutes, decisions)
        except (OSError, RuntimeError):  # no process to be had: parsed here
            self.close()
            return list

        def results() -> list:
            try:
                return future.result()
            except Exception:  # noqa: BLE001 - the process died or the parse failed: parsed here, where it fails again
                return []
            finally:
                self.close()

        return results

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
