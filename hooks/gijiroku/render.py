"""Rendering helpers: the Jinja environment, Japanese dates, and speech HTML made once."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import cache, lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from .model import Meeting, Paragraph, Speech, StageDirection, Withheld

UNKNOWN = "不明"
WEEKDAYS = "月火水木金土日"
ERAS = ((dt.date(2019, 5, 1), "令和"), (dt.date(1989, 1, 8), "平成"), (dt.date(1926, 12, 25), "昭和"))


def wareki(day: dt.date) -> str:
    """Japanese era year: 令和5年, 令和元年."""
    for start, name in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return f"{name}{'元' if year == 1 else year}年"
    return f"{day.year}年"


def date_ja(day: dt.date | None, weekday: bool = True) -> str:
    """2023年5月31日（水）, or 不明."""
    if day is None:
        return UNKNOWN
    text = f"{day.year}年{day.month}月{day.day}日"
    return text + (f"（{WEEKDAYS[day.weekday()]}）" if weekday else "")


def held(day: dt.date | None) -> str:
    """A meeting's date in a list: 2023年5月31日, or 開催日不明."""
    return date_ja(day, weekday=False) if day else "開催日不明"


def date_full(day: dt.date | None) -> str:
    """令和5年（2023年）5月31日（水）, the form readers of official minutes expect."""
    if day is None:
        return UNKNOWN
    return f"{wareki(day)}（{day.year}年）{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>])")


def md_escape(text: str) -> str:
    """Escape text for a Markdown context (headings), so a title is never read as markup."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def _block_html(block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, StageDirection):
        return f'<p class="gk-stage">{escape(block.text)}</p>'
    if isinstance(block, Withheld):
        return f'<p class="gk-withheld">{escape(block.text)}</p>'
    raise TypeError(block)


@cache
def _blocks_html(blocks: tuple) -> str:
    return "".join(_block_html(b) for b in blocks)


def speech_body(speech: Speech) -> Markup:
    """The speech's paragraphs as HTML, rendered once per distinct text and reused on every page."""
    return Markup(_blocks_html(speech.blocks))


def event_html(block) -> Markup:
    return Markup(_block_html(block))


def excerpt(text: str, limit: int = 90) -> str:
    """The first `limit` characters of a text, on one line, with an ellipsis when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rstrip() + "…"


def content_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def meeting_time(meeting: Meeting) -> str:
    if not meeting.start_time and not meeting.end_time:
        return UNKNOWN
    return f"{meeting.start_time or UNKNOWN}〜{meeting.end_time or ''}"


_HEADING = re.compile(r"^(#{1,6}) (.+?)(?: \{: #([A-Za-z0-9_-]+) \})?$")
_MD_UNESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+!|<>-])")
HEADERLINK_TITLE = "この見出しへのリンク"  # mkdocs.yml toc.permalink_title; the golden files hold them together


@lru_cache(maxsize=1)
def _slugify():
    from pymdownx.slugs import slugify  # the slugify mkdocs.yml gives the toc extension

    return slugify(case="lower")


def prebuild(markdown: str) -> tuple[str, list[dict]] | None:
    """HTML and table-of-contents tokens for a page made only of headings and HTML blocks.

    What Python-Markdown with attr_list and toc would make of it, without the 1.5 ms a page
    that converting it costs (a third of the build at 1000 meetings). None for a page with any
    other Markdown in it (a decision's body, a hand-written profile): that one MkDocs converts.
    """
    html: list[str] = []
    tokens: list[dict] = []
    stack: list[dict] = []
    used: set[str] = set()
    for chunk in markdown.split("\n\n"):
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk.startswith("<"):
            html.append(chunk)
            continue
        m = _HEADING.match(chunk)
        if not m or "\n" in chunk:
            return None
        level, text = len(m.group(1)), _MD_UNESCAPE.sub(r"\1", m.group(2)).strip()
        anchor = m.group(3) or _slugify()(text, "-")
        base, n = anchor, 0
        while anchor in used:
            n += 1
            anchor = f"{base}_{n}"
        used.add(anchor)
        name = str(escape(text)).replace("&#39;", "'").replace("&#34;", '"')
        html.append(f'<h{level} id="{anchor}">{name}<a class="headerlink" href="#{anchor}" '
                    f'title="{HEADERLINK_TITLE}">#</a></h{level}>')
        token = {"level": level, "id": anchor, "name": name, "html": name, "data-toc-label": "", "children": []}
        while stack and stack[-1]["level"] >= level:
            stack.pop()
        (stack[-1]["children"] if stack else tokens).append(token)
        stack.append(token)
    return "\n".join(html), tokens


class HtmlStash:
    """HTML blocks of generated pages, kept away from Python-Markdown and put back afterwards.

    Generated pages are mostly HTML from our templates. Handing it to Python-Markdown made it
    parse every block again (md_in_html and MkDocs' raw-HTML pass, with html.parser): half the
    build time. Instead each HTML block becomes a one-word paragraph, Markdown renders only the
    headings around them (so the table of contents still works), and `restore` swaps the
    blocks back into the HTML.
    """

    TOKEN = re.compile(r"<p>GIJIROKUSTASH(\d+)X</p>")

    def __init__(self) -> None:
        self.pages: dict[str, list[str]] = {}
        self.prebuilt: dict[str, tuple[str, list[dict]]] = {}  # whole pages, see `prebuild`

    def stash(self, key: str, markdown: str) -> str:
        """Replace each blank-line-separated block that starts with a tag by a token."""
        blocks = self.pages.setdefault(key, [])
        out = []
        for chunk in markdown.split("\n\n"):
            if chunk.lstrip().startswith("<"):
                out.append(f"GIJIROKUSTASH{len(blocks)}X")
                blocks.append(chunk.strip())
            else:
                out.append(chunk)
        return "\n\n".join(out)

    def restore(self, key: str, html: str) -> tuple[str, list[dict] | None]:
        """The page's final HTML, and its table of contents when the page was prebuilt."""
        if key in self.prebuilt:
            return self.prebuilt.pop(key)
        blocks = self.pages.pop(key, None)
        if not blocks:
            return html, None
        return self.TOKEN.sub(lambda m: blocks[int(m.group(1))], html), None


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("gijiroku", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        date_ja=date_ja, date_full=date_full, held=held, iso=iso, md=md_escape, excerpt=excerpt, wareki=wareki,
    )
    env.globals.update(speech_body=speech_body, event_html=event_html, UNKNOWN=UNKNOWN, meeting_time=meeting_time)
    return env
