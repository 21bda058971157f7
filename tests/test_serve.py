"""`gijiroku serve`: rebuilds after edits are correct, caches and all (MkDocs keeps hooks loaded)."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import signal
import subprocess
import sys
import time
import types
import urllib.request
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXED_EPOCH, make_project, process_running, write
from gijiroku.site.pages import Output
from gijiroku.site.session import SourceFiles
from localhost import fetch, free_port

pytestmark = pytest.mark.slow


def test_source_files_touch_only_what_changed(tmp_path):
    outputs = [Output("a.md", "one"), Output("b/c.md", "two"), Output("d.json", b"{}")]
    files = SourceFiles(tmp_path)
    first = files.write(outputs)
    assert [(p, s.read_text()) for p, s, _ in first] == [("a.md", "one"), ("b/c.md", "two"), ("d.json", "{}")]
    stamps = {p: s.stat().st_mtime_ns for p, s, _ in first}
    time.sleep(0.01)
    second = files.write([Output("a.md", "one"), Output("b/c.md", "changed")])
    assert second[0][1].stat().st_mtime_ns == stamps["a.md"]
    assert second[1][1].read_text() == "changed"
    assert not (tmp_path / "d.json").exists()  # an output that is gone is removed


def fetch_json_gz(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return json.loads(gzip.decompress(r.read()))
    except OSError:
        return None


def search_text(base: str) -> str | None:
    """All the text the served search index shows, as the search page would fetch it; None while it is made."""
    facets = fetch_json_gz(f"{base}/search/facets.json.gz")
    if facets is None:
        return None
    texts = []
    for page in facets["rows"]:
        header = fetch_json_gz(f"{base}/search/r/{page}.json.gz")
        for part in sorted({segment[1] for segment in header["s"]}):
            texts += [p for _, paragraphs in fetch_json_gz(f"{base}/search/p/{page}-{part}.json.gz") for p in paragraphs]
    return "\n".join(texts)


def indexed(log_path, count: int) -> bool:
    return log_path.read_text(encoding="utf-8").count("検索索引を作り") >= count


def wait_for(predicate, seconds=90.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("timed out")


@contextlib.contextmanager
def serving(root, tmp_path):
    """`gijiroku serve` on `root` at a free port with a fixed date; yields (base URL, log path)."""
    port = free_port()
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "gijiroku.cli", "--root", str(root), "serve", "--dev-addr",
                                 f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
        try:
            yield f"http://127.0.0.1:{port}", log_path
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def test_serve_rebuilds_after_edits_and_never_serves_withheld_text(tmp_path):
    root = make_project(tmp_path / "p")
    meeting = root / "minutes" / "10.md"
    with serving(root, tmp_path) as (base, _):
        wait_for(lambda: fetch(f"{base}/meetings/10/"))
        # 1. an edited speech shows on the meeting page, its agenda page and the speaker's page
        write(meeting, meeting.read_text(encoding="utf-8").replace("原案のとおり承認します。", "原案のとおり承認します。編集後の一文。"))
        wait_for(lambda: "編集後の一文" in (fetch(f"{base}/meetings/10/") or ""))
        assert "編集後の一文" in fetch(f"{base}/meetings/10/agenda/1/")
        assert "編集後の一文" in fetch(f"{base}/commissioners/inoue/")
        # ... and, once the background index run of that build has finished, in search
        wait_for(lambda: indexed(tmp_path / "serve.log", 2))
        assert "編集後の一文" in wait_for(lambda: search_text(base))
        # 2. the same text, now marked withheld, disappears from every page that showed it
        text = meeting.read_text(encoding="utf-8").replace(
            "原案のとおり承認します。編集後の一文。",
            "原案のとおり承認します。\n\n<!-- 非公表 -->\n編集後に非公表とした一文です。\n<!-- /非公表 -->")
        write(meeting, text)
        wait_for(lambda: "編集後の一文" not in (fetch(f"{base}/meetings/10/") or "編集後の一文"))
        for page in ("meetings/10/", "meetings/10/agenda/1/", "commissioners/inoue/", "api/meetings/10.json",
                     "api/speeches/2023.json"):
            body = fetch(f"{base}/{page}")
            assert "編集後" not in body, page
        wait_for(lambda: indexed(tmp_path / "serve.log", 3))
        assert "原案のとおり承認します" in (found := wait_for(lambda: search_text(base))) and "編集後" not in found
        # 3. a broken file stops the rebuild with the checker's message instead of publishing
        write(meeting, text.replace("<!-- /非公表 -->\n", ""))
        wait_for(lambda: "閉じられていない" in (tmp_path / "serve.log").read_text(encoding="utf-8"))
    output = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert output.count("漏えい検証") >= 3 and "Traceback" not in output


@pytest.mark.browser
def test_serve_runs_the_live_reload_script_by_its_nonce_and_nothing_else_inline(tmp_path):
    """Under serve the policy names a nonce that only MkDocs' injected live-reload script carries."""
    import re

    from browser import chromium

    root = make_project(tmp_path / "p")
    with serving(root, tmp_path) as (base, _):
        page_html = wait_for(lambda: fetch(f"{base}/meetings/10/"))
        nonces = re.findall(r"<script nonce=\"([^\"]+)\">", page_html)
        assert len(nonces) == 1 and "livereload(" in page_html.split(f'nonce="{nonces[0]}">')[1][:2000]
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page_html).group(1)
        assert f"'nonce-{nonces[0]}'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        with chromium() as browser:
            page = browser.new_page()
            violations: list[str] = []
            page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
            page.goto(f"{base}/meetings/10/")
            page.wait_for_timeout(500)
            assert page.evaluate("() => typeof livereload") == "function"
            assert violations == []


# --- a build that fails under serve (site/serve_errors.py) -----------------------------------------

BROKEN = "\n<!-- 非公表 -->\n閉じ忘れた範囲の<b>一文</b>です。\n"  # G401 and G314, which quotes the source


def answer(url: str) -> tuple[int, str] | None:
    """(status, body) of `url`, error statuses included; None while nothing answers (in 5 s)."""
    import urllib.error

    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")
    except OSError:
        return None


def test_a_failed_build_shows_its_messages_at_every_path_and_the_site_comes_back(tmp_path):
    root = make_project(tmp_path / "p")
    meeting = root / "minutes" / "10.md"
    good = meeting.read_text(encoding="utf-8")
    write(meeting, good + BROKEN)  # broken before serve starts: the first build fails
    with serving(root, tmp_path) as (base, log_path):
        status, page = wait_for(lambda: answer(f"{base}/meetings/10/"))
        assert status == 503
        for path in ("/", "/meetings/10/", "/commissioners/inoue/", "/assets/gijiroku.css", "/no/such/page/"):
            status, other = answer(base + path)
            # the same page (its live-reload script names a request id of its own)
            assert (status, other.split("<script")[0]) == (503, page.split("<script")[0]), path
        head = page.split("<head>", 1)[1].lstrip()
        assert head.startswith('<meta http-equiv="Content-Security-Policy" content="default-src \'self\'')
        assert "閉じられていません" in page and "閉じ忘れた範囲の&lt;b&gt;一文&lt;/b&gt;です。" in page and "<b>" not in page
        # fixed: the site is served again
        write(meeting, good)
        wait_for(lambda: (answer(f"{base}/meetings/10/") or (0, ""))[0] == 200)
        assert "原案のとおり承認します" in answer(f"{base}/meetings/10/")[1]
        # broken again on a rebuild: the error page, never a request left waiting
        write(meeting, good + BROKEN)
        wait_for(lambda: (answer(f"{base}/meetings/10/") or (0, ""))[0] == 503)
        write(meeting, good)
        wait_for(lambda: (answer(f"{base}/meetings/10/") or (0, ""))[0] == 200)
    output = log_path.read_text(encoding="utf-8")
    assert "閉じられていません" in output and "サイトを http://127.0.0.1:" in output and "誤りが直ったので" in output
    for noise in ("Building documentation", "'dirty' build", "Browser connected", "Watching paths", "Reloading browsers",
                  "An error happened during the rebuild", "Aborted with", "Traceback", '" code 503'):
        assert noise not in output, noise


@pytest.mark.browser
def test_the_open_tab_shows_the_error_page_then_the_fixed_page(tmp_path):
    """What the clerk sees: the meeting page, the checker's messages after a bad save (the tab
    reloads by itself, no script blocked), the meeting page again after the fix."""
    from browser import chromium

    root = make_project(tmp_path / "p")
    meeting = root / "minutes" / "10.md"
    good = meeting.read_text(encoding="utf-8")
    with serving(root, tmp_path) as (base, _), chromium() as browser:
        wait_for(lambda: fetch(f"{base}/meetings/10/"))
        page = browser.new_page()
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(f"{base}/meetings/10/")
        page.get_by_text("原案のとおり承認します").first.wait_for()
        write(meeting, good + BROKEN)
        page.locator("#gijiroku-build-error").wait_for(timeout=90_000)
        messages = page.locator("#gijiroku-build-messages")
        assert "minutes/10.md:" in messages.inner_text() and "閉じられていません" in messages.inner_text()
        assert "閉じ忘れた範囲の<b>一文</b>です。" in messages.inner_text()  # shown as text, not markup
        assert messages.locator("b").count() == 0
        write(meeting, good)
        page.get_by_text("原案のとおり承認します").first.wait_for(timeout=90_000)
        assert page.locator("#gijiroku-build-error").count() == 0
        assert blocked == []


def _signal_until_gone(pid: int) -> None:
    """SIGTERM to `pid` every 20 ms until it has ended: one lands in each step of its shutdown."""
    with contextlib.suppress(ProcessLookupError):
        while not os.kill(pid, signal.SIGTERM) and process_running(pid):
            time.sleep(0.02)


@pytest.mark.parametrize("whom", ["gijiroku", "group", "mkdocs-again"])
def test_sigterm_to_gijiroku_serve_stops_mkdocs_too_and_leaves_no_temporary_site(tmp_path, whom):
    """SIGTERM to `gijiroku serve` alone (as a process manager stops it) or to its process group
    (gijiroku and MkDocs at once): MkDocs ends, and the temporary site it served (hundreds of MB at
    a thousand meetings) is deleted, as after Ctrl-C. A SIGTERM during MkDocs' shutdown (gijiroku's,
    after the group's; here one every 20 ms) skipped the deletion (devserver._stopping)."""
    root = make_project(tmp_path / "p")
    port = free_port()
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "TMPDIR": str(temp)}
    with open(tmp_path / "serve.log", "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "gijiroku.cli", "--root", str(root), "serve", "--dev-addr",
                                 f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
        try:
            wait_for(lambda: fetch(f"http://127.0.0.1:{port}/meetings/10/"))
            assert [p.name[:7] for p in temp.iterdir()] == ["mkdocs_"]  # the site MkDocs serves
            if whom == "gijiroku":
                os.kill(proc.pid, signal.SIGTERM)
            elif whom == "group":
                os.killpg(proc.pid, signal.SIGTERM)
            else:
                [mkdocs] = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
                _signal_until_gone(int(mkdocs))
            assert proc.wait(timeout=30) == 0
            assert fetch(f"http://127.0.0.1:{port}/meetings/10/", timeout=2) is None  # MkDocs is gone
            wait_for(lambda: not any(temp.iterdir()), seconds=30)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)


def test_serve_looks_for_edits_every_quarter_of_a_second(tmp_path):
    """MkDocs' dev server as `mkdocs serve` makes it: the watches made before the hook's
    on_serve (the docs folder) and after it (`watch:` in mkdocs.yml) poll every 0.25 s, not 0.5 s,
    and a rebuild begins 0.02 s after the last change, not 0.1 s."""
    from mkdocs.livereload import LiveReloadServer

    from gijiroku.site import devserver

    (tmp_path / "docs").mkdir()
    (tmp_path / "minutes").mkdir()
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(tmp_path))
    try:
        server.watch(str(tmp_path / "docs"))
        devserver.poll_often(server.observer)
        server.watch(str(tmp_path / "minutes"))
        emitters = list(server.observer.emitters)
        assert len(emitters) == 2 and {e.timeout for e in emitters} == {devserver.POLL_SECONDS} == {0.25}
        devserver.build_soon(server)
        assert server.build_delay == devserver.BUILD_DELAY == 0.02  # MkDocs: 0.1
    finally:
        server.server_close()


@settings(max_examples=300, deadline=None)
@given(base=st.sampled_from(["http://127.0.0.1:8000/", "https://example.org/minutes/", "http://h:8000/a/b",
                             "https://ex.org/a/./b/", "http://h/p?q=1", "http://h/p;x/", "ftp://h/", "", None]),
       url=st.one_of(st.text(alphabet="ab%E7/.:?#;-_~+ ", max_size=12),
                     st.from_regex(r"(?:meetings/[0-9]{1,4}/(?:agenda/[0-9]/)?|[a-z]{1,8}\.(?:html|xml))?", fullmatch=True)))
def test_canonical_urls_joined_fast_are_those_mkdocs_joins(base, url):
    """Under serve, MkDocs' canonical URL of a page is set without urljoin where that is the
    concatenation (devserver.join_urls_fast); every URL gets the values MkDocs' own method sets."""
    from mkdocs.structure.pages import Page

    from gijiroku.site import devserver

    def values(page_url: str) -> tuple:
        page = types.SimpleNamespace(url=page_url)
        Page._set_canonical_url(page, base)
        return page.canonical_url, page.abs_url

    original = Page._set_canonical_url
    expected = values(url)
    undo = devserver.join_urls_fast(Page)
    try:
        assert Page._set_canonical_url is not original and values(url) == expected
    finally:
        undo()
    assert Page._set_canonical_url is original


def test_the_theme_listed_once_gives_the_files_mkdocs_lists(tmp_path):
    """Under serve the theme's static files are listed once (devserver.list_theme_once): every
    build gets the files MkDocs' own listing gives, a file under docs/ still replaces the theme's."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files

    from gijiroku.site import devserver

    root = make_project(tmp_path / "p")
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    env = config.theme.get_env()
    docs_file = File("assets/images/favicon.png", str(root / "docs"), config.site_dir, config.use_directory_urls)

    def listed() -> list[tuple[str, str | None]]:
        files = Files([docs_file])
        files.add_files_from_theme(env, config)
        return sorted((f.src_uri, f.src_dir) for f in files)

    expected = listed()
    assert ("assets/images/favicon.png", str(root / "docs")) in expected and len(expected) > 20
    undo = devserver.list_theme_once(Files, File)
    try:
        assert listed() == expected and listed() == expected  # listed, then taken from the list
    finally:
        undo()
