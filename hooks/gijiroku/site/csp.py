"""The Content-Security-Policy of every page, and the post-build fence that refuses to publish markup.

Two fences behind the first one (every source string escaped, source Markdown restricted):

- `apply` (the `on_post_page` hook) puts the policy first in `<head>`, before anything a page
  prints. Scripts run only from this site's files; an inline script runs only if it is one of
  Material's own (`partials/javascripts/*.html`, compared text for text, the per-page base URL
  aside) and then only by the hash of its exact text. Nothing a page merely happens to contain
  is ever hashed, so injected script cannot run even where the policy is honoured.
- `scan_site` (after the build, from `BuildState.finish` in site/build.py) reads every HTML page with html.parser,
  or, for a page in a plain subset of HTML where nothing is found, with one pattern that reads it
  as html.parser does (`_plain_is_clean`, below; a page scanned as MkDocs wrote it, site/prescan.py,
  only if its file holds exactly those bytes) and lists what must never be published: event-handler attributes, `javascript:`, `vbscript:`
  and `data:` URLs, scripts that are not Material's or ours, frames, objects, `<base>`,
  `<meta http-equiv=refresh>`, a page whose first element is not the site's own policy, a
  Material script that is not the theme's file, and any document that is not a page (SVG, XML,
  `.htm` …, which a browser opens without a policy).
"""

from __future__ import annotations

import base64
import hashlib
import io
import posixpath
import re
import secrets
from concurrent.futures import Executor
from functools import cache
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from ..processes import spawned_pool
from ..record.problems import Problem
from ..record.rules import problem

# No WebAssembly and no workers (search is our own script); Material's inline style attributes
# need 'unsafe-inline' for styles only. Nothing may come from another host.
POLICY = ("default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'none'; "
          "object-src 'none'; base-uri 'self'; form-action 'self'")
# Our own scripts (mkdocs.yml extra_javascript and the search page's), as paths in the site.
OUR_SCRIPTS = ("assets/theme.js", "assets/gijiroku.js", "assets/query.js", "assets/search.js")

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_JINJA = re.compile(r"\{\{.*?\}\}", re.S)
# What Material prints for `{{ base_url }}` or `{{ config.extra.scope | d(base_url) }}`: a URL
# path such as `../..`, `.` or `/` (no quote, backslash or angle bracket).
_BASE_URL = r"[A-Za-z0-9._~/:%-]*"


@cache
def _material_templates() -> Path:
    import material

    return Path(material.__file__).parent / "templates"


@cache
def material_scripts() -> tuple[re.Pattern, ...]:
    """Each inline script in Material's templates, as a pattern its printed text must match whole."""
    patterns = []
    for path in sorted((_material_templates() / "partials" / "javascripts").glob("*.html")):
        for _attrs, body in _SCRIPT.findall(path.read_text(encoding="utf-8")):
            if "{%" in body:
                raise RuntimeError(f"{path}: a script with Jinja statements cannot be recognised")
            parts = _JINJA.split(body)
            patterns.append(re.compile(_BASE_URL.join(re.escape(p) for p in parts), re.S))
    return tuple(patterns)


@cache
def allowed_scripts() -> frozenset[str]:
    """Script files a page may load, as paths in the site: Material's bundle (named in its
    base.html) and ours."""
    base = (_material_templates() / "base.html").read_text(encoding="utf-8")
    bundle = re.findall(r"'(assets/javascripts/bundle\.[0-9a-f]+\.min\.js)'", base)
    return frozenset(bundle + list(OUR_SCRIPTS))


def is_material_script(body: str) -> bool:
    return any(p.fullmatch(body) for p in material_scripts())


def _is_javascript(attrs: str) -> bool:
    kind = re.search(r"\btype\s*=\s*[\"']?([^\"'\s>]*)", attrs, re.I)
    return kind is None or kind.group(1).lower() in ("", "text/javascript", "module", "application/javascript")


def script_hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def policy_for(html: str, nonce: str | None = None) -> str:
    """The policy of one page: the hashes of the Material scripts it holds, nothing else inline
    (under `serve`, also the nonce of MkDocs' live-reload script, see `allow_live_reload`)."""
    hashes = [f"'nonce-{nonce}'"] if nonce else []
    for attrs, body in _SCRIPT.findall(html):
        if "src" not in attrs.lower() and _is_javascript(attrs) and is_material_script(body):
            digest = script_hash(body)
            if digest not in hashes:
                hashes.append(digest)
    return POLICY.format(hashes="".join(" " + h for h in hashes))


def apply(html: str, nonce: str | None = None) -> str:
    """The page with its policy as the first element of <head> (an HTML page without a head is
    returned as it is, and the fence refuses it)."""
    head = _HEAD.search(html)
    if head is None:
        return html
    meta = f'\n<meta http-equiv="Content-Security-Policy" content="{policy_for(html, nonce)}">'
    return html[: head.end()] + meta + html[head.end():]


def new_nonce() -> str:
    """A fresh nonce for one `serve` session (base64url: safe in the policy and in an attribute)."""
    return secrets.token_urlsafe(18)


def allow_live_reload(server, nonce: str) -> None:
    """Let MkDocs' live-reload script run under `serve`, and nothing else that was not allowed.

    The dev server (mkdocs.livereload.LiveReloadServer, MkDocs 1.6) appends an inline script to
    every HTML response; its text holds a timestamp, so no hash can allow it. It gets this
    session's nonce instead, which the pages' policy names (`apply(html, nonce)`). The nonce is
    made at the start of the session and never written to the built files, so a script in a
    source file cannot carry it; and the post-build fence refuses any script that is not
    Material's or ours before a page is served at all.
    """
    inject = server._inject_js_into_html

    def with_nonce(content: bytes, epoch: int) -> bytes:
        out = inject(content, epoch)
        at = content.rfind(b"</body>")  # where MkDocs puts its script, as it finds the place
        at = len(content) if at < 0 else at
        return out[:at] + out[at:].replace(b"<script>", f'<script nonce="{nonce}">'.encode(), 1)

    server._inject_js_into_html = with_nonce


# -- the post-build fence ------------------------------------------------------------------------

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "srcset", "poster",
                            "background", "data", "cite", "ping", "manifest", "srcdoc"})
FORBIDDEN_TAGS = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"})
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
# What `policy_for` adds to POLICY: hashes of Material's scripts and, under serve, the nonce.
_SOURCES = re.compile(r" '(?:sha256|nonce)-[A-Za-z0-9+/=_-]+'")
# XML and SVG files the build itself writes (MkDocs' sitemap, our feed): no others are published.
OWN_DOCUMENTS = frozenset({"sitemap.xml", "feed.xml"})
# The feeds of each commissioner and agency (`feed.render_person_feed`, `render_agency_feed`):
# generated from the public record; nothing under docs/ may be XML (`gijiroku check`).
OWN_FEED = re.compile(r"(?:commissioners|agencies)/[a-z0-9][a-z0-9-]*/feed\.xml")


def _bad_url(value: str) -> str | None:
    plain = _IGNORED.sub("", value).lower()
    for scheme in ("javascript:", "vbscript:", "data:"):
        if plain.startswith(scheme) or f",{scheme}" in plain:  # srcset lists URLs
            return scheme
    return None


class _PageScan(HTMLParser):
    def __init__(self, page: str, allowed: frozenset[str], prefix: str):
        super().__init__(convert_charrefs=True)
        self.page, self.allowed, self.prefix = page, allowed, prefix
        self.problems: list[Problem] = []
        self.in_head = False
        self.first_in_head: tuple[str, dict] | None = None
        self.script: dict | None = None  # the open inline <script>'s attributes
        self.script_text: list[str] = []

    def _problem(self, code: str, /, **values: str) -> None:
        line, _ = self.getpos()
        self.problems.append(problem(code, self.page, line, **values))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "head":
            self.in_head = True
        elif self.in_head and self.first_in_head is None:
            self.first_in_head = (tag, values)
        for name, value in values.items():
            if name.startswith("on"):
                self._problem("G701", tag=tag, name=name)
            elif name in URL_ATTRIBUTES and (scheme := _bad_url(value)):
                self._problem("G702", tag=tag, name=name, scheme=scheme)
        if tag in FORBIDDEN_TAGS:
            self._problem("G703", tag=tag)
        elif tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self._problem("G704")
        elif tag in ("animate", "set") and values.get("attributename", "").lower() in ("href", "xlink:href"):
            self._problem("G705", tag=tag)
        elif tag == "script":
            self._start_script(values)

    def _start_script(self, values: dict) -> None:
        src = values.get("src") or values.get("href") or values.get("xlink:href")
        if src:
            if self._site_path(src) not in self.allowed:
                self._problem("G706", src=src)
            return
        self.script, self.script_text = values, []

    def _site_path(self, url: str) -> str | None:
        try:
            parts = urlsplit(url)
        except ValueError:  # "//[" (an IPv6 host left open), a host NFKC changes: no file of the site
            return None
        if parts.scheme or parts.netloc:
            return None
        if parts.path.startswith("/"):
            path = parts.path
            return path[len(self.prefix):] if path.startswith(self.prefix) else None
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.page), parts.path))

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        if tag == "script" and self.script is not None:
            values, body = self.script, "".join(self.script_text)
            self.script = None
            kind = values.get("type", "").lower()
            if kind == "application/json" and values.get("id") == "__config":
                return  # Material's configuration: data, never run
            if not is_material_script(body):
                self._problem("G707")

    def finish(self) -> list[Problem]:
        tag, values = self.first_in_head or ("", {})
        policy = values.get("content", "")
        if tag != "meta" or values.get("http-equiv", "").lower() != "content-security-policy":
            self.problems.append(problem("G708", self.page, None))
        elif _SOURCES.sub("", policy) != POLICY.format(hashes=""):
            # A policy of the page's own (a file copied from docs/) may allow other hosts.
            self.problems.append(problem("G709", self.page, None))
        return self.problems


# -- the fence's plain path -----------------------------------------------------------------------
#
# html.parser takes about 1.4 ms a page, most of it in Python for each tag and each run of text,
# and the build's pages hold some 240 tags each. A page written in a plain subset of HTML is
# read faster with the same handlers: one regular expression proves the whole page is a sequence
# of plain tokens (below), and only the tags that could hold a problem are read and handed to
# `_PageScan`, as html.parser would hand them. A page outside the subset, or in which anything
# is found, is read by html.parser: this path can only say "nothing here", and says it only
# where html.parser would find nothing (tests/test_fence_plain.py compares the two).
#
# The subset, where html.parser and this reading cannot disagree: text holds no "<"; a tag's
# name is ASCII; each attribute is preceded by ASCII whitespace, named in ASCII, and its value,
# if any, follows "=" at once: double- or single-quoted without "<" or ">", or bare of a few
# characters and followed by whitespace or ">"; a script or style element is one token, its
# body without "<" and closed by its own name (in any case); comments hold no "--", "<" or ">";
# a doctype is <!doctype html>. So every "<" of such a page starts a token, and a token is the same read
# from wherever it starts. Names are matched in ASCII only (re.ASCII): without it, a
# case-insensitive "script" also matches "scrıpt" and "ſcript", which close no script.
_WS = "[ \t\n\r\f]"
_END = "[ \t\n\r\f/>]"  # what may follow a tag's name
_TAG_NAME = f"(?!(?i:script|style){_END})[a-zA-Z][a-zA-Z0-9-]*"
_VALUE = """="[^"<>]*"|='[^'<>]*'|=[a-zA-Z0-9_.:#%+,;-]+(?=[ \t\n\r\f>])"""
_ATTRIBUTE = f"{_WS}+[a-zA-Z_:][a-zA-Z0-9_:.-]*(?:{_VALUE})?"
_ATTRIBUTES = f"(?:{_ATTRIBUTE})*"
# A page is plain if this matches it whole: each token in an atomic group, so that a page that
# is not plain fails in steps linear in its length (a run of text that could be split anywhere
# took exponential time), and no group captures (3.11's re fails on captures in a possessive
# repetition).
_PLAIN_PAGE = re.compile(
    "(?>[^<]+"
    f"|<(?i:script){_ATTRIBUTES}{_WS}*>[^<]*</(?i:script)>"
    f"|<(?i:style){_ATTRIBUTES}{_WS}*>[^<]*</(?i:style)>"
    f"|<{_TAG_NAME}{_ATTRIBUTES}{_WS}*/?>"
    "|</[a-zA-Z][a-zA-Z0-9-]*>"
    "|<!--(?:[^<>-]|-[^<>-])*-->"
    "|<!(?i:doctype html)>)*+", re.ASCII)
# One token of a plain page (read only in a page `_PLAIN_PAGE` matched, so read one way).
_PLAIN = re.compile(
    "[^<]+"
    f"|<(?P<raw>(?i:script|style))(?P<raw_attrs>{_ATTRIBUTES}){_WS}*>(?P<body>[^<]*)</(?i:script|style)>"
    f"|<(?P<tag>{_TAG_NAME})(?P<attrs>{_ATTRIBUTES}){_WS}*(?P<close>/?)>"
    "|</(?P<end>[a-zA-Z][a-zA-Z0-9-]*)>"
    "|<!--(?:[^<>-]|-[^<>-])*-->"
    "|<!(?i:doctype html)>", re.ASCII)
_ATTRIBUTE_PARTS = re.compile(f"""{_WS}+([a-zA-Z_:][a-zA-Z0-9_:.-]*)(?:=(?:"([^"]*)"|'([^']*)'|([^ \t\n\r\f>]+)))?""")
# The start of every tag that could hold a problem: a script or style, a tag the fence looks at
# by its name, or a tag with "on" after whitespace (an event handler) or with ":" or "&" (a URL
# can name a scheme only with ":", or with "&" escaping one). More is harmless: it is read.
_LOOK_AT = re.compile(
    "<(?:(?i:script|style|meta|animate|set|{})(?={})|[a-zA-Z][^<>:&]*?(?:[:&]|{}[oO][nN]))".format(
        "|".join(sorted(FORBIDDEN_TAGS)), _END, _WS), re.ASCII)


def _plain_attributes(text: str) -> list[tuple[str, str | None]]:
    """The attributes of a plain tag as html.parser gives them: names lowered, values unquoted
    and unescaped, None for an attribute without a value."""
    out: list[tuple[str, str | None]] = []
    for m in _ATTRIBUTE_PARTS.finditer(text):
        value = next((v for v in m.group(2, 3, 4) if v is not None), None)
        out.append((m.group(1).lower(), unescape(value) if value else value))
    return out


def _hand_over(scan: _PageScan, token: re.Match) -> None:
    """One plain token to the handlers, as html.parser would call them."""
    if (tag := token.group("tag")) is not None:
        tag = tag.lower()
        attrs = token.group("attrs")
        scan.handle_starttag(tag, _plain_attributes(attrs) if attrs else [])
        if token.group("close"):
            scan.handle_endtag(tag)
    elif (raw := token.group("raw")) is not None:
        raw = raw.lower()
        attrs = token.group("raw_attrs")
        scan.handle_starttag(raw, _plain_attributes(attrs) if attrs else [])
        if body := token.group("body"):
            scan.handle_data(body)
        scan.handle_endtag(raw)
    elif (end := token.group("end")) is not None:
        scan.handle_endtag(end.lower())


def _plain_is_clean(text: str, page: str, allowed: frozenset[str], prefix: str) -> bool:
    """Whether the fence finds nothing in `text`, a page that `_PLAIN_PAGE` matched whole. False
    says only that html.parser must read it."""
    scan = _PageScan(page, allowed, prefix)
    at = len(text)
    for token in _PLAIN.finditer(text):  # every token up to the first element in <head>, which finish() looks at
        _hand_over(scan, token)
        if scan.first_in_head is not None:
            at = token.end()
            break
    while (start := _LOOK_AT.search(text, at)) is not None:
        token = _PLAIN.match(text, start.start())
        _hand_over(scan, token)
        at = token.end()
    return not scan.finish()


def page_problems(text: str, page: str, allowed: frozenset[str] | None = None, prefix: str = "/") -> list[Problem]:
    """What in one page (its text, its path in the site) must not be published.

    A page that is not plain is refused too (G712, at the line where it stops being plain):
    html.parser reads some shapes otherwise than browsers do (`</script/`, `<!-->`, a style in
    an SVG, a tag cut by a NUL, `==` before a value …), so that it can find nothing where a
    browser finds a script. Every page the build writes is plain (tests/test_fence_plain.py); a
    page that is not holds markup from a source, which is refused anyway."""
    allowed = allowed if allowed is not None else allowed_scripts()
    plain = _PLAIN_PAGE.match(text)
    if plain.end() == len(text):
        return [] if _plain_is_clean(text, page, allowed, prefix) else _parsed_problems(text, page, allowed, prefix)
    stop = problem("G712", page, text.count("\n", 0, plain.end()) + 1)
    return [*_parsed_problems(text, page, allowed, prefix), stop]


def _parsed_problems(text: str, page: str, allowed: frozenset[str], prefix: str) -> list[Problem]:
    """`page_problems` read by html.parser, whatever the page holds."""
    scan = _PageScan(page, allowed, prefix)
    scan.feed(text)
    scan.close()
    return scan.finish()


def scan_page(text: str, page: str, allowed: frozenset[str] | None = None, prefix: str = "/") -> list[str]:
    """`page_problems`, one line each (`page:line: what`)."""
    return [found.format() for found in page_problems(text, page, allowed, prefix)]


def page_text(data: bytes) -> str:
    """A page's bytes as text, as `Path.read_text(encoding="utf-8", errors="replace")` reads the
    file (undecodable bytes replaced, line ends made `\\n`)."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="replace").read()


def _scan_file(args: tuple[str, str, str]) -> list[Problem]:
    site, page, prefix = args
    return page_problems(page_text((Path(site) / page).read_bytes()), page, None, prefix)


def _unchanged(path: Path, known: tuple[int, bytes, list[Problem]]) -> list[Problem] | None:
    """The problems found in a page's bytes (size, SHA-256, problems) before it was written, if
    `path` holds exactly those bytes; else None (scan the file)."""
    size, digest, found = known
    data = path.read_bytes()
    return found if len(data) == size and hashlib.sha256(data).digest() == digest else None


def site_problems(site_dir: Path, site_url: str = "", parallel: bool = True,
                  written: dict[str, tuple[int, bytes, list[Problem]]] | None = None,
                  pool: Executor | None = None, since: float | None = None) -> list[Problem]:
    """Every problem of every HTML page under `site_dir` (empty: the site may be published).

    With `since` (a serve rebuild of a directory whose every page passed before), only pages
    written since then are read; every file's name is still checked.

    `written` (page -> its size, SHA-256 and problems) holds pages scanned from the bytes MkDocs
    was to write (site/prescan.py): a page whose file holds exactly those bytes is not scanned
    again. `pool` (a running process pool) scans the others.
    """
    from ..disclosure.readers import output_files
    from ..record.docs_files import is_document

    prefix = urlsplit(site_url).path or "/"
    stats = dict(output_files(site_dir))
    files = sorted(stats)
    pages = [f for f in files if f.endswith(".html") and (since is None or stats[f].st_mtime >= since)]
    # A document that is not a page gets no policy (an SVG or XML file opened on its own runs
    # its script): the build writes none but its own.
    problems = [problem("G710", f, None) for f in files
                if is_document(f) and not f.endswith(".html") and f not in OWN_DOCUMENTS and not OWN_FEED.fullmatch(f)]
    problems += _theme_scripts_replaced(site_dir)
    results: dict[str, list[Problem]] = {}
    for page in pages:
        known = (written or {}).get(page)
        found = _unchanged(site_dir / page, known) if known is not None else None
        if found is not None:
            results[page] = found
    jobs = [(str(site_dir), page, prefix) for page in pages if page not in results]
    if parallel and pool is not None and jobs:
        scanned = pool.map(_scan_file, jobs, chunksize=16)
    elif parallel and len(jobs) > 200:
        # Spawned, not forked: a forked copy of the MkDocs process grows to its size as it runs.
        with spawned_pool(2) as spawned:
            scanned = list(spawned.map(_scan_file, jobs, chunksize=64))
    else:
        scanned = [_scan_file(job) for job in jobs]
    results.update(zip((page for _, page, _ in jobs), scanned, strict=True))
    return problems + [found for page in pages for found in results[page]]


def scan_site(site_dir: Path, site_url: str = "", parallel: bool = True,
              written: dict[str, tuple[int, bytes, list[Problem]]] | None = None,
              pool: Executor | None = None, since: float | None = None) -> list[str]:
    """`site_problems`, one line each (`file:line: what`), as the build's refusal prints them."""
    return [found.format() for found in site_problems(site_dir, site_url, parallel, written, pool, since)]


def _theme_scripts_replaced(site_dir: Path) -> list[Problem]:
    """Material's scripts that a page may load, where the site's file is not the theme's (a file
    under docs/ takes the place of a theme file of the same path)."""
    out = []
    for rel in sorted(allowed_scripts() - set(OUR_SCRIPTS)):
        theme, site = _material_templates() / rel, site_dir / rel
        if site.is_file() and (not theme.is_file() or site.read_bytes() != theme.read_bytes()):
            out.append(problem("G711", rel, None))
    return out
