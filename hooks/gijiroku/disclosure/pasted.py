"""A withheld passage that a published field holds too (`pasted`, a warning of `gijiroku check`).

The verifier does not take a window of a withheld passage for evidence of a leak when the public
record prints it too (以上です。 is in every meeting). So a passage copied into a field that is
published (a decision's body, an item's subjects, an agency's alias) goes out with that field,
and the build cannot tell a copy from a text that is public in its own right (found by an
attack). A field that holds a stretch of a passage long enough to be no common phrase (`RUN`
of its windows in a row, 22 folded characters) is named, with the passage's line, for a person
to decide: a warning, not an error, since the record has such pairs for good reasons (a
decision read out in a 非公表 session and published; the same formula of publication in a
withheld and a public item). Speeches are not read here: the minutes' formulas stand in withheld
and public items alike.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..record.loader import Record
from ..record.problems import Problem
from ..record.rules import problem
from .filescan import fold
from .memo import automaton_of
from .secrets import STRIDE, WINDOW, Secret

RUN = 5  # windows in a row: WINDOW + (RUN - 1) * STRIDE = 22 folded characters


@dataclass(frozen=True)
class Pasted:
    """A published field that holds a withheld passage."""

    where: str  # the source file of the field
    field: str  # what it is, in Japanese
    secret: Secret
    window: str

    def problem(self) -> Problem:
        return problem("G413", self.where, None, field=self.field, secret=f"{self.secret.path}:{self.secret.line}",
                       why=self.secret.why, window=self.window)


def public_fields(public: Record) -> list[tuple[str, str, str]]:
    """(file, what it is, text) of every published field that is not a speech, title or name."""
    out = []
    for meeting in public.meetings.values():
        for item in meeting.agenda:
            texts = [*item.subjects, item.publication, item.outcome, item.reason, *(m.title for m in item.materials)]
            out += [(meeting.path, f"議題{item.number}の項目", t) for t in texts if t]
    for doc in public.decisions.values():
        out += [(doc.path, "文書の本文", doc.body), (doc.path, "文書の note", doc.note or "")]
    for person in public.registry.people.values():
        out += [(person.path, "名簿の別の表記", a) for a in person.aliases]
    for agency in public.registry.agencies.values():
        out += [(agency.path, "名簿の別の表記", a) for a in agency.aliases]
    return [(where, what, text) for where, what, text in out if text]


def pasted(secrets: list[Secret], public: Record) -> list[Pasted]:
    """Each published field that holds RUN windows in a row of a withheld passage, once per passage."""
    places: dict[str, list[tuple[int, int]]] = defaultdict(list)  # window -> (secret, its index)
    for n, secret in enumerate(secrets):
        folded = fold(secret.text)
        for i in range(0, len(folded) - WINDOW + 1, STRIDE):
            places[folded[i:i + WINDOW]].append((n, i // STRIDE))
    probe = automaton_of(list(places))
    if probe is None:
        return []
    found: list[Pasted] = []
    seen: set[tuple[str, int]] = set()
    for where, what, text in public_fields(public):
        hits: dict[int, set[int]] = defaultdict(set)
        first: dict[tuple[int, int], str] = {}
        for _, window in probe.iter(fold(text)):
            for n, i in places[window]:
                hits[n].add(i)
                first.setdefault((n, i), window)
        for n, indices in hits.items():
            start = next((i for i in sorted(indices) if all(i + k in indices for k in range(RUN))), None)
            if start is not None and (where, n) not in seen:
                seen.add((where, n))
                found.append(Pasted(where, what, secrets[n], first[(n, start)]))
    return found
