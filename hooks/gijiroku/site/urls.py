"""Published URLs (see CONTRACT.md): one function per kind of page, and relative links.

URLs here are site-relative without a leading slash ("meetings/244/"), so that the site works
under any base path; `href` turns one into a link relative to the page that shows it.
"""

from __future__ import annotations

from functools import lru_cache


def meeting(number: int) -> str:
    return f"meetings/{number}/"


def agenda(meeting_number: int, item: int) -> str:
    return f"meetings/{meeting_number}/agenda/{item}/"


def speech(meeting_number: int, order: int) -> str:
    return f"meetings/{meeting_number}/#speech-{order}"


def kind(kind_id: str) -> str:
    return f"meetings/kinds/{kind_id}/"


def year_page(base: str, year: str) -> str:
    """A year's part of a long commissioner or agency page: commissioners/tanno/2023/."""
    return f"{base}{year}/"


def commissioner(person_id: str) -> str:
    return f"commissioners/{person_id}/"


def agency(agency_id: str) -> str:
    return f"agencies/{agency_id}/"


def decision(decision_id: str) -> str:
    return f"decisions/{decision_id}/"


def src_uri(url: str) -> str:
    """The virtual Markdown source that MkDocs publishes at the directory URL `url`."""
    path = url.split("#")[0].rstrip("/")
    return f"{path}.md" if path else "index.md"


@lru_cache(maxsize=65536)
def href(from_url: str, to_url: str) -> str:
    """A relative link from the page at directory URL `from_url` to `to_url`."""
    target, _, fragment = to_url.partition("#")
    if target == from_url:
        rel = "" if fragment else "./"
    else:
        # Site URLs are clean directory paths ("meetings/244/"): no "." or "..", so a
        # common-prefix count is the whole of posixpath.relpath, at a fraction of its cost.
        here = from_url.rstrip("/").split("/") if from_url.strip("/") else []
        there = target.rstrip("/").split("/") if target.strip("/") else []
        common = 0
        while common < min(len(here), len(there)) and here[common] == there[common]:
            common += 1
        parts = [".."] * (len(here) - common) + there[common:]
        rel = "/".join(parts) or "."
        if target.endswith("/") or not target:
            rel += "/"
    return rel + (f"#{fragment}" if fragment else "")


def absolute(site_url: str, url: str) -> str:
    return site_url.rstrip("/") + "/" + url
