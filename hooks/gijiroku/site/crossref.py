"""Cross-reference indexes over the public record, built once before any page is rendered.

They index `disclosure.public.public_record`, never the full record: a deferred item has no
content left to index, and a 非公表 item is left out of every cross-link here (see `build_index`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from ..record.loader import Record
from ..record.model import AgendaItem, Decision, Disclosure, Meeting, SpeakerKind, Speech

_SPACE = re.compile(r"\s+")


@dataclass
class Index:
    record: Record
    speeches_by_person: dict[str, list[Speech]] = field(default_factory=lambda: defaultdict(list))
    meetings_by_person: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    items_by_agency: dict[str, list[AgendaItem]] = field(default_factory=lambda: defaultdict(list))
    decisions_by_agency: dict[str, list[Decision]] = field(default_factory=lambda: defaultdict(list))
    mentions_by_agency: dict[str, list[Speech]] = field(default_factory=lambda: defaultdict(list))
    items_by_kind: dict[str, list[AgendaItem]] = field(default_factory=lambda: defaultdict(list))
    decisions_by_item: dict[tuple[int, int], list[Decision]] = field(default_factory=lambda: defaultdict(list))
    decisions_by_meeting: dict[int, list[Decision]] = field(default_factory=lambda: defaultdict(list))
    neighbours: dict[int, tuple[Meeting | None, Meeting | None]] = field(default_factory=dict)


def build_index(record: Record, remember=None) -> Index:
    """Link every entity both ways: speech ↔ person, item ↔ agency, decision ↔ meeting and agency.

    `remember(blocks, compute)`: under serve, the agencies a speech's text names as the last
    build found them (see `reuse.Reuse.remember`), instead of matching every speech again."""
    index = Index(record)
    matcher = _agency_matcher(record)
    mentions = partial(_remembered, remember, matcher) if remember is not None else lambda speech: matcher(speech.text)
    meetings = record.sorted_meetings()
    for i, meeting in enumerate(meetings):
        index.neighbours[meeting.number] = (meetings[i - 1] if i else None,
                                            meetings[i + 1] if i + 1 < len(meetings) else None)
        present = {s.person_id for s in meeting.commissioners or () if s.person_id}
        # A 非公表 item takes part in no cross-link: what the record printed of it stays on its
        # meeting's page, but no agency page lists it, nor a mention in it (that would name the
        # party a supervision case concerns), and no kind page or kind count includes it.
        withheld = {item.number for item in meeting.agenda if item.disclosure is Disclosure.WITHHELD}
        for speech in meeting.speeches:
            if speech.speaker.kind is SpeakerKind.COMMISSIONER and speech.speaker.person_id:
                index.speeches_by_person[speech.speaker.person_id].append(speech)
                present.add(speech.speaker.person_id)
            if speech.agenda not in withheld:
                for agency_id in mentions(speech):
                    index.mentions_by_agency[agency_id].append(speech)
        for person_id in sorted(present):
            index.meetings_by_person[person_id].append(meeting.number)
        for item in meeting.agenda:
            if item.number in withheld:
                continue  # public_record left it no agencies; its kind is public but counts nowhere
            for agency_id in item.agencies:
                index.items_by_agency[agency_id].append(item)
            if item.kind:
                index.items_by_kind[item.kind].append(item)
    for decision in sorted(record.decisions.values(), key=decision_sort_key):
        for agency_id in decision.agencies:
            index.decisions_by_agency[agency_id].append(decision)
        if decision.meeting is not None:
            index.decisions_by_meeting[decision.meeting].append(decision)
            if decision.agenda is not None:
                index.decisions_by_item[(decision.meeting, decision.agenda)].append(decision)
    return index


def decision_sort_key(decision: Decision) -> tuple:
    """Newest first would hide undated documents; sort by date with unknown dates last."""
    return (decision.date is None, decision.date or 0, decision.id)


def _agency_matcher(record: Record):
    """A function giving the ids of agencies a text names, by name or alias, spaces ignored."""
    names: dict[str, str] = {}
    for agency in record.registry.agencies.values():
        for name in agency.names:
            names[_SPACE.sub("", name)] = agency.id
    if not names:
        return lambda text: []
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))

    def match(text: str) -> list[str]:
        found = dict.fromkeys(names[m.group(0)] for m in pattern.finditer(_SPACE.sub("", text)))
        return list(found)

    return match


def _remembered(remember, matcher, speech: Speech) -> list[str]:
    return remember(speech.blocks, lambda: matcher(speech.text))
