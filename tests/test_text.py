"""Folding for comparison and search: width, variants, case; display is never folded."""

from __future__ import annotations

import pytest

from gijiroku.text import fold, squeeze


@pytest.mark.parametrize("a,b", [("髙村", "高村"), ("議題１", "議題1"), ("ＩＤ", "id"), ("ID", "ｉｄ"),
                                 ("山﨑", "山崎"), ("德島", "徳島"), ("渡邊", "渡辺"), ("ＤＦＦＴ", "DFFT")])
def test_variants_and_width_fold_together(a, b):
    assert fold(a) == fold(b)


def test_squeeze_removes_spaces_and_zero_width_characters():
    assert squeeze("富士通 Japan\u200b 株式会社\n") == squeeze("富士通Japan株式会社")


def test_distinct_words_stay_distinct():
    assert fold("委員長") != fold("委員")
