"""What `gijiroku serve` changes in MkDocs' dev server (MkDocs 1.6, watchdog 7.1, both pinned)
beyond the error pages (serve_errors.py) and the live-reload script's nonce (csp.py)."""

from __future__ import annotations

import signal
import threading

POLL_SECONDS = 0.25  # how often serve looks for edited sources (MkDocs: 0.5)


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


def stop_on_sigterm() -> None:
    """SIGTERM ends serve as Ctrl-C does, through MkDocs' own shutdown, which deletes the
    temporary site it served (by default SIGTERM ends the process at once and leaves it in the
    temporary folder: hundreds of MB at a thousand meetings). `gijiroku serve` stops MkDocs
    with SIGTERM (site/commands.py), and a process manager may signal both."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)
