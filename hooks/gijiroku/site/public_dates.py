"""When what a meeting or document file publishes last changed: the sitemap's `lastmod` and the
feed's `updated` of a file that holds what is not published on the build day.

`history.source_dates` gives each file the date of its last commit. For a meeting with a 非公表
passage or an item not yet published, a commit that changed only that text moved the date of
its pages and of its feed entry, and told readers that withheld content changed (found by an
attack). For such a file each version in its history is parsed and reduced to what it publishes
on the day (`disclosure.public.public_record`), and the date is the last commit whose version
publishes something else than the one before it. A version that cannot be parsed counts as a
change (its date is the file's, as before). Files with nothing withheld keep their last commit.
A registry profile or a hand-written page under docs/ with a withheld region is read the same
way, its versions reduced to their text with each region replaced by the placeholder (found by
an attack: an edit inside a profile's region moved the dates of its commissioner's pages).

An item or document published later (後日公表) changes its pages on its day, without a commit:
from that day on, the file is dated no earlier than the day's start in Japan, so that the feed's
`updated` and the sitemap's `lastmod` tell readers and crawlers of it (found by an attack). The
day was public before (the pages print it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from pathlib import Path

from ..disclosure.markers import public_markdown
from ..disclosure.public import JST, public_record
from ..record.decision import parse_decision
from ..record.loader import Record
from ..record.meeting import parse_meeting
from ..record.model import Disclosure
from ..record.source import parse_source
from .history import _git

# Fields that say where a thing stands in its file, not what it publishes.
_PLACE = {"line", "path", "link_line", "agenda_line"}


def public_dates(root: Path, record: Record, public: Record, dates: dict[str, dt.datetime]) -> dict[str, dt.datetime]:
    """`dates` with each meeting and document file that holds unpublished content on `public`'s day
    dated by its last public change. A file without history (`dates` says nothing of it: a record
    outside git, as the benchmark's) is not read again."""
    day, out = public.build_date, dict(dates)
    marked = _ever_marked(root) if dates else set()
    files = [(m.path, n) for n, m in record.meetings.items()
             if m.path in dates and (public.meetings[n] is not m or m.path in marked)]
    # a document of a 非公表 item, or of one once: its meeting and agenda are not published (a sixth attack)
    relinked = _relinked(root) if dates else set()
    # only a file with a known date: in a shallow clone one last changed at its boundary has none, and
    # read again it took the boundary commit's (found by a seventh attack)
    files += [(d.path, d.id) for d in record.decisions.values() if d.path in dates
              and (d.path in marked or d.path in relinked or public.decisions.get(d.id, d) is not d)]
    files += [(path, None) for path in sorted(marked)
              if path.startswith("docs/") and path.endswith(".md") and path in dates]
    for path, key in files:
        moment = _last_public_change(root, path, key, record, day)
        if moment is not None:
            out[path] = moment
    for path, published in _published_later(record, day):
        if path in out:
            out[path] = max(out[path], dt.datetime.combine(published, dt.time(), JST))
    return out


def _published_later(record: Record, day: dt.date):
    """(file, day) for each item and document published later (後日公表) whose day has come; a
    document of such an item, 公開 or not, is published on the later of its own day and its item's
    (its feed entry kept its last commit's date, older than the day it appeared: a sixth attack)."""
    due = {}
    for meeting in record.meetings.values():
        for item in meeting.agenda:
            if item.disclosure is Disclosure.DEFERRED and item.disclosure.is_published_on(item.publish_after, day):
                due[item.key] = item.publish_after
                yield meeting.path, item.publish_after
    for document in record.decisions.values():
        days = [due[(document.meeting, document.agenda)]] if (document.meeting, document.agenda) in due else []
        if document.disclosure is Disclosure.DEFERRED and document.disclosure.is_published_on(document.publish_after, day):
            days.append(document.publish_after)
        if days:
            yield document.path, max(days)


def _ever_marked(root: Path) -> set[str]:
    """The files (paths under `root`) that hold a withheld region now or held one in any commit:
    a file's items may all be public (found by a second attack), and a region replaced by the
    placeholder line it is published as leaves a file without one that publishes the same as
    before (found by a third attack). One `git log` of the commits that added or removed `<!--`."""
    prefix = (_git(root, "rev-parse", "--show-prefix") or "").strip()
    # -z: names as they are (git quotes a name of other than ASCII: a fourth attack's お知らせ.md)
    log = _git(root, "log", "--format=", "--name-only", "--no-renames", "-z", "-G<!--", "--", ".") or ""
    held = {name[len(prefix):] for name in log.replace("\n", "\0").split("\0") if name and name.startswith(prefix)}
    return held | {path for folder in ("minutes", "decisions", "docs") for path in _holding(root, folder)}


def _relinked(root: Path) -> set[str]:
    """The documents whose `meeting:` or `agenda:` changed after the commit that added them: a
    link to a 非公表 item, which is not published, may have been taken out or moved to another.
    One `git log` of the commits that changed such a line under decisions/."""
    prefix = (_git(root, "rev-parse", "--show-prefix") or "").strip()
    log = _git(root, "log", "--format=", "--name-only", "--no-renames", "-z", "-G^(meeting|agenda) *:", "--",
               "decisions") or ""
    names = Counter(name for name in log.replace("\n", "\0").split("\0") if name and name.startswith(prefix))
    return {name[len(prefix):] for name, commits in names.items() if commits > 1}


def _holding(root: Path, folder: str) -> set[str]:
    """The Markdown files under `folder` that hold `<!--` now (not committed yet, or ever)."""
    found = set()
    for path in (root / folder).rglob("*.md") if (root / folder).is_dir() else ():
        try:
            if "<!--" in path.read_text(encoding="utf-8"):
                found.add(path.relative_to(root).as_posix())
        except (OSError, UnicodeDecodeError):
            continue
    return found


def _last_public_change(root: Path, path: str, key, record: Record, day: dt.date) -> dt.datetime | None:
    log = _git(root, "log", "--format=%H %cI", "--no-renames", "--", path)
    if not log:
        return None
    commits = [line.split(" ", 1) for line in log.splitlines() if " " in line]  # newest first
    prefix = (_git(root, "rev-parse", "--show-prefix") or "").strip()
    newer, newer_date = None, None
    for commit, when in commits:
        shown = _git(root, "show", f"{commit}:{prefix}{path}")
        published = _published(shown, path, key, record, day) if shown is not None else None
        if newer is not None and (published is None or published != newer):
            return newer_date  # the newer version publishes something this one did not
        if published is None:
            return dt.datetime.fromisoformat(when)
        newer, newer_date = published, dt.datetime.fromisoformat(when)
    return newer_date  # the file's first commit


def _published(text: str, path: str, key, record: Record, day: dt.date):
    """What a version of the meeting (key: its number), document (key: its id) or docs/ file (key:
    None) publishes on `day`, as a comparable value; None if unread."""
    problems: list = []
    if key is None:  # a profile or a hand-written page: its text, each withheld region the placeholder
        shown = public_markdown(text, 1, path, problems)
        return None if problems else _content(shown)
    source = parse_source(text, path, problems)
    if source is None:
        return None
    if isinstance(key, str):  # a document: its public body and fields (withheld regions dropped by the parser)
        decision = parse_decision(source, key, record.registry)
        if decision is None:
            return None
        # with the meeting it names as the record holds it now: of a 非公表 item, its meeting and agenda are dropped
        meetings = {n: m for n, m in record.meetings.items() if n == decision.meeting}
        view = public_record(Record(record.registry, meetings, {key: decision}, build_date=day), day).decisions.get(key)
        return _content(view)
    meeting = parse_meeting(source, str(key), record.registry)
    if meeting is None or meeting.number != key:
        return None
    view = public_record(Record(record.registry, {key: meeting}, {}, build_date=day), day).meetings[key]
    return _content(view)


def _content(value):
    """A value without the places its parts stand at in the file (line numbers shift when withheld
    lines are added or removed above them)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple((f.name, _content(getattr(value, f.name)))
                                            for f in dataclasses.fields(value) if f.name not in _PLACE))
    if isinstance(value, tuple | list):
        return tuple(_content(v) for v in value)
    if isinstance(value, str):  # Markdown: blank lines between paragraphs, however many, are one
        return _BLANK_LINES.sub("\n\n", value).strip("\n")
    return value


_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
