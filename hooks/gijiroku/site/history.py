"""When each source file last changed, from its git history: the `updated` of feed entries and the
`lastmod` of the sitemap.

A build's own date is never used for either: a daily rebuild that changes nothing must not tell
readers and crawlers that every page changed. One `git log` over the source folders gives every
file's last commit at once (one call per file was seconds per build on a long history). Where there
is no history (a tarball, a fixture project in a temporary folder, git missing), no date is known
and callers leave the date out.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from ..disclosure.public import JST

# The folders and files the record and the hand-written pages are read from.
SOURCES = ("minutes", "decisions", "docs", "committee.yml")


def source_dates(root: Path) -> dict[str, dt.datetime]:
    """The date of the last commit that changed each source file, by path relative to `root`.

    Files changed since the last commit keep that commit's date: a commit, not an edit in the work
    tree, is a change of the published record. In a shallow clone a file whose last change lies at
    the clone's boundary may be older than that commit, so its date is left unknown.
    """
    prefix = _git(root, "rev-parse", "--show-prefix")
    if prefix is None:  # not in a git work tree
        return {}
    prefix = prefix.strip()
    log = _git(root, "log", "--format=\x1e%H %cI", "--name-only", "--no-renames", "-z", "--", *SOURCES)
    if log is None:
        return {}
    boundary = set(_shallow_commits(root)) if _git(root, "rev-parse", "--is-shallow-repository") == "true\n" else set()
    dates: dict[str, dt.datetime] = {}
    for block in log.split("\x1e")[1:]:
        head, _, names = block.strip("\x00\n").partition("\n")
        commit, _, when = head.strip("\x00 ").partition(" ")
        try:
            moment = dt.datetime.fromisoformat(when)
        except ValueError:
            continue
        for name in names.split("\x00"):
            name = name.strip("\n")
            if not name or not name.startswith(prefix):
                continue
            path = name[len(prefix):]
            if path not in dates:  # newest first: the first commit that names a file is its last change
                dates[path] = None if commit in boundary else moment
    return {path: moment for path, moment in dates.items() if moment is not None}


def newest(dates: dict[str, dt.datetime], paths) -> dt.datetime | None:
    """The latest of the dates known for `paths`; None when none is known."""
    known = [dates[p] for p in paths if p in dates]
    return max(known) if known else None


def _shallow_commits(root: Path) -> list[str]:
    shallow = _git(root, "rev-parse", "--git-path", "shallow")
    if not shallow:
        return []
    path = Path(shallow.strip())
    path = path if path.is_absolute() else root / path
    try:
        return path.read_text().split()
    except OSError:
        return []


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60,
                              encoding="utf-8")
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


class SourceDates:
    """When the sources behind a page or feed entry last changed, for one build."""

    def __init__(self, root: Path | None, dates: dict[str, dt.datetime] | None = None):
        """`dates`: `source_dates(root)`, computed here when not given."""
        self.root = root
        self.dates = dates if dates is not None else (source_dates(root) if root else {})

    def changed(self, paths) -> dt.datetime | None:
        """The last commit that changed any of `paths`, or None without history: the sitemap then
        leaves `lastmod` out rather than print a date nobody knows."""
        return newest(self.dates, paths)

    def updated(self, paths, day: dt.date | None) -> dt.datetime:
        """An Atom entry's `updated`, which Atom requires: the last commit that changed its source;
        without git history, the date the record gives the entry; else the source file's
        modification time (a tarball keeps the time of the commit it was made from). Never the
        build's date."""
        known = self.changed(paths)
        if known is not None:
            return known
        if day is not None:
            return dt.datetime.combine(day, dt.time(0, 0), tzinfo=JST)
        times = []
        for path in paths if self.root else ():
            try:
                times.append((self.root / path).stat().st_mtime)
            except OSError:
                continue
        # Nothing at all is known (a record built from memory, in tests): the earliest moment
        # Atom can print, which no rebuild changes.
        moment = max(times) if times else 0
        return dt.datetime.fromtimestamp(int(moment), tz=dt.UTC)


# -- what each page is made from: the files whose last change is its sitemap lastmod ------------------

def all_sources(record) -> tuple[str, ...]:
    """Every source: for the pages that list everything (home, lists)."""
    r = record
    return ("committee.yml", *(m.path for m in r.meetings.values()), *(d.path for d in r.decisions.values()),
            *(p.path for p in r.registry.people.values()), *(a.path for a in r.registry.agencies.values()))


def meeting_sources(record, index, meeting) -> tuple[str, ...]:
    """A meeting's page and its items' pages: the meeting file and the documents they link."""
    return (meeting.path, *(d.path for d in index.decisions_by_meeting.get(meeting.number, [])))


def person_sources(record, index, person) -> tuple[str, ...]:
    """A commissioner's pages: the registry entry and every meeting they attended."""
    return (person.path, *(record.meetings[n].path for n in index.meetings_by_person.get(person.id, [])))


def agency_sources(record, index, agency) -> tuple[str, ...]:
    """An agency's pages: the registry entry, the meetings of its items and mentions, its documents."""
    numbers = {x.meeting for x in (*index.items_by_agency.get(agency.id, []), *index.mentions_by_agency.get(agency.id, []))}
    return (agency.path, *(record.meetings[n].path for n in sorted(numbers)),
            *(d.path for d in index.decisions_by_agency.get(agency.id, [])))
