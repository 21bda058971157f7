"""Markdown written in sources (decision bodies, registry profiles): structure and text, never markup.

Decision bodies and the hand-written profiles of commissioners and agencies are Markdown
(headings, lists, tables, admonitions, links), but a source file must not be able to put
anything into a page that runs or loads: no raw HTML, no attribute lists, no image, no link
other than http(s) or relative. Two fences, each enough on its own:

- `check_markdown` reports each such construct with its line, so that `gijiroku check` refuses
  the file and the clerk sees what to write instead;
- `render_markdown` converts with a Python-Markdown instance of our own that cannot emit source
  markup: the raw-HTML block preprocessor and the inline HTML pattern are removed (a `<script>`
  stays text and is escaped like any text), there is no attr_list, and a tree pass turns every
  image into its alt text and every link whose URL is not http(s) or relative into plain text.
  MkDocs' own Markdown (with mkdocs.yml's attr_list) never sees a source body.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
from markdown.treeprocessors import Treeprocessor

from .text import code_spans, without_code_spans

SAFE_SCHEMES = ("http", "https")
# What a browser ignores in a URL before its scheme (C0 controls, space) and inside it (tab, newline).
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def url_problem(url: str) -> str | None:
    """Why a link target from a source may not be used, or None for http(s) and relative URLs.

    The URL is read as a browser reads the attribute: entities decoded, controls and spaces
    dropped, so that `&#106;avascript:` and `java\\tscript:` are what they are.
    """
    plain = as_browser_reads(url)
    scheme = _SCHEME.match(plain)
    if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
        return f"「{scheme.group(1)}:」の URL"
    if plain.startswith(("\\\\", "/\\", "\\/")):  # read by browsers as //host
        return "「\\」で始まる URL"
    return None


def as_browser_reads(url: str) -> str:
    """A URL from a source as a browser reads the attribute: entities decoded, controls and
    spaces dropped."""
    return _URL_IGNORED.sub("", html.unescape(url))


class _Fence(Treeprocessor):
    """The last tree pass: images become their alt text, unsafe links plain text; headings get
    ids and permalinks the way mkdocs.yml's toc extension makes them."""

    def __init__(self, md, slugify: Callable[[str, str], str]):
        super().__init__(md)
        self.slugify = slugify
        self.used: set[str] = set()
        self.headings: list[tuple[int, str, str]] = []

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.tag == "img":
                alt = el.get("alt", "")
                el.attrib.clear()
                el.tag, el.text = "span", alt
            elif el.tag == "a" and url_problem(el.get("href", "")):
                el.attrib.clear()
                el.tag = "span"
            elif el.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self._anchor(el)

    def _anchor(self, el: etree.Element) -> None:
        text = "".join(el.itertext()).strip()
        anchor = unique_id(self.slugify(text, "-"), self.used)
        el.set("id", anchor)
        link = etree.SubElement(el, "a", {"class": "headerlink", "href": f"#{anchor}"})
        link.text = "#"
        self.headings.append((int(el.tag[1]), anchor, toc_name(html.escape(text, quote=False))))


_ID_COUNT = re.compile(r"^(.*)_([0-9]{1,9})$")  # longer: a name, not a count (int() of 5,000 digits raises)


def unique_id(anchor: str, used: set[str]) -> str:
    """`anchor`, or `anchor_1`, `anchor_2` … (`_1` for an empty slug), as the toc extension
    numbers a repeated heading."""
    while anchor in used or not anchor:
        m = _ID_COUNT.match(anchor)
        anchor = f"{m.group(1)}_{int(m.group(2)) + 1}" if m else f"{anchor}_1"
    used.add(anchor)
    return anchor


def toc_name(escaped: str) -> str:
    """A heading's text as the table of contents prints it (HTML, quotes left as they are)."""
    return escaped.replace("&#39;", "'").replace("&#34;", '"').replace("&#x27;", "'").replace("&quot;", '"')


class SourceMarkdown:
    """One restricted Python-Markdown instance, reused for every source body of a build."""

    def __init__(self, slugify: Callable[[str, str], str]):
        self.md = markdown.Markdown(extensions=["tables", "admonition"], output_format="html")
        self.md.preprocessors.deregister("html_block")
        self.md.inlinePatterns.deregister("html")
        self.fence = _Fence(self.md, slugify)
        self.md.treeprocessors.register(self.fence, "gijiroku_fence", -10)  # after inline and unescape

    def render(self, text: str, used: set[str]) -> tuple[str, list[tuple[int, str, str]]]:
        """HTML of a source body, and its headings (level, id, name); ids are unique within `used`."""
        self.md.reset()
        self.fence.used, self.fence.headings = used, []
        return self.md.convert(text), self.fence.headings


def check_body(source) -> None:
    """Report on `source` (a Source: decision or registry profile) every line of its body that
    `check_markdown` refuses. One problem, one message: lines that are, or look like, disclosure
    markers, withheld text and lines already reported (the disclosure scan refuses raw HTML in
    the bodies it reads) are left to the check that owns them."""
    from ..disclosure.markers import marker_lines

    owned = marker_lines(source.body, source.body_line, source.path)
    owned |= {p.line for p in source.problems if p.path == source.path}
    for number, code, values in check_markdown(source.body, source.body_line, owned.__contains__):
        source.problem(number, code, **values)


# -- the check -----------------------------------------------------------------------------------

_AUTOLINK = re.compile(r"<https?://[^<>\s]*>", re.IGNORECASE)
_TAG = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*|!|\?)")
# \{ is a brace, as text. From a brace, `=` is looked for up to the next unescaped one only (the
# match from that one finds it): up to the line's end from each, a line of braces took the square
# of its length (100,000 braces: 13 s; found by a third attack).
_ATTR_LIST = re.compile(r"(?<!\\)\{\s*:|(?<!\\)\{\s*[#.][A-Za-z_]|(?<!\\)\{(?:[^{}\n]|\\\{)*=")
_IMAGE = re.compile(r"!\[")
_INLINE_LINK = re.compile(r"\]\(\s*<?([^\s)>]*)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S*?)>?(?:\s|$)")
# A link's URL on the line after its `](` or its reference's `]:`, as Python-Markdown reads both.
# Possessive: with `[ \t]*<?[ \t]*` every split of a run of spaces was tried, so `](` and 30,000
# spaces took 0.5 s, 200,000 took 22 s (the square of their length), in bodies and pages.
_SPLIT_URL = re.compile(r"(?:^ {0,3}\[[^\]\n]+\]:|\]\()[ \t]*+<?[ \t]*+\n[ \t]*<?([^\s)>]*)", re.MULTILINE)  # `](<` too


def check_markdown(text: str, first_line: int, skip: Callable[[int], bool] = lambda n: False,
                   page: bool = False) -> list[tuple[int, str, dict[str, str]]]:
    """(line, rule code, values) for every construct of a source body that the site will not publish
    (the rules are in record/rules.py).

    `skip(line)` tells lines the disclosure markers own (a marker line or withheld text), which
    the disclosure check reads instead. A code span in backticks is shown as text, so it is not
    checked; a ``` line is not a fence to the renderer (no fenced_code), so it hides nothing.

    With `page` (a hand-written page under docs/, which MkDocs renders with mkdocs.yml's
    extensions) a heading may end with its id (`## 準備 {#local}`, attr_list's one use there) and
    an image may show a file of the site (a relative URL: the verifier reads the file); anything
    else is refused as in a body, so that no page holds markup, a style or an attribute from its source.
    """
    problems = []
    shown = _page_lines(text) if page else [without_code_spans(line) for line in text.split("\n")]
    for n, line in enumerate(shown, first_line):
        if skip(n):
            continue
        found = _page_problem(line) if page else _line_problem(_AUTOLINK.sub("", line))
        if found:  # the first of a line's problems: once it is fixed, check shows the next
            problems.append((n, *found))
    return _split_urls("\n".join(shown), first_line, skip, problems)


def _split_urls(shown: str, first_line: int, skip: Callable[[int], bool], problems: list) -> list:
    """`problems` and a G313 at each link's URL that stands on the line after its `](` or `]:`,
    where the line-by-line reading does not see it (found by an attack), in the order of the lines."""
    lines = {n for n, *_ in problems}
    for m in _SPLIT_URL.finditer(shown):
        n = first_line + shown.count("\n", 0, m.start(1))
        if n not in lines and not skip(n) and (why := url_problem(m.group(1))):
            problems.append((n, "G313", {"why": why}))
            lines.add(n)
    return sorted(problems, key=lambda p: p[0])


def _spanned(text: str) -> set[int]:
    """Where the code spans of `text` stand (their backticks and contents)."""
    return {i for start, end in code_spans(text) for i in range(start, end)}


def _page_lines(text: str) -> list[str]:
    """The page's lines with the contents of its code spans blanked, the spans found in each
    paragraph as Python-Markdown finds them (a span may run over a line's end, not over a blank
    line, a table row or a heading; an escaped backtick opens none): a span paired line by line hid
    markup that a span across two lines showed (found by an attack)."""
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        joined = "\n".join(block)
        # Blanked only where a span stands whether a backslash before a backtick escapes it or not:
        # it does outside a span, not inside one, where `a\` ends before `{: style=…}` (a fourth attack).
        inside = _spanned(joined.replace("\\`", "\x01\x01")) & _spanned(joined)
        chars = [" " if i in inside and c != "\n" else c for i, c in enumerate(joined)]
        out.extend("".join(chars).split("\n") if block else [])
        block.clear()

    for line in text.split("\n"):
        alone = not line.strip() or line.lstrip().startswith(("|", "#"))  # a blank line, a table row, a heading
        if alone:
            flush()
        block.append(line)
        if alone:
            flush()
    flush()
    return out


# A heading's own id, `## 準備 {#local}` or `{: #local }`: the one attribute list a page may hold.
_HEADING_ID = re.compile(r"^( {0,3}#{1,6} .*?\S) +\{ *:? *#[A-Za-z][A-Za-z0-9_-]* *\} *$")  # \S: a run of spaces tried once
# An image of the site: a relative URL (in <…> or not), with or without a title. Its text holds no
# bracket: Python-Markdown reads `![a [b](x.jpg)](https://…)` as one image of the outer URL, which
# the inner one hid (found by a third attack); and from each `![` the text is looked for up to the
# next bracket only, its URL up to the next bracket or parenthesis (to the line's end, a line of
# `![` or of `![a](` took the square of its length; its spaces are taken whole, once: `![a](` and
# spaces split them every way, found by a fourth attack).
_PAGE_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\(\s*+(?:<([^<>\n]*)>|([^\s()<>\[\]]*))(?:\s++(?:\"[^\"]*\"|'[^']*'))?\s*+\)")
_LOCAL = re.compile(r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?![/\\]{2})[^<>\"'\\]*$")
_BRACES = re.compile(r"(?<!\\)\{[^{}\n]*(?<!\\)\}")  # attr_list reads any {…} it can attach


def _page_problem(plain: str) -> tuple[str, dict[str, str]] | None:
    """`_line_problem` of a hand-written page's line (code spans blanked by `_page_lines`)."""
    plain = _HEADING_ID.sub(r"\1", plain)
    # its URL read as a browser reads it (` https:` is no path)
    plain = _PAGE_IMAGE.sub(lambda m: "" if _LOCAL.match(as_browser_reads(m.group(1) or m.group(2) or "")) else "![", plain)
    plain = _AUTOLINK.sub("", plain)
    if (tag := _TAG.search(plain)) is None and _BRACES.search(plain):  # { hidden }, { .-x }, { #1a }: attributes
        return "G311", {}
    return _line_problem(plain) if tag is None else ("G310", {"tag": tag.group(0)})


def _line_problem(plain: str) -> tuple[str, dict[str, str]] | None:
    tag = _TAG.search(plain)
    if tag:
        return "G310", {"tag": tag.group(0)}
    if _ATTR_LIST.search(plain):
        return "G311", {}
    if _IMAGE.search(plain):
        return "G312", {}
    for url in _INLINE_LINK.findall(plain) + _REFERENCE.findall(plain):
        why = url_problem(url)
        if why:
            return "G313", {"why": why}
    return None
