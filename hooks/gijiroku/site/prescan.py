"""Pages scanned as MkDocs writes them, on the cores that rendering leaves idle.

MkDocs renders pages one after another on one core, and writes each page before it renders the
next. As each page is final (`on_post_page`, after `csp.apply`), the page before it is on disk:
its path goes, in batches, to worker processes on the other cores, which read the file's bytes
and run on them both checks of the finished site: the markup fence (`csp.page_problems`) and
the disclosure verifier's scan (`verify.scan_bytes`). Each result is kept with the size and
SHA-256 of the bytes read. Only paths cross to the workers, never pages.

After MkDocs, the pages not sent yet go to a worker (`flush`), then every other file MkDocs
and the hook wrote (the JSON API, the feeds, the sitemap, the theme's files) for the verifier's
scan (`send_files`), while this process writes the search index, and so do the index's files of
each page as they are written (`send_index`); its chunks and whatever was not sent are scanned
after it, by the verifier. The fence's findings are taken after the index (`fenced`): the
workers finish the last pages MkDocs wrote while this process indexes, instead of it waiting.

Nothing is trusted for being scanned early. After MkDocs, the fence (`csp.site_problems`) and
the verifier (`verify.scan`) list every file under the site as before and read each one; a page
whose file holds exactly the scanned bytes (same size and SHA-256) takes the early result, and
every other file (static files, JSON, feeds, the search index, a page a later plugin rewrote or
that was not scanned yet) is scanned from disk, in the same workers.

The workers are spawned, not forked (a forked copy of the MkDocs process grows to its size),
hold the verifier's automaton from their start (`verify._start_worker`), and run at a lower
priority than MkDocs, whose rendering is the build's critical path. While MkDocs renders, the
pages go to as many workers as there are cores besides MkDocs'; the pages not sent by then go
to every worker once MkDocs is done.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import os
from pathlib import Path

from ..disclosure import verify
from ..processes import spawned_pool
from . import csp

BATCH = 32  # pages a worker is sent at once (each sending wakes this process' threads)
INDEX_BATCH = 256  # files of the search index a worker is sent at once (a few KB each)
WORKERS = 4  # at most; one per core
NICER = 5  # the workers' niceness above MkDocs'


def _start_worker(automaton, reader: verify.Reader) -> None:
    with contextlib.suppress(OSError):
        os.nice(NICER)
    verify._start_worker(automaton, reader)


def _scan_pages(pages: list[str], prefix: str | None) -> list[tuple[str, int, bytes, verify.Found, list]]:
    """In a worker: each page's file read once, scanned by the verifier and, with the site's
    `prefix`, the fence (None: a file that is no page, for the verifier only). A file not there
    (MkDocs writes no empty page) or unreadable now is left out: the scan after reads it from disk."""
    worker = verify._WORKER
    out = []
    for rel in pages:
        try:
            data = (worker["reader"].site_dir / rel).read_bytes()
        except OSError:
            continue
        found = verify.scan_bytes(data, rel, worker["automaton"], worker["reader"])
        problems = csp.page_problems(csp.page_text(data), rel, None, prefix) if prefix is not None else []
        out.append((rel, len(data), hashlib.sha256(data).digest(), found, problems))
    return out


class Prescan:
    """The pages of one build scanned as they are written (see the module docstring)."""

    def __init__(self, prepared: verify.Prepared, site_dir: Path, prefix: str, workers: int) -> None:
        self.prepared, self.prefix = prepared, prefix
        # Batches scanned at once while MkDocs renders: one core is MkDocs'. (The pool starts a
        # worker only when none is idle, so the others start after MkDocs.)
        self.rendering = max(1, workers - 1)
        reader = verify.Reader(site_dir, prepared.reviewed, False)  # pages: never search-index chunks
        # An interrupted build leaves no worker waiting for work (processes.spawned_pool).
        self.pool = spawned_pool(workers, _start_worker, (prepared.automaton, reader))
        self._writing: str | None = None  # the page MkDocs writes now
        self._written: list[str] = []  # pages on disk, not sent yet
        self._waiting: list[concurrent.futures.Future] = []
        self._busy: list[concurrent.futures.Future] = []  # jobs sent (pages, files) not done at the last look
        self._results: dict[str, tuple] | None = None
        self._files: list[concurrent.futures.Future] = []  # the other files' scans (send_files, send_index)
        self._index: list[str] = []  # files of the search index written, not sent yet

    @staticmethod
    def workers() -> int:
        """How many worker processes: one per core, at most WORKERS; 0 (no prescan) on one core."""
        cores = os.cpu_count() or 1
        return min(cores, WORKERS) if cores > 1 else 0

    def send(self, rel: str) -> None:
        """`rel` (a path in the site) is the page MkDocs writes next: the one before is written."""
        if self._results is not None:
            return
        if self._writing is not None:
            self._written.append(self._writing)
        self._writing = rel if rel.endswith(".html") else None
        if len(self._written) >= BATCH and self._idle():
            self._submit()

    def _idle(self) -> bool:
        """Whether fewer jobs run than the workers MkDocs leaves a core to. Only the jobs still
        running are looked at: asking every batch ever sent, on every page, grew with the square
        of the pages (3.1 million calls at 4000 meetings)."""
        self._busy = [f for f in self._busy if not f.done()]
        return len(self._busy) < self.rendering

    def _job(self, files: list[str], prefix: str | None, into: list[concurrent.futures.Future]) -> None:
        """`files` to a worker (`_scan_pages`), its future kept in `into` and among the busy."""
        future = self.pool.submit(_scan_pages, files, prefix)
        into.append(future)
        self._busy.append(future)

    def _submit(self) -> None:
        for start in range(0, len(self._written), BATCH):
            self._job(self._written[start:start + BATCH], self.prefix, self._waiting)
        self._written = []

    def flush(self) -> None:
        """After MkDocs, in a command-line build, which indexes next (see `BuildState.finish`):
        the pages not sent yet go to one worker as one job, and the index keeps the other core.
        (To every worker, the index and the workers shared two cores, and the index took 1.5 to
        4 s longer at 1000 meetings than the 1.5 to 2 s this process had waited for the pages.)"""
        if self._results is None:
            self._last_written()
            if self._written:
                self._job(self._written, self.prefix, self._waiting)
            self._written = []

    def _last_written(self) -> None:
        """MkDocs is done: the page it wrote last is written too."""
        if self._writing is not None:
            self._written.append(self._writing)
        self._writing = None

    def results(self) -> dict[str, tuple]:
        """After MkDocs: every page scanned, path -> (size, SHA-256, what the verifier found,
        the fence's problems). The pages not sent yet (no `flush`) go to every worker now."""
        if self._results is None:
            self._last_written()
            self._submit()  # to every worker now
            self._results = {}
            for future in self._waiting:
                if future.exception() is None:  # pages whose scan failed are scanned from disk
                    for rel, size, digest, found, problems in future.result():
                        self._results[rel] = (size, digest, found, problems)
            self._waiting, self._busy = [], []
        return self._results

    def send_files(self, site_dir: Path) -> None:
        """After MkDocs, before the search index: every file under the site that is not a page
        and not under the index's folder goes to the workers for the verifier's scan."""
        from ..disclosure.readers import output_files
        from ..search.reader import DATA

        files = [rel for rel, _ in output_files(site_dir) if not rel.endswith(".html") and not rel.startswith(f"{DATA}/")]
        if files:  # one job, so one worker: the index takes a core of its own (send_index waits for it)
            self._job(files, None, self._files)

    def send_index(self, files: list[str]) -> None:
        """Files of the search index just written (a page's header and parts, never a chunk, which
        the verifier reads in full): to the workers in batches for the verifier's scan, while this
        process goes on with the index, one job running at a time (send_files' first), so that
        the core the index runs on is left to it. The files not sent by the end of the index
        are scanned by the verifier, as any file.

        The index calls it with no files after each chunk it writes (which it does for the
        last seconds of its work, when it writes no more files of pages): the files waiting then
        go to the first worker free, however few (at 1000 meetings the workers were done with
        the pages and sat idle for 1.5 s while all 12,000 files of the pages waited for the
        verifier's last step)."""
        self._index += files
        if self._index and (len(self._index) >= INDEX_BATCH or not files) and self._idle():
            self._job(self._index, None, self._files)
            self._index = []

    def fenced(self) -> dict[str, tuple[int, bytes, list]]:
        """For `csp.site_problems`: page -> (size, SHA-256, problems)."""
        return {rel: (size, digest, problems) for rel, (size, digest, _, problems) in self.results().items()}

    def written(self) -> dict[str, verify.Written]:
        """For `verify.scan`: page or file (`send_files`) -> `verify.Written`."""
        out = {rel: verify.Written(size, digest, found) for rel, (size, digest, found, _) in self.results().items()}
        for future in self._files:
            if future.exception() is None:  # files whose scan failed are scanned from disk
                out.update((rel, verify.Written(size, digest, found)) for rel, size, digest, found, _ in future.result())
        return out

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
