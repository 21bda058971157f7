"""The verifier in a process of its own under serve (hooks/gijiroku/disclosure/apart.py): it
reads the sources itself, finds what the verifier in the build's process finds, and when it
cannot answer, the build verifies itself."""

from __future__ import annotations

import os
import time

import pytest
from test_disclosure_verify import BUILD_DAY, SECRET, files, leaky_root, records

from gijiroku.disclosure import verify
from gijiroku.disclosure.apart import VerifierProcess

PUBLIC_PAGE = "<p>公開の本文</p>"


@pytest.fixture
def verifier():
    process = VerifierProcess()
    yield process
    process.close()


def rebuilt(site, rel: str, content: str) -> float:
    """A rebuild wrote `content` to `rel`, the rest written an hour before: the time it began (`since`)."""
    hour_ago = time.time() - 3600
    for path in site.rglob("*"):
        os.utime(path, (hour_ago, hour_ago))
    since = time.time() - 2
    files(site, {rel: content})
    return since


def passed(root, site) -> frozenset[str]:
    """The site verified in this process: the secrets it passed against."""
    verified: dict = {}
    assert verify.verify_site(root, site, *records(root), BUILD_DAY, verify.template_text(), verified=verified,
                              parallel=False)[0] == []
    return verified[site.resolve()]


@pytest.fixture
def served(tmp_path, verifier):
    """The leaky project, a site of two public pages that passed (the secrets it passed against),
    and the verifier process asked to prepare for it: (root, site, known)."""
    root = leaky_root(tmp_path)
    site = files(root / "site", {"index.html": PUBLIC_PAGE, "meetings/10/index.html": PUBLIC_PAGE})
    known = passed(root, site)
    verifier.prepare(root, BUILD_DAY, verify.template_text())
    return root, site, known


def test_the_process_finds_a_leak_in_what_a_rebuild_wrote_and_passes_what_is_public(served, verifier):
    root, site, known = served
    since = rebuilt(site, "meetings/10/index.html", f"<p>公開の本文</p><p>{SECRET}</p>")
    assert verifier.send(site, since, known)
    found, report, after = verifier.answer()
    alone = verify.verify_site(root, site, *records(root), BUILD_DAY, verify.template_text(), since=since,
                               verified={site.resolve(): known}, parallel=False)[0]
    assert found == alone and [(leak.output, leak.secret.path, leak.secret.line) for leak in found] == [
        ("meetings/10/index.html", "minutes/10.md", 39)]
    assert after is None and report.files == 1  # only what the rebuild wrote was read; it did not pass
    since = rebuilt(site, "meetings/10/index.html", PUBLIC_PAGE)
    verifier.prepare(root, BUILD_DAY, verify.template_text())
    assert verifier.send(site, since, known)
    assert verifier.answer()[0::2] == ([], known)


def test_the_process_reads_the_sources_itself(tmp_path, verifier):
    """A passage withheld in the sources after the build read them is a secret to the process."""
    root = leaky_root(tmp_path)
    site = files(root / "site", {"index.html": PUBLIC_PAGE, "meetings/10/index.html": PUBLIC_PAGE})
    known = passed(root, site)
    meeting = root / "minutes" / "10.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "<!-- /非公表 -->", "新たに非公表とした会議の内容の一文です。\n<!-- /非公表 -->"), encoding="utf-8")
    verifier.prepare(root, BUILD_DAY, verify.template_text())
    since = rebuilt(site, "meetings/10/index.html", "<p>新たに非公表とした会議の内容の一文です。</p>")
    assert verifier.send(site, since, known)
    assert verifier.answer() is None  # other secrets than those the directory passed: every file must be read
    files(site, {"index.html": PUBLIC_PAGE})
    assert verify.verify_site(root, site, *records(root), BUILD_DAY, verify.template_text(), parallel=False)[0]


def test_without_an_answer_the_build_verifies_itself(tmp_path, verifier):
    root = leaky_root(tmp_path)
    site = files(root / "site", {"index.html": PUBLIC_PAGE})
    known = passed(root, site)
    assert not verifier.send(site, time.time(), known)  # never started: nothing to ask
    verifier.prepare(root, BUILD_DAY, verify.template_text())
    assert verifier.send(site, None, known) and verifier.answer() is None  # every file: the build reads them
    verifier.prepare(tmp_path / "nowhere", BUILD_DAY, [])
    assert verifier.send(site, time.time(), known) and verifier.answer() is None  # could not prepare
    verifier._process.kill()
    verifier._process.join()
    assert not verifier.send(site, time.time(), known)  # gone
    verifier.prepare(root, BUILD_DAY, verify.template_text())  # the next build starts another
    assert verifier.send(site, time.time(), known) and verifier.answer()[0] == []


def test_an_answer_to_a_build_that_stopped_is_not_taken_by_the_next(served, verifier):
    root, site, known = served
    since = rebuilt(site, "meetings/10/index.html", f"<p>{SECRET}</p>")
    assert verifier.send(site, since, known)  # a build asked, then stopped before it took the answer
    since = rebuilt(site, "meetings/10/index.html", PUBLIC_PAGE)
    assert verifier.send(site, since, known)
    assert verifier.answer()[0] == []  # this build's answer, not the leak found for the last


def test_a_closed_process_is_gone(tmp_path):
    verifier = VerifierProcess()
    root = leaky_root(tmp_path)
    verifier.prepare(root, BUILD_DAY, [])
    process = verifier._process
    # Prepared and waiting (it answered) before it is told to stop: close() kills a process that
    # has not stopped within 5 s, and its start and preparation took longer on a loaded machine.
    assert verifier.send(root / "site", None, frozenset()) and verifier.answer() is None
    assert process.is_alive()
    verifier.close()
    assert not process.is_alive() and process.exitcode == 0


def test_a_source_saved_after_the_process_read_it_leaves_the_build_to_verify_itself(served, verifier):
    """The process reads the sources while MkDocs renders; a passage marked 非公表 after that (and
    printed by the build, which read the sources before) must still refuse the build: the process
    sees that a source changed and does not answer, and the build reads them itself."""
    root, site, known = served
    assert verifier.send(site, time.time(), known) and verifier.answer()[0] == []  # prepared, and answering
    since = rebuilt(site, "meetings/10/index.html", "<p>新たに非公表とした会議の内容の一文です。</p>")
    meeting = root / "minutes" / "10.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "<!-- /非公表 -->", "新たに非公表とした会議の内容の一文です。\n<!-- /非公表 -->"), encoding="utf-8")
    assert verifier.send(site, since, known)
    assert verifier.answer() is None
    found = verify.verify_site(root, site, *records(root), BUILD_DAY, verify.template_text(), since=since,
                               verified={site.resolve(): known}, parallel=False)[0]
    assert [leak.output for leak in found] == ["meetings/10/index.html"]  # what the build's own verifier finds
