"""The search index read back: what the verifier (`disclosure/verify.py`) and the tests check.

The index that `search/indexing.py` writes holds no text, only ranks of the search characters of
`search/tokens.py` at positions on each page (`search/postings.py`). This module reads its meta
(in the facets file) and every chunk file in its folder, listed or not, and answers in terms of
search characters: which passages a page holds (`find_in_index`), each page's characters in order
(`index_texts`), every word of the index (`index_keys`). Anything that is not exactly the index
raises. It imports nothing of the site, so that the verifier stays light.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from .postings import RANK_BITS, ChunkWords, read_chunk
from .tokens import GRAM, search_chars

# `search_chars` is part of this API: a caller of `find_in_index` makes its passages with it.
__all__ = ["CHUNKS", "DATA", "find_in_index", "index_dir", "index_keys", "index_texts", "search_chars"]

DATA = "search"  # the index, headers, parts and facets, next to search/index.html
CHUNKS = "index"  # the chunk files, under DATA


def index_dir(site_dir: Path) -> Path:
    """Where a built site keeps its search index (the folder `find_in_index` and the others read)."""
    return site_dir / DATA


def _meta(folder: Path) -> tuple[str, list[str]]:
    facets = json.loads(gzip.decompress((folder / "facets.json.gz").read_bytes()))
    index = facets["index"]
    chars, pages = index["chars"], index["pages"]
    if not isinstance(chars, str) or not all(isinstance(p, str) for p in pages):
        raise ValueError("the index's table of characters or of pages is not text")
    return chars, pages


def _chunks(folder: Path, chars: str, pages: list[str], between: Callable[[], None] | None = None) -> Iterator[ChunkWords]:
    """Every chunk file under the index's folder, read and checked against its meta; `between`
    called before each."""
    for path in sorted((folder / CHUNKS).iterdir()):
        if between is not None:
            between()
        yield read_chunk(gzip.decompress(path.read_bytes()), len(chars), len(pages))


def _text(chars: str, ranks) -> str:
    return "".join(chars[r - 1] for r in ranks if r)


def index_keys(folder: Path) -> dict[str, int]:
    """Every word of the index, decoded to the text it stands for, with the number of pages that have it."""
    chars, pages = _meta(folder)
    out: dict[str, int] = {}
    for chunk in _chunks(folder, chars, pages):
        start = 0
        for ranks, count in zip(chunk.ranks.tolist(), chunk.counts.tolist(), strict=True):
            out[_text(chars, ranks)] = len(set(chunk.pages[start:start + count].tolist()))
            start += count
    return out


def index_texts(folder: Path) -> dict[str, str]:
    """What the index holds of each page, read back: its search characters in order (for tests),
    a line feed after each paragraph's last one (where the word stands for one character only)."""
    chars, pages = _meta(folder)
    at: dict[int, dict[int, str]] = {}
    for chunk in _chunks(folder, chars, pages):
        words = np.repeat(np.arange(len(chunk.counts)), chunk.counts)
        for page, position, word in zip(chunk.pages.tolist(), chunk.positions.tolist(), words.tolist(), strict=True):
            ranks = chunk.ranks[word]
            at.setdefault(page, {})[position] = chars[ranks[0] - 1] + ("\n" if not ranks[1] else "")
    return {pages[page]: "".join(places[i] for i in sorted(places)) for page, places in at.items()}


def _head(ranks):
    """The first three ranks packed in one number (of a tuple, or of the columns of many words)."""
    return (ranks[0] << RANK_BITS * 2) | (ranks[1] << RANK_BITS if len(ranks) > 1 else 0) | (ranks[2] if len(ranks) > 2 else 0)


def find_in_index(folder: Path, passages: list[str], gram: int = GRAM,
                  between: Callable[[], None] | None = None) -> dict[str, set[str]]:
    """Which of `passages` (search characters, as `search_chars` makes them) the index holds, by page.

    A passage of at least `gram` characters is in a page when its grams stand there at
    consecutive positions; a shorter one when a word there starts with it. Only the words that
    can be part of a passage are looked at closely. `between` is called before each chunk is
    read (the verifier's stop: it may raise).
    """
    chars, pages = _meta(folder)
    rank = {c: i + 1 for i, c in enumerate(chars)}
    wanted = [p for p in passages if p and all(c in rank for c in p)]  # a character the index lacks: absent
    grams = {tuple(rank[c] for c in p[j:j + gram]) for p in wanted if len(p) >= gram for j in range(len(p) - gram + 1)}
    short = {tuple(rank[c] for c in p): p for p in wanted if len(p) < gram}
    places: dict[tuple, dict[int, set[int]]] = {}  # a needed gram -> page -> its positions there
    hits: dict[str, set[str]] = {}
    heads = {_head(g) for g in grams} | {_head(s) for s in short if len(s) >= 3}
    prefixes = {n: {_head(s) >> RANK_BITS * (3 - n) for s in short if len(s) == n} for n in (1, 2)}
    for chunk in _chunks(folder, chars, pages, between):
        head = _head(chunk.ranks.T)
        near = np.isin(head, list(heads))
        for n, keys in prefixes.items():
            if keys:
                near |= np.isin(head >> np.int64(RANK_BITS * (3 - n)), list(keys))
        if not near.any():
            continue
        starts = np.cumsum(chunk.counts) - chunk.counts
        for word in np.flatnonzero(near).tolist():
            ranks = tuple(chunk.ranks[word].tolist())
            begin, end = int(starts[word]), int(starts[word] + chunk.counts[word])
            for n in range(1, gram):
                if ranks[:n] in short:
                    for page in set(chunk.pages[begin:end].tolist()):
                        hits.setdefault(pages[page], set()).add(short[ranks[:n]])
            if ranks in grams:
                at = places.setdefault(ranks, {})
                for page, position in zip(chunk.pages[begin:end].tolist(), chunk.positions[begin:end].tolist(),
                                          strict=True):
                    at.setdefault(page, set()).add(position)
    for passage in wanted:
        if len(passage) < gram:
            continue
        needed = [tuple(rank[c] for c in passage[j:j + gram]) for j in range(len(passage) - gram + 1)]
        if not all(g in places for g in needed):
            continue
        for page in set.intersection(*(set(places[g]) for g in needed)):
            at = [places[g][page] for g in needed]
            k = min(range(len(needed)), key=lambda j: len(at[j]))  # the rarest gram anchors the check
            if any(all(p - k + j in at[j] for j in range(len(needed))) for p in at[k]):
                hits.setdefault(pages[page], set()).add(passage)
    return hits
