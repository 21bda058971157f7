"""`gijiroku serve` when a build fails: the messages in the browser, and a terminal without MkDocs' noise.

MkDocs' dev server (mkdocs.livereload.LiveReloadServer, MkDocs 1.6) leaves every request waiting
after a rebuild fails ("The server will appear stuck until build errors are resolved"), and a
failed first build ends `serve`. Under `gijiroku serve` a failed build instead sets the failure
here, and every path (the live-reload poll aside) answers with one page that shows the checker's
messages, escaped, under the site's Content-Security-Policy, with MkDocs' live-reload script:
when the next build succeeds, the tab reloads into the site. No file of the failed build is ever
served while the failure stands (a refused build may have written pages before its verifier ran).

The hook module (`hooks/site.py`) wires it in: `guard_build` wraps the `build` that MkDocs'
serve command calls, `install` the server's WSGI application, `quiet` the terminal's log handler.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable

from . import csp
from .render import environment

_log = logging.getLogger("mkdocs.hooks.gijiroku")

# MkDocs' English lines that say nothing a clerk acts on (the time stamp is the dev server's).
_STAMP = r"(?:\[\d\d:\d\d:\d\d\] )?"
_NOISE = re.compile(_STAMP + r"(?:Building documentation|A 'dirty' build is being performed|Cleaning site directory"
                    r"|Watching paths for changes|Detected file changes|Reloading browsers|Browser connected"
                    r"|An error happened during the rebuild|The following pages exist in the docs directory"
                    r"|\"[A-Z]+ \S* HTTP/[0-9.]+\" code (?:200|304|404|503)\b)")
_SAID = (
    (re.compile(_STAMP + r"Serving on (\S+)"), r"サイトを \1 で表示しています。原稿を保存すると作り直します（終えるときは Ctrl+C）。"),
    (re.compile(r"Documentation built in ([0-9.]+) seconds"), r"サイトを作りました（\1 秒）。"),
    (re.compile(r"Error building page '(.+?)':"), r"ページ「\1」を作れません:"),
    (re.compile(_STAMP + r"Shutting down\.*"), "終了します。"),
)


_POLL = re.compile(r"/livereload/[0-9]+/[0-9]+")  # as mkdocs.livereload matches its poll


class QuietServe(logging.Filter):
    """Drops MkDocs' routine English lines from the terminal and says the useful ones in Japanese;
    errors and anything it does not know pass as they are."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.levelno < logging.ERROR and _NOISE.match(message):
            return False
        for pattern, japanese in _SAID:
            if m := pattern.match(message):
                record.msg, record.args = m.expand(japanese) + message[m.end():], ()
                break
        return True


def quiet_build() -> Callable[[], None]:
    """A command-line build's terminal kept free of MkDocs' routine English lines as serve's is
    (`QuietServe`: "Building documentation to directory" names the staging folder, which staff
    never see); returns the undo."""
    noise = QuietServe()
    handlers = [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, logging.StreamHandler)]
    for handler in handlers:
        handler.addFilter(noise)
    return lambda: [handler.removeFilter(noise) for handler in handlers]


class ServeErrors:
    """The failure of the latest build under serve (None: it succeeded), and what serves it."""

    def __init__(self, nonce: str | None, site_name: str = "") -> None:
        self.nonce = nonce
        self.site_name = site_name
        self.failure: str | None = None
        self.filter = QuietServe()

    def guard_build(self, build: Callable) -> Callable:
        """`build` that records its failure instead of raising it (MkDocs has logged the message)."""

        def guarded(*args, **kwargs):
            try:
                build(*args, **kwargs)
            except Exception as err:  # noqa: BLE001 - shown in the browser and the terminal; serve goes on
                self.failed(err)
                return
            if self.failure is not None:
                _log.info("誤りが直ったので、サイトを作り直しました。")
            self.failure = None

        return guarded

    def failed(self, err: Exception) -> None:
        if isinstance(err, SystemExit) and err.__context__ is not None:
            # MkDocs' Abort ("Aborted with a BuildError!"): the error it stands for has been logged
            message = str(err.__context__)
        else:
            message = f"予期しない誤りで止まりました（{type(err).__name__}: {err}）。"
            _log.error(message + "\n" + "".join(traceback.format_exception(err)))
        self.failure = message.strip() or type(err).__name__
        _log.info("ブラウザには誤りの一覧を表示しています。原稿を直して保存すると、サイトを作り直します。")

    def page(self, message: str) -> bytes:
        """The error page: the message escaped, the site's policy first in <head>."""
        text = environment().get_template("serve_error.html.j2").render(message=message, site_name=self.site_name)
        return csp.apply(text, self.nonce).encode("utf-8")

    def install(self, server) -> None:
        """Answer every request but the live-reload poll with the error page while a failure stands.
        The page carries MkDocs' live-reload script (with the session's nonce, see
        `csp.allow_live_reload`), so the tab reloads when a build succeeds."""
        app = server.get_app()

        def serve(environ, start_response):
            failure = self.failure
            # only the poll itself: MkDocs hands any other /livereload/… path to its file server,
            # which normalises ../ (/livereload/..%2fmeetings%2f10%2f reached a page of the failed build)
            if failure is None or _POLL.fullmatch(environ.get("PATH_INFO", "")):
                return app(environ, start_response)
            body = server._inject_js_into_html(self.page(failure), server._visible_epoch)
            start_response("503 Service Unavailable", [("Content-Type", "text/html; charset=utf-8"),
                                                       ("Content-Length", str(len(body))),
                                                       ("Cache-Control", "no-store")])
            return [body]

        server.set_app(serve)

    def quiet(self, logger: logging.Logger) -> None:
        """Filter the terminal handlers of MkDocs' logger (`logger`, "mkdocs")."""
        for handler in logger.handlers:
            if isinstance(handler, logging.StreamHandler):
                handler.addFilter(self.filter)

    def unquiet(self, logger: logging.Logger) -> None:
        for handler in logger.handlers:
            handler.removeFilter(self.filter)
