"""Search tokens: the characters search sees, their ASCII codes, and the token at each character.

This module has twins in the browser: `docs/assets/query.js` folds a query the same way (and
`docs/assets/search.js` encodes it); tests/test_search.py and tests/test_search_browser.py
compare them.

Stock Pagefind segments Japanese into words with Lindera when it indexes and with the browser's
`Intl.Segmenter` when it searches. The two disagree on compounds, so 個人情報保護委員会 can find
nothing on a page that prints it (Pagefind issue #1237); and no segmentation finds a query that
starts or ends inside a word. So both segmenters are kept away from the text:

- A page's text is reduced to its search characters (`search_chars`: NFKC width, 異体字 and case
  folded by `record.text.fold`; spaces and punctuation dropped), and each character becomes one
  token: the `GRAM` characters starting there (padded at the end of a paragraph), written in
  ASCII codes (`char_code`), so no segmenter, lower-caser or diacritic folder changes it,
  whatever language Pagefind assumes.
- search.js folds and encodes a query the same way. A word of at most `GRAM` characters is one
  Pagefind term, and Pagefind's prefix match finds exactly the characters where the text starts
  with the word. A longer word is found through the `GRAM`-grams that cover it, each searched
  on its own; search.js keeps the places where they stand at exactly the word's offsets.

So a query that occurs verbatim (after folding) in a public text finds that text, and only the
texts that contain it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from ..record.text import fold

GRAM = 5  # characters per token: a query word up to this length is one Pagefind term
PAD = "y00"  # the code of "no character" after the end of a paragraph; no character has it
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_SHORT = 33 * 36 * 36  # code points below this have three-character codes starting 0-w

# A word written in these codes only (what `run_tokens` makes); only a broken indexer writes others.
CODED = re.compile(r"(?:[0-9a-w][0-9a-z]{2}|x[0-9a-z]{4}|y00)+")


class _Searchable(dict):
    """str.translate table: a letter or digit stays, anything else goes (filled in as met)."""

    def __missing__(self, cp: int):
        self[cp] = cp if unicodedata.category(chr(cp))[0] in "LN" else None
        return self[cp]


_SEARCHABLE = _Searchable()


def search_chars(text: str) -> str:
    """The characters of `text` that search sees: `fold`ed, letters and digits only."""
    return fold(text).translate(_SEARCHABLE)


def char_code(ch: str) -> str:
    """A prefix-free ASCII code for a character: three characters, or x and four for rare ones."""
    cp = ord(ch)
    if cp < _SHORT:
        return _ALPHABET[cp // 1296] + _ALPHABET[cp // 36 % 36] + _ALPHABET[cp % 36]
    digits = ""
    for _ in range(4):
        cp, rest = divmod(cp, 36)
        digits = _ALPHABET[rest] + digits
    return "x" + digits


def decode(codes: str) -> str:
    """The characters a token or key stands for (PAD is dropped)."""
    out, i = [], 0
    while i < len(codes):
        if codes[i] == "x":
            out.append(chr(int(codes[i + 1:i + 5], 36)))
            i += 5
        else:
            if codes[i:i + 3] != PAD:
                out.append(chr(int(codes[i:i + 3], 36)))
            i += 3
    return "".join(out)


class _Codes(dict):
    """char_code, remembered."""

    def __missing__(self, ch: str) -> str:
        self[ch] = char_code(ch)
        return self[ch]


_CODE = _Codes()


def encode(chars: str) -> str:
    """The codes of `chars`, one after the other (what a token or a gram of them is written as)."""
    return "".join(_CODE[c] for c in chars)


def run_tokens(chars: str, gram: int = GRAM) -> list[str]:
    """One token per character of a paragraph: the codes of it and the next gram-1 characters."""
    codes = [_CODE[c] for c in chars]
    line = "".join(codes) + PAD * (gram - 1)
    starts = [0]
    for c in codes:
        starts.append(starts[-1] + len(c))
    starts += [starts[-1] + len(PAD) * k for k in range(1, gram)]
    return [line[starts[i]:starts[i + gram]] for i in range(len(chars))]


@cache
def casefold_extras() -> dict[str, str]:
    """Characters whose `str.casefold` is not their lower case (search.js lower-cases the rest)."""
    out = {}
    for cp in range(0x110000):
        ch = chr(cp)
        if unicodedata.category(ch) not in ("Cs", "Cn") and ch.casefold() != ch.lower():
            out[ch] = ch.casefold()
    return out
