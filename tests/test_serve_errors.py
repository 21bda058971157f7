"""site/serve_errors.py without a server: the error page, the failure it records, the quiet terminal.
The served behaviour (every path, live reload, recovery) is in test_serve.py."""

from __future__ import annotations

import logging
import re

import pytest

from gijiroku.site import csp
from gijiroku.site.serve_errors import QuietServe, ServeErrors

HOSTILE = "minutes/9.md:3: 本文に HTML が含まれています: <script>alert(1)</script><img src=x onerror=alert(2)>"


def test_the_error_page_escapes_the_messages_and_carries_the_sites_policy():
    page = ServeErrors("NONCE123", "議事録").page(HOSTILE + "\n2 行目の <b>誤り</b>").decode("utf-8")
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    head = page.split("<head>", 1)[1].lstrip()
    policy = csp.POLICY.format(hashes=" 'nonce-NONCE123'")
    assert head.startswith(f'<meta http-equiv="Content-Security-Policy" content="{policy}">')
    assert csp.page_problems(page, "error.html") == []  # what the post-build fence asks of every page
    assert re.search(r"<title>原稿に誤りがあります - 議事録</title>", page)


def _abort(message: str) -> Exception:
    """What MkDocs' build raises when a hook raises PluginError: Abort, in the handling of it."""
    from mkdocs.exceptions import Abort, PluginError

    try:
        try:
            raise PluginError(message)
        except PluginError:
            raise Abort("Aborted with a BuildError!")  # noqa: B904 - as mkdocs.commands.build does
    except Abort as err:
        return err


def test_a_failed_build_is_recorded_not_raised_and_a_good_one_clears_it(caplog):
    errors = ServeErrors(None)
    outcomes = iter([_abort("原稿に誤りがあるため、サイトを作りません。\nminutes/9.md:3: …"), None, RuntimeError("壊れた")])

    def build():
        outcome = next(outcomes)
        if outcome is not None:
            raise outcome

    guarded = errors.guard_build(build)
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.gijiroku"):
        guarded()
        assert errors.failure == "原稿に誤りがあるため、サイトを作りません。\nminutes/9.md:3: …"
        guarded()
        assert errors.failure is None and "誤りが直ったので" in caplog.text
        guarded()  # a bug, not a checker error: named, with its traceback in the terminal
    assert errors.failure == "予期しない誤りで止まりました（RuntimeError: 壊れた）。"
    assert "Traceback" in caplog.text


def _record(message: str, level: int = logging.INFO, name: str = "mkdocs.livereload") -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, (), None)


@pytest.mark.parametrize("message", [
    "Building documentation...",
    "A 'dirty' build is being performed, this will likely lead to inaccurate navigation",
    "[22:52:37] Watching paths for changes: 'docs', 'mkdocs.yml'",
    "[22:53:00] Detected file changes", "[22:53:01] Reloading browsers",
    "[22:53:02] Browser connected: http://127.0.0.1:8000/meetings/10/",
    '[22:53:02] "GET /favicon.ico HTTP/1.1" code 404', "Cleaning site directory",
])
def test_mkdocs_noise_is_kept_out_of_the_terminal(message):
    assert QuietServe().filter(_record(message, logging.WARNING)) is False


@pytest.mark.parametrize(("message", "shown"), [
    ("[22:52:37] Serving on http://127.0.0.1:8000/",
     "サイトを http://127.0.0.1:8000/ で表示しています。原稿を保存すると作り直します（終えるときは Ctrl+C）。"),
    ("Documentation built in 0.98 seconds", "サイトを作りました（0.98 秒）。"),
    ("Error building page 'guide/index.md': KeyError: 'x'", "ページ「guide/index.md」を作れません: KeyError: 'x'"),
    ("原稿に誤りがあるため、サイトを作りません。", "原稿に誤りがあるため、サイトを作りません。"),
    ("Config value 'nav': something MkDocs has to say", "Config value 'nav': something MkDocs has to say"),
])
def test_what_matters_is_said_in_japanese_or_passes_as_it_is(message, shown):
    record = _record(message)
    assert QuietServe().filter(record) is True and record.getMessage() == shown


def test_an_error_is_never_dropped():
    assert QuietServe().filter(_record("An error happened during the rebuild.", logging.ERROR)) is True


@pytest.mark.parametrize("path", ["/livereload/../meetings/10/", "/livereload/../meetings/10/index.html",
                                  "/livereload/x/../../meetings/10/index.html", "/livereload/1/2/../../../meetings/10/"])
def test_no_file_of_the_failed_build_is_served_through_the_live_reload_prefix(tmp_path, path):
    """MkDocs passes a path under /livereload/ that is not its poll on to its file server, which
    normalises ../: `/livereload/..%2fmeetings%2f10%2f` (the %2f is no separator to a browser)
    reached a page the failed build wrote, perhaps with the text its verifier refused."""
    from mkdocs.livereload import LiveReloadServer

    site = tmp_path / "site"
    (site / "meetings" / "10").mkdir(parents=True)
    (site / "meetings" / "10" / "index.html").write_text("<html><body>非公表の本文カナリア</body></html>", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(site))
    errors = ServeErrors("NONCE123", "議事録")
    errors.install(server)
    errors.failure = "minutes/10.md:3: 非公表の範囲が閉じられていません。"
    said = []
    body = b"".join(server.get_app()({"PATH_INFO": path, "REQUEST_METHOD": "GET"},
                                     lambda status, headers: said.append(status)))
    assert said == ["503 Service Unavailable"]
    assert "カナリア".encode() not in body and "閉じられていません".encode() in body


def test_serve_on_a_port_in_use_says_so_before_building(tmp_path, capsys):
    """A second `gijiroku serve` on the same port built the whole site, then printed MkDocs'
    35-line traceback (found by a clerk's attack): it now stops at once with what to do."""
    import socket

    from gijiroku.site.commands import address_problem, serve

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        assert serve(tmp_path, f"127.0.0.1:{port}") == 1
        err = capsys.readouterr().err
        assert "使っています" in err and f"127.0.0.1:{port + 1}" in err and "Traceback" not in err
    assert address_problem(f"127.0.0.1:{port}") is None  # free again
    assert "アドレス:ポート番号" in address_problem("8000")
    assert "アドレス:ポート番号" in address_problem("127.0.0.1:99999")
