"""Which feeds and data files follow which page: the <link rel="alternate"> of its head (printed
by overrides/main.html from the page's front matter) and the visible line that names them.

An alternate is a dict (href: site-relative URL, type: media type, title: what it is), so that it
travels in a generated page's front matter as JSON.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from . import urls

ATOM = "application/atom+xml"
JSON = "application/json"


def _alt(href: str, kind: str, title: str) -> dict:
    return {"href": href, "type": kind, "title": title}


def site_alternates(committee: str, api_files: dict, json_path: str) -> list[dict]:
    """A list page: the site's feed and the JSON file of what it lists (when the build writes it)."""
    alts = [_alt("feed.xml", ATOM, f"{committee} 議事録・決定の新着（Atom）")]
    if json_path in api_files:
        alts.append(_alt(json_path, JSON, f"{json_path.removeprefix('api/')}（JSON）"))
    return alts


def meeting_alternates(meeting, api_files: dict) -> list[dict]:
    """A meeting's own JSON file, where the API has one per meeting."""
    path = f"api/meetings/{meeting.number}.json"
    return [_alt(path, JSON, f"{meeting.title}（JSON）")] if path in api_files else []


def person_alternates(person) -> list[dict]:
    return [_alt(f"{urls.commissioner(person.id)}feed.xml", ATOM, f"{person.display_title}の発言の新着（Atom）")]


def agency_alternates(agency) -> list[dict]:
    return [_alt(f"{urls.agency(agency.id)}feed.xml", ATOM, f"{agency.name}の新着（Atom）")]


def links_html(alternates: list[dict], link) -> str:
    """The visible line under a page that names its feeds and data files (`link`: site URL to
    a link relative to the page)."""
    items = "".join(f'<li><a href="{escape(link(a["href"]))}" type="{escape(a["type"])}">{escape(a["title"])}</a></li>'
                    for a in alternates)
    return str(Markup(f'<aside class="gk-feeds" aria-label="フィードとデータ"><b>フィード・データ</b>'
                      f'<ul>{items}</ul> <a href="{escape(link("api/"))}">すべてのフィードとデータ</a></aside>'))


def api_listing(api_files: dict) -> list[tuple[str, str]]:
    """The JSON files of /api/ for its page: (site-relative path, what it holds), in path order."""
    what = {
        "api/meetings.json": "すべての会議と議題",
        "api/speeches.json": "公開された発言（年ごとのファイル api/speeches/<年>.json の一覧。会議ごとの発言は api/meetings/<回次>.json）",
        "api/decisions.json": "決定・資料",
    }
    listed = [(p, what.get(p, "")) for p in sorted(api_files) if p.count("/") == 1]
    return listed
