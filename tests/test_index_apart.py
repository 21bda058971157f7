"""The search index of a command-line build, made in a process of its own while MkDocs renders
(hooks/gijiroku/search/apart.py): the same files as the index made in the build's process, every
file it writes told to the verifier's workers, and the build's own index when the process fails."""

from __future__ import annotations

import dataclasses
import filecmp
import os
import shutil
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from conftest import FIXED_EPOCH, build_on_fixed_date, withheld_project
from gijiroku.search import apart, indexing
from gijiroku.search.records import Block, Unit, decision_units, meeting_units
from gijiroku.site import build as sitebuild
from gijiroku.site.commands import mkdocs_command

SECRET = "別処理の索引に残らない非公表の文言です"


def same_tree(a: Path, b: Path) -> bool:
    """Whether two folders hold the same files with the same bytes."""
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    if files_a != files_b:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, [str(p) for p in files_a], shallow=False)
    return not mismatch and not errors


@pytest.fixture
def built(tmp_path, monkeypatch):
    """A project with SECRET withheld, built by `gijiroku build` (whose index is made apart on
    two cores or more), and its public record."""
    root, _, public = withheld_project(tmp_path / "p", SECRET)
    monkeypatch.setenv("GIJIROKU_CHUNK_PLACES", "64")  # as build_on_fixed_date: many chunks
    return build_on_fixed_date(root), public


def test_the_index_made_apart_is_the_index_made_in_the_build_s_process(built, tmp_path):
    site, public = built
    here = tmp_path / "here"
    shutil.copytree(site, here)
    indexing.index_site(here, public)  # removes the index and makes it again, in this process
    pages = len(list(indexing.iter_units(public, site)))
    assert len(list((site / "search" / "r").iterdir())) == pages > 2 and len(list((site / "search" / "index").iterdir())) > 1
    assert same_tree(site / "search", here / "search")


def test_a_command_line_build_makes_its_index_apart(tmp_path):
    """`mkdocs build` as `gijiroku build` runs it, on this machine's cores (two or more in CI):
    the index is made by the process of its own, not again by the build."""
    root, _, public = withheld_project(tmp_path / "p", SECRET)
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(mkdocs_command("build", "--strict", "--verbose", "--site-dir", str(tmp_path / "site")), cwd=root,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (os.cpu_count() or 1) > 1  # CI's machine: a build on one core has no process apart
    assert "検索索引は別のプロセスで作りました" in done.stderr and "作り直します" not in done.stderr
    assert (tmp_path / "site" / "search" / "facets.json.gz").is_file()


def index_apart(site: Path, public) -> tuple[indexing.Made | None, apart.IndexApart, list[str]]:
    """The index of `site` made apart, as BuildState.index makes it: the meetings, then the
    decisions; the files it told of."""
    told: list[str] = []
    made_apart = apart.IndexApart(site, indexing.GRAM)
    made_apart.send(list(meeting_units(public)))
    made_apart.poll(told.extend)
    made_apart.send(list(decision_units(public, site)))
    made_apart.end()
    made = made_apart.finish(told.extend)
    if made is not None:
        indexing.write_facets(site, made_apart.units, public, made)
    return made, made_apart, told


def test_every_file_of_the_pages_is_told_once_and_the_facets_end_it(built, tmp_path):
    site, public = built
    again = tmp_path / "again"
    shutil.copytree(site, again)
    made, made_apart, told = index_apart(again, public)
    assert made is not None and made_apart.failed is None
    files = sorted(p.relative_to(again).as_posix() for folder in ("r", "p") for p in (again / "search" / folder).iterdir())
    assert sorted(f for f in told if f) == files and len(set(told)) == len(told)
    assert same_tree(site / "search", again / "search")  # facets and chunks too


def test_an_index_done_while_mkdocs_renders_is_taken(built, tmp_path):
    """The process may be done before MkDocs is (`poll` meets its postings): `finish` returns them."""
    site, public = built
    again = tmp_path / "again"
    shutil.copytree(site, again)
    made_apart = apart.IndexApart(again, indexing.GRAM)
    made_apart.send([*meeting_units(public), *decision_units(public, site)])
    made_apart.end()
    made_apart._process.join()  # done: every answer is in the queue
    told: list[str] = []
    for _ in range(100):  # every answer is sent: the last one comes within a few looks
        made_apart.poll(told.extend)
        if made_apart.made is not None:
            break
    made = made_apart.finish(told.extend)
    assert made is made_apart.made and made_apart.failed is None
    indexing.write_facets(again, made_apart.units, public, made)
    assert same_tree(site / "search", again / "search")


def test_a_process_that_fails_says_why_and_leaves_the_index_to_the_build(built, tmp_path):
    site, public = built
    made_apart = apart.IndexApart(tmp_path / "broken", indexing.GRAM)
    made_apart.send([Unit("meetings/1/", "第1回", "議事録", None, 1, blocks=[Block("", "x", None)])])  # no paragraphs
    assert made_apart.finish(lambda files: None) is None
    assert made_apart.failed.startswith("TypeError")


def test_a_process_that_dies_is_noticed(built, tmp_path):
    site, public = built
    made_apart = apart.IndexApart(tmp_path / "killed", indexing.GRAM)
    made_apart._process.kill()
    made_apart._process.join()
    assert made_apart.finish(lambda files: None) is None
    assert "終了コード" in made_apart.failed


class Dying(apart.IndexApart):
    """A process that dies as soon as the meetings are sent, while it indexes them."""

    def send(self, units):
        super().send(units)
        self._process.kill()


@pytest.mark.parametrize("made_apart", [None, Dying])
def test_the_build_makes_its_index_itself_without_the_process_or_when_it_dies(built, tmp_path, made_apart):
    """BuildState.index: with no process (one core, serve) or a process killed before its index
    is done, the build makes the index whole in its own process (what the process wrote removed
    first): the same files as the build's index made apart."""
    site, public = built
    again = tmp_path / "again"
    shutil.copytree(site, again)
    state = sitebuild.BuildState(root=tmp_path, site_url="")
    state.builder = types.SimpleNamespace(record=public)
    if made_apart is not None:
        state.index_apart = made_apart(again, indexing.GRAM)
        state.index_apart.send(list(meeting_units(public)))
    dying = state.index_apart
    told: list[str] = []
    state.index(again, told.extend)
    assert state.index_apart is None and (dying is None or "終了コード" in dying.failed)
    assert same_tree(site / "search", again / "search")
    assert told  # the files of the index made here are told too


def test_a_failed_build_stops_the_process(tmp_path):
    state = sitebuild.BuildState(root=tmp_path, site_url="")
    state.index_apart = made_apart = apart.IndexApart(tmp_path / "site", indexing.GRAM)
    state.abandon()
    assert state.index_apart is None and not made_apart._process.is_alive()


def test_decisions_and_meetings_are_the_records_of_every_page(built):
    site, public = built
    units = list(meeting_units(public)) + list(decision_units(public, site))
    assert [u.url for u in units] == [u.url for u in indexing.iter_units(public, site)]
    assert any(u.url.startswith("decisions/") for u in units) and dataclasses.is_dataclass(units[0])


def test_the_process_ends_when_the_build_is_killed(tmp_path):
    """A build killed outright (no exit handler runs) leaves no index process behind for long."""
    script = ("import os, signal, sys\n"
              "from pathlib import Path\n"
              "from gijiroku.search import apart, indexing\n"
              "if __name__ == '__main__':\n"
              "    made = apart.IndexApart(Path(sys.argv[1]), indexing.GRAM)\n"
              "    print(made._process.pid, flush=True)\n"
              "    os.kill(os.getpid(), signal.SIGKILL)\n")
    (tmp_path / "killed.py").write_text(script, encoding="utf-8")
    done = subprocess.run([sys.executable, str(tmp_path / "killed.py"), str(tmp_path / "site")], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    pid = int(done.stdout.split()[0])
    deadline = time.monotonic() + 15
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(pid)


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie, ended but not yet reaped by whoever adopted it, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")
