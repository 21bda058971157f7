"""`gijiroku import` on fifteen texts of other committees (constructed after common layouts, see
tests/fixtures/import/committees/README.md): it reads the date, and the kind of record, or refuses
with a message, in at least 13 of 15. `bench/committee_dates.py` prints the same count."""

from __future__ import annotations

import sys

import pytest

from conftest import FIXTURES, ROOT
from gijiroku.authoring.importer import import_minutes
from gijiroku.authoring.read import NotMinutes
from gijiroku.record.meeting import parse_meeting
from gijiroku.record.source import parse_source

sys.path.insert(0, str(ROOT / "bench"))
import committee_dates  # noqa: E402

FOLDER = FIXTURES / "import" / "committees"
CASES = committee_dates.expectations()
REGISTRY = committee_dates.registry()
# A refusal must say what it is and what to do, not only that it failed.
REFUSAL = ("議事録・議事概要として読めません: 発言（「○発言者 発言」または「【発言者】発言」で始まる行）も、"
           "議事概要・議事要旨の本文（「議事概要」などの見出しの後の議題ごとの段落）も見つかりません。"
           "PDF から写した議事録・議事概要のテキストか確かめてください。")


def test_there_are_fifteen_texts_each_with_its_expectation():
    assert len(CASES) == 15
    assert sorted(p.stem for p in FOLDER.glob("*.txt")) == sorted(name for name, _, _ in CASES)


def test_the_date_is_read_or_the_text_refused_in_at_least_13_of_15(capsys):
    outcomes = committee_dates.measure()
    good = [o.name for o in outcomes if o.ok]
    print(f"日付を読めた（または正しく拒んだ）: {len(good)} / {len(outcomes)}")  # shown with pytest -s
    assert len(good) >= 13, [(o.name, o.expected, o.got) for o in outcomes if not o.ok]


@pytest.mark.parametrize("name,date,kind", [c for c in CASES if c[1] != committee_dates.REFUSED])
def test_each_text_gives_its_kind_of_record_and_a_file_the_checker_reads(name, date, kind):
    result = import_minutes((FOLDER / f"{name}.txt").read_text(encoding="utf-8"), REGISTRY)
    problems: list = []
    source = parse_source(result.text, f"minutes/{result.number}.md", problems)
    meeting = parse_meeting(source, str(result.number), REGISTRY)
    assert meeting is not None and meeting.record == kind and meeting.date.isoformat() == date
    assert [n.format() for n in result.notices if n.level == "お知らせ"][0].startswith(f"お知らせ: {kind}として読みました")
    # These committees' people are not in the fixture registry: names are the only problems left.
    assert {p.code for p in problems + source.problems} <= {"G301", "G302", "G303", "G315"}  # G315: with a suggestion
    if kind != "議事録":
        assert meeting.speeches == () and meeting.agenda and all(meeting.elements_of(i.number) for i in meeting.agenda)


def test_an_announcement_is_refused_with_a_message():
    with pytest.raises(NotMinutes) as err:
        import_minutes((FOLDER / "15_kaisai_annai_not_a_record.txt").read_text(encoding="utf-8"), REGISTRY)
    assert str(err.value) == REFUSAL


def test_the_script_prints_the_count(capsys):
    assert committee_dates.main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("日付を読めた（または正しく拒んだ）: ") and out.rstrip().endswith("/ 15")
