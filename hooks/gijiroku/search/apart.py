"""The search index of a command-line build, made in a process of its own while the build
generates and MkDocs renders the pages.

The index needs the meeting pages as search records (`records.meeting_unit`, from the public
record) and the decision pages' documents (`records.decision_unit_of`, from the content the build
made for each, which MkDocs puts in the page as it is). The build starts the process and sends
it the meetings' records once the forked preparation of the verifier is done (site/build.py
`send_records`: the process' memory is not added to the build's peak), then the decisions' once
their pages are generated (`IndexApart.send`, `end`); a spawned process writes each page's
header and parts, then the postings' chunks (`indexing.IndexWriter`), on the core the build leaves
to it and to the verifier's workers. After MkDocs the build takes the postings (`finish`, at
1000 meetings mostly done by then) and writes the facets file, which needs the record
(`indexing.write_facets`). What the process writes is what `index_site` writes in the build's
own process, byte for byte.

Only records cross to the process, and file names come back (`poll`, `finish`: the files go to
the verifier's workers as `index_site`'s `wrote` sends them). Nothing it writes is trusted for
where it came from: the verifier reads the whole index afterwards, as any output.

If the process cannot be started, fails or dies, `finish` says so (None) and the build indexes
in its own process as before (`index_site`, which removes what the process left first); a
record too large for the index's format (postings.TooLarge) is refused with the same message.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
from collections.abc import Callable
from pathlib import Path

from ..processes import die_with
from . import postings
from .indexing import IndexWriter, Made
from .records import Unit

BATCH = 32  # records sent at once
WAIT = 0.05  # seconds between looks at the process while waiting for it
NICE = 5  # the process' niceness above the build's (as site/prescan.py's workers)


def _run(site_dir: str, gram: int, inbox, outbox, parent: int) -> None:
    """In the process: the pages' files as their records come, then, at the end of the records,
    the postings; each file written is told to the build. It ends with the build's process, however
    that ends (`die_with`): an interrupted `gijiroku build` deletes the folder it writes in."""
    die_with(parent)
    with contextlib.suppress(OSError):  # as the workers: the build's own process comes first
        os.nice(NICE)
    files: list[str] = []
    try:
        writer = IndexWriter(Path(site_dir), gram, wrote=files.extend)
        while (batch := _next(inbox)) is not None:
            for unit in batch:
                writer.add(unit)
            outbox.put(("wrote", files[:]))
            files.clear()

        def chunk_written(names: list[str]) -> None:  # after each chunk: the build may send what waits
            outbox.put(("wrote", []))

        writer.wrote = chunk_written
        outbox.put(("made", writer.postings()))
    except postings.TooLarge as err:
        outbox.put(("refused", str(err)))
    except Exception as err:  # noqa: BLE001 - the build indexes in its own process, and meets it there
        outbox.put(("failed", f"{type(err).__name__}: {err}"))


def _next(inbox):
    """The next records, or None at their end. A build killed before it sends the end (SIGKILL:
    no exit handler stops this process) leaves it waiting on a queue it holds both ends of: it
    looks at its parent every second, and ends with it."""
    parent = multiprocessing.parent_process()
    while True:
        try:
            return inbox.get(timeout=1.0)
        except queue.Empty:
            if parent is not None and not parent.is_alive():
                raise SystemExit(0) from None


class IndexApart:
    """The index of one build in a process of its own (see the module docstring)."""

    def __init__(self, site_dir: Path, gram: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._inbox, self._outbox = context.Queue(), context.Queue()
        self._inbox.cancel_join_thread()  # a build that fails before `finish` does not wait for the process
        # A process that died cannot be sent to: `finish` says so, the queue's thread prints nothing.
        self._inbox._on_queue_feeder_error = lambda err, obj: None
        self._process = context.Process(target=_run, args=(str(site_dir), gram, self._inbox, self._outbox, os.getpid()),
                                        name="gijiroku-index", daemon=True)
        self._process.start()
        self.units: list[Unit] = []
        self.ended = False  # the last records are sent
        self.made: Made | None = None  # the postings, once the process is done
        self.refused: str | None = None  # why the record is too large for the index (postings.TooLarge)
        self.failed: str | None = None

    def send(self, units: list[Unit]) -> None:
        """Records to index, in the order of the index's pages (the queue's thread sends them)."""
        self.units += units
        for start in range(0, len(units), BATCH):
            self._inbox.put(units[start:start + BATCH])

    def poll(self, wrote: Callable[[list[str]], None]) -> None:
        """The files the process wrote since the last look, told to `wrote`; never waits."""
        while True:
            try:
                kind, value = self._outbox.get_nowait()
            except queue.Empty:
                return
            self._answer(kind, value, wrote)

    def end(self) -> None:
        """No more records: the process goes on to the postings."""
        if not self.ended:
            self.ended = True
            self._inbox.put(None)

    def finish(self, wrote: Callable[[list[str]], None]) -> Made | None:
        """Wait for the postings (after `end`; the files written meanwhile told to `wrote`); None
        if the process failed or died (`failed` says why)."""
        self.end()
        while self.made is None and self.refused is None and self.failed is None:
            try:
                kind, value = self._outbox.get(timeout=WAIT)
            except queue.Empty:
                if not self._process.is_alive() and self._outbox.empty():
                    self.failed = f"終了コード {self._process.exitcode}"
                continue
            self._answer(kind, value, wrote)
        self.close()
        if self.refused is not None:
            raise postings.TooLarge(self.refused)
        return self.made

    def _answer(self, kind: str, value, wrote: Callable[[list[str]], None]) -> None:
        if kind == "wrote":
            wrote(value)
        elif kind == "made":  # while MkDocs renders (`poll`) or after (`finish`)
            self.made = value
        elif kind == "refused":
            self.refused = value
        else:
            self.failed = value

    def close(self, kill: bool = False) -> None:
        """The process ended: waited for (it has nothing left to do), or, with `kill` (the build
        failed), stopped."""
        if self._process.is_alive() and not kill:
            self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
