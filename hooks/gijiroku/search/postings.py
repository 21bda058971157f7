"""The search index's own files: every character's gram with the places it stands, sorted and cut
into chunks the browser fetches one at a time (`docs/assets/search.js` reads them).

What is indexed (see `search/tokens.py`): each page's text reduced to its search characters,
paragraph by paragraph. At every character stands one *word*: the `GRAM` characters starting
there, cut short by the end of its paragraph. A query of up to `GRAM` characters is found as the
words that start with it; a longer one through the grams that cover it, each at its offset.

Characters are written as their *rank*: 1 + their place among the index's distinct characters in
code point order (the table is `chars` in the meta); 0 stands for "past the paragraph's end". The
words are sorted by their ranks, so the words that start with a query are one run, found by the
chunks' first words (in the meta) and a search inside the chunk.

A chunk file (`index/<hash>.bin.gz`) is gzip of `MAGIC` and unsigned LEB128 numbers:

    words, postings,
    for each word: its first rank minus the previous word's (the chunk's first word: the rank),
    then its second, third, fourth, fifth ranks (each a column: all words' second ranks, …),
    for each word: how many places it has,
    for each place: its page (the page's number in the meta; the word's first place: the
    number, the next: the difference from the one before),
    for each place: its position on the page (the first of a word on a page: the position,
    the next: the difference).

The writer sorts with numpy, a bounded number of places at a time (`BUCKET`), so that memory
does not grow with the whole record, picking several buckets' places in one read of the text
(`PASS`, and at most `PASSES` reads in all); `read_chunk` is the reader that the verifier and
the tests use, and refuses any file that is not exactly such a chunk.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from .tokens import GRAM

MAGIC = b"GKIX1"
# Places per chunk before the next word starts a new one (about 17 KB gzipped); GIJIROKU_CHUNK_PLACES
# overrides it, so that the tests' small records are cut into many chunks too.
CHUNK_PLACES = 8000
STRETCH = 4_000_000  # ranks compared at once when a bucket's places are picked
BUCKET = 200_000  # places sorted at once: the writer needs about 250 bytes each, whatever the record's size
# Places picked in one read of the text (4 bytes each): the buckets that hold them, together, at
# least PASS and at least the record's places / PASSES, so that the text is read at most about
# PASSES times however large the record (at a fixed PASS the reads grew with the square of the
# record: at 1,600,000 they took 0.8 s at 2000 meetings and 2.7 s at 4000). The places of one
# read are 4 bytes each: PASS and an eighth of the record's places (15 MB at 4000 meetings).
PASS = 1_600_000
PASSES = 8
MAX_PLACES = 2**32 - 1  # characters of search text: a place is picked as 4 bytes
RANK_BITS = 21  # a rank fits in 21 bits (there are fewer than 2**21 code points)


class TooLarge(ValueError):
    """More characters of search text than a place can hold (MAX_PLACES): the build is refused."""


@dataclass(frozen=True)
class Chunk:
    first: str  # the characters of its first word (without the end of paragraph)
    name: str  # file name under index/
    data: bytes  # gzip (empty once `build` handed it to its `write`)


@dataclass(frozen=True)
class Index:
    chars: str  # the distinct characters, in code point order: rank r is chars[r - 1]
    chunks: list[Chunk]
    places: int


# -- numbers ---------------------------------------------------------------------------------------


def varints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LEB128 of every value, one after the other: the bytes, and where each value's bytes end.
    Written a byte column at a time (the values' k-th bytes, for those with more than k)."""
    v = values.astype(np.uint64)
    n = np.ones(len(v), np.int64)
    for bits in (7, 14, 21, 28, 35, 42, 49, 56, 63):
        more = v >= np.uint64(1 << bits)
        if not more.any():
            break
        n += more
    ends = np.cumsum(n)
    out = np.empty(int(ends[-1]) if len(v) else 0, np.uint8)
    at, rest, left = ends - n, v, n
    while len(at):
        out[at] = (rest & np.uint64(0x7F)).astype(np.uint8) | ((left > 1).astype(np.uint8) << 7)
        going = left > 1
        at, rest, left = at[going] + 1, rest[going] >> np.uint64(7), left[going] - 1
    return out, ends


def read_varints(data: bytes | memoryview) -> np.ndarray:
    """The numbers of a run of LEB128 (ValueError if it ends inside one or one exceeds 35 bits)."""
    b = np.frombuffer(data, np.uint8)
    if not len(b):
        return np.zeros(0, np.uint64)
    if b[-1] & 0x80:
        raise ValueError("the last number is cut off")
    ends = np.flatnonzero(b < 0x80)
    starts = np.concatenate(([0], ends[:-1] + 1))
    lengths = ends - starts + 1
    if lengths.max() > 5:
        raise ValueError("a number of more than 35 bits")
    k = np.arange(len(b)) - np.repeat(starts, lengths)
    values = (b & 0x7F).astype(np.uint64) << (7 * k).astype(np.uint64)
    return np.add.reduceat(values, starts)


def _varint(n: int) -> bytes:
    return varints(np.array([n], np.uint64))[0].tobytes()


# -- writing ---------------------------------------------------------------------------------------


def build(pages: list[list[str]], gram: int = GRAM, write: Callable[[Chunk], None] | None = None) -> Index:
    """The index of `pages`, each a list of paragraphs of search characters (none empty), which
    it empties as it reads them (their text is not needed twice over).

    Besides the places being sorted (`BUCKET` at a time), it holds four bytes a character: its
    rank. With `write`, each chunk is handed to it as soon as it is made
    and the index keeps only its first word and name."""
    lengths = np.fromiter((len(p) for paragraphs in pages for p in paragraphs), np.int64)
    total = int(lengths.sum())
    if not total:
        return Index("", [], 0)
    if total > MAX_PLACES:
        raise TooLarge(f"検索索引に入れられる文字は {MAX_PLACES:,} 字までですが、この記録には {total:,} 字あります"
                       "（索引は文字の位置を 4 バイトで持ちます）。原稿の誤りではありません。この規模の記録には索引の形式"
                       "（hooks/gijiroku/search/postings.py）を広げる必要があるので、開発者に連絡してください。")
    ranks = np.empty(total, np.uint32)  # code points first, ranks once the table is known
    present = np.zeros(0x110000, bool)
    page_starts, at = [], 0
    for paragraphs in pages:
        page_starts.append(at)
        text = "".join(paragraphs)
        paragraphs.clear()
        points = np.frombuffer(text.encode("utf-32-le"), np.uint32)
        ranks[at:at + len(text)] = points
        present[points] = True
        at += len(text)
    table = np.flatnonzero(present)
    lookup = np.zeros(0x110000, np.uint32)
    lookup[table] = np.arange(1, len(table) + 1, dtype=np.uint32)
    for start in range(0, total, BUCKET):
        ranks[start:start + BUCKET] = lookup[ranks[start:start + BUCKET]]
    del lookup, present
    ends = np.cumsum(lengths) - 1  # the last character of each paragraph
    del lengths

    def left(at: np.ndarray) -> np.ndarray:  # characters left in the paragraph from each place
        return ends[np.searchsorted(ends, at)] - at + 1

    chars = "".join(map(chr, table))
    chunks = []
    starts = np.array(page_starts, np.int64)
    counts = np.zeros(len(table) + 1, np.int64)
    for start in range(0, total, STRETCH):  # np.bincount of the whole would copy it into 8 bytes a character
        counts += np.bincount(ranks[start:start + STRETCH], minlength=len(table) + 1)
    for run in _passes(counts, max(PASS, -(-total // PASSES))):
        for where in (w for places in _places(ranks, run) for w in _split(places, ranks, left)):
            for chunk in _bucket_chunks(where, ranks, left, starts, chars, gram):
                if write is not None:
                    write(chunk)
                    chunk = Chunk(chunk.first, chunk.name, b"")
                chunks.append(chunk)
    return Index(chars, chunks, total)


def _passes(counts: np.ndarray, limit: int) -> Iterator[list[tuple[int, int]]]:
    """The buckets (`_buckets`), in runs of at most `limit` places (or a single bucket): each run's
    places are picked in one read of the text, so that the text is read about total / limit
    times, not once per bucket (which grew with the square of the record)."""
    run: list[tuple[int, int]] = []
    held = 0
    for low, high in _buckets(counts, 1):
        places = int(counts[low:high].sum())
        if run and held + places > limit:
            yield run
            run, held = [], 0
        run.append((low, high))
        held += places
    if run:
        yield run


def _places(ranks: np.ndarray, run: list[tuple[int, int]]) -> Iterator[np.ndarray]:
    """For each bucket [low, high) of `run` (consecutive), in order, where the ranks are in it, in
    the order of the text; the text read once, a stretch at a time (no mask as long as the text)."""
    found: list[list[np.ndarray]] = [[] for _ in run]
    highs = np.array([high for _, high in run], np.int64)
    for start in range(0, len(ranks), STRETCH):
        part = ranks[start:start + STRETCH]
        at = np.flatnonzero((part >= run[0][0]) & (part < run[-1][1]))
        for pieces, piece in zip(found, _grouped(at, np.searchsorted(highs, part[at], side="right"), len(run)),
                                 strict=True):
            pieces.append((piece + start).astype(np.uint32))  # see MAX_PLACES
    for i in range(len(found)):
        yield np.concatenate(found[i])
        found[i] = []  # handed on: not held while the later buckets are sorted


def _grouped(values: np.ndarray, group: np.ndarray, groups: int) -> list[np.ndarray]:
    """`values` cut by their `group` (0 to groups - 1), each group's in the order they came: one
    stable sort, not a mask over all the values for each group (which, for a run of many buckets
    or a character of many buckets' places, grew with the square of the record)."""
    order = np.argsort(group.astype(np.uint16 if groups <= 2**16 else np.uint32), kind="stable")
    return np.split(values[order], np.cumsum(np.bincount(group, minlength=groups))[:-1])


def _split(where: np.ndarray, ranks, left) -> Iterator[np.ndarray]:
    """The places of one bucket, or of a character too frequent for one (the commonest holds
    several buckets' worth in a large record), cut by their second character into parts of
    about BUCKET, in the order of the words."""
    if len(where) <= BUCKET:
        yield where
        return
    second = np.where(left(where) > 1, ranks[np.minimum(where + 1, len(ranks) - 1)], 0)
    parts = list(_buckets(np.bincount(second), 0))
    highs = np.array([high for _, high in parts], np.int64)
    yield from _grouped(where, np.searchsorted(highs, second, side="right"), len(parts))


def _buckets(counts: np.ndarray, first: int) -> Iterator[tuple[int, int]]:
    """Ranges of ranks [low, high) from `first` holding at most BUCKET places each (or a single rank)."""
    low, held = first, 0
    for rank in range(first, len(counts)):
        if held and held + counts[rank] > BUCKET:
            yield low, rank
            low, held = rank, 0
        held += int(counts[rank])
    if held:
        yield low, len(counts)


def chunk_places() -> int:
    return int(os.environ.get("GIJIROKU_CHUNK_PLACES", CHUNK_PLACES))


def _bucket_chunks(at: np.ndarray, ranks, left, page_starts, chars: str, gram: int) -> list[Chunk]:
    """The chunks of the words that start at the places `at` (all with first ranks in one range)."""
    last = len(ranks) - 1
    remaining = left(at)
    columns = [ranks[at].astype(np.uint64)]
    for k in range(1, gram):  # the paragraph goes on to character k, or the word ends there
        columns.append(np.where(remaining > k, ranks[np.minimum(at + k, last)], 0).astype(np.uint64))
    del remaining
    head = np.zeros(len(at), np.uint64)
    for c in columns[:3]:
        head = (head << np.uint64(RANK_BITS)) | c
    tail = np.zeros(len(at), np.uint64)
    for c in columns[3:]:
        tail = (tail << np.uint64(RANK_BITS)) | c
    order = np.lexsort((tail, head))  # stable: a word's places stay in text order
    at, head, tail = at[order], head[order], tail[order]
    new_word = np.ones(len(at), bool)
    new_word[1:] = (head[1:] != head[:-1]) | (tail[1:] != tail[:-1])
    word_starts = np.flatnonzero(new_word)
    words = len(word_starts)
    counts = np.diff(np.append(word_starts, len(at)))
    page = np.searchsorted(page_starts, at, side="right") - 1
    position = at - page_starts[page]
    page_step = page.copy()
    page_step[1:] = np.where(new_word[1:], page[1:], page[1:] - page[:-1])
    same_page = ~new_word
    same_page[1:] &= page[1:] == page[:-1]
    position_step = np.where(same_page, position - np.roll(position, 1), position)
    starts = np.unique(np.searchsorted(word_starts, np.arange(0, len(at), chunk_places())))
    starts = starts[starts < words]  # the chunks' first words
    word_cols = [c[order[word_starts]] for c in columns]  # each word's ranks, from its first place
    first_rank = word_cols[0].copy()
    first_rank[1:] -= word_cols[0][:-1]
    first_rank[starts] = word_cols[0][starts]  # each chunk starts from its first word's rank
    streams = [varints(s) for s in (first_rank, *word_cols[1:], counts)]
    place_streams = [varints(s) for s in (page_step, position_step)]
    out = []
    bounds = list(starts) + [words]
    for a, b in zip(bounds, bounds[1:], strict=False):
        pa, pb = int(word_starts[a]), int(word_starts[b]) if b < words else len(at)
        body = [MAGIC, _varint(b - a), _varint(pb - pa)]
        body += [_slice(s, a, b) for s in streams]
        body += [_slice(s, pa, pb) for s in place_streams]
        raw = b"".join(body)
        first = ""
        for column in word_cols:
            if not column[a]:
                break
            first += chars[int(column[a]) - 1]
        out.append(Chunk(first, hashlib.sha256(raw).hexdigest()[:12] + ".bin.gz",
                         gzip.compress(raw, compresslevel=6, mtime=0)))
    return out


def _slice(stream: tuple[np.ndarray, np.ndarray], a: int, b: int) -> bytes:
    data, ends = stream
    return data[(int(ends[a - 1]) if a else 0):int(ends[b - 1])].tobytes()


# -- reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChunkWords:
    """A chunk read back: each word's ranks (words × GRAM), and its places."""

    ranks: np.ndarray  # shape (words, gram), 0 past the paragraph's end
    counts: np.ndarray  # places per word
    pages: np.ndarray  # page number of each place (word by word)
    positions: np.ndarray  # position of each place on its page


def read_chunk(raw: bytes, chars: int, pages: int, gram: int = GRAM) -> ChunkWords:
    """A chunk's content (ungzipped), checked: ValueError if it is not exactly a chunk of an index
    with `chars` characters and `pages` pages."""
    if not raw.startswith(MAGIC):
        raise ValueError("not a chunk of the search index")
    numbers = read_varints(memoryview(raw)[len(MAGIC):])
    if len(numbers) < 2:
        raise ValueError("a chunk without its counts")
    words, places = int(numbers[0]), int(numbers[1])
    if len(numbers) != 2 + words * (gram + 1) + 2 * places:
        raise ValueError("a chunk whose length does not match its counts")
    columns = numbers[2:2 + words * gram].reshape(gram, words).copy()
    columns[0] = np.cumsum(columns[0])
    counts = numbers[2 + words * gram:2 + words * (gram + 1)]
    if int(counts.sum()) != places or (words and counts.min() == 0) or columns.max(initial=0) > chars:
        raise ValueError("a chunk with a count or a character out of range")
    steps = numbers[2 + words * (gram + 1):].reshape(2, places)
    first = np.zeros(places, bool)
    first[np.cumsum(counts) - counts] = True  # each word's first place
    page = _restart_cumsum(steps[0], first)
    if page.max(initial=0) >= pages:
        raise ValueError("a chunk with a page out of range")
    new_page = first.copy()
    new_page[1:] |= page[1:] != page[:-1]
    position = _restart_cumsum(steps[1], new_page)
    return ChunkWords(columns.T.astype(np.int64), counts.astype(np.int64), page.astype(np.int64),
                      position.astype(np.int64))


def _restart_cumsum(steps: np.ndarray, restart: np.ndarray) -> np.ndarray:
    """Running sums of `steps` that start again (from the step itself) wherever `restart` is set."""
    total = np.cumsum(steps.astype(np.int64))
    base = np.where(restart, total - steps.astype(np.int64), 0)
    return total - np.maximum.accumulate(base)
