"""Page generation at scale: related items and year pages, against brute force on a synthetic record."""

from __future__ import annotations

import shutil

import pytest

from conftest import FIXED_EPOCH, ROOT, make_project
from gijiroku.disclosure.public import build_date, public_record
from gijiroku.record.loader import load_record
from gijiroku.site.pages import SiteBuilder
from gijiroku.synth.corpus import synthesize, write_corpus


@pytest.fixture(scope="module")
def builder(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("synth") / "p", fixture=None)
    for sub in ("commissioners", "agencies"):
        shutil.copytree(ROOT / "docs" / sub, root / "docs" / sub, dirs_exist_ok=True)
    write_corpus(synthesize(ROOT, 80, seed=3), root)
    record, problems = load_record(root)
    assert problems == []
    return SiteBuilder(public_record(record, build_date({"SOURCE_DATE_EPOCH": FIXED_EPOCH})), "http://x/")


def test_related_items_equal_brute_force(builder):
    for meeting in builder.record.sorted_meetings():
        for item in meeting.agenda:
            if not item.kind:
                continue
            others = [i for i in builder.index.items_by_kind[item.kind] if i.key != item.key]
            shared = set(item.agencies)
            brute = sorted(others, key=lambda i: (not (shared & set(i.agencies)), abs(i.meeting - item.meeting), i.key))
            assert builder.related_items(item) == builder.by_date(brute[:10]), item


def test_by_year_keeps_every_speech_once(builder):
    for person, speeches in builder.index.speeches_by_person.items():
        years = builder.by_year(speeches)
        assert sorted(s.id for group in years.values() for s in group) == sorted(s.id for s in speeches), person
        assert list(years) == sorted(years, key=lambda y: (y == "unknown", -int(y) if y != "unknown" else 0))


def test_a_year_in_which_the_era_changed_is_one_heading_with_both_eras():
    """2019 is 平成31年 until April 30 and 令和元年 from May 1: the lists made two headings of 2019年,
    both anchored y2019, so the second jump led to the first (found by a reader's attack)."""
    import datetime as dt

    from gijiroku.site.pages import year_labels

    days = [dt.date(2019, 5, 15), dt.date(2019, 4, 26), None, dt.date(2023, 5, 31), dt.date(1989, 1, 7)]
    assert year_labels(days) == {2019: "2019年（平成31年・令和元年）", 2023: "2023年（令和5年）", 1989: "1989年（昭和64年）"}
    assert year_labels([dt.date(1989, 1, 7), dt.date(1989, 1, 8)])[1989] == "1989年（昭和64年・平成元年）"


def test_the_meetings_of_one_year_across_an_era_are_one_group():
    import dataclasses
    import datetime as dt

    from conftest import FIXTURES

    record, problems = load_record(FIXTURES / "project")
    assert problems == [] and sorted(record.meetings) == [9, 10]
    for number, day in ((9, dt.date(2019, 4, 26)), (10, dt.date(2019, 5, 15))):
        record.meetings[number] = dataclasses.replace(record.meetings[number], date=day)
    groups = SiteBuilder(public_record(record, dt.date(2025, 1, 1)), "http://x/").meetings_by_year()
    assert [(label, [m.number for m in ms]) for label, ms in groups] == [("2019年（平成31年・令和元年）", [10, 9])]
    assert SiteBuilder.year_jumps(groups) == [("2019年", "y2019")]
