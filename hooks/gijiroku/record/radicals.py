"""Radical code points that stand in for ideographs in text taken out of Japanese PDFs.

A PDF's text layer maps each glyph back to a character through the font's table, and a CJK font
draws the Kangxi radical ⽇ (U+2F47) and the ideograph 日 (U+65E5) with one glyph: an extractor, or
a copy from a PDF viewer, may return the radical. The record then reads 丹野委員⻑ and ⽇時, which
look right and match nothing (names, search, the registry). `to_ideographs` maps them back;
`gijiroku check` refuses them in every source file (rule G184).

Kangxi Radicals (U+2F00–U+2FDF): NFKC maps each of the 214 to its ideograph. CJK Radicals
Supplement (U+2E80–U+2EFF): NFKC maps only two, so SUPPLEMENT is the Equivalent_Unified_Ideograph
property of Unicode's EquivalentUnifiedIdeograph.txt (Unicode 14.0) for U+2E81–U+2EF3; U+2E80 has
no equivalent ideograph and is left as it is (check still refuses it).
"""

from __future__ import annotations

import re
import unicodedata

from .problems import Problem
from .rules import problem
from .text import matching_lines

RADICAL = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")

# radical → its equivalent unified ideograph (code points, EquivalentUnifiedIdeograph.txt)
SUPPLEMENT: dict[int, int] = {
    0x2E81: 0x5382, 0x2E82: 0x4E5B, 0x2E83: 0x4E5A, 0x2E84: 0x4E59, 0x2E85: 0x4EBB, 0x2E86: 0x5182,
    0x2E87: 0x20628, 0x2E88: 0x5200, 0x2E89: 0x5202, 0x2E8A: 0x535C, 0x2E8B: 0x353E, 0x2E8C: 0x5C0F,
    0x2E8D: 0x5C0F, 0x2E8E: 0x5140, 0x2E8F: 0x5C23, 0x2E90: 0x5C22, 0x2E91: 0x21BC2, 0x2E92: 0x5DF3,
    0x2E93: 0x5E7A, 0x2E94: 0x5F51, 0x2E95: 0x5F50, 0x2E96: 0x5FC4, 0x2E97: 0x5FC3, 0x2E98: 0x624C,
    0x2E99: 0x6535, 0x2E9B: 0x65E1, 0x2E9C: 0x65E5, 0x2E9D: 0x6708, 0x2E9E: 0x6B7A, 0x2E9F: 0x6BCD,
    0x2EA0: 0x6C11, 0x2EA1: 0x6C35, 0x2EA2: 0x6C3A, 0x2EA3: 0x706C, 0x2EA4: 0x722B, 0x2EA5: 0x722B,
    0x2EA6: 0x4E2C, 0x2EA7: 0x725B, 0x2EA8: 0x72AD, 0x2EA9: 0x738B, 0x2EAA: 0x24D14, 0x2EAB: 0x76EE,
    0x2EAC: 0x793A, 0x2EAD: 0x793B, 0x2EAE: 0x25AD7, 0x2EAF: 0x7CF9, 0x2EB0: 0x7E9F, 0x2EB1: 0x7F53,
    0x2EB2: 0x7F52, 0x2EB3: 0x34C1, 0x2EB4: 0x5197, 0x2EB5: 0x2626B, 0x2EB6: 0x7F8A, 0x2EB7: 0x2634C,
    0x2EB8: 0x2634B, 0x2EB9: 0x8002, 0x2EBA: 0x8080, 0x2EBB: 0x807F, 0x2EBC: 0x8089, 0x2EBD: 0x26951,
    0x2EBE: 0x8279, 0x2EBF: 0x8279, 0x2EC0: 0x8279, 0x2EC1: 0x864E, 0x2EC2: 0x8864, 0x2EC3: 0x8980,
    0x2EC4: 0x897F, 0x2EC5: 0x89C1, 0x2EC6: 0x89D2, 0x2EC7: 0x278B2, 0x2EC8: 0x8BA0, 0x2EC9: 0x8D1D,
    0x2ECA: 0x27FB7, 0x2ECB: 0x8F66, 0x2ECC: 0x8FB6, 0x2ECD: 0x8FB6, 0x2ECE: 0x8FB6, 0x2ECF: 0x9091,
    0x2ED0: 0x9485, 0x2ED1: 0x9577, 0x2ED2: 0x9578, 0x2ED3: 0x957F, 0x2ED4: 0x95E8, 0x2ED5: 0x28E0F,
    0x2ED6: 0x961D, 0x2ED7: 0x96E8, 0x2ED8: 0x9752, 0x2ED9: 0x97E6, 0x2EDA: 0x9875, 0x2EDB: 0x98CE,
    0x2EDC: 0x98DE, 0x2EDD: 0x98DF, 0x2EDE: 0x2967F, 0x2EDF: 0x98E0, 0x2EE0: 0x9963, 0x2EE1: 0x29810,
    0x2EE2: 0x9A6C, 0x2EE3: 0x9AA8, 0x2EE4: 0x9B3C, 0x2EE5: 0x9C7C, 0x2EE6: 0x9E1F, 0x2EE7: 0x5364,
    0x2EE8: 0x9EA6, 0x2EE9: 0x9EC4, 0x2EEA: 0x9EFE, 0x2EEB: 0x6589, 0x2EEC: 0x9F50, 0x2EED: 0x6B6F,
    0x2EEE: 0x9F7F, 0x2EEF: 0x7ADC, 0x2EF0: 0x9F99, 0x2EF1: 0x9F9C, 0x2EF2: 0x4E80, 0x2EF3: 0x9F9F,
}


def ideograph_for(char: str) -> str | None:
    """The ideograph a radical code point stands for, or None when there is none."""
    code = ord(char)
    if code in SUPPLEMENT:
        return chr(SUPPLEMENT[code])
    if 0x2F00 <= code <= 0x2FDF:
        folded = unicodedata.normalize("NFKC", char)
        return folded if folded != char else None
    return None


def to_ideographs(text: str) -> str:
    """The text with every radical code point that has an equivalent replaced by its ideograph."""
    return RADICAL.sub(lambda m: ideograph_for(m.group()) or m.group(), text)


MAX_RADICAL_REPORTS = 20  # lines reported per file; more means a whole PDF copy to re-import


def radical_problems(text: str, shown: str) -> list[Problem]:
    """One problem per line holding radical code points: which ones, and the ideograph to write."""
    problems: list[Problem] = []
    for line, start, end, _ in matching_lines(RADICAL, text):
        if len(problems) == MAX_RADICAL_REPORTS:
            problems.append(problem("G185", shown, line))
            break
        found = list(dict.fromkeys(RADICAL.findall(text, start, end)))
        chars = "、".join(f"{c}（U+{ord(c):04X}）" for c in found)
        fixes = [(c, ideograph_for(c)) for c in found]
        if all(ideo for _, ideo in fixes):
            problems.append(problem("G183", shown, line, chars=chars,
                                    fix="、".join(f"{c} → {ideo}" for c, ideo in fixes)))
        else:
            problems.append(problem("G184", shown, line, chars=chars))
    return problems
