"""Rendering helpers: the Jinja environment, Japanese dates, and speech HTML made once."""

from __future__ import annotations

import datetime as dt
import html as htmlmod
import re
from collections.abc import Callable
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ..record.model import Meeting, Paragraph, Speech, StageDirection, Withheld
from ..record.wareki import wareki_year

WEEKDAYS = "月火水木金土日"
# What the record does not state is left out, not printed as 不明 (issue 13). The one label that
# stays: the bar and row of a commissioner's chart for meetings of unknown date.
UNDATED = "日付不明"
# Lists group what has no date under these headings instead.
UNDATED_MEETINGS = "開催日の記載がない会議"
UNDATED_DOCUMENTS = "日付の記載がない文書"
# The public page that explains 非公表 and 後日公表 (README, "The public contract"), and its parts.
DISCLOSURE_URL = "disclosure/"
WITHHELD_ANCHOR, DEFERRED_ANCHOR, PLACEHOLDER_ANCHOR = "withheld", "deferred", "placeholder"


def date_ja(day: dt.date | None, weekday: bool = True) -> str:
    """2023年5月31日（水）, or the empty string when the record gives no date."""
    if day is None:
        return ""
    text = f"{day.year}年{day.month}月{day.day}日"
    return text + (f"（{WEEKDAYS[day.weekday()]}）" if weekday else "")


def held(day: dt.date | None) -> str:
    """A meeting's date in a list: 2023年5月31日, or the empty string."""
    return date_ja(day, weekday=False)


def date_full(day: dt.date | None) -> str:
    """令和5年（2023年）5月31日（水）, the form readers of official minutes expect; empty without a date."""
    if day is None:
        return ""
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
    if "\n" not in value:  # most values: escaped as they are (a fifth of a million at 1000 meetings)
        return escape(value)
    return Markup(str(escape(value)).replace("\n", "&#10;"))


# The placeholder links to the page that explains 非公表; that link is relative to the page that
# shows it, so HTML cached for every page holds this token in its place. Escaped source text
# never holds a raw quote, so the token cannot come from the record.
_EXPLAINED = 'href="#gk-disclosure-page"'


def _block_html(block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, StageDirection):
        return f'<p class="gk-stage">{escape(block.text)}</p>'
    if isinstance(block, Withheld):
        return (f'<p class="gk-withheld"><a {_EXPLAINED} title="非公表・後日公表について">'
                f'{escape(block.text)}</a></p>')
    raise TypeError(block)


def _explained(html: str, link) -> str:
    """The placeholder's link to the explanation page, relative to the page (`link`)."""
    if _EXPLAINED not in html:
        return html
    return html.replace(_EXPLAINED, f'href="{escape(link(DISCLOSURE_URL + "#" + PLACEHOLDER_ANCHOR))}"')


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

    def __call__(self, speech: Speech, link) -> Markup:
        """The speech's paragraphs; `link` makes a site URL relative to the page that shows them."""
        blocks = speech.blocks
        html = self._current.get(blocks)
        if html is None:
            html = self._previous.pop(blocks, None) or "".join(_block_html(b) for b in blocks)
            self._current[blocks] = html
        return Markup(_explained(html, link))

    def new_build(self) -> None:
        """A build begins: what the previous build did not use is dropped."""
        self._previous, self._current = self._current, {}


def event_html(block, link) -> Markup:
    """A stage direction or placeholder between speeches; `link` as for `SpeechHtml`."""
    return Markup(_explained(_block_html(block), link))


def excerpt(text: str, limit: int = 90) -> str:
    """The first `limit` characters of a text, on one line, with an ellipsis when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rstrip() + "…"


def meeting_time(meeting: Meeting) -> str:
    """14:40〜15:55, 14:40〜, 〜15:55 (a time the record omits is left out), or the empty string."""
    if not meeting.start_time and not meeting.end_time:
        return ""
    return f"{meeting.start_time or ''}〜{meeting.end_time or ''}"


def missing_facts(meeting: Meeting) -> str:
    """日時・場所・出席者: those the record does not state, to be said once on the meeting's page."""
    timed = meeting.start_time or meeting.end_time
    missing = [name for name, value in (("開催日" if timed else "日時", meeting.date), ("場所", meeting.place),
                                        ("出席者", meeting.commissioners or meeting.secretariat))
               if not value]
    return "・".join(missing)


def joined(parts, separator: str = "・") -> str:
    """The parts the record states, joined by ・ (2023年5月31日・報告); empty ones are left out."""
    return separator.join(str(p) for p in parts if p)


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


# The anchor of a generated page's title (its h1), which the skip link leads to: a fixed word rather
# than the title's slug, which a meeting page printed three times (issue 15).
TITLE_ANCHOR = "title"


def _heading(m: re.Match, used: set[str], headings: list[tuple[int, str, str]]) -> str:
    """A template heading: its text is HTML-escaped already (autoescape, `md_heading`)."""
    from ..record.markup import toc_name, unique_id

    level, text = len(m.group(1)), _MD_UNESCAPE.sub(r"\1", m.group(2)).strip()
    title = level == 1  # the page's title: the skip link's target; the page's own URL is its permalink
    anchor = unique_id(m.group(3) or (TITLE_ANCHOR if title else _slugify()(htmlmod.unescape(text), "-")), used)
    name = toc_name(text)
    headings.append((level, anchor, name))
    attr = escape(anchor)  # a slug holds word characters and hyphens; escaped all the same
    permalink = "" if title else f'<a class="headerlink" href="#{attr}">#</a>'
    return f'<h{level} id="{attr}">{name}{permalink}</h{level}>'


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
        self.restored: set[str] = set()  # the pages whose content is ours (see compact_html's `made`)

    def restore(self, key: str, html: str) -> tuple[str, list[dict] | None]:
        """The page's final HTML and table of contents; a hand-written page keeps MkDocs' own."""
        if key in self.prebuilt:
            self.restored.add(key)
            return self.prebuilt.pop(key)
        return html, None


class Tabs:
    """Material's tabs (overrides/partials/tabs.html), rendered once for all the pages of a build
    that print them alike, by the call block around their include in overrides/base.html
    (`{% call gijiroku.tabs(page, nav) %}`): the tabs of every meeting's page are the same, and
    rendering them was a seventh of MkDocs' work on a page.

    What the tabs print of a page is found from the same values as the template's: for each item
    of the navigation and its children, whether it is active, whether the page's URL is its URL
    or starts with it, and its URL as the page links it (`relative`: MkDocs' `url` filter, a
    link relative to the page). The pages alike in all of them are alike in the tabs; the rest
    of what the tabs print is the same on every page of a build."""

    def __init__(self, relative: Callable[[str, object], str]) -> None:
        self.relative = relative
        self.made: dict[tuple, str] = {}

    def __call__(self, page, nav, caller: Callable[[], str]) -> str:
        if page is None or page.url is None:
            return caller()
        key = tuple(self._facts(item, page) for item in nav.items)
        if key not in self.made:
            self.made[key] = caller()
        return self.made[key]

    def _facts(self, item, page) -> tuple:
        url = item.url
        facts = (bool(item.active), url is not None and page.url.startswith(url), page.url == url,
                 None if url is None else self.relative(url, page))
        return facts + tuple(self._facts(child, page) for child in item.children or ())


# A tag (quoted attribute values may hold `>`), a comment, or an element whose text is kept as
# written: preformatted text, scripts (Material's inline ones are allowed by the hash of their
# exact text) and styles. Otherwise a run of whitespace that holds a line break.
_KEPT = re.compile(r"""(<!--.*?-->|<(pre|textarea|script|style)\b.*?</\2\s*>|<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>)"""
                   r"|[ \t\r\n]*\n[ \t\r\n]*", re.S | re.I)


def compact_html(html: str, made: str = "") -> str:
    """A rendered page without the indentation and blank lines of its templates: every run of
    ASCII whitespace between tags or in text that holds a line break becomes one line break.
    The page shows the same (the runs collapse to one space as they are laid out), and tags,
    comments, scripts, styles, preformatted text and every other character are left as they are.
    Material's templates indent every level of the header, navigation and footer: a fifth of a
    short meeting's page was whitespace.

    `made`, the page's content as this package made it (`render_page`, without indentation: its
    templates trim their blocks), is left as it is where the page holds it: two thirds of the
    characters of a page of the site, and of the time this takes. Its first and last characters
    are a tag's, so no run of whitespace is split where it begins and ends."""
    at = html.find(made) if made[:1] == "<" and made[-1:] == ">" else -1
    if at < 0:
        return _compact(html).lstrip()
    return (_compact(html[:at]) + made + _compact(html[at + len(made):])).lstrip()


def _compact(html: str) -> str:
    return _KEPT.sub(_kept, html)


def _kept(match: re.Match) -> str:
    return match.group(1) or "\n"


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
    env.filters.update(date_ja=date_ja, date_full=date_full, held=held, iso=iso, md=md_heading, excerpt=excerpt,
                       joined=joined)
    env.globals.update(meeting_time=meeting_time, missing_facts=missing_facts, DISCLOSURE_URL=DISCLOSURE_URL,
                       UNDATED_MEETINGS=UNDATED_MEETINGS, UNDATED_DOCUMENTS=UNDATED_DOCUMENTS)
    return env
