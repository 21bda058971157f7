"""Under serve, what the verifier worked out for the last build, kept for the next (`Memo`)."""

from __future__ import annotations

from collections.abc import Callable

import ahocorasick


class _Table:
    """The results of one pure function by input, for `Memo`: those asked for by the last build
    and by this one. Without `keep`, nothing is kept: every value is computed."""

    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self._last: dict = {}
        self._now: dict = {}

    def get(self, key, compute: Callable):
        """`compute(key)`, or the value it gave in this build or the last."""
        if not self.keep:
            return compute(key)
        if key in self._now:
            return self._now[key]
        value = self._last[key] if key in self._last else compute(key)
        self._now[key] = value
        return value

    def renew(self) -> None:
        """A build begins: what the one before it did not ask for is dropped."""
        self._last, self._now = self._now, {}


class Memo:
    """Under serve, what `verify.prepare` worked out for the last build, kept for the next (issue
    15: at 1000 meetings its 2.5 s became about 0.4 s). Each table holds the results of one pure
    function by its input (a source file's text, a part of the public text, a secret's text), so
    that a value taken from it is exactly what computing it again would give; an edit changes an
    input, which is then computed afresh. `keep=False` (a one-off build) keeps nothing."""

    def __init__(self, keep: bool = True) -> None:
        self.keep = keep
        self.withheld = _Table(keep)  # a source file's text -> secrets.file_passages
        self.folded = _Table(keep)  # the parts of a piece of the public text -> _fold_parts
        self.windows = _Table(keep)  # a secret's text -> its windows (_secret_windows)
        self._hits = _Table(keep)  # a folded piece of the public text -> the words of `_words` in it
        self._words: tuple[str, ...] | None = None
        self._probe = None

    def renew(self) -> None:
        """A build begins (see `_Table.renew`)."""
        for table in (self.withheld, self.folded, self.windows, self._hits):
            table.renew()

    def occurring(self, words: tuple[str, ...]) -> Callable[[str], frozenset[str]]:
        """A function giving those of `words` that occur in a text; kept with its answers while
        the words are the same."""
        if words != self._words:
            self._words, self._probe, self._hits = words, automaton_of(words), _Table(self.keep)
        probe, hits = self._probe, self._hits
        return lambda text: hits.get(text, lambda t: frozenset(w for _, w in probe.iter(t)) if probe else frozenset())


def automaton_of(words) -> ahocorasick.Automaton | None:
    """An automaton finding each of `words` (its value: the word); None for no words."""
    if not words:
        return None
    probe = ahocorasick.Automaton()
    for w in words:
        probe.add_word(w, w)
    probe.make_automaton()
    return probe
