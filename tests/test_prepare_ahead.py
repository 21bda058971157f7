"""The verifier prepared in a forked process while a command-line build generates its pages
(hooks/gijiroku/disclosure/ahead.py): the same result as in the build's own process, and
nothing at all (the build prepares for itself) when the child fails, hangs or cannot be had."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXED_EPOCH, process_running, withheld_project
from gijiroku.disclosure import ahead, verify
from gijiroku.disclosure.public import build_date
from gijiroku.site import build as site_build
from gijiroku.site.build import BuildState
from gijiroku.site.session import Session

BUILD_DAY = build_date({"SOURCE_DATE_EPOCH": FIXED_EPOCH})
SECRET = "極秘標識ほげふがぴよ四号の文言です"


@pytest.fixture(autouse=True)
def two_cores(monkeypatch):
    """As on every machine this project builds on (CI's included): a fork, and a core for it."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)


@pytest.fixture
def withheld(tmp_path):
    return withheld_project(tmp_path / "p", SECRET)


def test_the_child_prepares_exactly_what_this_process_would(withheld):
    root, record, public = withheld
    here = verify.prepare(root, record, public, BUILD_DAY, verify.template_text())
    there = ahead.PrepareAhead(lambda: verify.prepare(root, record, public, BUILD_DAY, verify.template_text())).result(60)
    assert there is not None
    assert there.secrets == here.secrets and any(s.text == SECRET for s in there.secrets)
    assert (there.public_folded, there.windows, there.too_short, there.reviewed) == \
           (here.public_folded, here.windows, here.too_short, here.reviewed)
    assert sorted(there.automaton.keys()) == sorted(here.automaton.keys()) and len(there.automaton) > 0
    page = f"<p>{SECRET}</p>".encode()
    reader = verify.Reader(root / "site", here.reviewed, False)
    assert verify.scan_bytes(page, "x.html", there.automaton, reader) == verify.scan_bytes(page, "x.html", here.automaton, reader)
    assert verify.scan_bytes(page, "x.html", there.automaton, reader)[0]  # the secret is found


def test_what_a_build_forks_for_sends_the_search_windows_not_the_public_text(withheld):
    root, record, public = withheld
    here = verify.prepare(root, record, public, BUILD_DAY, verify.template_text())
    there = ahead.PrepareAhead(lambda: verify.prepare(root, record, public, BUILD_DAY, verify.template_text()).ahead())
    sent = there.result(60)
    assert sent.public_folded == "" and len(here.public_folded) > 1000
    assert sent.search_windows == verify.index_windows(here.secrets, here.public_folded)
    assert any(s.text == SECRET for s in sent.search_windows.values())


def test_a_child_that_fails_gives_nothing():
    def broken():
        raise RuntimeError("壊れた準備")

    assert ahead.PrepareAhead(broken).result(60) is None
    assert ahead.PrepareAhead(lambda: "Prepared ではない値").result(60) is None


def test_a_child_reaped_by_someone_else_still_answers():
    """With SIGCHLD ignored the kernel reaps the child itself: its answer, whole, is taken."""
    empty = verify.Prepared([], "", None, 0, 0, frozenset())
    old = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert ahead.PrepareAhead(lambda: empty).result(60) == empty
    finally:
        signal.signal(signal.SIGCHLD, old)


def test_a_child_that_does_not_answer_in_time_is_stopped():
    child = ahead.PrepareAhead(lambda: time.sleep(60))
    pid = child._pid
    started = time.perf_counter()
    assert child.result(0.5) is None
    assert time.perf_counter() - started < 10
    with pytest.raises(ChildProcessError):  # killed and reaped: no such child any more
        os.waitpid(pid, os.WNOHANG)


def test_a_child_ends_with_the_build_that_forked_it(tmp_path):
    """A build refused or interrupted before its first page leaves no child at work."""
    script = ("import time; from gijiroku.disclosure import ahead; "
              "child = ahead.PrepareAhead(lambda: time.sleep(60)); print(child._pid, flush=True)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(Path(ahead.__file__).parents[2])})
    pid = int(done.stdout.split()[0])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and process_running(pid):
        time.sleep(0.05)
    assert not process_running(pid)


def test_no_child_on_one_core_or_without_fork(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    child = ahead.PrepareAhead(lambda: pytest.fail("a child was forked"))
    assert child._pid is None and child.result(60) is None
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.delattr(os, "fork")
    child = ahead.PrepareAhead(lambda: pytest.fail("a child was forked"))
    assert child._pid is None and child.result(60) is None


@pytest.fixture
def prepared_here(monkeypatch):
    """The processes `verify.prepare` runs in, as this process sees them: a forked child's calls
    count in the child's copy of the list."""
    calls, prepare = [], verify.prepare

    def counted(*args, **kwargs):
        calls.append(os.getpid())
        return prepare(*args, **kwargs)

    monkeypatch.setattr(verify, "prepare", counted)
    return calls


def test_a_command_line_build_takes_the_childs_preparation(withheld, tmp_path, prepared_here):
    """The first page written takes what the child prepared: this process prepares nothing."""
    root, _, _ = withheld
    calls = prepared_here
    state = BuildState(root=root, site_url="http://127.0.0.1:8000/", session=Session(one_shot=True))
    site = tmp_path / "site"
    try:
        state.prepare(site)
        assert state.ahead is not None
        site.mkdir()
        state.page_written(site, "index.html")
        assert calls == [] and state.ahead is None
        assert any(s.text == SECRET for s in state.prescan.prepared.secrets)
    finally:
        if state.prescan is not None:
            state.prescan.close()
        gc.unfreeze()


def test_a_command_line_build_prepares_for_itself_when_the_child_fails(withheld, tmp_path, monkeypatch, prepared_here):
    root, _, _ = withheld
    calls = prepared_here
    monkeypatch.setattr(site_build, "PrepareAhead", lambda compute: ahead.PrepareAhead(lambda: 1 / 0))
    state = BuildState(root=root, site_url="http://127.0.0.1:8000/", session=Session(one_shot=True))
    site = tmp_path / "site"
    try:
        state.prepare(site)
        site.mkdir()
        state.page_written(site, "index.html")
        assert calls == [os.getpid()]
        assert any(s.text == SECRET for s in state.prescan.prepared.secrets)
    finally:
        if state.prescan is not None:
            state.prescan.close()
        gc.unfreeze()


@pytest.mark.parametrize("one_shot", [True, False])
def test_the_collector_is_off_while_a_command_line_build_finishes_and_back_on_after(monkeypatch, tmp_path, one_shot):
    """Only a command-line build's process turns it off (serve's goes on after the build), and it
    is back on whether the build passes or is refused; one turned off before stays off."""
    seen = []

    def finish(self, site_dir):
        seen.append(gc.isenabled())
        if len(seen) == 2:
            raise site_build.BuildRefused("refused")
        return "passed"

    monkeypatch.setattr(BuildState, "_finish", finish)
    state = BuildState(root=tmp_path, site_url="", session=Session(one_shot=one_shot))
    assert gc.isenabled()
    assert state.finish(tmp_path) == "passed" and gc.isenabled()
    with pytest.raises(site_build.BuildRefused):
        state.finish(tmp_path)
    assert gc.isenabled() and seen == [not one_shot, not one_shot]
    gc.disable()  # by whoever runs the build: left as it was
    try:
        seen.clear()
        assert state.finish(tmp_path) == "passed" and not gc.isenabled()
    finally:
        gc.enable()
