"""Search characters: what search sees of a text, the same in the index and in the browser.

This module has twins in the browser: `docs/assets/query.js` folds a query the same way;
tests/test_search.py and tests/test_search_browser.py compare them.

Stock search engines segment Japanese into words, with a dictionary when they index and with the
browser's `Intl.Segmenter` when they search. The two disagree on compounds, so
個人情報保護委員会 can find nothing on a page that prints it (Pagefind issue #1237); and no
segmentation finds a query that starts or ends inside a word. So there are no words here:

- A page's text is reduced to its search characters (`search_chars`: NFKC width, 異体字 and case
  folded by `record.text.fold`; spaces and punctuation dropped), and at every character stands
  one word of the index: the `GRAM` characters starting there, cut short at the end of its
  paragraph (`search/postings.py`).
- search.js folds a query the same way. A query word of at most `GRAM` characters is found as
  the index's words that start with it, which are exactly the places where the text starts with
  it. A longer word is found through the `GRAM`-grams that cover it, each looked up on its own;
  search.js keeps the places where they stand at exactly the word's offsets.

So a query that occurs verbatim (after folding) in a public text finds that text, and only the
texts that contain it.
"""

from __future__ import annotations

import re
from functools import cache

from ..record.text import fold

GRAM = 5  # characters per word of the index: a query word up to this length is looked up whole


# What search drops: anything but a letter or a digit (Unicode categories L and N). In this
# Python's Unicode database \w is exactly L and N and the underscore (tests/test_search.py checks
# every code point), and one pattern drops them at C speed: at 1000 meetings 0.18 s against 0.41
# for a str.translate table.
_NOT_SEARCHABLE = re.compile(r"[\W_]+")


def search_chars(text: str) -> str:
    """The characters of `text` that search sees: `fold`ed, letters and digits only."""
    return _NOT_SEARCHABLE.sub("", fold(text))


@cache
def casefold_extras() -> dict[str, str]:
    """Characters whose `str.casefold` is not their lower case (search.js lower-cases the rest).

    Asked a block of code points at a time, each character only in a block whose casefold is not
    its lower case: 0.02 s, against 0.4 s (2 % of a 1000-meeting build) asking each of the
    1,114,112. A block whose characters all agree agrees as a string; one that disagrees as a
    string (a longer folding, or Σ, which `lower` makes ς at a word's end) is asked character by
    character, so no block that holds one is skipped (tests/test_search.py compares every code point)."""
    extras = {}
    for start in range(0, 0x110000, _BLOCK):  # surrogates and unassigned code points: no case mappings
        block = "".join(map(chr, range(start, start + _BLOCK)))
        if block.casefold() != block.lower():
            extras.update((ch, folded) for ch in block if (folded := ch.casefold()) != ch.lower())
    return extras


_BLOCK = 256
