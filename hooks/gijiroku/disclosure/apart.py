"""Under serve, the disclosure verifier in a process of its own (`VerifierProcess`).

A serve rebuild at a thousand meetings spent about 0.6 s in the verifier after MkDocs had
written the pages: half of it preparing (reading every source for its withheld passages, the
public text, the automaton), half reading what the build wrote. Both ran in the MkDocs process,
one core, after everything else. In a process of its own the verifier prepares while MkDocs
renders, on the other core, and reads the output while the markup fence does.

The process reads the sources itself (its own `ParseCache` and `Memo`, as the MkDocs process
keeps its own): it trusts nothing the build worked out. It reads them while MkDocs renders, not
after: when the build asks, it reads them again (their bytes, 0.08 to 0.12 s at a thousand
meetings, in a thread beside its read of the output), and if any was saved since, it does not
answer, and the build verifies itself, reading them after the pages were written, as it did
before (a passage marked 非公表 during the build is then a leak, and the build is refused; the
save has started the next). When the process cannot answer (it failed, or it died), the build
verifies in its own process, as it did before.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import hashlib
import itertools
import multiprocessing
from pathlib import Path

from . import verify
from .secrets import published_sources

_ASK_SECONDS = 600  # the longest a build waits for the answer (a whole site read in one process: ~30 s at 4000 meetings)


class VerifierProcess:
    """The verifier's process of one serve session: `prepare` when a build has read its sources,
    `send` once MkDocs has written the pages, and `answer` after the build has run its fence."""

    def __init__(self) -> None:
        self._process = None
        self._conn = None
        self._ids = itertools.count(1)
        self._asked: int | None = None  # the request whose answer is awaited

    def prepare(self, root: Path, day: dt.date, extra_public: list[str]) -> None:
        """Read the sources under `root` and prepare for `day`, in the background."""
        try:
            self._started()
            self._conn.send(("prepare", root, day, list(extra_public)))
        except (OSError, ValueError):
            self.close()

    def send(self, site_dir: Path, since: float, known: frozenset[str]) -> bool:
        """Ask for the scan of what was written to `site_dir` at or after `since`, a directory
        that passed against the secrets `known` (see verify.verify_site); False when the
        process is not there to ask. The process reads only what a rebuild wrote: when the
        secrets are not those, every file must be read, and it answers None (`answer`), so that
        the build reads them itself on every core (a daemon process may start no pool)."""
        if self._process is None or not self._process.is_alive():
            return False
        self._asked = next(self._ids)
        try:
            self._conn.send(("verify", self._asked, site_dir, since, known))
        except (OSError, ValueError):
            self.close()
            return False
        return True

    def answer(self) -> tuple[list[verify.Leak | verify.Unreadable], verify.Report, frozenset[str] | None] | None:
        """The answer to `send`: (what it found, its report, the secrets the directory is now
        known to pass against, None if it did not pass); None when there is none to take (the
        process failed or died: the build verifies in its own process)."""
        asked, self._asked = self._asked, None
        if asked is None:
            return None
        try:
            while self._conn.poll(_ASK_SECONDS):
                reply = self._conn.recv()
                if reply[1] != asked:
                    continue  # the answer to a request of a build that stopped before it took it
                if reply[0] == "done":
                    return reply[2], reply[3], reply[4]
                return None  # ("failed", id, why): the build verifies itself
        except (OSError, EOFError):
            pass
        self.close()  # no answer in time, or the process is gone: the next build starts another
        return None

    def close(self) -> None:
        """Stop the process (at the end of serve, or after it failed to answer)."""
        process, conn, self._process, self._conn, self._asked = self._process, self._conn, None, None, None
        if conn is not None:
            with contextlib.suppress(OSError, ValueError):
                conn.send(("stop",))
            conn.close()
        if process is not None:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()

    def _started(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        self.close()
        # Spawned, not forked: the MkDocs process runs threads (see verify._WORKER).
        context = multiprocessing.get_context("spawn")
        self._conn, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs,), name="gijiroku-verifier", daemon=True)
        self._process.start()
        theirs.close()


def sources_read(root: Path) -> bytes:
    """A digest of every source the verifier reads (secrets.published_sources, committee.yml),
    path and bytes: the process prepared from sources that have not changed since if it is the same."""
    digest = hashlib.blake2b()
    for path in [*published_sources(root), root / "committee.yml"]:
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\x00")
        try:
            digest.update(hashlib.blake2b(path.read_bytes()).digest())
        except OSError as err:
            digest.update(f"\x00{type(err).__name__}".encode())
    return digest.digest()


def _serve(conn) -> None:
    """The process: prepare for each build, verify each build's output, until told to stop."""
    from ..record.loader import ParseCache, load_record
    from ..search import reader  # noqa: F401 - verify's import on its first site (numpy), done before a build waits
    from .memo import Memo
    from .public import public_record

    parsed, memo = ParseCache(), Memo()
    prepared: tuple | Exception | None = None
    again = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="gijiroku-sources")  # reads the sources beside the scan
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request[0] == "stop":
            return
        if request[0] == "prepare":
            _, root, day, extra = request
            try:
                read = sources_read(root)  # before they are read: a save from now on is seen when the build asks
                record, problems = load_record(root, parsed)
                if problems:
                    raise ValueError(f"{len(problems)} problems in the sources")
                public = public_record(record, day)
                prepared = (root, record, public, day, extra, verify.prepare(root, record, public, day, extra, memo), read)
            except Exception as err:  # noqa: BLE001 - the build is told when it asks, and verifies itself
                prepared = err
            continue
        _, asked, site_dir, since, known = request
        try:
            if not isinstance(prepared, tuple):
                raise RuntimeError(f"not prepared ({prepared!r})")
            root, record, public, day, extra, ready, read = prepared
            if since is None or known != frozenset(s.text for s in ready.secrets):
                raise RuntimeError("every file must be read: the build reads them on every core")
            now_read = again.submit(sources_read, root)  # after the build asked, while the output is read
            key = site_dir.resolve()
            verified = {key: known}
            found, report = verify.verify_site(root, site_dir, record, public, day, extra, since=since,
                                               parallel=False, verified=verified, prepared=ready)
            if now_read.result() != read:
                raise RuntimeError("a source was saved after this process read it: the build reads them again")
            reply = ("done", asked, found, report, verified.get(key))
        except Exception as err:  # noqa: BLE001 - the build verifies itself
            reply = ("failed", asked, f"{type(err).__name__}: {err}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return
