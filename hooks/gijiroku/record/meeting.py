"""Parsing a meeting file (minutes/<number>.md) into a Meeting.

Body grammar, one construct a line (blank lines are free):

    ## 議題N 議題名        starts agenda item N (the title must match the front matter)
    ## 閉会               starts the closing part (speeches with no agenda item)
    ○ラベル 発言…          starts a speech turn (label as printed, then a space)
    続きの段落              a further paragraph of the current turn
    （…）                 a stage direction, e.g. （監視・監督関係者以外退室）
    （内容について非公表）    the record's placeholder for withheld content
    <!-- 非公表 --> … <!-- /非公表 -->   text that is never published

A summary (`record: 議事概要` or `議事要旨` in the front matter) has the same headings, markers,
stage directions and placeholder, but no turns: every other line is a paragraph of the summary
of the item it stands under (an Event holding a Paragraph), and a `○ラベル 発言` line is an error.

Withheld lines are dropped here; nothing after this module ever sees them.
"""

from __future__ import annotations

import os
import re

from ..disclosure.markers import CLOSE, BodyLine, find_markers, front_matter_problems, scan_body
from . import schema
from .model import (
    MINUTES,
    PLACEHOLDER,
    RECORD_KINDS,
    AgendaItem,
    Block,
    Event,
    Material,
    Meeting,
    Paragraph,
    Speaker,
    SpeakerKind,
    Speech,
    StageDirection,
    Withheld,
)
from .registry import Registry, Suggester, quoted_choices, role_terms, split_label
from .source import Source
from .text import char_name, excerpt, fold
from .turns import BARE_SPEECH, ODD_SPACE, SPEECH, WRONG_MARK, spaced_turn, turn_in_summary

AGENDA_HEADING = re.compile(r"^## 議題(\d{1,9})(?:[ \u3000](.*))?$")  # longer: no item (int() of 5,000 digits raises)
CLOSING_HEADING = "## 閉会"
MEANT_HEADING = re.compile(r"^#+[ \u3000]*議題[ \u3000]*(\d{1,9})(?!\d)")  # what a malformed G208 heading was meant for (bounded, as above)
OPENING_HEADING = "## 開会"
STAGE = re.compile(r"^（[^（）]+）$")
HALF_WIDTH_STAGE = re.compile(r"^[(（][^()（）]+[)）]$")  # (拍手) or （拍手): the record prints （拍手）


def parse_meeting(source: Source, stem: str, registry: Registry) -> Meeting | None:
    """Build a Meeting from a parsed source; every mistake goes to source.problems."""
    meta = schema.check_mapping(source, source.meta, (), schema.MEETING, "会議の見出し情報（front matter）")
    number = meta.get("number")
    if number is not None and stem != str(number):
        source.problem(("number",), "G137", number=number, stem=stem)
    day = meta.get("date")
    items = parse_agenda(source, meta.get("agenda") or [], number or 0, registry)
    commissioners = secretariat = None
    attendees = meta.get("attendees")
    # the attendees' labels first: what a mistyped label most likely meant
    nearby = tuple(label for key in ("commissioners", "secretariat") if isinstance(attendees, dict)
                   and isinstance(attendees.get(key), list) for label in attendees[key] if isinstance(label, str))
    suggester = Suggester((*nearby, *registry.labels_on(day)), registry.committee)
    if "attendees" in meta and attendees is not None:
        unknown = set(attendees) - {"commissioners", "secretariat"}
        for key in sorted(unknown):
            source.problem(("attendees", key), "G304", key=key)
        commissioners = _attendees(source, attendees.get("commissioners"), "commissioners", day, registry,
                                   SpeakerKind.COMMISSIONER, suggester)
        secretariat = _attendees(source, attendees.get("secretariat"), "secretariat", day, registry,
                                 SpeakerKind.SECRETARIAT, suggester)
    chair = None
    if meta.get("chair"):
        chair = _resolve(source, ("chair",), meta["chair"], day, registry, SpeakerKind.COMMISSIONER, suggester)
    record = meta.get("record") or MINUTES
    if record not in RECORD_KINDS:
        source.problem(("record",), "G170", value=record)
        record = MINUTES
        # the stricter grammar of minutes, without G341 (which would ask for the key already there)
        elements = parse_body(source, items, number or 0, day, registry, suggester, None)
    else:
        elements = parse_body(source, items, number or 0, day, registry, suggester, record)
    # A marker in a value (a note, a title) cannot withhold anything: the value is published whole.
    source.problems.extend(front_matter_problems(source.meta, source.lines, source.path))
    _check_speakers_attended(source, elements, commissioners, secretariat, registry)
    if number is None:
        return None
    return Meeting(
        number=number,
        title=meta.get("title") or f"第{number}回{registry.committee.name}",
        date=day,
        start_time=meta.get("start_time"),
        end_time=meta.get("end_time"),
        place=meta.get("place"),
        commissioners=commissioners,
        secretariat=secretariat,
        chair=chair,
        agenda=tuple(items),
        elements=tuple(elements),
        sources=schema.read_links(source, meta.get("sources"), ("sources",)),
        note=meta.get("note"),
        path=source.path,
        record=record,
    )


def _resolve(source: Source, where: tuple | int, label: str, day, registry: Registry,
             expected: SpeakerKind | None, suggester: Suggester | None = None) -> Speaker:
    found = registry.resolve(label, day)
    if isinstance(found, str):
        _unresolved(source, where, label, found, day, registry,
                    suggester or Suggester(registry.labels_on(day), registry.committee))
        return Speaker(label, SpeakerKind.UNKNOWN)
    if expected is not None and found.kind is not expected:
        group = "委員" if expected is SpeakerKind.COMMISSIONER else "事務局"
        source.problem(where, "G302", label=label, group=group)
    return found


def _unresolved(source: Source, where: tuple | int, label: str, reason: str, day, registry: Registry,
                suggester: Suggester) -> None:
    """Say why a label names nobody: a registered commissioner out of office on the day (with
    the registry's terms), else the closest label of the attendees and the registry, if any."""
    held = registry.out_of_term(label, day)
    if held is not None:
        person, title = held
        when = f" {day.isoformat()} に" if day else "名簿のどの期間にも"
        source.problem(where, "G316", label=label, name=person.name, when=when, title=title,
                       terms=role_terms(person), path=person.path)
        return
    close = suggester.closest(label)
    if close:
        source.problem(where, "G315", reason=reason, close=quoted_choices(close))
    else:
        source.problem(where, "G301", reason=reason)


def _attendees(source: Source, labels, key: str, day, registry: Registry, kind: SpeakerKind,
               suggester: Suggester):
    if labels is None:
        return None
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        source.problem(("attendees", key), "G305", key=key)
        return None
    return tuple(_resolve(source, ("attendees", key, i), label, day, registry, kind, suggester)
                 for i, label in enumerate(labels))


def parse_agenda(source: Source, raw: list, meeting: int, registry: Registry) -> list[AgendaItem]:
    items: list[AgendaItem] = []
    kinds = registry.committee.agenda_kinds
    for i, entry in enumerate(raw):
        where = ("agenda", i)
        data = schema.check_mapping(source, entry, where, schema.AGENDA_ITEM, f"議題（{i + 1} 番目）")
        if "number" in data and data["number"] != i + 1:
            source.problem(where + ("number",), "G202", number=data["number"], position=i + 1)
        disclosure = schema.read_disclosure(source, where, data, "議題")
        publish_after = data.get("publish_after")
        if data.get("kind") and kinds and data["kind"] not in kinds:
            source.problem(where + ("kind",), "G215", kind=data["kind"], kinds="、".join(kinds))
        schema.check_agencies(source, where, data.get("agencies"), registry.agencies)
        materials = []
        for j, m in enumerate(data.get("materials") or []):
            mdata = schema.check_mapping(source, m, where + ("materials", j), schema.MATERIAL, "資料")
            if "label" in mdata:
                materials.append(Material(mdata["label"], mdata.get("title"), mdata.get("url")))
        subjects = data.get("subjects") or []
        if not all(isinstance(s, str) for s in subjects):
            source.problem(where + ("subjects",), "G219")
            subjects = []
        number = data.get("number")
        if number is None and isinstance(entry, dict) and entry.get("number") is not None:
            number = i + 1  # a refused number (0, 10**30) had its message; its place stands in for it
        if number is None or "title" not in data:
            continue
        items.append(AgendaItem(
            meeting=meeting, number=number, title=data["title"], disclosure=disclosure,
            publish_after=publish_after, kind=data.get("kind"), outcome=data.get("outcome"),
            publication=data.get("publication"), reason=data.get("reason"), subjects=tuple(subjects),
            agencies=tuple(data.get("agencies") or ()), materials=tuple(materials),
            decisions=tuple(data.get("decisions") or ()), line=source.line_of(*where) or 0,
        ))
    if not raw and source.meta.get("agenda") == []:  # missing or not a list: the schema has said so
        source.problem(("agenda",), "G201")
    return items


class _Builder:
    """Accumulates elements while walking the body lines."""

    def __init__(self, meeting: int):
        self.meeting = meeting
        self.elements: list[Speech | Event] = []
        self.order = 0
        self.speaker: Speaker | None = None
        self.blocks: list[Block] = []
        self.line = 0
        self.agenda: int | None = None
        self.closing = False

    def start(self, speaker: Speaker, text: str, line: int) -> None:
        self.close()
        self.speaker, self.blocks, self.line = speaker, [Paragraph(text)], line

    def add(self, block: Block, line: int) -> None:
        if self.speaker is not None:
            if not (isinstance(block, Withheld) and self.blocks and isinstance(self.blocks[-1], Withheld)):
                self.blocks.append(block)
        else:  # between turns; a Paragraph only in a summary, which has no turns
            last = self.elements[-1] if self.elements else None
            repeated = (isinstance(block, Withheld) and isinstance(last, Event) and isinstance(last.block, Withheld)
                        and (last.agenda, last.closing) == (self.agenda, self.closing))
            if not repeated:  # adjacent withheld regions show one placeholder, never across a heading
                self.elements.append(Event(self.agenda, block, line, self.closing))

    def close(self) -> None:
        """End the current turn; stage directions and placeholders at its end stand between turns."""
        if self.speaker is None:
            return
        trailing = []
        while self.blocks and not isinstance(self.blocks[-1], Paragraph):
            trailing.insert(0, self.blocks.pop())
        self.order += 1
        self.elements.append(Speech(self.meeting, self.order, self.agenda, self.speaker,
                                    tuple(self.blocks), self.line, self.closing))
        self.speaker, self.blocks = None, []
        self.elements.extend(Event(self.agenda, block, self.line, self.closing) for block in trailing)


def parse_body(source: Source, items: list[AgendaItem], meeting: int, day, registry: Registry,
               suggester: Suggester | None = None, record: str | None = MINUTES):
    """The body's speeches and events; in a summary (`record` other than 議事録), its paragraphs.
    `record` None (a value G170 refused) reads the body as minutes but does not report G341.
    A mistake is reported once, at its cause: what only follows from it (headings an unclosed
    region swallowed, paragraphs of a turn whose mark was refused) is not reported again."""
    summary = record not in (MINUTES, None)
    lines = scan_body(source.body, source.body_line, source.path, source.problems)
    unclosed = unclosed_region(lines)
    # paragraphs outside any turn (line, rule, text), reported at the end; rule "" marks a mistyped turn
    orphans: list[tuple[int, str, str]] = []
    b = _Builder(meeting)
    titles = {item.number: item.title for item in items}
    seen: list[int] = []
    swallowed: list[int] = []  # lines of the headings an unclosed region took in
    region_had_turn = False
    lost = False  # a turn began with a refused mark, or a heading in a region ended it: what
    # follows without a speaker is that mistake's, not an orphan of its own
    for line in lines:
        text = line.text.rstrip()
        if line.marker == "open":
            b.add(Withheld(), line.number)
            region_had_turn = False
            continue
        if line.marker == "close":
            if region_had_turn:
                b.close()  # text after the region must not continue a withheld speaker's turn
            continue
        if line.withheld:
            if (SPEECH.match(text) or BARE_SPEECH.match(text) or WRONG_MARK.match(text) or ODD_SPACE.match(text)
                    or (not summary and spaced_turn(text, day, registry))):
                region_had_turn = True
            if text.startswith("#"):
                if unclosed is not None and line.number > unclosed:
                    swallowed.append(line.number)  # the unclosed region is the one mistake
                elif not line.lookalike:  # a look-alike line has its own message
                    source.problem(line.number, "G410")
                _withheld_heading(text, line.number, titles, seen, b)
                lost = True
            continue
        if not text.strip():
            continue
        if text.startswith("#"):
            b.close()
            _heading(source, line.number, text, titles, seen, b)
            region_had_turn = lost = False
            continue
        if summary and (SPEECH.match(text) or BARE_SPEECH.match(text) or WRONG_MARK.match(text)):
            if label := turn_in_summary(text):
                source.problem(line.number, "G340", record=record, label=label)
            else:  # ○委員から、…との意見があった。: a bullet, not a turn
                b.add(Paragraph(text.strip(" \u3000")), line.number)
            continue
        if m := SPEECH.match(text):
            speaker = _resolve(source, line.number, m.group(1), day, registry, None, suggester)
            b.start(speaker, m.group(2).strip(), line.number)
            region_had_turn = lost = False
            continue
        if (odd := ODD_SPACE.match(text)) or (not summary and (spaced := spaced_turn(text, day, registry))):
            if odd:  # another space after the label (G319)
                source.problem(line.number, "G319", label=odd.group(1), char=char_name(odd.group(2)))
            else:  # a space after or before the mark (G320, G321)
                code, mark, label, space = spaced
                source.problem(line.number, code, mark=mark, label=label, char=char_name(space))
            if summary:  # a turn or a bullet: said once the space is one (G340 for a turn)
                continue
            orphans.append((line.number, "", ""))  # a turn meant: what follows is its, not the turn's before
            b.close()
            region_had_turn, lost = False, True
            continue
        if BARE_SPEECH.match(text) or WRONG_MARK.match(text):
            code = "G308" if BARE_SPEECH.match(text) else "G309"
            if turn_in_summary(text) is None:
                # ○委員から、…との意見があった。 reads as a summary's sentence: decided at the end
                orphans.append((line.number, "sentence", code + text[0]))
            else:
                source.problem(line.number, code, **({"mark": text[0]} if code == "G309" else {}))
                orphans.append((line.number, "", ""))  # a turn meant: the file is minutes, not a summary
            b.close()
            region_had_turn, lost = False, True
            continue
        stripped = text.strip(" \u3000")
        if stripped == PLACEHOLDER:
            b.add(Withheld(), line.number)
        elif STAGE.match(stripped):
            b.add(StageDirection(stripped), line.number)
        elif summary:
            b.add(Paragraph(stripped), line.number)
        elif HALF_WIDTH_STAGE.match(stripped):
            source.problem(line.number, "G330", text=stripped[:30], fixed=f"（{stripped[1:-1]}）"[:32])
        elif b.speaker is None:
            if not lost:
                # after a region that held a turn's start, the paragraph lost its speaker to the region
                orphans.append((line.number, "G307" if region_had_turn else "G306", stripped[:30]))
        else:
            b.add(Paragraph(stripped), line.number)
    b.close()
    if orphans and not any(isinstance(e, Speech) for e in b.elements) and all(o[1] in ("G306", "sentence")
                                                                                for o in orphans):
        # No turn at all, none even meant: most likely a summary without `record:`, said once;
        # where G170 refused the record's value, that is the cause and this follows from it.
        if record is not None:
            source.problem(orphans[0][0], "G341")
    else:
        for number, code, text in orphans:
            if code == "sentence":
                source.problem(number, text[:4], **({"mark": text[4:]} if text[:4] == "G309" else {}))
            elif code:
                source.problem(number, code, text=text)
    if swallowed:
        _blame_unclosed(source, unclosed, swallowed[0])
    missing = [n for n in titles if n not in seen]
    for n in missing:
        source.problem(("agenda", n - 1), "G203", n=n, title=titles[n])
    return b.elements


def unclosed_region(lines: list[BodyLine]) -> int | None:
    """The line where a region opens that no marker closes (it runs to the end of the body), as
    `scan_body` read it; None when every region is closed. A look-alike line counts as the
    marker it resembles, as it does there."""
    start = None
    for line in lines:
        closes = line.lookalike and find_markers(line.text)[0][-1:] == [CLOSE]
        if not line.withheld or line.marker == "close" or closes:
            start = None
        elif start is None:
            start = line.number
    return start


def _blame_unclosed(source: Source, opened: int, heading: int) -> None:
    """An unclosed region that took in headings: one message, at the region, naming the first
    heading it took (where the close was most likely meant to be), in place of G401."""
    kept = [p for p in source.problems if not (p.code == "G401" and p.line == opened)]
    if len(kept) < len(source.problems):  # opened by a look-alike, the region has its message already
        source.problems[:] = kept
        source.problem(opened, "G412", heading=heading)


def _withheld_heading(text: str, number: int, titles: dict[int, str], seen: list[int], b: _Builder) -> None:
    """Follow a heading inside a region (a mistake reported on its own) as the structure, so that
    the items after it are not also reported missing or out of order. Nothing of its text is
    reported: it is withheld. Its item gets the placeholder, as the region stands in it."""
    b.close()
    if text == CLOSING_HEADING:
        seen.append(0)
        b.agenda, b.closing = None, True
    elif (m := AGENDA_HEADING.match(text)) and int(m.group(1)) in titles and int(m.group(1)) not in seen:
        seen.append(int(m.group(1)))
        b.agenda = int(m.group(1))
        b.add(Withheld(), number)


def _heading(source: Source, number: int, text: str, titles: dict[int, str], seen: list[int], b: _Builder):
    if text in (CLOSING_HEADING, OPENING_HEADING):
        if text == OPENING_HEADING and (seen or b.elements):
            source.problem(number, "G210")
        b.agenda = None
        if text == CLOSING_HEADING:
            seen.append(0)
            b.closing = True
        return
    m = AGENDA_HEADING.match(text)
    if not m:
        source.problem(number, "G208", text=text)
        meant = MEANT_HEADING.match(text)  # ## 議題2議題の二: item 2's heading, mistyped
        if meant and int(meant.group(1)) in titles and int(meant.group(1)) not in seen:
            # taken as that item's, so that its missing heading and the next one's order do not follow
            seen.append(int(meant.group(1)))
            b.agenda = int(meant.group(1))
        return
    n = int(m.group(1))
    title = (m.group(2) or "").strip()
    if 0 in seen:
        source.problem(number, "G209", n=n)
    if n not in titles:
        source.problem(number, "G205", n=n)
    elif title and title != titles[n]:
        at = len(os.path.commonprefix([title, titles[n]]))  # each quoted around where they differ
        source.problem(number, "G204", heading=excerpt(title, at), title=excerpt(titles[n], at))
    expected = max([s for s in seen if s], default=0) + 1
    if n in seen:
        source.problem(number, "G206", n=n)
    elif n != expected and n in titles:
        source.problem(number, "G207", n=n, expected=expected)
    seen.append(n)
    b.agenda = n


def _check_speakers_attended(source: Source, elements, commissioners, secretariat, registry: Registry) -> None:
    """Where the record lists who attended, every speaker must be among them (事務局, the
    secretariat as a whole, excepted); the message names the closest attendee. A speaker like
    an attendee that names nobody is not reported: the attendee's label is the mistake, and has
    its message."""
    everyone = (*(commissioners or ()), *(secretariat or ()))
    attended = Suggester([s.label for s in everyone], registry.committee)
    mistyped = Suggester([s.label for s in everyone if s.kind is SpeakerKind.UNKNOWN], registry.committee)
    present = {s.person_id for s in commissioners or () if s.person_id}
    officials = [s.label for s in secretariat or ()]
    folded = {fold(o) for o in officials}
    for e in elements:
        if not isinstance(e, Speech):
            continue
        label, kind = e.speaker.label, e.speaker.kind
        if kind is SpeakerKind.COMMISSIONER and commissioners is not None and e.speaker.person_id not in present:
            key = "commissioners"
        elif (kind is SpeakerKind.SECRETARIAT and secretariat is not None and label != registry.committee.secretariat_name
              and not _among(label, officials, folded, registry)):
            key = "secretariat"
        else:
            continue
        if mistyped.closest(label):
            continue
        close = attended.closest(label)
        if close:
            source.problem(e.line, "G317", label=label, key=key, close=quoted_choices(close))
        else:
            source.problem(e.line, "G303" if key == "commissioners" else "G318", label=label)


def _among(label: str, officials: list[str], folded: set[str], registry: Registry) -> bool:
    """Whether a secretariat label is one of the attendees (compared folded: 﨑 and 崎 are one
    name), or a bare title (総務課長) that one of them holds."""
    if fold(label) in folded:
        return True
    name, title = split_label(label, registry.committee)
    return not name and any(o.endswith(title) for o in officials)
