"""Pages scanned as MkDocs writes them, on the cores that rendering leaves idle.

MkDocs renders pages one after another on one core. As each page is final (`on_post_page`,
after `csp.apply`), its HTML goes, in batches, to worker processes on the other cores, which
make the bytes MkDocs writes (`utf-8`, `xmlcharrefreplace`) and run on them both checks of the
finished site: the markup fence (`csp.page_problems`) and the disclosure verifier's scan
(`verify.scan_bytes`). Each result is kept with the size and SHA-256 of those bytes.

Nothing is trusted for being scanned early. After MkDocs, the fence (`csp.site_problems`) and
the verifier (`verify.scan`) list every file under the site as before and read each one; a page
whose file holds exactly the scanned bytes (same size and SHA-256) takes the early result, and
every other file (static files, JSON, feeds, the search index, a page a later plugin rewrote or
that was not sent here) is scanned from disk, in the same workers. A page sent while too many
others wait is not sent at all (it is scanned from disk), so the pages waiting here stay small.

The workers are spawned, not forked (a forked copy of the MkDocs process grows to its size),
hold the verifier's automaton from their start (`verify._start_worker`), and run at a lower
priority than MkDocs, whose rendering is the build's critical path: they take the idle core.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import multiprocessing
import os
from pathlib import Path

from ..disclosure import verify
from . import csp

WAITING = 4_000_000  # characters of pages sent and not yet scanned; a page beyond them is scanned from disk
BATCH = 500_000  # characters of pages sent to a worker at once (each sending wakes this process' threads)
WORKERS = 4  # at most; one per core
NICER = 5  # the workers' niceness above MkDocs'


def _start_worker(automaton, reader: verify.Reader) -> None:
    with contextlib.suppress(OSError):
        os.nice(NICER)
    verify._start_worker(automaton, reader)


def _scan_pages(pages: list[tuple[str, str]], prefix: str) -> list[tuple[str, int, bytes, verify.Found, list]]:
    return [_scan_page(rel, html, prefix) for rel, html in pages]


def _scan_page(rel: str, html: str, prefix: str) -> tuple[str, int, bytes, verify.Found, list]:
    """In a worker: a page's bytes as MkDocs writes them, scanned by the verifier and the fence."""
    data = html.encode("utf-8", errors="xmlcharrefreplace")  # as mkdocs.commands.build._build_page
    worker = verify._WORKER
    found = verify.scan_bytes(data, rel, worker["automaton"], worker["reader"])
    problems = csp.page_problems(csp.page_text(data), rel, None, prefix)
    return rel, len(data), hashlib.sha256(data).digest(), found, problems


class Prescan:
    """The pages of one build scanned as they are written (see the module docstring)."""

    def __init__(self, prepared: verify.Prepared, site_dir: Path, prefix: str, workers: int) -> None:
        self.prepared, self.prefix = prepared, prefix
        # Batches scanned at once while MkDocs renders: one core is MkDocs'. (The pool starts a
        # worker only when none is idle, so the others start after MkDocs, for the rest.)
        self.rendering = max(1, workers - 1)
        reader = verify.Reader(site_dir, prepared.reviewed, False)  # pages: never search-index chunks
        self.pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker, initargs=(prepared.automaton, reader))
        self._waiting: dict[concurrent.futures.Future, int] = {}
        self._done: list[concurrent.futures.Future] = []
        self._batch: list[tuple[str, str]] = []
        self._batched = 0  # characters in _batch
        self._results: dict[str, tuple] | None = None

    @staticmethod
    def workers() -> int:
        """How many worker processes: one per core, at most WORKERS; 0 (no prescan) on one core."""
        cores = os.cpu_count() or 1
        return min(cores, WORKERS) if cores > 1 else 0

    def send(self, rel: str, html: str) -> None:
        """Scan a page (`rel` its path in the site) in a worker, unless too much already waits."""
        if not rel.endswith(".html") or self._results is not None:
            return
        for future in [f for f in self._waiting if f.done()]:
            del self._waiting[future]
            self._done.append(future)
        if sum(self._waiting.values()) + self._batched + len(html) > WAITING:
            return  # scanned from disk after MkDocs
        self._batch.append((rel, html))
        self._batched += len(html)
        if self._batched >= BATCH and len(self._waiting) < self.rendering:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self._waiting[self.pool.submit(_scan_pages, self._batch, self.prefix)] = self._batched
            self._batch, self._batched = [], 0

    def results(self) -> dict[str, tuple]:
        """Every page scanned: path -> (size, SHA-256, what the verifier found, the fence's problems)."""
        if self._results is None:
            self._flush()
            self._results = {}
            for future in [*self._done, *self._waiting]:
                if future.exception() is None:  # pages whose scan failed are scanned from disk
                    for rel, size, digest, found, problems in future.result():
                        self._results[rel] = (size, digest, found, problems)
            self._done, self._waiting = [], {}
        return self._results

    def fenced(self) -> dict[str, tuple[int, bytes, list]]:
        """For `csp.site_problems`: page -> (size, SHA-256, problems)."""
        return {rel: (size, digest, problems) for rel, (size, digest, _, problems) in self.results().items()}

    def written(self) -> dict[str, verify.Written]:
        """For `verify.scan`: page -> `verify.Written`."""
        return {rel: verify.Written(size, digest, found) for rel, (size, digest, found, _) in self.results().items()}

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
