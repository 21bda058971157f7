"""Rendering helpers: the Jinja environment, Japanese dates, and speech HTML made once."""

from __future__ import annotations

import datetime as dt
import html as htmlmod
import re
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ..record.model import Meeting, Paragraph, Speech, StageDirection, Withheld
from ..record.wareki import wareki_year

UNKNOWN = "不明"
WEEKDAYS = "月火水木金土日"


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
    return f"{wareki_year(day)}（{day.year}年）{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


_MD_HEADING_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")  # < > & are HTML-escaped instead


def md_heading(text) -> Markup:
    """Source text for the heading line of a generated page: Markdown specials backslash-escaped,
    then HTML-escaped, on one line. `render_page` undoes only the backslashes, so the heading
    shows the text exactly, whatever characters it holds."""
    if isinstance(text, Markup):
        return Markup(" ".join(str(text).splitlines()))
    return escape(_MD_HEADING_SPECIAL.sub(r"\\\1", " ".join(str(text).splitlines())))


def finalize(value):
    """Every value a template prints. Autoescape escapes it; a line break becomes `&#10;`
    (the same to a reader), so that no source text can end an HTML block of a generated page
    with a blank line and be read as Markdown after it (see `render_page`)."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(str(escape(value)).replace("\n", "&#10;"))


def _block_html(block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, StageDirection):
        return f'<p class="gk-stage">{escape(block.text)}</p>'
    if isinstance(block, Withheld):
        return f'<p class="gk-withheld">{escape(block.text)}</p>'
    raise TypeError(block)


class SpeechHtml:
    """A speech's paragraphs as HTML, rendered once per distinct text and reused on every page
    that shows it (the meeting, its agenda item, the speaker's page).

    Owned by the session (`hooks/gijiroku/site/session.py`), so that a `serve` rebuild reuses
    what the last build rendered; `new_build` keeps only what the latest build used, so an edited
    speech's old text is dropped and the cache never holds more than two builds' speeches.
    """

    def __init__(self) -> None:
        self._current: dict[tuple, str] = {}
        self._previous: dict[tuple, str] = {}

    def __len__(self) -> int:
        return len(self._current) + len(self._previous)

    def __call__(self, speech: Speech) -> Markup:
        blocks = speech.blocks
        html = self._current.get(blocks)
        if html is None:
            html = self._previous.pop(blocks, None) or "".join(_block_html(b) for b in blocks)
            self._current[blocks] = html
        return Markup(html)

    def new_build(self) -> None:
        """A build begins: what the previous build did not use is dropped."""
        self._previous, self._current = self._current, {}


def event_html(block) -> Markup:
    return Markup(_block_html(block))


def excerpt(text: str, limit: int = 90) -> str:
    """The first `limit` characters of a text, on one line, with an ellipsis when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rstrip() + "…"


def meeting_time(meeting: Meeting) -> str:
    if not meeting.start_time and not meeting.end_time:
        return UNKNOWN
    return f"{meeting.start_time or UNKNOWN}〜{meeting.end_time or ''}"


_HEADING = re.compile(r"^(#{1,6}) (.+?)(?: \{: #([A-Za-z0-9_-]+) \})?$")
_MD_UNESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+!|<>-])")

# The parts of a generated page (see `render_page`).
TEMPLATE = "template"  # Markdown our templates wrote: headings and HTML blocks
SOURCE = "source"  # Markdown from a source file: a decision body, a registry profile
HTML = "html"  # HTML we wrote


@lru_cache(maxsize=1)
def _slugify():
    from pymdownx.slugs import slugify  # the slugify mkdocs.yml gives the toc extension

    return slugify(case="lower")


@lru_cache(maxsize=1)
def _source_markdown():
    from ..record.markup import SourceMarkdown

    return SourceMarkdown(_slugify())


def render_page(parts: list[tuple[str, str]]) -> tuple[str, list[dict]]:
    """The HTML and table-of-contents tokens of a generated page, made here, not by MkDocs.

    MkDocs' Markdown (with mkdocs.yml's attr_list and raw HTML) never converts a generated page,
    so no source text can become markup through it. Template parts are headings (with the
    anchor the template gives, else a slug) and HTML blocks, which pass through; any other
    block, and every source part, is converted by the restricted Markdown of `markup`. Heading
    ids are unique across the whole page, as the toc extension makes them.
    """
    html: list[str] = []
    headings: list[tuple[int, str, str]] = []
    used: set[str] = set()
    for kind, text in parts:
        if kind == HTML:
            html.append(text)
        elif kind == SOURCE:
            converted, found = _source_markdown().render(text, used)
            html.extend([converted] if converted else [])
            headings.extend(found)
        else:
            for chunk in text.split("\n\n"):
                chunk = chunk.strip()
                if not chunk:
                    continue
                m = _HEADING.match(chunk) if "\n" not in chunk else None
                if chunk.startswith("<"):
                    html.append(chunk)
                elif m:
                    html.append(_heading(m, used, headings))
                else:  # never written by our templates today; converted as safely as a source
                    converted, found = _source_markdown().render(chunk, used)
                    html.append(converted)
                    headings.extend(found)
    return "\n".join(html), _nest(headings)


def _heading(m: re.Match, used: set[str], headings: list[tuple[int, str, str]]) -> str:
    """A template heading: its text is HTML-escaped already (autoescape, `md_heading`)."""
    from ..record.markup import HEADERLINK_TITLE, toc_name, unique_id

    level, text = len(m.group(1)), _MD_UNESCAPE.sub(r"\1", m.group(2)).strip()
    anchor = unique_id(m.group(3) or _slugify()(htmlmod.unescape(text), "-"), used)
    name = toc_name(text)
    headings.append((level, anchor, name))
    attr = escape(anchor)  # a slug holds word characters and hyphens; escaped all the same
    return (f'<h{level} id="{attr}">{name}<a class="headerlink" href="#{attr}" '
            f'title="{HEADERLINK_TITLE}">#</a></h{level}>')


def _nest(headings: list[tuple[int, str, str]]) -> list[dict]:
    """Headings as the toc extension's nested tokens, which MkDocs' get_toc reads."""
    tokens: list[dict] = []
    stack: list[dict] = []
    for level, anchor, name in headings:
        token = {"level": level, "id": anchor, "name": name, "html": name, "data-toc-label": "", "children": []}
        while stack and stack[-1]["level"] >= level:
            stack.pop()
        (stack[-1]["children"] if stack else tokens).append(token)
        stack.append(token)
    return tokens


class HtmlStash:
    """Generated pages, made whole by `render_page` and kept aside from MkDocs until the hook
    swaps them in (`on_page_content`): MkDocs converts only their front matter."""

    def __init__(self) -> None:
        self.prebuilt: dict[str, tuple[str, list[dict]]] = {}

    def restore(self, key: str, html: str) -> tuple[str, list[dict] | None]:
        """The page's final HTML and table of contents; a hand-written page keeps MkDocs' own."""
        if key in self.prebuilt:
            return self.prebuilt.pop(key)
        return html, None


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("gijiroku.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
    )
    env.filters.update(date_ja=date_ja, date_full=date_full, held=held, iso=iso, md=md_heading, excerpt=excerpt)
    env.globals.update(UNKNOWN=UNKNOWN, meeting_time=meeting_time)
    return env
