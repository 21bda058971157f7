"""Reading the record on two cores (hooks/gijiroku/record/ahead.py): the last third of minutes/
and the decisions parsed in a process of its own give the record and the problems that one
process gives, and nothing parsed there is taken for a file or registry that changed since."""

from __future__ import annotations

import dataclasses
import os
import shutil

import pytest

from conftest import ROOT, make_project, write
from gijiroku.record import ahead as ahead_module
from gijiroku.record import loader
from gijiroku.record.ahead import ReadAhead
from gijiroku.record.loader import ParseCache, load_record, parse_ahead
from gijiroku.synth.corpus import synthesize, write_corpus

MEETINGS = 12
HERE = MEETINGS - MEETINGS // loader.AHEAD  # meetings parsed by load_record's own process


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A synthetic record of MEETINGS meetings with the real registries, one meeting with a
    mistake in each part (the one parsed here, the one parsed ahead)."""
    monkeypatch.setattr(loader, "AHEAD_FROM", MEETINGS)
    root = make_project(tmp_path / "p", fixture=None)
    for sub in ("committee.yml", "docs/commissioners", "docs/agencies"):
        source, target = ROOT / sub, root / sub
        shutil.copytree(source, target, dirs_exist_ok=True) if source.is_dir() else shutil.copy(source, target)
    write_corpus(synthesize(ROOT, MEETINGS, seed=5), root)
    files = sorted((root / "minutes").glob("*.md"))
    for path in (files[1], files[-2]):  # a date that is no date, and a turn whose speaker is unknown
        text = path.read_text(encoding="utf-8")
        date = next(line for line in text.split("\n") if line.startswith("date:"))
        write(path, text.replace(date, "date: 2023-02-30", 1).replace("\n○", "\n○架空太郎参与 架空の発言です。\n\n○", 1))
    return root


def ahead_part(root) -> tuple[list, list]:
    """What load_record hands to the other process: the last meetings, and every decision."""
    return sorted((root / "minutes").glob("*.md"))[HERE:], sorted((root / "decisions").glob("*.md"))


def snapshot(record, problems) -> tuple:
    """Everything the load gave, fields that do not take part in equality included."""
    return ([dataclasses.asdict(m) for m in record.sorted_meetings()],
            [dataclasses.asdict(d) for d in sorted(record.decisions.values())],
            [(p.path, p.line, p.message, p.hint, p.code) for p in problems])


def test_reading_ahead_gives_what_one_process_gives_and_parses_the_rest_here(project):
    alone = snapshot(*load_record(project, ParseCache()))
    files = sorted((project / "minutes").glob("*.md"))
    assert {p[0] for p in alone[2] if p[0].startswith("minutes/")} == {f"minutes/{files[1].name}",
                                                                        f"minutes/{files[-2].name}"}
    cache, ahead = ParseCache(), ReadAhead(project)
    together = snapshot(*load_record(project, cache, ahead=ahead.start))
    assert together == alone
    assert cache.misses == HERE  # the other files were parsed in the other process
    assert ahead._pool is None  # the process is let go once its results are in


def test_a_file_changed_after_it_was_parsed_ahead_is_parsed_again(project):
    early = parse_ahead(project, *ahead_part(project))  # as the other process left them
    edited = ahead_part(project)[0][-1]
    write(edited, edited.read_text(encoding="utf-8").replace("\n○", "\n○架空次郎参与 後から書いた発言です。\n\n○", 1))
    cache = ParseCache()
    record, problems = load_record(project, cache, ahead=lambda minutes, decisions: (lambda: early))
    assert snapshot(record, problems) == snapshot(*load_record(project, ParseCache()))
    assert cache.misses == HERE + 1


def test_a_registry_changed_after_the_parse_ahead_voids_all_of_it(project):
    early = parse_ahead(project, *ahead_part(project))
    committee = project / "committee.yml"
    write(committee, committee.read_text(encoding="utf-8") + "\n")
    cache = ParseCache()
    load_record(project, cache, ahead=lambda minutes, decisions: (lambda: early))
    assert cache.misses == MEETINGS + len(list((project / "decisions").glob("*.md")))


def dies(root, minutes, decisions):
    """In the other process: it ends without an answer."""
    os._exit(3)


def test_a_failed_process_leaves_the_parsing_here(project, monkeypatch):
    monkeypatch.setattr(ahead_module, "parse_ahead", dies)
    cache = ParseCache()
    got = snapshot(*load_record(project, cache, ahead=ReadAhead(project).start))
    assert got == snapshot(*load_record(project, ParseCache()))
    assert cache.misses == MEETINGS + len(list((project / "decisions").glob("*.md")))


def test_a_registry_with_a_mistake_parses_nothing_ahead(project):
    write(project / "committee.yml", "name: [unclosed\n")
    assert parse_ahead(project, *ahead_part(project)) == []


def test_a_small_record_is_read_in_one_process(project, monkeypatch):
    monkeypatch.setattr(loader, "AHEAD_FROM", MEETINGS + 1)
    asked = []
    cache = ParseCache()
    load_record(project, cache, ahead=lambda minutes, decisions: asked.append(minutes) or list)
    assert asked == [] and cache.misses == MEETINGS + len(ahead_part(project)[1])


def test_check_reads_a_large_record_ahead_and_reports_the_same(project, monkeypatch):
    from gijiroku.check import check

    started = []
    start = ReadAhead.start
    monkeypatch.setattr(ReadAhead, "start", lambda self, minutes, decisions: started.append(len(minutes))
                        or start(self, minutes, decisions))
    record, problems = check(project)
    assert started == [MEETINGS // loader.AHEAD]
    monkeypatch.setattr(loader, "AHEAD_FROM", MEETINGS + 1)
    alone_record, alone = check(project)
    assert started == [MEETINGS // loader.AHEAD]  # not asked again
    assert snapshot(record, problems) == snapshot(alone_record, alone) and problems


def test_one_core_reads_in_one_process(project, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    ahead = ReadAhead(project)
    assert ahead.start(*ahead_part(project))() == [] and ahead._pool is None
