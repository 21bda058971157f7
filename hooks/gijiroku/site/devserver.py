"""What `gijiroku serve` changes in MkDocs' dev server (MkDocs 1.6, watchdog 7.1, both pinned)
beyond the error pages (serve_errors.py) and the live-reload script's nonce (csp.py)."""

from __future__ import annotations

import functools
import gc
import signal
import threading
from collections.abc import Callable

POLL_SECONDS = 0.25  # how often serve looks for edited sources (MkDocs: 0.5)
BUILD_DELAY = 0.02  # seconds without a further change before a rebuild begins (MkDocs: 0.1)


def poll_often(observer, seconds: float = POLL_SECONDS) -> None:
    """MkDocs' serve looks for edited sources every half second (watchdog's PollingObserver,
    whose wait between looks is its emitters' timeout): an edit waited a quarter of a second on
    average before its rebuild began; every quarter second, an eighth. Looking costs an idle
    serve of a thousand meetings about 4 ms of CPU per watched folder per look: 19% of a core
    at a tenth of a second, 8% at a quarter, 4% at a half. The watches MkDocs made before the
    hook's `on_serve` and those it makes after (`watch:` in mkdocs.yml) look every `seconds`:
    the observer's and each emitter's `_timeout`."""
    observer._timeout = seconds
    for emitter in observer.emitters:
        emitter._timeout = seconds


def build_soon(server, delay: float = BUILD_DELAY) -> None:
    """MkDocs' dev server begins a rebuild once no change has come for a tenth of a second, so
    that the changes of one save make one build. Under polling the changes of one save come in
    one look (every POLL_SECONDS), all at once: the wait only delayed every edit; changes that
    come in looks of different folders a quarter second apart made two builds before and still do."""
    server.build_delay = delay


def stop_on_sigterm() -> None:
    """SIGTERM ends serve as Ctrl-C does, through MkDocs' own shutdown, which deletes the
    temporary site it served (by default SIGTERM ends the process at once and leaves it in the
    temporary folder: hundreds of MB at a thousand meetings). `gijiroku serve` stops MkDocs
    with SIGTERM (site/commands.py), and a process manager may signal both."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)


class Heap:
    """What serve keeps between builds (the parsed record, the last build's outputs, the
    verifier's memo: a few hundred MB at a thousand meetings) is left out of Python's cyclic
    garbage collector until the session is idle. Each full collection of it took 0.34 to 0.46 s
    of every rebuild at a thousand meetings (once or twice a rebuild, measured): `after_build`
    freezes what a build leaves (gc.freeze: no collection looks at it), `when_idle` collects
    what has become garbage since (the objects of the builds before) and freezes again. A
    session whose background index never ends (an edit every few seconds) collects at the end
    of every `COLLECT_EVERY`th build instead, so frozen garbage stays bounded."""

    COLLECT_EVERY = 5  # builds

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._builds = 0  # builds since the last collection

    def after_build(self, build: Callable) -> Callable:
        """`build`, after which what it left is frozen (collected first every COLLECT_EVERY builds)."""

        @functools.wraps(build)
        def frozen(*args, **kwargs):
            try:
                return build(*args, **kwargs)
            finally:
                with self._lock:
                    self._builds += 1
                    if self._builds >= self.COLLECT_EVERY:
                        self._collect()
                    gc.freeze()

        return frozen

    def when_idle(self) -> None:
        """Collect what the builds before the last one left, now that no build is running."""
        with self._lock:
            self._collect()
            gc.freeze()

    def release(self) -> None:
        """At the end of the session: nothing frozen any more."""
        with self._lock:
            gc.unfreeze()

    def _collect(self) -> None:
        gc.unfreeze()
        gc.collect()
        self._builds = 0
