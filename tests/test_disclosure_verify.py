"""Unit tests of the disclosure verifier (hooks/gijiroku/disclosure/verify.py), called in this
process: how passages are cut into windows, which windows count as evidence, the scan of the
output files (in this process and in worker processes), the search index read back, and what
`verify_site` remembers between the rebuilds of `serve`.

They were written for the mutants that `make mutation` found alive: mutmut sees only what runs
in the test process, and the suites that build a whole site reach most of these rules by chance
or not at all. Sites here are a few files written by hand; the search indexes are made once per
module, by `indexing.index_site` from the fixture project, and by hand for an indexer gone wrong.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import gzip
import hashlib
import json
import locale
import multiprocessing
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import quote

import images
import pytest

from conftest import FIXED_EPOCH, make_project, write
from gijiroku import processes
from gijiroku.disclosure import memo, readers, verify
from gijiroku.disclosure.public import build_date, public_record
from gijiroku.disclosure.readers import Unreadable
from gijiroku.disclosure.secrets import SHORTEST, STRIDE, WINDOW, Secret
from gijiroku.record import model
from gijiroku.record.loader import Record, load_record
from gijiroku.record.registry import Committee, Registry
from gijiroku.search import indexing, postings, reader, tokens
from gijiroku.search import records as search_records

BUILD_DAY = build_date({"SOURCE_DATE_EPOCH": FIXED_EPOCH})
PNG = images.png()
JPEG = images.jpeg()
PDF = b"%PDF-1.4\n" + b"\x00" * 32

# Two withheld passages, as the verifier's own reading of the sources would return them.
S1 = Secret("極秘の合言葉は青い梟と赤い鷹です", "minutes/1.md", 3, "非公表")  # 16 characters
S2 = Secret("非公表の議論では例示株式会社の名を伏せた", "minutes/1.md", 7, "非公表")  # 20 characters


def automaton_of(secrets, public=""):
    return verify.build_automaton(secrets, public, verify.Report())


def files(site: Path, contents: dict[str, str | bytes]) -> Path:
    for rel, content in contents.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return site


# --- fold and windows -------------------------------------------------------------------------------

def test_fold_removes_width_case_whitespace_and_invisible_characters():
    assert verify.fold("ＡＢＣ　ｄ e\tF") == "abcdef"
    assert verify.fold("Plain ASCII") == "plainascii"
    # bidirectional controls, invisible operators and variation selectors hide nothing
    assert verify.fold("秘\u202e密\u2066の\u2062話\ufe0fで\U000e0100す") == "秘密の話です"


PASSAGE = "".join(chr(0x4E00 + i) for i in range(40))  # forty different characters


@pytest.mark.parametrize("n", range(len(PASSAGE) + 1))
def test_the_windows_of_a_passage_catch_every_excerpt_of_twelve_characters(n):
    text = PASSAGE[:n]
    windows = verify._windows(text)
    if n < SHORTEST:
        assert windows == []  # too short to tell apart from other text
    elif n <= WINDOW:
        assert windows == [text]
    else:
        assert all(len(w) == WINDOW and w in text for w in windows)
        assert (windows[0], windows[-1]) == (text[:WINDOW], text[-WINDOW:])  # both ends are evidence
        run = WINDOW + STRIDE - 1
        assert all(any(w in text[i:i + run] for w in windows) for i in range(n - run + 1))


def test_windows_are_cut_from_the_folded_passage():
    assert verify._windows("ＡＢ　Ｃ Ｄ") == ["abcd"]
    assert verify._windows("Ａ" * 3) == []


# --- which windows are evidence ---------------------------------------------------------------------

def test_the_automaton_holds_every_window_of_a_secret_but_those_the_public_record_prints():
    secret = Secret("ABCDEFGHIJKLMN", "minutes/1.md", 1, "非公表")  # windows abcdefghij, defghijklm, efghijklmn
    report = verify.Report()
    automaton = verify.build_automaton([secret], verify.fold("前置き ABCDEFGHIJ 後書き"), report)
    assert sorted(automaton.items()) == [("defghijklm", ("defghijklm", secret)), ("efghijklmn", ("efghijklmn", secret))]
    assert report.windows == 2


def test_passages_too_short_to_match_are_counted():
    report = verify.Report()
    automaton = verify.build_automaton([Secret("秘密", "a.md", 1, ""), Secret(" 秘 密 です", "a.md", 2, ""),
                                        Secret("内緒", "a.md", 3, "")], "", report)
    assert (report.too_short, report.windows, list(automaton.keys())) == (2, 1, ["秘密です"])


# --- the file scan ----------------------------------------------------------------------------------

def test_the_scan_reports_each_secret_once_per_file_with_the_first_window_found(tmp_path):
    site = files(tmp_path / "site", {
        "a.html": f"<p>{S1.text}</p><p>{S1.text}</p><p>{S2.text}</p>",
        "b.txt": S1.text[6:],  # only the last window of S1
        "c.css": "body { color: black; }",
        "sub/d.json": json.dumps({"t": S2.text}),  # written as \uXXXX escapes
    })
    report = verify.Report()
    leaks, unreadable = verify.scan(site, automaton_of([S1, S2]), report, parallel=False)
    assert leaks == [verify.Leak("a.html", S1, S1.text[:10]), verify.Leak("a.html", S2, S2.text[:10]),
                     verify.Leak("b.txt", S1, S1.text[6:]), verify.Leak("sub/d.json", S2, S2.text[:10])]
    assert unreadable == []


REVERSED = S1.text[::-1]


@pytest.mark.parametrize(("name", "content", "leaks"), [
    ("plain.txt", REVERSED, False),  # nothing on the page turns it round: no one reads the passage
    ("word.txt", "direction: rtl; " + REVERSED, True),
    ("control.txt", "\u202e" + REVERSED, True),
    ("page.html", f'<bdo dir="rtl">{REVERSED}</bdo>', True),
])
def test_a_file_that_can_show_text_backwards_is_also_read_backwards(tmp_path, name, content, leaks):
    site = files(tmp_path / "site", {name: content})
    found, _ = verify.scan(site, automaton_of([S1]), verify.Report(), parallel=False)
    assert found == ([verify.Leak(name, S1, S1.text[:10])] if leaks else [])


def test_the_scan_counts_what_it_read_and_names_what_it_cannot(tmp_path):
    site = files(tmp_path / "site", {
        "index.html": "<p>公開の本文</p>", "about/index.html": "<p>案内</p>",
        "feed.xml.gz": gzip.compress(b"<feed/>"), "CNAME": "example.jp\n", "js/app.min.js.map": "{}",
        "img/logo.png": PNG, "files/a.pdf": PDF,
    })
    report = verify.Report()
    reader = verify.Reader(site, frozenset({"png"}), False)
    leaks, unreadable = verify.scan(site, automaton_of([S1]), report, parallel=False, reader=reader)
    assert (leaks, unreadable) == ([], [Unreadable("files/a.pdf", "PDF")])
    assert report.files == 7
    assert report.bytes == sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert report.kinds == {".html": 2, ".xml.gz": 1, "CNAME": 1, ".js.map": 1, ".png": 1, ".pdf": 1}
    assert report.skipped == 1  # the PDF is refused (the reviewed image is read as text: pictures.as_text)


def test_the_scan_reads_every_file_itself_without_a_reader(tmp_path):
    """No reviewed types, and the search index chunks decoded in full (a broken one refused)."""
    site = files(tmp_path / "site", {
        "img/logo.png": PNG,
        "search/index/0123456789ab.bin.gz": gzip.compress(b"GKIX1\xff\xff"),
        "notes.txt": S1.text,
    })
    leaks, unreadable = verify.scan(site, automaton_of([S1]), verify.Report(), parallel=False)
    assert leaks == [verify.Leak("notes.txt", S1, S1.text[:10])]
    assert [u.output for u in unreadable] == ["img/logo.png", "search/index/0123456789ab.bin.gz"]


@pytest.mark.parametrize("parallel", [False, True])
def test_a_withheld_passage_in_a_file_name_is_a_leak(tmp_path, monkeypatch, parallel):
    """A file under docs/ is published under its own name: a withheld passage as the name (or cut
    into folder names) was published, found by an attack; the verifier reads the paths too."""
    monkeypatch.setattr(verify, "PARALLEL_BYTES", 0)
    site = files(tmp_path / "site", {f"files/{S1.text}.txt": "memo", f"{S2.text[:9]}/{S2.text[9:]}/a.txt": "memo",
                                     "files/公開の名前.txt": "memo"})
    leaks, unreadable = verify.scan(site, automaton_of([S1, S2]), verify.Report(), parallel=parallel)
    assert unreadable == []
    assert sorted((leak.output, leak.secret.text) for leak in leaks) == [
        (f"files/{S1.text}.txt（ファイル名）", S1.text), (f"{S2.text[:9]}/{S2.text[9:]}/a.txt（ファイル名）", S2.text)]
    assert "（ファイル名）" in leaks[0].format()
    # found by a second attack: a name percent-encoded, and a passage in ASCII letters
    ascii_secret = Secret("Project Falcon budget cut approved quietly", "minutes/1.md", 9, "非公表")
    other = files(tmp_path / "other", {f"files/{quote(S1.text)}.txt": "memo", f"files/{ascii_secret.text}.txt": "memo"})
    leaks, _ = verify.scan(other, automaton_of([S1, ascii_secret]), verify.Report(), parallel=parallel)
    assert sorted(leak.secret.line for leak in leaks) == [3, 9]


def test_a_reader_passes_a_reviewed_image_and_refuses_any_other(tmp_path):
    site = files(tmp_path / "site", {"a.png": PNG, "b.jpg": JPEG, "c.txt": "本文"})
    reader = verify.Reader(site, frozenset({"png"}), False)
    image, jpeg, text = (reader.read(site / name) for name in ("a.png", "b.jpg", "c.txt"))
    assert readers.as_text(PNG, "png") in image and (jpeg, text) == (Unreadable("b.jpg", "JPEG 画像"), "本文")


def test_a_rescan_reads_only_the_files_written_at_or_after_since(tmp_path):
    site = files(tmp_path / "site", {"a.txt": S1.text, "b.txt": S1.text, "c.txt": S2.text})
    since = 1_700_000_000.0
    for name, mtime in (("a.txt", since - 10), ("b.txt", since), ("c.txt", since + 10)):
        os.utime(site / name, (mtime, mtime))
    report = verify.Report()
    leaks, _ = verify.scan(site, automaton_of([S1, S2]), report, since=since, parallel=False)
    assert [(leak.output, leak.secret) for leak in leaks] == [("b.txt", S1), ("c.txt", S2)]
    assert report.files == 2


# --- the scan in worker processes -------------------------------------------------------------------

class PoolSpy(concurrent.futures.ProcessPoolExecutor):
    """The real pool, noting how many workers each scan asked for."""

    started: list = []
    start_methods: list = []

    def __init__(self, max_workers=None, **kwargs):
        PoolSpy.started.append(max_workers)
        PoolSpy.start_methods.append((kwargs["mp_context"].get_start_method(), kwargs["initializer"],
                                      kwargs["initargs"][1]))
        super().__init__(max_workers, **kwargs)


@pytest.fixture
def pools(monkeypatch):
    PoolSpy.started, PoolSpy.start_methods = [], []
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", PoolSpy)
    return PoolSpy.started


def many_files(site: Path) -> Path:
    """Forty-five files, most of them leaking, so that every chunk of a parallel scan has some."""
    contents = {}
    for i in range(45):
        text = (S1.text[i % 7:], S2.text[i % 11:], "公開の本文です。")[i % 3]
        contents[f"p{i:02}/index.html"] = f"<p>{i} {text}</p>"
    contents["files/a.pdf"] = PDF
    return files(site, contents)


@pytest.mark.parametrize(("cores", "workers"), [(None, None), (1, None), (2, 2), (16, 8)])
def test_a_large_site_is_scanned_in_one_worker_per_core_with_the_same_result(tmp_path, monkeypatch, pools, cores,
                                                                            workers):
    """At most eight workers, and none where the cores cannot be counted or there is only one."""
    site = many_files(tmp_path / "site")
    automaton = automaton_of([S1, S2])
    serial_report = verify.Report()
    serial = verify.scan(site, automaton, serial_report, parallel=False)
    assert len(serial[0]) == 30 and pools == []
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    monkeypatch.setattr(verify, "PARALLEL_BYTES", 0)
    report = verify.Report()
    assert verify.scan(site, automaton, report) == serial
    assert report == serial_report
    assert pools == ([] if workers is None else [workers])
    # never `fork` (serve runs threads); each worker ends with the build (processes.spawned_pool), and
    # the automaton reaches it through the initializer
    assert PoolSpy.start_methods == ([] if workers is None else [("spawn", processes._start, verify._start_worker)])


def test_no_worker_processes_for_a_small_site_or_when_parallel_is_off(tmp_path, monkeypatch, pools):
    site = many_files(tmp_path / "site")
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    automaton = automaton_of([S1, S2])
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    verify.scan(site, automaton, verify.Report())  # a few kilobytes: below PARALLEL_BYTES
    assert pools == []
    for threshold, parallel, pool in ((0, False, False), (size + 1, True, False), (size, True, True)):
        monkeypatch.setattr(verify, "PARALLEL_BYTES", threshold)
        pools.clear()
        verify.scan(site, automaton, verify.Report(), parallel=parallel)
        assert pools == ([2] if pool else []), (threshold, parallel)


def test_a_worker_scans_its_share_of_the_files_as_the_scan_in_this_process_does(tmp_path, monkeypatch):
    """mutmut records only what runs in this process: the function the workers run, called here."""
    site = many_files(tmp_path / "site")
    automaton, reader = automaton_of([S1, S2]), verify.Reader(site, frozenset(), False)
    paths = sorted(p for p in site.rglob("*") if p.is_file())[:9]
    monkeypatch.setattr(verify, "_WORKER", {})  # what a worker process holds after its initializer
    verify._start_worker(automaton, reader)
    share = verify._scan_chunk(paths)
    assert share == [(path, *verify.scan_file(path, automaton, reader)) for path in paths]
    assert sum(len(found) for _, found, _, _ in share) == 6


# --- files scanned before the scan (as MkDocs wrote them) -------------------------------------------

def written_of(site: Path, rel: str, automaton, data: bytes | None = None) -> verify.Written:
    """What a scan of `data` (default: the file's bytes now) found, as site/prescan.py keeps it."""
    data = (site / rel).read_bytes() if data is None else data
    reader = verify.Reader(site, frozenset(), False)
    return verify.Written(len(data), hashlib.sha256(data).digest(), verify.scan_bytes(data, rel, automaton, reader))


def test_scan_bytes_finds_what_the_scan_of_the_file_finds(tmp_path):
    site = many_files(tmp_path / "site")
    automaton, reader = automaton_of([S1, S2]), verify.Reader(site, frozenset(), False)
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        assert verify.scan_bytes(path.read_bytes(), rel, automaton, reader) == verify.scan_file(path, automaton, reader)


def test_a_file_holding_the_scanned_bytes_takes_their_finding_and_is_counted_as_read(tmp_path):
    site = files(tmp_path / "site", {"a/index.html": "<p>公開の本文です。</p>", "b.txt": "公開"})
    automaton = automaton_of([S1])
    # The finding of bytes that were scanned as written: a leak (the file on disk holds the same bytes).
    scanned = written_of(site, "a/index.html", automaton)
    leaking = dataclasses.replace(scanned, found=([(S1.text[:10], S1)], None, True))
    report = verify.Report()
    leaks, _ = verify.scan(site, automaton, report, parallel=False, written={"a/index.html": leaking})
    assert leaks == [verify.Leak("a/index.html", S1, S1.text[:10])]
    assert (report.files, report.skipped) == (2, 0)


@pytest.mark.parametrize("rewrite", ["same size", "longer", "shorter"])
def test_a_page_rewritten_on_disk_after_it_was_scanned_is_scanned_again(tmp_path, rewrite):
    """A later plugin or hook that rewrites a page cannot slip a leak past the early scan."""
    clean = "<p>公開の本文です。公開の本文です。公開の本文です。公開の本文です。</p>"
    site = files(tmp_path / "site", {"a/index.html": clean, "b/index.html": clean})
    automaton = automaton_of([S1])
    written = {rel: written_of(site, rel, automaton) for rel in ("a/index.html", "b/index.html")}
    leak = {"same size": f"<p>{S1.text}公開の本文です。公開の本文です。</p>", "longer": f"{clean}<p>{S1.text}</p>",
            "shorter": f"<p>{S1.text}</p>"}[rewrite]
    assert (len(leak.encode()) == len(clean.encode())) == (rewrite == "same size")
    (site / "b" / "index.html").write_text(leak, encoding="utf-8")
    leaks, _ = verify.scan(site, automaton, verify.Report(), parallel=False, written=written)
    assert leaks == [verify.Leak("b/index.html", S1, S1.text[:10])]


def test_a_file_scanned_early_that_turns_unreadable_on_disk_is_refused(tmp_path):
    site = files(tmp_path / "site", {"a/index.html": "<p>公開</p>"})
    automaton = automaton_of([S1])
    written = {"a/index.html": written_of(site, "a/index.html", automaton)}
    (site / "a" / "index.html").write_bytes("<p>公開</p>".encode("shift_jis") + b"\x82\xa0")
    _, unreadable = verify.scan(site, automaton, verify.Report(), parallel=False, written=written)
    assert [u.output for u in unreadable] == ["a/index.html"]


def test_a_running_pool_scans_the_files_not_scanned_early_as_this_process_would(tmp_path):
    site = many_files(tmp_path / "site")
    automaton = automaton_of([S1, S2])
    serial_report = verify.Report()
    serial = verify.scan(site, automaton, serial_report, parallel=False)
    written = {rel: written_of(site, rel, automaton) for rel in ("p00/index.html", "p01/index.html", "p05/index.html")}
    context = multiprocessing.get_context("spawn")
    reader = verify.Reader(site, frozenset(), False)
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=context, initializer=verify._start_worker,
                                                initargs=(automaton, reader)) as pool:
        report = verify.Report()
        assert verify.scan(site, automaton, report, written=written, pool=pool) == serial
    assert report == serial_report


def test_verify_site_with_a_prepared_automaton_finds_what_it_finds_alone(tmp_path):
    root = make_project(tmp_path / "p")
    site = files(root / "site", {"index.html": "<p>公開</p>"})
    record, public = records(root)
    prepared = verify.prepare(root, record, public, BUILD_DAY)
    alone = verify.verify_site(root, site, record, public, BUILD_DAY, parallel=False)
    assert verify.verify_site(root, site, record, public, BUILD_DAY, parallel=False, prepared=prepared) == alone
    assert (alone[1].secrets, alone[1].windows) == (len(prepared.secrets), prepared.windows)


# --- the search index read back ---------------------------------------------------------------------

SECRET = "極秘標識ほげふがぴよ参号の文言です"  # withheld in minutes/10.md:39 of `leaky_root`
DECISION = "decisions/2023-04-05-example/"


def leaky_root(tmp_path: Path, extra: str = "") -> Path:
    """The fixture project, with SECRET (and `extra` on the next line) withheld in minutes/10.md:39."""
    root = make_project(tmp_path / "p")
    text = (root / "minutes" / "10.md").read_text(encoding="utf-8")
    withheld = "\n".join(filter(None, [SECRET, extra]))
    write(root / "minutes" / "10.md", text.replace(
        "○井上委員長 原案のとおり承認します。", f"○井上委員長 原案のとおり承認します。\n\n<!-- 非公表 -->\n{withheld}\n<!-- /非公表 -->"))
    return root


def records(root: Path):
    record, problems = load_record(root)
    assert problems == []
    return record, public_record(record, BUILD_DAY)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    """A project, and a site whose decision page (so its search index too) prints the withheld SECRET."""
    root = leaky_root(tmp_path_factory.mktemp("indexed"))
    site = files(root / "site", {
        "index.html": "<p>公開の本文</p>",
        f"{DECISION}index.html": ('<div class="gk-document"><h2 id="a">承認の内容</h2>'
                                  f"<p>デジタル庁の全項目評価書を承認する。</p><p>{SECRET}</p></div>"),
    })
    indexing.index_site(site, records(root)[1])
    return root


@pytest.fixture
def indexed_site(indexed, tmp_path):
    return Path(shutil.copytree(indexed / "site", tmp_path / "site"))


def secret_of(text: str) -> Secret:
    return Secret(text, "minutes/10.md", 39, "非公表")


def index_leaks(site: Path, secrets: list[Secret], public: str = ""):
    """The index's leaks, the same whether its windows are worked out in the scan or before it
    (`index_windows`, as a command-line build's forked preparation does: disclosure/ahead.py)."""
    found = verify.scan_search_index(site, secrets, public)
    assert verify.scan_search_index(site, secrets, "", windows=verify.index_windows(secrets, public)) == found
    return found


def page_id(site: Path, url: str) -> str:
    return next(p.name.removesuffix(".json.gz") for p in (site / "search" / "r").glob("*.json.gz")
                if json.loads(gzip.decompress(p.read_bytes()))["u"] == url)


def test_every_window_of_a_secret_in_the_search_index_is_reported_with_its_page(indexed_site):
    secret = secret_of(SECRET)
    windows = verify._windows(tokens.search_chars(SECRET))
    assert index_leaks(indexed_site, [secret]) == [
        verify.Leak(f"search/index（{DECISION}）", secret, w) for w in sorted(windows)]
    assert index_leaks(indexed_site, [secret_of("索引のどこにもない別の文言です")]) == []


def test_a_window_the_public_record_prints_is_no_leak_in_the_index(indexed_site):
    secret = secret_of(SECRET)
    # printed with punctuation between its letters: the index, which holds letters only, has it
    assert index_leaks(indexed_site, [secret], verify.fold("極秘標識、ほげふが・ぴよ参号の「文言」です。")) == []
    # the two halves printed apart: no public text holds a whole window
    public = verify.fold(SECRET[:8]) + "\x00" + verify.fold(SECRET[8:])
    assert len(index_leaks(indexed_site, [secret], public)) == len(verify._windows(tokens.search_chars(SECRET)))


def test_a_site_without_a_search_index_has_none_to_read_back(tmp_path):
    site = files(tmp_path / "site", {"index.html": SECRET})
    assert index_leaks(site, [secret_of(SECRET)]) == []


@pytest.mark.parametrize("header", ["missing", "not gzip", "not JSON", "no url"])
def test_an_index_leak_names_the_page_id_when_the_page_header_cannot_be_read(indexed_site, header):
    page = page_id(indexed_site, DECISION)
    path = indexed_site / "search" / "r" / f"{page}.json.gz"
    if header == "missing":
        path.unlink()
    else:
        path.write_bytes({"not gzip": b"{}", "not JSON": gzip.compress(b"{"),
                          "no url": gzip.compress(b'{"t": "x"}')}[header])
    assert {leak.output for leak in index_leaks(indexed_site, [secret_of(SECRET)])} == {f"search/index（{page}）"}


def test_an_index_that_cannot_be_decoded_is_refused_once_before_the_leaks(indexed, indexed_site):
    """The file scan leaves the chunks to the index check, which refuses a broken one."""
    chunk = sorted((indexed_site / "search" / "index").glob("*.bin.gz"))[0]
    data = gzip.decompress(chunk.read_bytes())
    chunk.write_bytes(gzip.compress(data[:len(data) // 2]))  # cut short
    found, _ = verify.verify_site(indexed, indexed_site, *records(indexed), BUILD_DAY, parallel=False)
    assert found[0] == Unreadable("search/index", "読めない検索索引（ValueError）")
    assert all(isinstance(f, verify.Leak) for f in found[1:]) and len(found) > 1


def test_reading_the_index_back_stops_with_cancelled_never_with_a_refusal(indexed_site):
    """Set, the stop is raised through the index check (not refused as an index it cannot read);
    not set, the check finds what it finds without one."""
    secret = secret_of(SECRET)
    stop = threading.Event()
    stop.set()
    with pytest.raises(verify.Cancelled):
        verify.scan_search_index(indexed_site, [secret], "", stop)
    found = verify.scan_search_index(indexed_site, [secret], "", threading.Event())
    assert found == index_leaks(indexed_site, [secret]) and len(found) > 1


PUBLIC = "公開の本文です。デジタル庁の全項目評価書を承認する。"


@pytest.fixture(scope="module")
def forged(tmp_path_factory):
    """A project that withholds SECRET, and a search index written by hand with an indexer gone
    wrong: its second page holds SECRET, and the facets list none of its chunks."""
    root = leaky_root(tmp_path_factory.mktemp("forged"))
    folder = root / "site" / "search"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIJIROKU_CHUNK_PLACES", "8")
        built = postings.build([[tokens.search_chars(PUBLIC)], [tokens.search_chars(SECRET)]])
    assert len(built.chunks) > 2
    files(folder, {f"index/{c.name}": c.data for c in built.chunks})
    facets = {"rows": {}, "gram": tokens.GRAM, "index": {"chars": built.chars, "pages": ["p0", "p1"], "chunks": []}}
    files(folder, {"facets.json.gz": gzip.compress(json.dumps(facets, ensure_ascii=False).encode())})
    return root


def test_every_chunk_in_the_index_folder_is_read_listed_or_not(forged):
    secret = secret_of(SECRET)
    found = index_leaks(forged / "site", [secret])
    assert {leak.output for leak in found} == {"search/index（p1）"}  # p0, the public page, holds none
    assert {leak.window for leak in found} == set(verify._windows(tokens.search_chars(SECRET)))
    assert index_leaks(forged / "site", []) == []


def test_a_passage_across_two_pages_of_the_index_is_not_in_it(forged):
    across = tokens.search_chars(PUBLIC)[-6:] + tokens.search_chars(SECRET)[:6]
    assert reader.find_in_index(forged / "site" / "search", [across]) == {}
    assert reader.find_in_index(forged / "site" / "search", [across[:6], across[6:]]) == {
        "p0": {across[:6]}, "p1": {across[6:]}}


@pytest.mark.parametrize("stray", ["a file that is not a chunk", "a folder"])
def test_anything_else_in_the_index_folder_refuses_the_index(forged, tmp_path, stray):
    site = Path(shutil.copytree(forged / "site", tmp_path / "site"))
    if stray == "a folder":
        (site / "search" / "index" / "sub").mkdir()
    else:
        files(site, {"search/index/notes.json.gz": gzip.compress(b"{}")})
    found = index_leaks(site, [secret_of(SECRET)])
    assert [type(f) for f in found] == [Unreadable] and found[0].output == "search/index"


@pytest.mark.parametrize("ahead", [False, True])
def test_verify_site_reports_the_leaks_of_the_search_index(forged, ahead):
    """`ahead`: prepared as a forked process sends it, without the public text (Prepared.ahead)."""
    prepared = verify.prepare(forged, *records(forged), BUILD_DAY)
    if ahead:
        prepared = prepared.ahead()
        assert prepared.public_folded == "" and prepared.search_windows
    found, _ = verify.verify_site(forged, forged / "site", *records(forged), BUILD_DAY, parallel=False,
                                  prepared=prepared)
    assert {f.output for f in found} == {"search/index（p1）"}
    assert {f.secret for f in found} == {secret_of(SECRET)}


# --- verify_site ------------------------------------------------------------------------------------

def test_verify_site_names_leaks_and_unreadable_files_with_their_sources(tmp_path):
    root = leaky_root(tmp_path)
    files(root / "docs", {"files/資料 #2.pdf": PDF})  # MkDocs copies it to the site as it is
    site = files(tmp_path / "site", {
        "index.html": "<p>公開の本文</p>", "meetings/10/index.html": f"<p>{SECRET}</p>",
        "files/資料 #2.pdf": PDF, "gen/x.pdf": PDF,
    })
    found, report = verify.verify_site(root, site, *records(root), BUILD_DAY, verify.template_text(), parallel=False)
    assert found == [Unreadable("files/資料 #2.pdf", "PDF", "docs/files/資料 #2.pdf"), Unreadable("gen/x.pdf", "PDF"),
                     verify.Leak("meetings/10/index.html", secret_of(SECRET), SECRET[:10])]
    assert (report.secrets, report.files) == (3, 4)  # SECRET, and the two lines of the deferred item of 9.md


def test_verify_site_passes_the_file_types_the_committee_reviewed(tmp_path):
    root = leaky_root(tmp_path)
    with (root / "committee.yml").open("a", encoding="utf-8") as f:
        f.write("reviewed_file_types: [.PNG]\n")  # any case, with or without the dot
    site = files(tmp_path / "site", {"logo.png": PNG, "photo.jpg": JPEG})
    found, _ = verify.verify_site(root, site, *records(root), BUILD_DAY, parallel=False)
    assert found == [Unreadable("photo.jpg", "JPEG 画像")]


def test_verify_site_scans_in_worker_processes_unless_told_not_to(tmp_path, monkeypatch, pools):
    root = leaky_root(tmp_path)
    site = files(tmp_path / "site", {"a.txt": SECRET, "b.txt": "公開"})
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(verify, "PARALLEL_BYTES", 0)
    serial, _ = verify.verify_site(root, site, *records(root), BUILD_DAY, parallel=False)
    assert pools == []
    assert verify.verify_site(root, site, *records(root), BUILD_DAY)[0] == serial
    assert pools == [2]


def _age(site: Path, mtime: float) -> None:
    for path in site.rglob("*"):
        os.utime(path, (mtime, mtime))


def test_a_rebuild_with_the_same_secrets_scans_only_what_it_rewrote(tmp_path):
    root, memory = leaky_root(tmp_path), {}  # the serve session's memory (Session.verified)
    site = files(tmp_path / "site", {"a.html": "<p>公開</p>", "b.html": "<p>公開</p>"})
    assert verify.verify_site(root, site, *records(root), BUILD_DAY, parallel=False, verified=memory)[0] == []
    _age(site, 1_700_000_000)
    files(site, {"c.html": "<p>新しい頁</p>"})
    found, report = verify.verify_site(root, site, *records(root), BUILD_DAY, since=1_700_000_100, parallel=False, verified=memory)
    assert (found, report.files) == ([], 1)
    # without the session's memory (a new process) nothing is known to be verified: every file
    found, report = verify.verify_site(root, site, *records(root), BUILD_DAY, since=1_700_000_100, parallel=False)
    assert (found, report.files) == ([], 3)


def test_a_rebuild_after_the_secrets_changed_scans_every_file(tmp_path):
    root, memory = leaky_root(tmp_path), {}  # the serve session's memory (Session.verified)
    site = files(tmp_path / "site", {"a.html": f"<p>{S2.text}</p>"})
    assert verify.verify_site(root, site, *records(root), BUILD_DAY, parallel=False, verified=memory)[0] == []
    _age(site, 1_700_000_000)
    write(root / "minutes" / "10.md", (root / "minutes" / "10.md").read_text(encoding="utf-8").replace(
        SECRET, f"{SECRET}\n{S2.text}"))  # a.html, written before, now holds a withheld passage
    found, report = verify.verify_site(root, site, *records(root), BUILD_DAY, since=1_700_000_100, parallel=False, verified=memory)
    assert [(f.output, f.secret.text, f.secret.line) for f in found] == [("a.html", S2.text, 40)]
    assert report.files == 1


def test_a_directory_that_failed_verification_is_scanned_in_full_next_time(tmp_path):
    root, memory = leaky_root(tmp_path), {}  # the serve session's memory (Session.verified)
    site = files(tmp_path / "site", {"a.html": "<p>公開</p>"})
    assert verify.verify_site(root, site, *records(root), BUILD_DAY, parallel=False, verified=memory)[0] == []
    files(site, {"b.html": f"<p>{SECRET}</p>"})
    _age(site, 1_700_000_000)
    assert len(verify.verify_site(root, site, *records(root), BUILD_DAY, parallel=False, verified=memory)[0]) == 1
    found, _ = verify.verify_site(root, site, *records(root), BUILD_DAY, since=1_700_000_100, parallel=False, verified=memory)
    assert [f.output for f in found] == ["b.html"]


def test_verify_site_asked_to_stop_raises_cancelled_and_forgets_the_directory(tmp_path):
    """A background index check stops when a newer build starts: it proved nothing, so the
    session's memory no longer says that the directory passed."""
    root, memory = leaky_root(tmp_path), {}  # the serve session's memory (Session.verified)
    site = files(tmp_path / "site", {"a.html": "<p>公開</p>", "b.html": "<p>公開の本文</p>"})
    assert verify.verify_site(root, site, *records(root), BUILD_DAY, parallel=False, verified=memory)[0] == []
    assert site.resolve() in memory
    stop = threading.Event()
    stop.set()
    with pytest.raises(verify.Cancelled):
        verify.verify_site(root, site, *records(root), BUILD_DAY, parallel=False, verified=memory, cancel=stop)
    assert site.resolve() not in memory
    # not set: as without it, leaks and memory alike
    files(site, {"c.html": f"<p>{SECRET}</p>"})
    alone = verify.verify_site(root, site, *records(root), BUILD_DAY, parallel=False)
    assert verify.verify_site(root, site, *records(root), BUILD_DAY, parallel=False, verified=memory,
                              cancel=threading.Event()) == alone
    assert [f.output for f in alone[0]] == ["c.html"] and site.resolve() not in memory
    (site / "c.html").unlink()
    assert verify.verify_site(root, site, *records(root), BUILD_DAY, parallel=False, verified=memory,
                              cancel=threading.Event())[0] == []
    assert site.resolve() in memory


# --- the public text --------------------------------------------------------------------------------

def printed_record() -> tuple[Record, list[str]]:
    """A record of two meetings, decisions and a registry, and every string it prints, in the order
    of the public text (before b840461 one flat list of parts, each folded, joined by NUL)."""
    m = model
    chair = m.Speaker("井上委員長", m.SpeakerKind.COMMISSIONER, "inoue", "委員長")
    staff = m.Speaker("佐藤事務局長", m.SpeakerKind.SECRETARIAT, None, "事務局長")
    item = m.AgendaItem(9, 1, "評価書について", kind="全項目評価書", outcome="承認", publication="資料は公表",
                        reason="理由の文", subjects=("案件の名",),
                        materials=(m.Material("資料1", "資料の名"), m.Material("資料2")))
    speech = m.Speech(9, 1, 1, staff, (m.Paragraph("説明します。"), m.Paragraph("以上です。")))
    meeting = m.Meeting(9, "第9回", dt.date(2024, 1, 1), commissioners=(chair,), secretariat=(staff,), chair=chair,
                        agenda=(item,), elements=(speech, m.Event(1, m.StageDirection("（退室）"))))
    later = m.Meeting(10, "第10回", dt.date(2024, 2, 1),
                      elements=(m.Speech(10, None, 1, chair, (m.Paragraph("次回の会議で扱う議題の一覧を示します。"),)),))
    decisions = {"d1": m.Decision("d1", "承認の文書", "決定", None, note="注記の文", body="決定の本文はこの一文です。"),
                 "d2": m.Decision("d2", "参考の文書", "資料", None)}
    registry = Registry(Committee(), {"inoue": m.Person("inoue", "井上", aliases=("井上氏",))},
                        {"a": m.Agency("a", "デジタル庁", aliases=("デジ庁",))})
    printed = [
        m.PLACEHOLDER, "テンプレートの文",
        "第9回（", "井上委員長", "佐藤事務局長", "井上委員長",  # title as lists print it, attendees, chair
        "評価書について", "承認", "全項目評価書", "理由の文", "資料は公表", "案件の名", "資料の名", "議題1 評価書について",
        "説明します。\n以上です。", "佐藤事務局長", "（退室）",
        "第10回（", "次回の会議で扱う議題の一覧を示します。", "井上委員長",
        "承認の文書", "決定の本文はこの一文です。", "注記の文", "決定（決定）", "参考の文書", "", "", "資料（資料）",
        "井上", "井上氏", "デジタル庁", "デジ庁"]
    return Record(registry, {9: meeting, 10: later}, decisions), printed


def test_public_text_is_every_string_the_public_record_prints():
    record, printed = printed_record()
    text = verify.public_text(record, ["テンプレートの文"])
    assert sorted(text.split("\x00")) == sorted(verify.fold(p) for p in printed)


def test_the_public_text_is_its_pieces_joined_and_the_flat_text_it_was_before():
    """b840461 cut the public text into pieces (the templates, each meeting, the rest) so that a
    serve rebuild reads again only those an edit changed: joined, they are the flat text."""
    record, printed = printed_record()
    pieces = verify.public_pieces(record, ["テンプレートの文"])
    assert len(pieces) == 4  # the templates, two meetings, the decisions and the registry
    flat = "\x00".join(verify.fold(p) for p in printed)
    assert verify.public_text(record, ["テンプレートの文"]) == "\x00".join(pieces) == flat
    assert verify.public_pieces(record, ["テンプレートの文"], memo.Memo()) == pieces
    # a record of no decisions and no registry: no empty piece (the flat text had no part for them)
    bare = Record(Registry(Committee(), {}, {}), {10: record.meetings[10]}, {})
    assert verify.public_pieces(bare, []) == [verify.fold(model.PLACEHOLDER), "\x00".join(
        verify.fold(p) for p in ("第10回（", "次回の会議で扱う議題の一覧を示します。", "井上委員長"))]


def test_the_automaton_of_the_public_pieces_is_that_of_the_public_text():
    record, _ = printed_record()
    secrets = [
        Secret("次回の会議で扱う議題の一覧と非公表の日程", "minutes/10.md", 3, "非公表"),  # begins as meeting 10 prints
        Secret("非公表の前置きと決定の本文はこの一文です", "minutes/10.md", 4, "非公表"),  # ends as a decision prints
        Secret("以上です。佐藤事務局長", "minutes/9.md", 5, "非公表"),  # two parts as printed: no window public
        Secret("説明します。以上です。と述べた後の非公表の文", "minutes/9.md", 6, "非公表"),  # as meeting 9 prints
        Secret("秘密", "docs/a.md", 2, "非公表"),  # too short
    ]
    pieces = verify.public_pieces(record, ["テンプレートの文"])
    by_pieces, by_text = verify.Report(), verify.Report()
    automaton = verify.build_automaton(secrets, pieces, by_pieces)
    alone = verify.build_automaton(secrets, "\x00".join(pieces), by_text)
    assert sorted(automaton.items()) == sorted(alone.items())
    assert (by_pieces.windows, by_pieces.too_short) == (by_text.windows, by_text.too_short) == (len(alone), 1)
    windows = {w for s in secrets for w in verify._windows(s.text)}
    public = {w for w in windows if any(w in piece for piece in pieces)}
    assert set(automaton.keys()) == windows - public
    assert {i for i, piece in enumerate(pieces) for w in public if w in piece} == {1, 2, 3}  # meetings, decisions


def test_the_templates_literal_text_counts_as_public():
    texts = verify.template_text()
    folder = Path(verify.__file__).parent.parent / "site" / "templates"
    assert len(texts) == len(list(folder.glob("*.j2"))) > 5
    assert any("{%" in t for t in texts) and any("非公表" in t for t in texts)


def test_the_templates_are_read_as_utf8_whatever_the_locale():
    """A build on a machine whose locale is not UTF-8 (ja_JP.eucJP, or C) reads the same literals."""
    expected = verify.template_text()
    before = locale.setlocale(locale.LC_CTYPE)
    try:
        locale.setlocale(locale.LC_CTYPE, "C")
        assert verify.template_text() == expected
    finally:
        locale.setlocale(locale.LC_CTYPE, before)


def test_the_types_committee_yml_says_were_reviewed_pass_and_no_other(tmp_path):
    """`reviewed_file_types` as staff write it (any case, with or without the dot): those images
    are passed; any other image is refused. The report counts what `prepare` made."""
    root = leaky_root(tmp_path)
    committee = root / "committee.yml"
    text = committee.read_text(encoding="utf-8")
    text = "\n".join(line for line in text.split("\n") if not line.startswith("reviewed_file_types"))
    committee.write_text(text + "\nreviewed_file_types: [PNG, .jpg]\n", encoding="utf-8")
    site = files(tmp_path / "site", {"a.png": PNG, "b.jpg": JPEG, "c.gif": b"GIF89a" + b"\x00" * 32, "d.txt": "本文"})
    found, report = verify.verify_site(root, site, *records(root), BUILD_DAY, parallel=False)
    assert [(f.output, type(f)) for f in found] == [("c.gif", Unreadable)]
    assert report.skipped == 1  # the refused one (the reviewed images are read as text: pictures.as_text)
    prepared = verify.prepare(root, *records(root), BUILD_DAY)
    assert prepared.reviewed == frozenset({"png", "jpg"})
    assert (report.windows, report.too_short) == (prepared.windows, prepared.too_short) and report.windows > 0


# --- under serve: what prepare worked out, kept for the next build (disclosure/memo.py) -------------

def test_a_memo_table_computes_every_time_unless_kept_and_keeps_what_the_last_build_asked_for():
    asked: list[str] = []

    def compute(key: str) -> str:
        asked.append(key)
        return key.upper()

    table = memo._Table(keep=False)  # a one-off build: nothing kept
    table.renew()
    assert [table.get("a", compute), table.get("a", compute)] == ["A", "A"] and asked == ["a", "a"]
    table.renew()
    assert table.get("a", compute) == "A" and asked == ["a", "a", "a"]

    asked.clear()
    table = memo._Table(keep=True)
    table.renew()
    assert [table.get(k, compute) for k in ("a", "a", "b")] == ["A", "A", "B"] and asked == ["a", "b"]
    table.renew()  # the next build asks for a only
    assert table.get("a", compute) == "A" and asked == ["a", "b"]
    table.renew()  # b was not asked for by the last build: dropped, computed again
    assert [table.get("b", compute), table.get("a", compute)] == ["B", "A"] and asked == ["a", "b", "b"]
    table.renew()
    table.renew()  # a build that asked for nothing: nothing is left
    assert table.get("a", compute) == "A" and asked == ["a", "b", "b", "a"]


def compared(prepared: verify.Prepared):
    """Everything `prepare` gives, in a form that compares by value (the automaton by its windows)."""
    return ([(s.text, s.path, s.line, s.why) for s in prepared.secrets], prepared.public_folded, prepared.windows,
            prepared.too_short, sorted(prepared.automaton.items()), prepared.reviewed)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    write(path, text.replace(old, new, 1))


DOCS_SECRET = "デジタル庁の全項目評価書を承認し非公表の条件を付した"  # its first windows print in the decision
CLOSING = "○井上委員長 閉会します。"
OPENING = "○青木委員長 開会します。"  # meeting 9's, before its deferred item: public
DEFERRED = "例示株式会社から報告がありました。後日公表の中身。"  # meeting 9's deferred item, until 2030-01-01


def test_prepare_with_a_memo_kept_across_edits_gives_what_prepare_gives_alone(tmp_path, monkeypatch):
    """Under serve one Memo serves every build: after each edit prepare gives exactly what it
    gives without one, and works out again only what the edit changed."""
    root = leaky_root(tmp_path)
    counted = dict.fromkeys(("file_passages", "_fold_parts", "_secret_windows"), 0)

    def counter(name: str, real):
        def counting(arg):
            counted[name] += 1
            return real(arg)
        return counting

    for name in counted:
        monkeypatch.setattr(verify, name, counter(name, getattr(verify, name)))
    kept, day = memo.Memo(), BUILD_DAY

    def build() -> tuple[verify.Prepared, tuple[int, int, int]]:
        """prepare alone and with the kept memo, which must agree; what the memo had to work out."""
        record, problems = load_record(root)
        assert problems == []
        public = public_record(record, day)
        alone = verify.prepare(root, record, public, day, verify.template_text())
        for name in counted:
            counted[name] = 0
        assert compared(verify.prepare(root, record, public, day, verify.template_text(), memo=kept)) == compared(alone)
        return alone, tuple(counted.values())  # (files read, public pieces folded, secrets cut into windows)

    def texts(prepared) -> set[str]:
        return {s.text for s in prepared.secrets}

    first, _ = build()
    assert SECRET in texts(first) and DEFERRED in texts(first)
    assert build()[1] == (0, 0, 0)  # nothing changed: nothing worked out again

    # a withheld passage added to a page under docs/, whose first windows the public record prints
    # (in pieces that did not change: what was found in them must be looked for again)
    write(root / "docs" / "notes" / "a.md", f"# 題\n\n<!-- 非公表 -->\n{DOCS_SECRET}\n<!-- /非公表 -->\n")
    prepared, work = build()
    assert ("docs/notes/a.md", 4) in {(s.path, s.line) for s in prepared.secrets} and work == (1, 0, 1)
    windows = verify._windows(DOCS_SECRET)
    assert windows[0] not in prepared.automaton and windows[-1] in prepared.automaton

    # a withheld passage added to a meeting, then removed
    edit(root / "minutes" / "10.md", CLOSING, f"{CLOSING}\n\n<!-- 非公表 -->\n閉会の後に話した別件の中身です\n<!-- /非公表 -->")
    prepared, work = build()
    assert "閉会の後に話した別件の中身です" in texts(prepared) and work == (1, 1, 1)  # the meeting prints its placeholder
    edit(root / "minutes" / "10.md", "\n\n<!-- 非公表 -->\n閉会の後に話した別件の中身です\n<!-- /非公表 -->", "")
    prepared, _ = build()
    assert texts(prepared) == texts(first) | {DOCS_SECRET}

    # ... and removed from the page under docs/
    write(root / "docs" / "notes" / "a.md", "# 題\n\n公開の文だけです。\n")
    prepared, _ = build()
    assert texts(prepared) == texts(first) and "デジタル庁の全項目評価" not in prepared.automaton

    # a public speech of another meeting edited to print a window of SECRET, then not any more
    edit(root / "minutes" / "9.md", OPENING, f"{OPENING}{SECRET[:WINDOW]}")
    prepared, work = build()
    assert SECRET[:WINDOW] in prepared.public_folded and work == (1, 1, 0)
    assert SECRET[:WINDOW] not in prepared.automaton and SECRET[-WINDOW:] in prepared.automaton
    edit(root / "minutes" / "9.md", f"{OPENING}{SECRET[:WINDOW]}", OPENING)
    prepared, _ = build()
    assert SECRET[:WINDOW] in prepared.automaton

    # the withheld passage itself edited
    edit(root / "minutes" / "10.md", SECRET, SECRET.replace("参号", "四号"))
    prepared, work = build()
    assert SECRET.replace("参号", "四号") in texts(prepared) and SECRET not in texts(prepared) and work == (1, 0, 1)
    assert SECRET[-WINDOW:] not in prepared.automaton

    # the deferred item's date passes (the build day changes), then the day is the old one again
    day = dt.date(2030, 1, 1)
    prepared, _ = build()
    assert DEFERRED not in texts(prepared) and verify.fold(DEFERRED) in prepared.public_folded
    day = BUILD_DAY
    prepared, _ = build()
    assert DEFERRED in texts(prepared) and verify.fold(DEFERRED) not in prepared.public_folded


@pytest.fixture
def reads(monkeypatch) -> list[int]:
    """How many times a piece of the public text was read for the windows in it (reads[0])."""
    count = [0]
    real = memo.automaton_of

    class Counting:
        def __init__(self, automaton):
            self.automaton = automaton

        def iter(self, text):
            count[0] += 1
            return self.automaton.iter(text)

    monkeypatch.setattr(memo, "automaton_of", lambda words: Counting(real(words)) if words else None)
    return count


def test_a_kept_memo_reads_no_piece_of_the_public_text_again_while_nothing_changed(tmp_path, reads):
    """The windows found in each piece of the public text are kept with the memo: a build that
    changed nothing looks in no piece again; a memo that keeps nothing looks in every piece."""
    root = leaky_root(tmp_path)

    def prepare(kept):
        record, _ = load_record(root)
        return verify.prepare(root, record, public_record(record, BUILD_DAY), BUILD_DAY, verify.template_text(), kept)

    kept = memo.Memo()
    prepare(kept)
    pieces = reads[0]
    assert pieces == len(records(root)[1].meetings) + 2  # the templates, each meeting, the rest
    prepare(kept)
    assert reads[0] == pieces
    once = memo.Memo(keep=False)
    prepare(once)
    prepare(once)
    assert reads[0] == 3 * pieces


@pytest.mark.parametrize("kept", [memo.Memo(), memo.Memo(keep=False), None])
def test_no_secret_makes_an_empty_automaton_with_or_without_a_memo(kept):
    report = verify.Report()
    automaton = verify.build_automaton([], ["公開の文です\x00もう一つの公開の文です"], report, kept)
    assert len(automaton) == 0 and report.windows == 0 and report.too_short == 0


def test_prepare_carries_the_public_text_and_the_passages_too_short_to_look_for(tmp_path):
    """What prepare hands the scan: the public text as public_text gives it (the search-index check
    splits it at its NULs), and the count of withheld passages too short to be evidence, which the
    report of verify_site carries."""
    root = leaky_root(tmp_path, extra="秘密")  # folded, shorter than SHORTEST: not looked for
    record, public = records(root)
    prepared = verify.prepare(root, record, public, BUILD_DAY, verify.template_text())
    assert prepared.public_folded == verify.public_text(public, verify.template_text())
    short = [s for s in prepared.secrets if len(verify.fold(s.text)) < SHORTEST]
    assert [s.text for s in short] == ["秘密"] and prepared.too_short == 1
    site = files(root / "site", {"index.html": "<p>公開</p>"})
    _, report = verify.verify_site(root, site, record, public, BUILD_DAY, verify.template_text(), parallel=False)
    assert (report.too_short, report.windows) == (1, prepared.windows)


def test_verify_site_hands_its_memo_to_prepare(tmp_path, reads):
    """Under serve the verifier's memo goes from verify_site to prepare: a second verify_site of an
    unchanged record looks in no piece of the public text again."""
    root = leaky_root(tmp_path)
    site = files(root / "site", {"index.html": "<p>公開</p>"})
    kept = memo.Memo()
    for _ in range(2):
        record, public = records(root)
        assert verify.verify_site(root, site, record, public, BUILD_DAY, parallel=False, memo=kept)[0] == []
    assert reads[0] == len(record.meetings) + 2  # the pieces of the first, none of the second


def test_one_reviewed_type_written_without_a_list_is_that_type_not_its_letters(tmp_path):
    """`reviewed_file_types: png` (a string, which the checker asks to write as a list) still means
    the type png to the verifier, never the letters p, n and g."""
    root = leaky_root(tmp_path)
    record, public = records(root)
    committee = dataclasses.replace(record.registry.committee, reviewed_file_types=".PNG")
    record = dataclasses.replace(record, registry=dataclasses.replace(record.registry, committee=committee))
    assert verify.prepare(root, record, public, BUILD_DAY).reviewed == frozenset({"png"})


def test_a_running_pool_made_for_pages_reads_the_search_index_as_the_scan_says(tmp_path):
    """The pool of a build (site/prescan.py) was started for pages, whose reader refuses a chunk
    of the search index; after the index is written, the scan hands its workers its own reader,
    which leaves the chunks to the index check: a clean indexed site passes."""
    root = make_project(tmp_path / "p")
    site = files(root / "site", {"index.html": "<p>公開の本文</p>",
                                 f"{DECISION}index.html": '<div class="gk-document"><p>デジタル庁の全項目評価書を承認する。</p></div>'})
    record, public = records(root)
    indexing.index_site(site, public)
    assert list((site / "search" / "index").glob("*.bin.gz"))
    prepared = verify.prepare(root, record, public, BUILD_DAY)
    pages_reader = verify.Reader(site, prepared.reviewed, False)
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"),
                                                initializer=verify._start_worker,
                                                initargs=(prepared.automaton, pages_reader)) as pool:
        found, report = verify.verify_site(root, site, record, public, BUILD_DAY, prepared=prepared, pool=pool)
    assert found == [] and report.files > 3


def test_a_large_site_scanned_in_its_own_pool_keeps_what_was_scanned_early(tmp_path, monkeypatch):
    """Past PARALLEL_BYTES the scan starts processes of its own for the files not scanned early;
    the findings of those scanned early (a page as MkDocs wrote it) are kept beside theirs."""
    site = files(tmp_path / "site", {"a/index.html": "<p>公開の本文です。</p>", "b/index.html": f"<p>{S2.text}</p>"})
    automaton = automaton_of([S1, S2])
    leaking = dataclasses.replace(written_of(site, "a/index.html", automaton), found=([(S1.text[:10], S1)], None, True))
    monkeypatch.setattr(verify, "PARALLEL_BYTES", 0)
    leaks, _ = verify.scan(site, automaton, verify.Report(), written={"a/index.html": leaking})
    assert leaks == [verify.Leak("a/index.html", S1, S1.text[:10]), verify.Leak("b/index.html", S2, S2.text[:10])]


def test_an_index_cancelled_while_it_is_sorted_writes_no_more_chunks(tmp_path, monkeypatch):
    """Under serve a newer build stops the index of the last one: once cancelled, the index stops
    at its next chunk rather than after sorting the whole record (seconds at 1000 meetings)."""
    root = make_project(tmp_path / "p")
    site = files(root / "site", {f"{DECISION}index.html": '<div class="gk-document"><p>デジタル庁の全項目評価書を承認する。</p></div>'})
    cancel = threading.Event()
    real = indexing.postings.build

    def build(pages, gram, write):
        cancel.set()  # every page read, the index being sorted
        return real(pages, gram, write=write)

    monkeypatch.setattr(indexing.postings, "build", build)
    with pytest.raises(indexing.Cancelled):
        indexing.index_site(site, records(root)[1], cancel=cancel)
    assert list((site / "search" / "index").iterdir()) == []


def test_an_index_cancelled_while_it_reads_the_pages_reads_no_more(tmp_path, monkeypatch):
    """… and while it reads the pages (a decision's page is parsed from the site: over a second
    at 1000 meetings, which a newer build waited for): once cancelled, no further page is read."""
    root = make_project(tmp_path / "p")
    site = files(root / "site", {f"{DECISION}index.html": '<div class="gk-document"><p>デジタル庁の全項目評価書を承認する。</p></div>'})
    cancel = threading.Event()
    real, read = search_records.meeting_unit, []

    def meeting_unit(meeting, record, *decided):
        read.append(meeting.number)
        cancel.set()  # a newer build starts while the first page is read
        return real(meeting, record, *decided)

    monkeypatch.setattr(search_records, "meeting_unit", meeting_unit)
    with pytest.raises(indexing.Cancelled):
        indexing.index_site(site, records(root)[1], cancel=cancel)
    assert read == [9]
