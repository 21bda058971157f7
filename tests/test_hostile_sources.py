"""Hostile pairs of a record and its source (record/sources.py): each is compared in about a
second, where the comparison took the square of their sizes (minutes at the 2 MB limits)."""

from __future__ import annotations

import time

from gijiroku.record.sources import SourceText, first_difference


def compare(lines: list[tuple[int, str]], source: str):
    """The first difference and the CPU seconds it cost: the work of the comparison, which the
    other jobs of a shared runner do not lengthen as they do the wall clock (3x under load)."""
    start = time.process_time()
    found = first_difference(lines, SourceText(source), "minutes/13.md", "sources/13.txt")
    return found, time.process_time() - start


def test_a_turn_with_a_label_thousands_of_characters_long():
    # each mark before the text was tried with the whole label: 2.35 s at 8,000, 13,000 s at 600,000
    label = "〇" * 20_000
    found, took = compare([(12, f"○{label} x")], "〇" * 60_000 + " x\n")
    assert took < 3, took
    assert found is not None and found.code == "G350" and found.line == 12  # the source prints no ○


def test_a_real_label_is_still_found_in_either_printed_form():
    for source in ("○事務局（総務課長） 説明します。\n", "【事務局（総務課長）】説明します。\n", "○事務局（総務課長）\n説明します。\n"):
        assert compare([(3, "○事務局（総務課長） 説明します。")], source)[0] is None, source


def test_thousands_of_lines_each_found_only_at_the_end_of_a_long_source():
    # each line, not found after the last, was looked for from the start: 16 s for 4,000 lines
    # after 2,000,000 characters (the record may hold 100,000 such lines)
    lines = [(20 + i, "あい") for i in range(4000)]
    found, took = compare(lines, "う" * 2_000_000 + "\nあい\n")
    assert took < 4, took
    assert found is not None and found.code == "G352" and found.line == 21  # the record repeats what the source prints once


def test_a_few_lines_the_record_moves_earlier_are_still_found():
    source = "".join(f"{n}行目の文です。\n" for n in range(1, 200))
    lines = [(i, f"{n}行目の文です。") for i, n in enumerate([*range(50, 200), *range(1, 50)], start=10)]
    assert compare(lines, source)[0] is None
