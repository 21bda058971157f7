"""The order in which lists show commissioners and agencies, as a reader of the record expects it.

Never by the romaji id, which is a file name and not a fact: commissioners by role (委員長 first),
then date of appointment, then reading, where the registry gives them, and last in the order in
which the record itself lists them (the attendee list of the newest meeting they attended, which
the Commission prints in its order of precedence); agencies by kind (committee.yml's order), then
reading where the registry gives it, then the name as printed.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from ..record.loader import Record
from ..record.model import Agency, Person

_KATAKANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}  # ァ..ヶ -> ぁ..ゖ


def reading_key(reading: str | None) -> tuple[bool, str]:
    """Known readings first, in 五十音 order whether written in hiragana or katakana."""
    if not reading:
        return (True, "")
    return (False, unicodedata.normalize("NFKC", reading).translate(_KATAKANA))


def _appointed(person: Person) -> tuple[bool, dt.date]:
    starts = [r.start for r in person.roles if r.start]
    return (not starts, min(starts) if starts else dt.date.min)


def attendee_rank(record: Record) -> dict[str, tuple[int, int]]:
    """Each commissioner's place in the attendee list of the newest meeting that lists them:
    (minus the meeting number, position), so that the newest meeting's order comes first."""
    rank: dict[str, tuple[int, int]] = {}
    for meeting in reversed(record.sorted_meetings()):
        for position, speaker in enumerate(meeting.commissioners or ()):
            if speaker.person_id and speaker.person_id not in rank:
                rank[speaker.person_id] = (-meeting.number, position)
    return rank


def people(record: Record) -> list[Person]:
    """Every commissioner of the registry, in the order lists show them."""
    rank = attendee_rank(record)
    unlisted = (1, 0)
    return sorted(record.registry.people.values(),
                  key=lambda p: (not p.has_chaired, _appointed(p), reading_key(p.reading),
                                 rank.get(p.id, unlisted), p.name, p.id))


def agencies(record: Record) -> list[Agency]:
    """Every agency of the registry: by kind in committee.yml's order, then reading, then name."""
    kinds = {k: i for i, k in enumerate(record.committee.agency_kinds)}
    return sorted(record.registry.agencies.values(),
                  key=lambda a: (kinds.get(a.kind, len(kinds)), a.kind, reading_key(a.reading), a.name, a.id))
