"""The hostile-input suite's shared checks (tests/test_hostile_*.py).

Each hostile fixture ends in one of two ways, and these helpers assert them the same way for
every class of attack:

- `assert_refused`: `gijiroku check` or `gijiroku build` run as staff run them (a subprocess),
  exit status 1, a Japanese message naming the file and line, no traceback and no "unexpected
  error", and the previous `site/` left exactly as it was, with no staging directory behind.
- `assert_absent` and `assert_inert`: the site was built, the canary is in no file under it
  (every file decoded independently of the verifier: nested gzip/bz2/xz, entities, JSON and
  percent escapes, width and whitespace folded, and the search index read back), and the
  pages, opened in headless Chromium, open no dialog and send no request off the origin.
"""

from __future__ import annotations

import bz2
import gzip
import html
import lzma
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import FIXED_EPOCH

PREVIOUS = "previous-site.txt"  # a file of the "previous" site/ that a refused build must leave alone


def run(root: Path, *args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """`gijiroku ARGS` in `root` as a clerk runs it, with a fixed build date unless `env` says otherwise."""
    environ = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, **(env or {})}
    environ = {k: v for k, v in environ.items() if v is not None}
    environ.pop("GIJIROKU_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "gijiroku.cli", "--root", str(root), *args], cwd=root,
                          env=environ, capture_output=True, text=True, timeout=timeout)


def _no_crash(result: subprocess.CompletedProcess) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    assert "予期しない誤り" not in output, output[-3000:]


def assert_refused(root: Path, where: str, command: str = "build", env: dict | None = None,
                   message: str | None = None) -> str:
    """`gijiroku COMMAND` refuses: exit 1, `where` ("minutes/9.md:12", or a path alone) in its output,
    no traceback, and (for build) the previous site/ intact and no staging directory left.
    Returns the output, for further assertions."""
    site = root / "site"
    if command == "build":
        site.mkdir(exist_ok=True)
        (site / PREVIOUS).write_text("前のサイト", encoding="utf-8")
        before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    result = run(root, command, env=env)
    output = result.stdout + result.stderr
    _no_crash(result)
    assert result.returncode == 1, f"exit {result.returncode}\n{output[-3000:]}"
    assert where in output, f"{where!r} not named in:\n{output[-3000:]}"
    if message is not None:
        assert message in output, output[-3000:]
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", output), "the message is not in Japanese"
    if command == "build":
        assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before
        assert (site / PREVIOUS).read_text(encoding="utf-8") == "前のサイト"
        assert not list(root.glob(".site.staging-*")), "a staging directory was left behind"
    return output


def build_site(root: Path, env: dict | None = None) -> Path:
    """`gijiroku build` succeeds (exit 0, no traceback); the built site/."""
    result = run(root, "build", "--quiet", env=env)
    _no_crash(result)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    return root / "site"


def fold(text: str) -> str:
    """NFKC, case and every kind of whitespace (zero-width included) folded away."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s\u200b-\u200d\u2060\ufeff]+", "", text)


def _decompress(data: bytes) -> bytes:
    for _ in range(8):  # nested compression, as deep as anyone would bother
        try:
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            elif data[:3] == b"BZh":
                data = bz2.decompress(data)
            elif data[:6] == b"\xfd7zXZ\x00":
                data = lzma.decompress(data)
            else:
                return data
        except (OSError, EOFError, ValueError, lzma.LZMAError):
            return data
    return data


def readings(path: Path) -> list[str]:
    """Every way a reader or a program could read a file's bytes as text."""
    data = _decompress(path.read_bytes())
    out = []
    for encoding in ("utf-8", "utf-16", "shift_jis", "euc_jp"):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, UnicodeError):
            continue
        out.append(text)
    out.append(data.decode("utf-8", errors="ignore"))
    more = []
    for text in out:
        t = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
        t = html.unescape(html.unescape(t))
        t = unquote(t)
        more.append(t)
        more.append(re.sub(r"<[^<>]*>", "", t))  # a tag between two characters hides nothing
    return out + more


def files_holding(site: Path, canary: str) -> list[str]:
    """Files under `site` in which the canary (folded) can be read, the search index included."""
    from gijiroku.search import reader, tokens

    needle = fold(canary)
    found = [p.relative_to(site).as_posix() for p in sorted(site.rglob("*"))
             if p.is_file() and any(needle in fold(text) for text in readings(p))]
    folder = reader.index_dir(site)
    if (folder / reader.CHUNKS).is_dir():
        letters = tokens.search_chars(canary)
        if letters:
            hits = reader.find_in_index(folder, [letters])
            found += [f"{reader.DATA}/{reader.CHUNKS}（{page}）" for page in sorted(hits)]
    return found


def assert_absent(site: Path, *canaries: str) -> None:
    """No canary in any file of the site, in any encoding or compression."""
    for canary in canaries:
        assert files_holding(site, canary) == [], f"canary {canary!r} published"


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def assert_inert(site: Path, pages: list[str] | None = None, settle_ms: int = 300) -> None:
    """Each page (default: every HTML page) opened in headless Chromium opens no dialog, runs no
    script that sets `window.__pwned`, and sends no request off its own origin."""
    from browser import chromium, serve

    pages = html_pages(site) if pages is None else pages
    dialogs: list[str] = []
    offsite: list[str] = []
    with serve(site) as base, chromium() as browser:
        origin = urlsplit(base).netloc
        context = browser.new_context()

        def on_request(request):
            parts = urlsplit(request.url)
            local = parts.scheme in ("data", "blob", "about") or parts.netloc == origin
            if not local:
                offsite.append(request.url)

        context.on("request", on_request)
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
        for rel in pages:
            url = base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
            page.goto(url)
            page.wait_for_timeout(settle_ms)
            # hover and focus everything a payload might hang an event handler on
            for handle in page.query_selector_all("article *, header *")[:400]:
                try:
                    handle.dispatch_event("mouseover")
                    handle.dispatch_event("focus")
                except Exception:  # noqa: BLE001 - an element that went away; nothing to trigger
                    pass
            assert page.evaluate("() => window.__pwned === undefined"), f"script ran on {rel}"
        context.close()
    assert dialogs == [], dialogs
    assert offsite == [], offsite
