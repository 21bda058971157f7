"""What `gijiroku serve` changes in MkDocs' dev server (MkDocs 1.6, watchdog 7.1, both pinned)
beyond the error pages (serve_errors.py) and the live-reload script's nonce (csp.py)."""

from __future__ import annotations

import functools
import gc
import re
import signal
import threading
from collections.abc import Callable
from urllib.parse import urlsplit

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
        signal.signal(signal.SIGTERM, _stopping)
        signal.signal(signal.SIGINT, _stopping)


def _stopping(signum, frame) -> None:
    """SIGTERM or Ctrl-C: serve stops, and a SIGTERM after it is ignored. A signal to the process
    group (Ctrl-C, `kill` of the group) reaches MkDocs and `gijiroku serve`, which then sends
    SIGTERM too: raised in MkDocs' cleanup, it skipped the deletion of the temporary site."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


# A page's URL as MkDocs makes it (quoted, relative, directory URLs): joined to a base that ends
# in "/", it is the base followed by itself. Anything else (a dot segment, a query, a colon, a
# leading slash) goes to urljoin.
_PLAIN_URL = re.compile(r"(?:[A-Za-z0-9_~%+-]+(?:\.[A-Za-z0-9_~%+-]+)*/)*(?:[A-Za-z0-9_~%+-]+(?:\.[A-Za-z0-9_~%+-]+)*)?")


@functools.lru_cache(maxsize=8)
def _plain_base(base: str) -> str | None:
    """The path of `base` when joining a plain URL to it is concatenation; else None."""
    parts = urlsplit(base)
    if parts.scheme in ("http", "https") and parts.netloc and base.endswith("/") and not (parts.query or parts.fragment) \
            and ";" not in parts.path and "/." not in parts.path:
        return parts.path
    return None


def join_urls_fast(page_class) -> Callable[[], None]:
    """MkDocs sets every page's canonical URL with urljoin on each build: 0.14 to 0.2 s of a serve
    rebuild at a thousand meetings (4,514 pages). For the URLs MkDocs makes (`_PLAIN_URL`) and a
    site URL that is a plain http(s) directory, the join is the concatenation; the same values
    are set without it, and every other URL goes through MkDocs' own method. `page_class` is
    MkDocs' Page (the hook module imports MkDocs; this package does not). Returns the undo."""
    original = page_class._set_canonical_url

    def set_canonical_url(page, base: str | None) -> None:
        if base:
            url, folder = page.url, base if base.endswith("/") else base + "/"
            path = _plain_base(folder)
            if path is not None and _PLAIN_URL.fullmatch(url) and not url.startswith("."):
                page.canonical_url, page.abs_url = folder + url, path + url
                return
        original(page, base)

    page_class._set_canonical_url = set_canonical_url

    def undo() -> None:
        page_class._set_canonical_url = original

    return undo


def list_theme_once(files_class, file_class) -> Callable[[], None]:
    """MkDocs lists every file of the theme on every build, to copy its static files (Material:
    14,348 files, most of them icons that a filter then drops): 0.07 to 0.17 s of a serve rebuild
    at a thousand meetings. Under serve the theme's static files are listed once for its folders;
    each build still adds those that no file under docs/ replaces, as MkDocs does, and copies
    those that changed. MkDocs does not watch the theme (`gijiroku serve` passes no
    --watch-theme): a file added to or removed from it shows after serve restarts, as a change to
    it showed only when a source changed. `files_class` and `file_class` are MkDocs' Files and
    File. Returns the undo."""
    original = files_class.add_files_from_theme
    listed: dict[tuple, list[tuple[str, str]]] = {}

    def add_files_from_theme(files, env, config) -> None:
        key = (tuple(config.theme.dirs), tuple(sorted(config.theme.static_templates)), config.site_dir,
               config.use_directory_urls)
        if key not in listed:
            theme = files_class([])
            original(theme, env, config)
            listed[key] = [(file.src_uri, file.src_dir) for file in theme]
        for path, folder in listed[key]:
            if files.get_file_from_path(path) is None:  # theme files do not override docs_dir files
                files.append(file_class(path, folder, config.site_dir, config.use_directory_urls))

    files_class.add_files_from_theme = add_files_from_theme

    def undo() -> None:
        files_class.add_files_from_theme = original

    return undo


class Heap:
    """What serve keeps between builds (the parsed record, the last build's outputs, the
    verifier's memo: a few hundred MB at a thousand meetings) is left out of Python's cyclic
    garbage collector while builds run. Each full collection of it took 0.34 to 0.46 s of every
    rebuild at a thousand meetings (once or twice a rebuild, measured): `after_build` freezes
    what a build leaves (gc.freeze: no collection looks at it); IDLE_SECONDS after a build, when
    no other has begun, what has become garbage since (the objects of the builds before) is
    collected and the rest frozen again (about half a second at a thousand meetings, in a
    thread of its own; a build that begins meanwhile waits for it)."""

    IDLE_SECONDS = 2.0

    def __init__(self, idle_seconds: float = IDLE_SECONDS) -> None:
        self.idle_seconds = idle_seconds
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self.collections = 0  # how many times the session collected

    def after_build(self, build: Callable) -> Callable:
        """`build`, after which what it left is frozen, and collected once the session is idle."""

        @functools.wraps(build)
        def frozen(*args, **kwargs):
            self._cancel()
            try:
                return build(*args, **kwargs)
            finally:
                with self._lock:
                    gc.freeze()
                    self._timer = threading.Timer(self.idle_seconds, self.when_idle)
                    self._timer.daemon = True
                    self._timer.start()

        return frozen

    def when_idle(self) -> None:
        """Collect what the builds before the last one left, and freeze the rest again."""
        with self._lock:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.collections += 1

    def release(self) -> None:
        """At the end of the session: nothing frozen any more, nothing to collect later."""
        self._cancel()
        with self._lock:
            gc.unfreeze()

    def _cancel(self) -> None:
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
