"""Reading a built site: every element of a page, every internal link and where it lands."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

VOID = {"br", "img", "input", "meta", "link", "hr", "source", "rect", "line", "path", "wbr", "area", "base", "col"}


class Elements(HTMLParser):
    """(tag, attrs, text) of every element, with the text of all its descendants."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self._stack: list[dict] = []

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(el)
        if tag not in VOID:
            self._stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({"tag": tag, "attrs": dict(attrs), "text": ""})

    def handle_endtag(self, tag):
        while self._stack:
            if self._stack.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for el in self._stack:
            el["text"] += data


def elements(path: Path) -> list[dict]:
    p = Elements()
    p.feed(path.read_text(encoding="utf-8"))
    return p.elements


def by_class(els: list[dict], cls: str) -> list[dict]:
    return [e for e in els if cls in (e["attrs"].get("class") or "").split()]


def speakers(els: list[dict]) -> list[dict]:
    """Each turn's speaker as the page prints it: its heading's text, and the href of the link to
    the speaker's page that the heading holds (None for a label without one)."""
    out = []
    for i, el in enumerate(els):
        if "gk-speech" in (el["attrs"].get("class") or "").split():
            heading, after = els[i + 1], els[i + 2]
            assert heading["tag"] == "h3", heading
            linked = after["tag"] == "a" and after["text"] == heading["text"] and not after["attrs"].get("class")
            out.append({"text": heading["text"], "href": after["attrs"]["href"] if linked else None})
    return out


def facts_of(els: list[dict]) -> dict[str, str]:
    """The header card's <dt>/<dd> pairs."""
    dts = [e["text"] for e in els if e["tag"] == "dt"]
    dds = [e["text"] for e in els if e["tag"] == "dd"]
    return dict(zip(dts, dds, strict=True))


@dataclass(frozen=True)
class Link:
    page: str  # site-relative path of the page: "meetings/244/index.html"
    attr: str
    tag: str
    value: str


def links(site: Path, page: Path) -> list[Link]:
    rel = page.relative_to(site).as_posix()
    out = []
    for el in elements(page):
        for attr in ("href", "src"):
            value = el["attrs"].get(attr)
            if value is not None:
                out.append(Link(rel, attr, el["tag"], value))
    return out


def resolve(site: Path, link: Link) -> tuple[Path, str] | None:
    """The file an internal link lands on and its fragment; None for external or special links."""
    parts = urlsplit(link.value)
    if parts.scheme or parts.netloc or link.value.startswith(("mailto:", "javascript:", "data:")):
        return None
    base = posixpath.dirname(link.page)
    if parts.path.startswith("/"):  # root-relative (MkDocs writes these on 404.html)
        target = posixpath.normpath(unquote(parts.path).lstrip("/") or ".")
    else:
        target = posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else link.page
    path = site / target
    if path.is_dir() or link.value.split("#")[0].endswith("/") or parts.path == "":
        path = path / "index.html" if path.is_dir() or not path.suffix else path
    return path, unquote(parts.fragment)


def ids(path: Path) -> set[str]:
    return {e["attrs"]["id"] for e in elements(path) if e["attrs"].get("id")}
