"""The search index read back: what the verifier (`disclosure/verify.py`) and the tests check.

The index that `search/indexing.py` writes holds no text, only the codes of `search/tokens.py`
at positions on each page. This module decodes Pagefind's bundle (its meta file and its CBOR
index chunks, as Pagefind 1.5 packs them) and answers in terms of search characters: which
passages a page holds (`find_in_index`), each page's characters in order (`index_texts`), every
word of the index (`index_keys`). It imports nothing of the site, so that the verifier stays light.
"""

from __future__ import annotations

import gc
import gzip
from dataclasses import dataclass
from pathlib import Path

import cbor2

from .tokens import CODED, GRAM, decode, encode, search_chars

# `search_chars` is part of this API: a caller of `find_in_index` makes its passages with it.
__all__ = ["BUNDLE", "DATA", "chunk_starts", "find_in_index", "index_keys", "index_texts", "pagefind_file",
           "search_chars"]

BUNDLE = "pagefind"  # Pagefind's bundle, under the site
DATA = "search"  # headers, parts and facets, next to search/index.html


def pagefind_file(path: Path) -> bytes:
    """A Pagefind data file without its gzip and its signature."""
    data = gzip.decompress(path.read_bytes())
    return data[len(b"pagefind_dcd"):] if data.startswith(b"pagefind_dcd") else data


def chunk_starts(bundle: Path) -> list[str]:
    """Where each of Pagefind's index chunks starts (its first word, shortened), in order."""
    (meta,) = bundle.glob("pagefind.*.pf_meta")
    index = cbor2.loads(pagefind_file(meta))
    return [chunk[0] for chunk in index[2]]


def index_keys(bundle: Path) -> dict[str, int]:
    """Every word of the index, decoded to the text it stands for, with the pages that have it."""
    return {decode(word): len(pages.packed) for word, pages in _index_words(bundle)}


def _index_words(bundle: Path):
    """Every word of the index as Pagefind wrote it: (word, its pages), pages still packed.

    The garbage collector is paused while the chunks are decoded: they are millions of small
    lists without cycles, and a caller that keeps some of them would otherwise have them all
    traversed again and again (28 s instead of 4 s at 1000 meetings).
    """
    (meta,) = bundle.glob("pagefind.*.pf_meta")
    hashes = [page[0] for page in cbor2.loads(pagefind_file(meta))[1]]
    for path in sorted((bundle / "index").glob("*.pf_index")):
        paused = gc.isenabled()
        gc.disable()
        try:
            words = cbor2.loads(pagefind_file(path))[0]
        finally:
            if paused:
                gc.enable()
        for word, pages, *_ in words:
            yield word, _Pages(pages, hashes)


@dataclass
class _Pages:
    """A word's pages as Pagefind 1.5 packs them: page numbers as deltas; positions on a page as
    runs of one weight, each starting with the weight (a negative number), then deltas from 0."""

    packed: list
    hashes: list[str]

    def ids(self):
        number = 0
        for step, *_ in self.packed:
            number += step
            yield self.hashes[number] if number < len(self.hashes) else str(number)

    def positions(self):
        for page, (_, locations, *_) in zip(self.ids(), self.packed, strict=True):
            yield page, _unpack(locations)


def index_texts(bundle: Path) -> dict[str, str]:
    """What the index holds of each page, read back: its search characters in order (for tests).

    The token at a position stands for the characters from there on, so the first character
    of each token, laid out by position, is the page's text (letters and digits, folded); a
    paragraph ends where a token stands for one character only.
    """
    tokens: dict[str, dict[int, str]] = {}
    for word, pages in _index_words(bundle):
        for page, positions in pages.positions():
            at = tokens.setdefault(page, {})
            for position in positions:
                if len(word) > len(at.get(position, "")):  # Pagefind also indexes pieces of a token
                    at[position] = word
    out = {}
    for page, at in tokens.items():
        chars = []
        for i in sorted(at):
            text = decode(at[i])
            chars.append(text[:1] + ("\n" if len(text) == 1 else ""))
        out[page] = "".join(chars)
    return out


def find_in_index(bundle: Path, passages: list[str], gram: int = GRAM) -> tuple[dict[str, set[str]], list[str]]:
    """Which of `passages` (search characters, as `search_chars` makes them) the index holds, by page.

    A passage of at least `gram` characters is in a page when its grams stand there at
    consecutive positions; a shorter one when a token there starts with it. Only the words
    that can be part of a passage are read closely, so this costs little more than decoding
    the index. Also returns every word that is not in the codes of `search/tokens.py` (only a
    broken indexer writes one), so that the caller can read them as text.
    """
    long = {p: [encode(p[j:j + gram]) for j in range(len(p) - gram + 1)] for p in passages if len(p) >= gram}
    needed = {g for grams in long.values() for g in grams}
    short = {encode(p): p for p in passages if 0 < len(p) < gram}
    lengths = sorted({len(c) for c in short})
    packed: dict[str, dict[str, list[int]]] = {}  # needed word -> page -> its packed positions there
    hits: dict[str, set[str]] = {}
    raw: list[str] = []
    for word, pages in _index_words(bundle):
        if not CODED.fullmatch(word):
            raw.append(word)
            continue
        if word in needed:
            packed[word] = dict(zip(pages.ids(), (entry[1] for entry in pages.packed), strict=True))
        for n in lengths:
            if word[:n] in short:
                for page in pages.ids():
                    hits.setdefault(page, set()).add(short[word[:n]])
    unpacked: dict[tuple[str, str], set[int]] = {}

    def positions(word: str, page: str) -> set[int]:
        if (word, page) not in unpacked:
            unpacked[word, page] = set(_unpack(packed[word][page]))
        return unpacked[word, page]

    for passage, grams in long.items():
        if not all(g in packed for g in grams):
            continue
        for page in set.intersection(*(set(packed[g]) for g in set(grams))):
            places = [positions(g, page) for g in grams]
            k = min(range(len(grams)), key=lambda j: len(places[j]))  # the rarest gram anchors the check
            if any(all(p - k + j in at for j, at in enumerate(places)) for p in places[k]):
                hits.setdefault(page, set()).add(passage)
    return hits, raw


def _unpack(locations: list[int]) -> list[int]:
    at, out = 0, []
    for loc in locations:
        if loc < 0:
            at = 0
        else:
            at += loc
            out.append(at)
    return out
