"""The JSON API (/api/*.json), exactly as CONTRACT.md describes it, from the public record."""

from __future__ import annotations

import json

from ..record.loader import Record
from ..record.model import Event, Meeting, Paragraph
from . import urls
from .render import iso


def meetings_json(record: Record, site_url: str) -> dict:
    """/api/meetings.json from the public record: for a 非公表 item, and a 後日公表 one before its
    date, `disclosure.public.public_record` has left no outcome and no agencies, so the contract's
    fields stay and read `"outcome": null, "agencies": []`. `record` says whether the meeting's
    record is its 議事録 or a summary (議事概要, 議事要旨); a summary's items carry their text in
    `summary` (null in minutes)."""
    return {"meetings": [
        {
            "number": m.number,
            "title": m.title,
            "date": iso(m.date),
            "record": m.record,
            "url": urls.absolute(site_url, urls.meeting(m.number)),
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
        for m in record.sorted_meetings()
    ]}


def summary_text(meeting: Meeting, number: int) -> str | None:
    """A summary's (議事概要, 議事要旨) paragraphs of one item, one a line, as the public record
    holds them (nothing of a 後日公表 item before its date, nothing withheld); None where there is
    none, and for minutes, whose content is in their speeches."""
    if not meeting.is_summary:
        return None
    return "\n".join(e.block.text for e in meeting.elements_of(number)
                     if isinstance(e, Event) and isinstance(e.block, Paragraph)) or None


def speeches_json(record: Record, site_url: str) -> dict:
    return {"speeches": [
        {
            "id": s.id,
            "meeting": s.meeting,
            "agenda": s.agenda,
            "order": s.order,
            "speaker": s.speaker.label,
            "speaker_id": s.speaker.person_id,
            "text": s.text,
            "url": urls.absolute(site_url, urls.speech(s.meeting, s.order)),
        }
        for s in record.speeches()
    ]}


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


def render_api(record: Record, site_url: str) -> dict[str, str]:
    """Path under the site -> JSON text (UTF-8, not ASCII-escaped, so Japanese stays readable)."""
    def dump(data: dict) -> str:
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    return {
        "api/meetings.json": dump(meetings_json(record, site_url)),
        "api/speeches.json": dump(speeches_json(record, site_url)),
        "api/decisions.json": dump(decisions_json(record, site_url)),
    }
