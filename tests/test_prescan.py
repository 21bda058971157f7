"""The pages scanned as MkDocs writes them (hooks/gijiroku/site/prescan.py): the fence and the
verifier run on each page written in worker processes while MkDocs goes on; after MkDocs, a
file takes that finding only if it holds exactly the scanned bytes."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXED_EPOCH, process_running, withheld_project
from gijiroku.disclosure import verify
from gijiroku.disclosure.public import build_date
from gijiroku.site import csp, prescan

BUILD_DAY = build_date({"SOURCE_DATE_EPOCH": FIXED_EPOCH})
SECRET = "極秘標識ほげふがぴよ参号の文言です"


def page(body: str) -> str:
    """A page as `csp.apply` leaves it: the policy first in its head."""
    return csp.apply(f"<!doctype html><html><head><title>t</title></head><body>{body}</body></html>")


@pytest.fixture
def scanned(tmp_path):
    """A project with SECRET withheld, its prepared verifier, and a prescan of two workers."""
    root, record, public = withheld_project(tmp_path / "p", SECRET)
    site = root / "site"
    pre = prescan.Prescan(verify.prepare(root, record, public, BUILD_DAY), site, "/", 2)
    yield root, site, record, public, pre
    pre.close()


def write_as_mkdocs(site: Path, rel: str, html: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(html.encode("utf-8", errors="xmlcharrefreplace"))


def finish(root, site, record, public, pre):
    """The fence and the verifier after MkDocs, as BuildState.finish calls them."""
    unsafe = csp.scan_site(site, "", written=pre.fenced(), pool=pre.pool)
    leaks, _ = verify.verify_site(root, site, record, public, BUILD_DAY, prepared=pre.prepared,
                                  written=pre.written(), pool=pre.pool)
    return unsafe, [leak.output for leak in leaks]


def test_a_page_scanned_in_flight_with_a_secret_or_markup_refuses_the_site(scanned, monkeypatch):
    root, site, record, public, pre = scanned
    monkeypatch.setattr(prescan, "BATCH", 2)  # one batch while "MkDocs renders", the other after it
    pages = {"a/index.html": page(f"<p>{SECRET}</p>"), "b/index.html": page('<img src="x" onerror="alert(1)">'),
             "c/index.html": page("<p>公開の本文です。\ud800</p>"),  # a lone surrogate: written as a character reference
             "d/index.html": page("<p>公開</p>"), "e/index.html": ""}  # MkDocs writes no empty page
    for rel, html in pages.items():
        pre.send(rel)  # MkDocs writes the page after this event
        if html:
            write_as_mkdocs(site, rel, html)
    results = pre.results()
    assert sorted(results) == sorted(rel for rel, html in pages.items() if html)
    for rel, (size, _, found, problems) in results.items():
        assert size == (site / rel).stat().st_size
        assert bool(found[0]) == (rel == "a/index.html")
        assert bool(problems) == (rel == "b/index.html")
    unsafe, leaks = finish(root, site, record, public, pre)
    assert [line.split(":")[0] for line in unsafe] == ["b/index.html"]
    assert leaks == ["a/index.html"]


def test_a_page_rewritten_after_it_was_scanned_or_not_sent_is_scanned_from_disk(scanned, monkeypatch):
    root, site, record, public, pre = scanned
    monkeypatch.setattr(prescan, "BATCH", 1)
    pre.send("a/index.html")
    write_as_mkdocs(site, "a/index.html", page("<p>公開の本文です。</p>"))
    pre.send("feed.xml")  # not a page: never sent; a/index.html goes to a worker
    write_as_mkdocs(site, "feed.xml", "<feed/>")
    assert sorted(pre.results()) == ["a/index.html"]
    write_as_mkdocs(site, "a/index.html", page(f"<p>{SECRET}</p>"))  # rewritten after it was scanned
    write_as_mkdocs(site, "b/index.html", page("<script>alert(1)</script>"))  # written by another hook
    unsafe, leaks = finish(root, site, record, public, pre)
    assert [line.split(":")[0] for line in unsafe] == ["b/index.html"]
    assert leaks == ["a/index.html"]
    pre.send("c/index.html")  # after MkDocs: nothing more is scanned early
    assert sorted(pre.results()) == ["a/index.html"]


def test_a_page_rewritten_to_the_same_size_after_it_was_scanned_is_scanned_again(scanned, monkeypatch):
    """Same size, other bytes: the digest tells it apart, and the fence and the verifier read
    the page again."""
    root, site, record, public, pre = scanned
    monkeypatch.setattr(prescan, "BATCH", 1)
    public_text = "公" * len(SECRET)  # as many bytes in UTF-8
    active = '<img src="x" onerror="alert(1)">'
    inert = f"<p>{'a' * (len(active) - 7)}</p>"  # as many bytes
    for rel, body in (("a/index.html", public_text), ("b/index.html", public_text), ("c/index.html", inert)):
        pre.send(rel)
        write_as_mkdocs(site, rel, page(body if body == inert else f"<p>{body}</p>"))
    assert sorted(pre.results()) == ["a/index.html", "b/index.html", "c/index.html"]  # all scanned, all clean
    write_as_mkdocs(site, "a/index.html", page(f"<p>{SECRET}</p>"))
    write_as_mkdocs(site, "b/index.html", page(f"<p>{SECRET}</p>"))
    write_as_mkdocs(site, "c/index.html", page(active))
    write_as_mkdocs(site, "c/data.json", json.dumps({"t": SECRET}))  # never scanned early
    assert pre.results()["a/index.html"][0] == (site / "a/index.html").stat().st_size
    assert pre.results()["c/index.html"][0] == (site / "c/index.html").stat().st_size
    unsafe, leaks = finish(root, site, record, public, pre)
    assert [line.split(":")[0] for line in unsafe] == ["c/index.html"]
    assert leaks == ["a/index.html", "b/index.html", "c/data.json"]


def test_each_page_written_asks_only_the_batches_still_running(scanned, monkeypatch):
    """Sending a page looks at the batches not yet done, never at every batch sent before: that
    grew with the square of the pages (3.1 million looks at 4000 meetings, 18,090 pages)."""
    root, site, record, public, pre = scanned
    monkeypatch.setattr(prescan, "BATCH", 1)
    looks = 0

    def keeping_up(future):  # the workers as fast as MkDocs: each batch done when next looked at
        nonlocal looks
        looks += 1
        return True

    monkeypatch.setattr(concurrent.futures.Future, "done", keeping_up)
    pages = [f"m/{n}/index.html" for n in range(600)]
    for rel in pages:
        write_as_mkdocs(site, rel, page(f"<p>会議{rel}の本文です。</p>"))
        pre.send(rel)
    pre.send("sitemap.xml")
    assert sorted(pre.results()) == sorted(pages)  # every page was scanned (results() waits for each batch)
    assert looks < 10 * len(pages), looks  # asking every batch sent on every page: about 180,000


@pytest.mark.parametrize(("cores", "workers"), [(None, 0), (1, 0), (2, 2), (4, 4), (16, prescan.WORKERS)])
def test_one_worker_per_core_and_none_on_one_core(monkeypatch, cores, workers):
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert prescan.Prescan.workers() == workers


def test_page_text_reads_bytes_as_the_file_would_be_read(tmp_path):
    data = "行1\r\n行2\r行3\n".encode() + b"\xff\xfe" + "終".encode()
    (tmp_path / "a.html").write_bytes(data)
    assert csp.page_text(data) == (tmp_path / "a.html").read_text(encoding="utf-8", errors="replace")


def test_the_other_files_are_scanned_while_the_index_is_written_and_trusted_only_unchanged(scanned):
    """After the fence, the files that are not pages go to the workers while this process writes
    the search index (send_files); the verifier takes a finding only for a file that still holds
    the bytes scanned, and the index's own folder is left to it."""
    root, site, record, public, pre = scanned
    write_as_mkdocs(site, "api/a.json", f'{{"text": "{SECRET}"}}')
    write_as_mkdocs(site, "api/b.json", '{"text": "公開の本文です。"}')
    write_as_mkdocs(site, "search/r/x.json", '{"text": "索引の見出し"}')
    assert pre.results() == {}  # no page: the fence's wait
    pre.send_files(site)
    written = pre.written()
    assert sorted(written) == ["api/a.json", "api/b.json"]
    assert [bool(written[rel].found[0]) for rel in ("api/a.json", "api/b.json")] == [True, False]
    write_as_mkdocs(site, "api/b.json", f'{{"text": "{SECRET}"}}')  # rewritten after it was scanned
    write_as_mkdocs(site, "search/r/y.json", f'{{"text": "{SECRET}"}}')  # the index, written after send_files
    unsafe, leaks = finish(root, site, record, public, pre)
    assert unsafe == []
    assert leaks == ["api/a.json", "api/b.json", "search/r/y.json"]


def test_the_index_files_are_scanned_as_they_are_written_and_trusted_only_unchanged(scanned, monkeypatch):
    """The search index's files of each page go to the workers as the index writes them
    (send_index), a batch at a time once send_files' job is done; the verifier takes a finding
    only for a file that still holds the bytes scanned, and scans what was not sent."""
    root, site, record, public, pre = scanned
    monkeypatch.setattr(prescan, "INDEX_BATCH", 2)
    write_as_mkdocs(site, "api/a.json", '{"text": "公開の本文です。"}')
    assert pre.results() == {}
    pre.send_files(site)
    assert sorted(pre.written()) == ["api/a.json"]  # waits for send_files' job, which index files wait for

    def index_file(rel: str, text: str) -> str:
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(json.dumps({"t": text}, ensure_ascii=False).encode(), mtime=0))
        return rel

    pre.send_index([index_file("search/r/a.json.gz", SECRET), index_file("search/p/a-0.json.gz", "公開の本文です。")])
    pre.send_index([index_file("search/p/b-0.json.gz", SECRET)])  # fewer than a batch: never sent
    written = pre.written()
    assert sorted(written) == ["api/a.json", "search/p/a-0.json.gz", "search/r/a.json.gz"]
    assert [bool(written[rel].found[0]) for rel in ("search/r/a.json.gz", "search/p/a-0.json.gz")] == [True, False]
    index_file("search/p/a-0.json.gz", SECRET)  # rewritten after it was scanned
    unsafe, leaks = finish(root, site, record, public, pre)
    assert unsafe == []
    assert leaks == ["search/p/a-0.json.gz", "search/p/b-0.json.gz", "search/r/a.json.gz"]


def test_the_index_files_waiting_go_to_a_free_worker_as_the_index_writes_its_chunks(scanned, monkeypatch):
    """After the files of the last page, the index writes only chunks, telling send_index of no
    files each time: the files waiting for a batch go then, however few, once a worker is free."""
    root, site, record, public, pre = scanned
    monkeypatch.setattr(prescan, "INDEX_BATCH", 100)
    assert pre.results() == {}
    path = site / "search/p/a-0.json.gz"
    path.parent.mkdir(parents=True)
    path.write_bytes(gzip.compress(json.dumps({"t": SECRET}, ensure_ascii=False).encode(), mtime=0))
    pre.send_index(["search/p/a-0.json.gz"])  # fewer than a batch: waits
    assert pre.written() == {}
    pre.send_index([])  # a chunk written: no worker is busy, so it goes
    written = pre.written()
    assert sorted(written) == ["search/p/a-0.json.gz"] and written["search/p/a-0.json.gz"].found[0]
    pre.send_index([])  # nothing waits: no job
    assert len(pre._files) == 1


def test_the_index_tells_of_each_page_s_files_and_of_each_chunk(scanned, monkeypatch):
    """index_site calls `wrote` with the files of each page as they are written, then with no
    files after each chunk (for prescan.send_index)."""
    from gijiroku.search import indexing

    _, site, _, public, _ = scanned
    site.mkdir()
    monkeypatch.setenv("GIJIROKU_CHUNK_PLACES", "50")  # a few chunks, even for a small record
    calls: list[list[str]] = []
    indexing.index_site(site, dataclasses.replace(public, decisions={}), wrote=calls.append)  # no built decision pages
    pages = len([c for c in calls if c])
    assert pages and all(calls[:pages]) and calls[pages:] == [[]] * (len(calls) - pages)  # the pages' files first
    assert len(calls) - pages == len(list((site / "search" / "index").iterdir())) > 1  # one after each chunk
    assert all((site / rel).is_file() for c in calls for rel in c)


def test_the_last_pages_go_to_one_worker_while_the_index_is_written(scanned, monkeypatch):
    """A command-line build indexes before it takes the fence's findings (BuildState.finish):
    `flush` sends the pages MkDocs wrote since the last batch, as one job, so the index keeps a
    core; the findings are the same as a build that waited for them, and a page rewritten after
    its scan is scanned again from disk."""
    root, site, record, public, pre = scanned
    monkeypatch.setattr(prescan, "BATCH", 100)  # no batch while "MkDocs renders": every page is left
    pages = {"a/index.html": page(f"<p>{SECRET}</p>"), "b/index.html": page('<a href="javascript:alert(1)">x</a>'),
             "c/index.html": page("<p>公開の本文です。</p>"), "d/index.html": page("<p>公開</p>")}
    for rel, html in pages.items():
        pre.send(rel)
        write_as_mkdocs(site, rel, html)
    monkeypatch.setattr(prescan, "BATCH", 1)  # sent to every worker, these would be four jobs
    pre.flush()
    assert len(pre._waiting) == 1 and len(pre._busy) == 1  # one job, every page in it
    pre.flush()  # nothing left to send
    assert len(pre._waiting) == 1
    write_as_mkdocs(site, "api/a.json", '{"text": "公開の本文です。"}')
    pre.send_files(site)
    pre._waiting[0].result()  # scanned
    write_as_mkdocs(site, "c/index.html", page(f"<p>{SECRET}</p>"))  # rewritten while the index is written
    results = pre.results()
    assert sorted(results) == sorted(pages)
    assert [rel for rel, (_, _, found, _) in sorted(results.items()) if found[0]] == ["a/index.html"]
    assert [rel for rel, (*_, problems) in sorted(results.items()) if problems] == ["b/index.html"]
    unsafe, leaks = finish(root, site, record, public, pre)
    assert [line.split(":")[0] for line in unsafe] == ["b/index.html"]
    assert leaks == ["a/index.html", "c/index.html"]


def test_the_workers_end_when_the_build_is_killed(scanned, tmp_path):
    """A build killed outright (MkDocs stopped by `gijiroku build` on Ctrl-C, or SIGKILL) leaves
    no worker waiting for work: the kernel ends them with it (processes.die_with). Before, they
    waited forever on their queue, and a caller reading the build's output waited with them."""
    root, site, *_ = scanned
    script = ("import os, signal, sys, time\n"
              "from pathlib import Path\n"
              "from conftest import FIXED_EPOCH, withheld_project\n"
              "from gijiroku.disclosure import verify\n"
              "from gijiroku.disclosure.public import build_date\n"
              "from gijiroku.site import prescan\n"
              "if __name__ == '__main__':\n"
              "    root, record, public = withheld_project(Path(sys.argv[1]), 'ほげふがの合言葉です')\n"
              "    pre = prescan.Prescan(verify.prepare(root, record, public, build_date({'SOURCE_DATE_EPOCH': FIXED_EPOCH})),\n"
              "                          root / 'site', '/', 2)\n"
              "    pre.pool.submit(os.getpid).result()  # a worker is running\n"
              "    print(' '.join(str(p) for p in pre.pool._processes), flush=True)\n"
              "    os.kill(os.getpid(), signal.SIGKILL)\n")
    (tmp_path / "killed.py").write_text(script, encoding="utf-8")
    here = str(Path(__file__).parent)
    done = subprocess.run([sys.executable, str(tmp_path / "killed.py"), str(tmp_path / "p2")], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": os.pathsep.join([here, *sys.path])})
    workers = [int(pid) for pid in done.stdout.split()]
    assert workers, done.stderr
    deadline = time.monotonic() + 15
    while any(process_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(process_running(pid) for pid in workers)
