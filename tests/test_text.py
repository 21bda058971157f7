"""Folding for comparison and search: width, variants, case; display is never folded."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gijiroku.record.text import fold, matching_lines, nfkc, squeeze


@pytest.mark.parametrize("a,b", [("髙村", "高村"), ("議題１", "議題1"), ("ＩＤ", "id"), ("ID", "ｉｄ"),
                                 ("山﨑", "山崎"), ("德島", "徳島"), ("渡邊", "渡辺"), ("ＤＦＦＴ", "DFFT")])
def test_variants_and_width_fold_together(a, b):
    assert fold(a) == fold(b)


def test_squeeze_removes_spaces_and_zero_width_characters():
    assert squeeze("富士通 Japan\u200b 株式会社\n") == squeeze("富士通Japan株式会社")


def test_distinct_words_stay_distinct():
    assert fold("委員長") != fold("委員")


JAPANESE_MIX = st.text(alphabet=st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.sampled_from(list("あいうかがぱアイガパーヴ・、。「」『』（）［］｛｝〇一丁万髙﨑德邊①②㈱㍉ｱｶﾞﾊﾟ＜\u0338\u1100\u1161\u11a8가\u3000\u3099\u309a\u0301")),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF9F),
    st.characters(min_codepoint=0xF900, max_codepoint=0xFAFF),
    st.characters(min_codepoint=0x3000, max_codepoint=0x30FF),
    st.characters(),
), max_size=40)


@given(JAPANESE_MIX)
def test_fast_nfkc_equals_unicodedata(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@given(st.text(alphabet="ab\n", max_size=60))
def test_matching_lines_are_the_lines_that_hold_a_match(text):
    import re

    pattern = re.compile("a+")
    found = [(line, text[start:end], m.group()) for line, start, end, m in matching_lines(pattern, text)]
    expected = [(n, row, pattern.search(row).group()) for n, row in enumerate(text.split("\n"), 1)
                if pattern.search(row)]
    assert found == expected
