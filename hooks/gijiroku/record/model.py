"""The Commission's record as typed, frozen data.

Objects here hold public text only: the parser drops withheld (非公表) text before it
builds them, and `publish.public_record` removes deferred (後日公表) content before any
page, index or file is made from them.
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
from dataclasses import dataclass, field, replace

PLACEHOLDER = "（内容について非公表）"
CHAIR = "委員長"  # the role title of the commissioner who chairs
MINUTES = "議事録"  # a meeting file's record, unless its front matter says `record: 議事概要` or `議事要旨`
RECORD_KINDS = (MINUTES, "議事概要", "議事要旨")  # the minutes (speech turns), or a summary (paragraphs per item)


class Disclosure(enum.Enum):
    """How much of an agenda item or document may be published."""

    PUBLIC = "公開"
    WITHHELD = "非公表"
    DEFERRED = "後日公表"

    def is_published_on(self, publish_after: dt.date | None, day: dt.date) -> bool:
        """Whether the content (body, speeches, linked documents) is public on `day`."""
        if self is Disclosure.DEFERRED:
            return publish_after is not None and day >= publish_after
        return True

    @property
    def label(self) -> str:
        return self.value


class SpeakerKind(enum.Enum):
    COMMISSIONER = "commissioner"  # a registry person, by label and date
    SECRETARIAT = "secretariat"  # 事務局 or an official: a role, kept as printed
    UNKNOWN = "unknown"


@dataclass(frozen=True, order=True)
class Role:
    """A dated role of a registry person. Unknown dates are None (left out of the page)."""

    title: str  # 委員長, 委員 …
    start: dt.date | None = None
    end: dt.date | None = None

    def covers(self, day: dt.date | None) -> bool:
        if day is None:
            return True
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, order=True)
class Person:
    id: str
    name: str  # surname as printed in the record
    roles: tuple[Role, ...] = ()
    aliases: tuple[str, ...] = field(default=(), compare=False)
    full_name: str | None = field(default=None, compare=False)
    reading: str | None = field(default=None, compare=False)
    profile: str = field(default="", compare=False, repr=False)
    path: str = field(default="", compare=False, repr=False)

    def __repr__(self) -> str:
        return f"Person({self.id})"

    @property
    def display_name(self) -> str:
        """The full name once staff add it, else the surname as the record prints it."""
        return self.full_name or self.name

    @property
    def display_title(self) -> str:
        """How pages and the search filter name the person: 丹野委員長 as the record prints it,
        or the full name with the latest role, 丹野正義（委員長）, once staff add it."""
        role = self.roles[-1].title if self.roles else ""
        return f"{self.full_name}（{role}）" if self.full_name else f"{self.name}{role}"

    @property
    def has_chaired(self) -> bool:
        """Whether the person has held the chair (委員長): lists of commissioners put them first."""
        return any(r.title == CHAIR for r in self.roles)


@dataclass(frozen=True, order=True)
class Agency:
    id: str
    name: str
    kind: str = field(default="", compare=False)
    aliases: tuple[str, ...] = field(default=(), compare=False)
    profile: str = field(default="", compare=False, repr=False)
    path: str = field(default="", compare=False, repr=False)
    reading: str | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        return f"Agency({self.id})"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Speaker:
    """A printed speaker label, resolved against the registries at the meeting's date."""

    label: str  # as printed: 丹野委員長, 事務局, 森川総務課長
    kind: SpeakerKind
    person_id: str | None = None
    title: str | None = None  # the role part of the label: 委員長, 総務課長 …


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class StageDirection:
    """A bracketed note of the record such as （監視・監督関係者以外退室）."""

    text: str


@dataclass(frozen=True, slots=True)
class Withheld:
    """Where withheld content stood: shown as （内容について非公表）."""

    text: str = PLACEHOLDER


Block = Paragraph | StageDirection | Withheld


@dataclass(frozen=True, order=True, slots=True)
class Speech:
    """One `○` turn. `order` is 1-based over the meeting's public record."""

    meeting: int
    order: int
    agenda: int | None = field(compare=False)
    speaker: Speaker = field(compare=False)
    blocks: tuple[Block, ...] = field(compare=False, repr=False)
    line: int = field(default=0, compare=False, repr=False)
    closing: bool = field(default=False, compare=False, repr=False)  # after 「## 閉会」

    def __repr__(self) -> str:
        return f"Speech({self.meeting}-{self.order})"

    @property
    def id(self) -> str:
        return f"{self.meeting}-{self.order}"

    @property
    def anchor(self) -> str:
        return f"speech-{self.order}"

    @property
    def text(self) -> str:
        """The turn's text as printed, one paragraph a line."""
        return "\n".join(block.text for block in self.blocks)


@dataclass(frozen=True)
class Event:
    """Something in the record between speeches: a stage direction or a withheld passage; in a
    summary (議事概要, 議事要旨), each of its paragraphs."""

    agenda: int | None
    block: Block
    line: int = 0
    closing: bool = False


Element = Speech | Event


@dataclass(frozen=True, order=True)
class Material:
    label: str  # 資料１－１, 別紙２ …
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True, order=True)
class Link:
    """An official source (PDF on the Commission's website) or other reference."""

    title: str
    url: str | None = None


@dataclass(frozen=True, order=True)
class AgendaItem:
    meeting: int
    number: int
    title: str = field(compare=False)
    disclosure: Disclosure = field(default=Disclosure.PUBLIC, compare=False)
    publish_after: dt.date | None = field(default=None, compare=False)
    kind: str | None = field(default=None, compare=False)
    outcome: str | None = field(default=None, compare=False)
    publication: str | None = field(default=None, compare=False)  # how the record says materials are published
    reason: str | None = field(default=None, compare=False)
    subjects: tuple[str, ...] = field(default=(), compare=False)
    agencies: tuple[str, ...] = field(default=(), compare=False)
    materials: tuple[Material, ...] = field(default=(), compare=False)
    decisions: tuple[str, ...] = field(default=(), compare=False)
    deferred: bool = field(default=False, compare=False)  # content held back until publish_after
    line: int = field(default=0, compare=False, repr=False)

    def __repr__(self) -> str:
        return f"AgendaItem({self.meeting}/{self.number})"

    @property
    def key(self) -> tuple[int, int]:
        return (self.meeting, self.number)


@dataclass(frozen=True, order=True)
class Meeting:
    number: int
    title: str = field(compare=False)
    date: dt.date | None = field(compare=False)
    start_time: str | None = field(default=None, compare=False)
    end_time: str | None = field(default=None, compare=False)
    place: str | None = field(default=None, compare=False)
    commissioners: tuple[Speaker, ...] | None = field(default=None, compare=False)  # None: not in the record
    secretariat: tuple[Speaker, ...] | None = field(default=None, compare=False)
    chair: Speaker | None = field(default=None, compare=False)
    agenda: tuple[AgendaItem, ...] = field(default=(), compare=False)
    elements: tuple[Element, ...] = field(default=(), compare=False, repr=False)
    sources: tuple[Link, ...] = field(default=(), compare=False)
    note: str | None = field(default=None, compare=False)
    path: str = field(default="", compare=False, repr=False)
    record: str = field(default=MINUTES, compare=False)  # one of RECORD_KINDS

    def __repr__(self) -> str:
        return f"Meeting({self.number})"

    @property
    def is_summary(self) -> bool:
        """A 議事概要 or 議事要旨: paragraphs per agenda item, no speech turns."""
        return self.record != MINUTES

    @property
    def speeches(self) -> tuple[Speech, ...]:
        return tuple(e for e in self.elements if isinstance(e, Speech))

    def item(self, number: int) -> AgendaItem | None:
        for item in self.agenda:
            if item.number == number:
                return item
        return None

    def elements_of(self, agenda: int | None) -> tuple[Element, ...]:
        return tuple(e for e in self.elements if e.agenda == agenda)

    def parts(self) -> list[tuple[str, AgendaItem | None, tuple[Element, ...]]]:
        """The record in reading order: opening, each agenda item, closing."""
        opening = tuple(e for e in self.elements if e.agenda is None and not e.closing)
        closing = tuple(e for e in self.elements if e.agenda is None and e.closing)
        parts: list[tuple[str, AgendaItem | None, tuple[Element, ...]]] = []
        if opening:
            parts.append(("opening", None, opening))
        parts.extend(("item", item, self.elements_of(item.number)) for item in self.agenda)
        if closing:
            parts.append(("closing", None, closing))
        return parts


@dataclass(frozen=True, order=True)
class Decision:
    """A decision or published document (対応方針, 指導, 報告結果, 意見 …)."""

    id: str
    title: str = field(compare=False)
    kind: str = field(compare=False)
    date: dt.date | None = field(compare=False)
    meeting: int | None = field(default=None, compare=False)
    agenda: int | None = field(default=None, compare=False)
    agencies: tuple[str, ...] = field(default=(), compare=False)
    disclosure: Disclosure = field(default=Disclosure.PUBLIC, compare=False)
    publish_after: dt.date | None = field(default=None, compare=False)
    material: str | None = field(default=None, compare=False)
    sources: tuple[Link, ...] = field(default=(), compare=False)
    note: str | None = field(default=None, compare=False)
    body: str = field(default="", compare=False, repr=False)  # Markdown, public text only
    path: str = field(default="", compare=False, repr=False)
    link_line: int | None = field(default=None, compare=False, repr=False)  # the line of `meeting:` (check's messages)
    agenda_line: int | None = field(default=None, compare=False, repr=False)  # and of `agenda:`

    def __repr__(self) -> str:
        return f"Decision({self.id})"

    @property
    def category(self) -> str:
        """決定 for what the Commission decided, 資料 for documents it published or received."""
        return "決定" if self.kind in DECIDED_KINDS else "資料"


DECIDED_KINDS = frozenset({"対応方針", "指導", "意見", "勧告", "命令", "決定", "規則", "指針"})
DECISION_KINDS = (*sorted(DECIDED_KINDS), "報告結果", "改善報告", "公表資料", "資料")


def replaced(thing, **fields):
    """`dataclasses.replace(thing, **fields)`, or `thing` itself when each field already holds
    those values in the same objects (a tuple: the same objects in the same order). Under serve
    the parse cache hands an unchanged file's objects to every build; kept, they let a later
    step find the last build's objects at once (site/reuse.py compares by value, identity first)."""
    for name, value in fields.items():
        held = getattr(thing, name)
        if held is not value and not (type(held) is tuple and type(value) is tuple and len(held) == len(value)
                                       and all(map(operator.is_, held, value))):
            return replace(thing, **fields)
    return thing
