"""The JSON API (/api/*.json), exactly as CONTRACT.md describes it, from the public record."""

from __future__ import annotations

import json

from ..record.loader import Record
from ..record.model import Event, Meeting, Speech
from . import urls
from .render import iso


def meeting_entry(m: Meeting, site_url: str) -> dict:
    """A meeting as /api/meetings.json lists it: for a 非公表 item, and a 後日公表 one before its
    date, `disclosure.public.public_record` has left no outcome and no agencies, so the contract's
    fields stay and read `"outcome": null, "agencies": []`. `record` says whether the meeting's
    record is its 議事録 or a summary (議事概要, 議事要旨); a summary's items carry their text in
    `summary` (null in minutes). `api` is the meeting's own file."""
    return {
        "number": m.number,
        "title": m.title,
        "date": iso(m.date),
        "record": m.record,
        "url": urls.absolute(site_url, urls.meeting(m.number)),
        "api": urls.absolute(site_url, api_meeting(m.number)),
        "agenda": [
            {
                "number": i.number,
                "title": i.title,
                "disclosure": i.disclosure.value,
                "outcome": i.outcome,
                "agencies": list(i.agencies),
                "summary": summary_text(m, i.number),
                "url": urls.absolute(site_url, urls.agenda(m.number, i.number)),
            }
            for i in m.agenda
        ],
    }


def meetings_json(record: Record, site_url: str) -> dict:
    """/api/meetings.json, the index: every meeting and its items, each linking its own file."""
    return {"meetings": [meeting_entry(m, site_url) for m in record.sorted_meetings()]}


def api_meeting(number: int) -> str:
    return f"api/meetings/{number}.json"


def api_speeches(year: str) -> str:
    return f"api/speeches/{year}.json"


def year_of(m: Meeting) -> str:
    """The year a meeting's speeches are filed under: its date's, or `unknown` (the record states none)."""
    return str(m.date.year) if m.date else "unknown"


def summary_text(meeting: Meeting, number: int) -> str | None:
    """A summary's (議事概要, 議事要旨) paragraphs of one item, one a line, as the public record
    holds them and the item's page shows them (nothing of a 後日公表 item before its date; a
    withheld passage as （内容について非公表）, where it stood, as in a speech's text: found by an
    attack, a reader could not tell that part was withheld); None where there is none, and for
    minutes, whose content is in their speeches."""
    if not meeting.is_summary:
        return None
    return "\n".join(e.block.text for e in meeting.elements_of(number) if isinstance(e, Event)) or None


def speech_entry(m: Meeting, s: Speech, site_url: str) -> dict:
    """One public speech with what a reader of 国会会議録検索's API expects beside it: the meeting's
    title and date, the item's title, the speaker as printed, their registry id and role."""
    item = m.item(s.agenda) if s.agenda is not None else None
    return {
        "id": s.id,
        "meeting": s.meeting,
        "meeting_title": m.title,
        "date": iso(m.date),
        "agenda": s.agenda,
        "agenda_title": item.title if item else None,
        "order": s.order,
        "speaker": s.speaker.label,
        "speaker_id": s.speaker.person_id,
        "speaker_role": s.speaker.title or s.speaker.label,
        "text": s.text,
        "url": urls.absolute(site_url, urls.speech(s.meeting, s.order)),
    }


def speech_files(record: Record, site_url: str) -> dict[str, dict]:
    """/api/speeches/<year>.json: every public speech, filed by its meeting's year (`unknown` when
    the record states no date), meetings in number order."""
    files: dict[str, list] = {}
    for m in record.sorted_meetings():
        files.setdefault(year_of(m), []).extend(speech_entry(m, s, site_url) for s in m.speeches)
    return {year: {"speeches": speeches} for year, speeches in files.items()}


def speeches_json(files: dict[str, dict], site_url: str) -> dict:
    """/api/speeches.json, the index of the per-year files (no file holds every speech)."""
    years = sorted(files, key=lambda y: (y == "unknown", y))
    return {"files": [{"year": y, "count": len(files[y]["speeches"]),
                       "url": urls.absolute(site_url, api_speeches(y))} for y in years]}


def decisions_json(record: Record, site_url: str) -> dict:
    return {"decisions": [
        {
            "id": d.id,
            "title": d.title,
            "date": iso(d.date),
            "kind": d.kind,
            "meeting": d.meeting,
            "agenda": d.agenda,
            "agencies": list(d.agencies),
            "url": urls.absolute(site_url, urls.decision(d.id)),
        }
        for d in sorted(record.decisions.values())
    ]}


def dump(data: dict) -> str:
    """An API file's text: UTF-8, not ASCII-escaped, so Japanese stays readable, and compact (a
    browser shows JSON laid out; `python -m json.tool` does in a terminal). Indented, the files
    of 1000 meetings took 0.60 s to write, against 0.12 s so: json's indenting encoder is
    Python, its compact one C."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def render_api(record: Record, site_url: str) -> dict[str, str]:
    """Path under the site -> JSON text (`dump`)."""
    by_year = speech_files(record, site_url)
    out = {
        "api/meetings.json": dump(meetings_json(record, site_url)),
        "api/speeches.json": dump(speeches_json(by_year, site_url)),
        "api/decisions.json": dump(decisions_json(record, site_url)),
    }
    for m in record.sorted_meetings():
        own = meeting_entry(m, site_url)
        own["speeches"] = [speech_entry(m, s, site_url) for s in m.speeches]
        out[api_meeting(m.number)] = dump(own)
    for year, data in by_year.items():
        out[api_speeches(year)] = dump(data)
    return out
