"""`gijiroku synth`: synthetic corpora that the checker accepts, built from the real record."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from gijiroku.check import check
from gijiroku.cli import main
from gijiroku.record.loader import load_record
from gijiroku.record.model import Disclosure, Paragraph, Withheld
from gijiroku.synth.corpus import RANGE_END, RANGE_START, SENTINEL, synthesize, write_corpus


def synth_project(dest: Path, meetings: int, seed: int = 0) -> Path:
    """A project with the real registries and committee.yml, and a synthetic corpus."""
    for sub in ("commissioners", "agencies"):
        shutil.copytree(ROOT / "docs" / sub, dest / "docs" / sub)
    shutil.copy(ROOT / "committee.yml", dest / "committee.yml")
    write_corpus(synthesize(ROOT, meetings, seed), dest)
    return dest


@pytest.fixture(scope="module")
def hundred(tmp_path_factory):
    """100 synthetic meetings, read back with the project's own parser."""
    root = synth_project(tmp_path_factory.mktemp("synth") / "project", 100, seed=7)
    record, problems = load_record(root)
    assert problems == []
    return root, record


def test_twenty_meetings_pass_the_checker(tmp_path):
    root = synth_project(tmp_path / "project", 20)
    _, problems = check(root)
    assert [p.format() for p in problems] == []
    assert len(list((root / "minutes").glob("*.md"))) == 20


def test_same_seed_same_corpus_other_seed_other_corpus():
    first, again, other = synthesize(ROOT, 20, 3), synthesize(ROOT, 20, 3), synthesize(ROOT, 20, 4)
    assert first.files == again.files
    assert first.files != other.files


def test_meetings_are_renumbered_contiguously(hundred):
    _, record = hundred
    assert sorted(record.meetings) == list(range(1, 101))
    for m in record.meetings.values():
        assert m.title == f"第{m.number}回個人情報保護委員会"
        assert [i.number for i in m.agenda] == list(range(1, len(m.agenda) + 1))


def test_dates_increase_with_the_number_and_a_few_are_unknown(hundred):
    _, record = hundred
    dates = [m.date for m in record.sorted_meetings()]
    known = [d for d in dates if d is not None]
    assert known == sorted(known) and len(set(known)) == len(known)
    assert known[0] >= RANGE_START and known[-1] <= RANGE_END
    assert known[-1].year - known[0].year >= 8  # spread over the years, not bunched
    undated = [m for m in record.meetings.values() if m.date is None]
    assert 1 <= len(undated) <= 3
    assert all(m.commissioners is None and m.place is None for m in undated)


def test_disclosure_shares_are_realistic(hundred):
    _, record = hundred
    items = [i for m in record.meetings.values() for i in m.agenda]
    withheld = [i for i in items if i.disclosure is Disclosure.WITHHELD]
    deferred = [i for i in items if i.disclosure is Disclosure.DEFERRED]
    assert 0.06 <= len(withheld) / len(items) <= 0.10
    assert 0.025 <= len(deferred) / len(items) <= 0.055
    # Some already published, some held back long after the last meeting: both code paths run.
    assert any(i.publish_after <= RANGE_END for i in deferred)
    assert any(i.publish_after > RANGE_END for i in deferred)


def test_withheld_text_is_in_the_sources_and_dropped_by_the_parser(hundred):
    root, record = hundred
    sources = "".join(p.read_text(encoding="utf-8") for p in (root / "minutes").glob("*.md"))
    assert sources.count(SENTINEL) >= 5
    assert all(SENTINEL not in s.text for s in record.speeches())
    # A region in the middle of a turn: the speaker goes on after it.
    mid = [s for s in record.speeches()
           if any(isinstance(a, Withheld) and isinstance(b, Paragraph) for a, b in zip(s.blocks, s.blocks[1:], strict=False))]
    assert mid


def test_decisions_link_to_their_items_both_ways(hundred):
    _, record = hundred
    assert 25 <= len(record.decisions) <= 40  # about one per three meetings
    linked = [d for d in record.decisions.values() if d.meeting is not None]
    assert len(linked) >= 0.8 * len(record.decisions)
    for d in linked:
        item = record.item(d.meeting, d.agenda)
        assert d.id in item.decisions and item.disclosure is not Disclosure.WITHHELD
    assert any(d.disclosure is Disclosure.DEFERRED and d.publish_after for d in record.decisions.values())


def test_speakers_attend_and_the_chair_is_always_tanno(hundred):
    _, record = hundred
    for m in record.meetings.values():
        assert m.chair.person_id == "tanno"
        if m.commissioners is not None:
            present = {s.person_id for s in m.commissioners}
            assert {s.speaker.person_id for s in m.speeches if s.speaker.person_id} <= present


def test_text_comes_from_the_real_record_and_pages_differ(hundred):
    _, record = hundred
    real, _ = load_record(ROOT)
    real_paragraphs = {b.text for s in real.speeches() for b in s.blocks}
    paragraphs = [b.text for s in record.speeches() for b in s.blocks if isinstance(b, Paragraph)]
    assert sum(p in real_paragraphs for p in paragraphs) / len(paragraphs) > 0.5
    bodies = [tuple(s.text for s in m.speeches) for m in record.meetings.values()]
    assert len(set(bodies)) == len(bodies)
    agencies = {a for m in record.meetings.values() for i in m.agenda for a in i.agencies}
    assert len(agencies) > len({a for m in real.meetings.values() for i in m.agenda for a in i.agencies})


def test_the_command_writes_into_an_empty_directory_only(tmp_path, capsys):
    assert main(["--root", str(ROOT), "synth", "--meetings", "3", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in (tmp_path / "minutes").glob("*.md")) == ["1.md", "2.md", "3.md"]
    assert main(["--root", str(ROOT), "synth", "--meetings", "3", "--out", str(tmp_path)]) == 1
    assert "すでにファイルがあります" in capsys.readouterr().err
