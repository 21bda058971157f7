"""Folding Japanese text for comparison and search keys. Never for what is displayed.

NFKC turns full-width ＩＤ and １ into ID and 1 (and ① into 1), which is right for matching
and wrong for display: the record is shown exactly as printed.
"""

from __future__ import annotations

import re
import unicodedata

# Common 異体字 (variant characters) folded to the form most text uses. Display keeps the
# printed form; search and comparisons see both as one.
VARIANTS = {
    "髙": "高", "﨑": "崎", "嵜": "崎", "德": "徳", "邊": "辺", "邉": "辺", "齋": "斎", "齊": "斉",
    "濵": "浜", "濱": "浜", "廣": "広", "國": "国", "澤": "沢", "櫻": "桜", "龍": "竜", "眞": "真",
    "冨": "富", "𠮷": "吉", "槇": "槙", "埜": "野", "籠": "篭", "曽": "曾", "惠": "恵", "榮": "栄",
    "實": "実", "壽": "寿", "藏": "蔵", "瀨": "瀬", "條": "条", "淸": "清", "顯": "顕", "驒": "騨",
}
_VARIANT_TABLE = str.maketrans(VARIANTS)
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff\u00ad]+")


def fold(text: str) -> str:
    """A comparison key: NFKC (width), common variants folded, case folded. Spaces kept."""
    return unicodedata.normalize("NFKC", text).translate(_VARIANT_TABLE).casefold()


def squeeze(text: str) -> str:
    """`fold`, then every whitespace and zero-width character removed."""
    return _INVISIBLE.sub("", fold(text))
