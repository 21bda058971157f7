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
