"""A site served on localhost, as the serve tests and the benchmark reach it: a free port, a page.

bench/bench.py imports this module too (it puts tests/ on its path, as bench/search_bench.py
does for tests/browser.py), so that both wait for `gijiroku serve` the same way.
"""

from __future__ import annotations

import socket
import urllib.request


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (for `gijiroku serve --dev-addr`)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 5) -> str | None:
    """The page at `url` as text, or None while it cannot be had (not listening yet, an HTTP error)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None
