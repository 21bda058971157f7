"""Registries of commissioners and agencies, and speaker resolution by label and date."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..disclosure.markers import front_matter_problems, public_markdown
from . import markup, schema
from .docs_files import through_link_out
from .model import Agency, Person, Role, Speaker, SpeakerKind
from .problems import Problem
from .rules import problem
from .schema import ASCII_ID
from .source import MAX_COMMITTEE_BYTES, Source, load_yaml, read_source, read_text
from .text import fold


@dataclass(frozen=True)
class Committee:
    """What differs between committees: read from committee.yml."""

    name: str = "個人情報保護委員会"
    commissioner_titles: tuple[str, ...] = ("委員長代理", "委員長", "委員")
    secretariat_name: str = "事務局"
    secretariat_titles: tuple[str, ...] = ("事務局長", "事務局次長", "審議官", "参事官")
    agenda_kinds: tuple[str, ...] = ()
    agenda_kind_ids: dict | None = field(default=None, compare=False, hash=False)
    agency_kinds: tuple[str, ...] = ()
    reviewed_file_types: tuple[str, ...] = ()  # binary types a person checks; the verifier cannot read them

    def kind_id(self, kind: str) -> str:
        """The ASCII id of an agenda kind: from committee.yml, else `hashed_id` of its name."""
        known = (self.agenda_kind_ids or {}).get(kind)
        return known or hashed_id(kind)


def hashed_id(name: str) -> str:
    """A stable ASCII id for a name that has none of its own (an agenda or agency kind): k and
    the first 8 hex digits of its SHA-256, never a slug of the kanji."""
    return "k" + hashlib.sha256(name.encode()).hexdigest()[:8]


# The types `reviewed_file_types` may list: images whose every part the verifier walks for text
# nobody sees in the picture (disclosure/pictures.py). Any other type cannot be shown to hold none.
REVIEWABLE_TYPES = ("png", "jpg", "gif", "webp", "ico")
MAX_ID = 64  # characters of an agenda kind's id (a folder name of the site)


def reviewed_type(name: str) -> str:
    """A type as committee.yml may write it (PNG, .png, jpeg) as the verifier names it (png, jpg)."""
    name = name.lower().lstrip(".")
    return "jpg" if name == "jpeg" else name

_COMMITTEE_TYPES = {  # field -> (type a value must have, type of each element, what to write)
    "name": (str, None, "文字列"), "secretariat_name": (str, None, "文字列"),
    "commissioner_titles": (list, str, "文字列のリスト"), "secretariat_titles": (list, str, "文字列のリスト"),
    "agenda_kinds": (list, str, "文字列のリスト"), "agency_kinds": (list, str, "文字列のリスト"),
    "agenda_kind_ids": (dict, str, "「種類: id」の集まり"),
    "reviewed_file_types": (list, str, "ファイルの種類（png など）のリスト"),
}


def load_committee(root: Path, problems: list[Problem]) -> Committee:
    """committee.yml, read with the same YAML loader as the sources (no anchors, aliases, tags …)."""
    path = root / "committee.yml"
    if not path.exists():
        return Committee()
    text = read_text(path, "committee.yml", problems, limit=MAX_COMMITTEE_BYTES)
    if text is None:
        return Committee()
    data, lines = load_yaml(text, 1, "committee.yml", problems)
    if data is None:
        return Committee()
    if not isinstance(data, dict):
        problems.append(problem("G510", "committee.yml", 1))
        return Committee()
    problems.extend(front_matter_problems(data, lines, "committee.yml"))  # its values are printed as written
    fields = {}
    for key, value in data.items():
        if key not in _COMMITTEE_TYPES:
            problems.append(problem("G511", "committee.yml", lines.get((key,)), key=key,
                                    known="、".join(Committee.__dataclass_fields__)))
            continue
        kind, element, what = _COMMITTEE_TYPES[key]
        items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        if not isinstance(value, kind) or (element and not all(isinstance(v, element) for v in items)):
            problems.append(problem("G512", "committee.yml", lines.get((key,)), key=key, what=what))
            continue
        # an empty name is printed as nothing in every title left to it, and an empty title ends
        # every speaker's label
        if any(isinstance(v, str) and not v.strip() for v in (items if element else (value,))):
            problems.append(problem("G112", "committee.yml", lines.get((key,)), what="committee.yml", key=key, doc=what))
            continue
        if key == "reviewed_file_types":
            for i, name in enumerate(value):
                if reviewed_type(name) not in REVIEWABLE_TYPES:
                    problems.append(problem("G513", "committee.yml", lines.get((key, i)) or lines.get((key,)), name=name,
                                            types="、".join(REVIEWABLE_TYPES)))
        if key == "agenda_kind_ids":  # each id is a folder of the site (kinds/<id>/): never ../, never twice
            # the kinds not listed take hashed ids: one of those written for another kind is taken too
            taken: dict[str, str] = {hashed_id(k): k for k in data.get("agenda_kinds") or () if isinstance(k, str)
                                     and k not in value}
            for kind, kind_id in value.items():
                line = lines.get((key, kind)) or lines.get((key,))
                if not ASCII_ID.fullmatch(kind_id) or len(kind_id) > MAX_ID:  # `$` took "reports\n"
                    problems.append(problem("G514", "committee.yml", line, kind=kind, value=kind_id, most=MAX_ID))
                elif kind_id in taken:
                    problems.append(problem("G515", "committee.yml", line, kind=kind, value=kind_id, other=taken[kind_id]))
                taken.setdefault(kind_id, kind)
        fields[key] = tuple(value) if isinstance(value, list) else value
    return Committee(**fields)


@dataclass
class Registry:
    committee: Committee
    people: dict[str, Person] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)

    def resolve(self, label: str, day: dt.date | None) -> Speaker | str:
        """Resolve a printed speaker label at a date: a Speaker, or a message saying why not."""
        c = self.committee
        if label == c.secretariat_name:
            return Speaker(label, SpeakerKind.SECRETARIAT, None, label)
        for title in sorted(c.commissioner_titles, key=len, reverse=True):
            if label.endswith(title):
                name = label[: -len(title)]
                matches = [p for p in self.people.values()
                           if (not name or name == p.name or name in p.aliases)
                           and any(r.title == title and r.covers(day) for r in p.roles)]
                if len(matches) == 1:
                    return Speaker(label, SpeakerKind.COMMISSIONER, matches[0].id, title)
                if matches:
                    ids = "、".join(p.id for p in matches)
                    return f"「{label}」に当たる人が複数います（{ids}）"
                return f"「{label}」に当たる委員が名簿にいません"
        for title in sorted(c.secretariat_titles, key=len, reverse=True):
            if label.endswith(title):
                return Speaker(label, SpeakerKind.SECRETARIAT, None, title)
        return f"「{label}」は委員の役職（{'・'.join(c.commissioner_titles)}）でも事務局の役職でもありません"

    def out_of_term(self, label: str, day: dt.date | None) -> tuple[Person, str] | None:
        """The one registered person a commissioner label names by name or alias, and the title,
        when that person does not hold the title on `day`: the label is right, the date or the
        registry's term is not. None for a label that names nobody (or several)."""
        for title in sorted(self.committee.commissioner_titles, key=len, reverse=True):
            if label.endswith(title):
                name = label[: -len(title)]
                named = [p for p in self.people.values() if name and (name == p.name or name in p.aliases)]
                if len(named) == 1 and not any(r.title == title and r.covers(day) for r in named[0].roles):
                    return named[0], title
                return None
        return None

    def labels_on(self, day: dt.date | None) -> list[str]:
        """Every label that names someone on `day`: each person's name and aliases with each
        title they hold that day, and the secretariat's name. What a mistyped label is likely
        to have meant."""
        labels = [self.committee.secretariat_name]
        for person in sorted(self.people.values()):
            for role in person.roles:
                if role.covers(day):
                    labels.extend(name + role.title for name in (person.name, *person.aliases))
        return labels


def role_terms(person: Person) -> str:
    """The person's roles and terms as the registry states them, for a message:
    委員 2020-01-01〜2022-12-31、委員長 2023-01-01〜."""
    def term(role: Role) -> str:
        if role.start is None and role.end is None:
            return f"{role.title}（期間の記載なし）"
        start = role.start.isoformat() if role.start else ""
        end = role.end.isoformat() if role.end else ""
        return f"{role.title} {start}〜{end}"

    return "、".join(term(r) for r in person.roles) or "役職の記載なし"


def split_label(label: str, committee: Committee) -> tuple[str, str]:
    """A printed label as (name, title): the longest known title it ends with, else no title."""
    return _split(label, _titles(committee))


def _titles(committee: Committee) -> list[str]:
    titles = (*committee.commissioner_titles, *committee.secretariat_titles, committee.secretariat_name)
    return sorted(titles, key=len, reverse=True)


def _split(label: str, titles: list[str]) -> tuple[str, str]:
    for title in titles:
        if label.endswith(title):
            return label[: -len(title)], title
    return label, ""


# A candidate with the same title is suggested when half its name matches (丹埜 for 丹野, 森用 for
# 森川: one character of two); otherwise the whole label must be this close (丹野委員超, 森川課長
# for 森川総務課長). A two-character name with nothing in common (佐藤 for 松元) is no suggestion,
# however long the title they share.
_SAME_TITLE_CUTOFF = 0.5
_OTHER_CUTOFF = 0.75


def closest_labels(label: str, candidates, committee: Committee, limit: int = 3) -> list[str]:
    """The candidates most like `label` (as printed, in the order given), compared folded
    (width, variant characters: 丹埜 reads as 丹野); [] when none is close."""
    return Suggester(candidates, committee).closest(label, limit)


class Suggester:
    """`closest_labels` over fixed candidates, folded and split once: a meeting asks for many
    labels (every turn of a mistyped speaker), each distinct label is scored once."""

    # Past this many distinct unknown labels in one file, no more are scored: no minutes have
    # that many speakers, and scoring each would make a hostile file slow to check.
    MAX_LABELS = 300

    def __init__(self, candidates, committee: Committee):
        self.candidates, self.committee = tuple(candidates), committee
        self.titles: list[str] = []
        self.entries: list[tuple] | None = None  # made at the first question: most meetings ask none
        self.memo: dict[tuple[str, int], list[str]] = {}

    def closest(self, label: str, limit: int = 3) -> list[str]:
        found = self.memo.get((label, limit))
        if found is None:
            found = self._score(label, limit) if len(self.memo) < self.MAX_LABELS else []
            self.memo[(label, limit)] = found
        return found

    def _index(self) -> list[tuple]:
        if self.entries is None:
            self.titles = _titles(self.committee)
            self.entries = []
            for candidate in dict.fromkeys(self.candidates):
                key = fold(candidate)
                name, title = _split(key, self.titles)
                self.entries.append((candidate, title, _matcher(name), _matcher(key)))
        return self.entries

    def _score(self, label: str, limit: int) -> list[str]:
        entries = self._index()
        key = fold(label)
        name, title = _split(key, self.titles)
        scored: dict[str, float] = {}
        for candidate, other_title, by_name, whole in entries:
            if candidate == label:
                continue
            if title and title == other_title:
                ratio = _ratio(by_name, name, _SAME_TITLE_CUTOFF)
                if ratio is not None:
                    scored[candidate] = 1 + ratio
            elif (ratio := _ratio(whole, key, _OTHER_CUTOFF)) is not None:
                scored[candidate] = ratio
        if not scored and not title:
            scored = self._retitled(label)
        best = max(scored.values(), default=None)
        return [c for c, score in scored.items() if score == best][:limit]

    def _retitled(self, label: str) -> dict[str, float]:
        """A label that ends in no known title, its end read as a secretariat title of
        committee.yml with one character mistyped: 青山総務課畏 as 青山総務課長, 事務居 as 事務局.
        A secretariat label needs no registry entry, so no candidate list can hold it. A title
        the committee does not list (田中課長補佐) is no typo and gets no suggestion."""
        c = self.committee
        found: dict[str, float] = {}
        for title in (*c.secretariat_titles, c.secretariat_name):
            tail = fold(label[len(label) - len(title):]) if len(label) >= len(title) else ""
            if len(tail) == len(fold(title)) and sum(a != b for a, b in zip(tail, fold(title), strict=True)) == 1:
                found[label[: len(label) - len(title)] + title] = 1.0
        return found


def _matcher(text: str) -> difflib.SequenceMatcher:
    """A matcher with `text` as its second sequence, indexed once for every label compared to it."""
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(text)
    return matcher


def _ratio(matcher: difflib.SequenceMatcher, text: str, cutoff: float) -> float | None:
    """difflib's similarity of `text` and the matcher's sequence when it reaches `cutoff`, else
    None. The cheap upper bounds go first, as in difflib.get_close_matches: a label thousands of
    characters long (a line with no space after ○) is dismissed by its length alone."""
    if not text or not matcher.b:
        return None
    matcher.set_seq1(text)
    if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
        return None
    ratio = matcher.ratio()
    return ratio if ratio >= cutoff else None


def quoted_choices(labels: list[str]) -> str:
    """「A」 or 「A」または「B」, for a hint."""
    return "または".join(f"「{label}」" for label in labels)


def load_registry(root: Path, committee: Committee, problems: list[Problem]) -> Registry:
    """The commissioners of docs/commissioners/ and the agencies of docs/agencies/; every problem
    of their files goes to `problems`, and an entry with one is left out."""
    registry = Registry(committee)
    registry.people = _load_entries(root, "commissioners", problems, parse_person)
    registry.agencies = _load_entries(root, "agencies", problems,
                                      lambda source, stem: parse_agency(source, stem, committee))
    check_names(registry, problems)
    return registry


def _load_entries(root: Path, folder: str, problems: list[Problem], parse) -> dict:
    """Each docs/<folder>/<id>.md but index.md, parsed by `parse(source, stem)`, by id."""
    entries = {}
    for path in sorted((root / "docs" / folder).glob("*.md")):
        if path.name == "index.md" or through_link_out(path, root / "docs"):  # refused unread (G607, G608)
            continue
        source = read_source(path, root, problems)
        if source is not None:
            entry = parse(source, path.stem)
            problems.extend(source.problems)
            if entry is not None:
                entries[entry.id] = entry
    return entries


def _check_id(source: Source, meta: dict, stem: str) -> bool:
    """The entry's id is its file name. A missing or malformed id has had its own message."""
    if "id" not in meta:
        return False
    if meta["id"] != stem:
        source.problem(("id",), "G506", id=meta.get("id"), stem=stem)
        return False
    return True


def parse_person(source: Source, stem: str) -> Person | None:
    meta = schema.check_mapping(source, source.meta, (), schema.COMMISSIONER, "委員の名簿")
    roles = []
    for i, raw in enumerate(meta.get("roles") or []):
        role = schema.check_mapping(source, raw, ("roles", i), schema.ROLE, "役職")
        if "title" in role:
            roles.append(Role(role["title"], role.get("from"), role.get("to")))
            if role.get("from") and role.get("to") and role["from"] > role["to"]:
                source.problem(("roles", i), "G507")
    if not (_check_id(source, meta, stem) and "name" in meta) or source.problems:
        return None
    profile = public_profile(source)
    return Person(
        id=meta["id"], name=meta["name"], roles=tuple(roles), aliases=tuple(meta.get("aliases") or ()),
        full_name=meta.get("full_name"), reading=meta.get("reading"),
        profile=profile, path=source.path,
    )


def parse_agency(source: Source, stem: str, committee: Committee) -> Agency | None:
    meta = schema.check_mapping(source, source.meta, (), schema.AGENCY, "機関の名簿")
    kind = meta.get("kind")
    if kind and committee.agency_kinds and kind not in committee.agency_kinds:
        source.problem(("kind",), "G508", kind=kind, kinds="、".join(committee.agency_kinds))
    if not (_check_id(source, meta, stem) and "name" in meta) or source.problems:
        return None
    profile = public_profile(source)
    return Agency(id=meta["id"], name=meta["name"], kind=kind or "",
                  aliases=tuple(meta.get("aliases") or ()), profile=profile, path=source.path,
                  reading=meta.get("reading"))


def public_profile(source: Source) -> str:
    """The hand-written profile with its 非公表 regions replaced by the placeholder.

    Checked after the entry itself, so that a marker or markup mistake in a profile is reported
    on its own and does not also drop the person (which would make every speech of theirs an
    error). Its problems still stop the build: `load_registry` reports `source.problems`.
    Markers first: `markup.check_body` leaves the lines they own to them (one line, one message).
    """
    profile = public_markdown(source.body, source.body_line, source.path, source.problems, raw_html=False)
    source.problems.extend(front_matter_problems(source.meta, source.lines, source.path))
    markup.check_body(source)
    return profile


def check_names(registry: Registry, problems: list[Problem]) -> None:
    """Two agencies may not claim the same name, or mentions could not be attributed."""
    seen: dict[str, str] = {}
    for agency in registry.agencies.values():
        for name in agency.names:
            key = re.sub(r"\s+", "", name)
            if key in seen and seen[key] != agency.id:
                problems.append(problem("G509", agency.path, None, name=name, first=seen[key], second=agency.id))
            seen[key] = agency.id
