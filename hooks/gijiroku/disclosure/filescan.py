"""One output file read and matched: the verifier's reading of a file's bytes as text
(`Reader`, through `readers.file_text`) and the search of its folded text for the windows of
the secrets (`scan_bytes`). `verify.py` decides what to look for and which files to read;
the worker processes of a build (site/prescan.py, verify's pool) run this on each file.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..record.text import squeeze
from . import readers
from .readers import Unreadable
from .secrets import Secret

# Invisible characters that squeeze keeps: bidirectional controls (a <bdo> or U+202E reverses
# what a reader sees), invisible operators and variation selectors.
_INVISIBLE = re.compile("[\u034f\u061c\u180e\u202a-\u202e\u2061-\u2064\u2066-\u2069\ufe00-\ufe0f\U000e0100-\U000e01ef]+")


def fold(text: str) -> str:
    """`squeeze`, and the invisible characters it keeps removed: the form everything is matched in."""
    text = squeeze(text)
    return _INVISIBLE.sub("", text) if not text.isascii() else text


# What can show characters in the reverse of their order in the file: <bdo>, dir=rtl,
# direction: rtl, flex-direction: *-reverse, and the right-to-left controls. A file holding none
# of them is not read backwards (matching it twice would double the cost of every page).
_REVERSING_WORDS = ("bdo", "rtl", "reverse")  # looked for in the case-folded text
_REVERSING_CONTROLS = ("\u061c", "\u200f", "\u202b", "\u202e", "\u2067")  # fold removes these


def _reversing(text: str, folded: str) -> bool:
    return any(w in folded for w in _REVERSING_WORDS) or any(c in text for c in _REVERSING_CONTROLS)


class Reader:
    """How output files are read: the types a person reviewed, and whether the search index
    check reads the index chunks (so the file scan need not)."""

    def __init__(self, site_dir: Path, reviewed: frozenset[str], index_chunks: bool):
        self.site_dir, self.reviewed, self.index_chunks = site_dir, reviewed, index_chunks

    def read(self, path: Path) -> str | Unreadable | None:
        """The file's text; None when it holds none to read; Unreadable when it must be refused."""
        return self.text(path.read_bytes(), path.relative_to(self.site_dir).as_posix())

    def text(self, data: bytes, rel: str) -> str | Unreadable | None:
        """`read` of a file's bytes, `rel` its path under the site."""
        try:
            return readers.file_text(data, rel, self.reviewed, self.index_chunks)
        except readers.Refused as why:
            return Unreadable(rel, str(why))


Found = tuple[list[tuple[str, Secret]], Unreadable | None, bool]


def scan_file(path: Path, automaton, reader: Reader) -> Found:
    """(the windows found in a file, by secret; why it cannot be read; whether it held text)."""
    return scan_bytes(path.read_bytes(), path.relative_to(reader.site_dir).as_posix(), automaton, reader)


def scan_bytes(data: bytes, rel: str, automaton, reader: Reader) -> Found:
    """`scan_file` of a file's bytes, `rel` its path under the site."""
    text = reader.text(data, rel)
    if text is None or isinstance(text, Unreadable):
        return [], text, False
    found: dict[Secret, str] = {}
    if len(automaton):
        folded = fold(text)
        for _, (window, secret) in automaton.iter(folded):
            found.setdefault(secret, window)
        if _reversing(text, folded):  # what a reader sees is the folded text backwards
            for _, (window, secret) in automaton.iter(folded[::-1]):
                found.setdefault(secret, window)
    return [(window, secret) for secret, window in found.items()], None, True
