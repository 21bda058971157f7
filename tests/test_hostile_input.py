"""Hostile input (issue 11, classes 5 and 7): inputs that cannot hurt, and one message a problem.

Every fixture under tests/fixtures/hostile/input/ is one case. Each is refused by `gijiroku
check` (and, for a representative few, by `gijiroku build`, leaving the previous site/ as it
was) with a Japanese message naming file and line, or, for the cases that must be accepted
(a quoted ISO date), builds a site that honours it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile import PREVIOUS, assert_absent, assert_refused, build_site, run

from conftest import FIXED_EPOCH, FIXTURES, ROOT, make_project
from gijiroku.check import check
from gijiroku.disclosure.public import JST, build_date
from gijiroku.record.source import MAX_COMMITTEE_BYTES, MAX_SOURCE_BYTES, load_yaml

CASES = FIXTURES / "hostile" / "input"

# fixture -> (where it goes in the project, where the refusal points, a words of the message)
REFUSED = {
    "alias_bomb.md": ("minutes/11.md", "minutes/11.md:4", "アンカー「&a0」"),
    "recursive_alias.md": ("minutes/11.md", "minutes/11.md:4", "アンカー「&loop」"),
    "merge_key.md": ("minutes/11.md", "minutes/11.md:5", "アンカー「&item」"),
    "merge_key_plain.md": ("minutes/11.md", "minutes/11.md:5", "マージキー「<<」"),
    "complex_key.md": ("minutes/11.md", "minutes/11.md:4", "複合キー"),
    "mixed_type_keys.md": ("minutes/11.md", "minutes/11.md:8", "項目の名前「1」は文字列ではなく整数"),
    "null_key.md": ("minutes/11.md", "minutes/11.md:4", "項目の名前「null」は文字列ではなく空の値"),
    "bool_key.md": ("minutes/11.md", "minutes/11.md:4", "項目の名前「on」は文字列ではなく真偽値"),
    "date_key.md": ("minutes/11.md", "minutes/11.md:4", "項目の名前「2023-05-10」は文字列ではなく日付"),
    "python_tag.md": ("minutes/11.md", "minutes/11.md:4", "タグ「!!python/object/apply:os.system」"),
    "str_tag.md": ("minutes/11.md", "minutes/11.md:4", "タグ「!!str」"),
    "local_tag.md": ("minutes/11.md", "minutes/11.md:4", "タグ「!include」"),
    "document_separator.md": ("minutes/11.md", "minutes/11.md:6", "「...」の行"),
    "deep_nesting.md": ("minutes/11.md", "minutes/11.md:4", "入れ子が深すぎます"),
    "nul_in_speech.md": ("minutes/11.md", "minutes/11.md:12", "U+0000（NUL）"),
    "escape_in_title.md": ("minutes/11.md", "minutes/11.md:4", "U+001B（ESC）"),
    "c1_control.md": ("minutes/11.md", "minutes/11.md:12", "U+0085"),
    "bidi_override.md": ("minutes/11.md", "minutes/11.md:12", "U+202E（RIGHT-TO-LEFT OVERRIDE）"),
    "bidi_isolate.md": ("minutes/11.md", "minutes/11.md:4", "U+2067（RIGHT-TO-LEFT ISOLATE）"),
    "line_separator.md": ("minutes/11.md", "minutes/11.md:12", "U+2028"),
    "number_zero.md": ("minutes/11.md", "minutes/11.md:2", "値 0 は 1 から 9999 までの整数ではありません"),
    "number_negative.md": ("minutes/11.md", "minutes/11.md:2", "値 -1 は 1 から 9999 までの整数ではありません"),
    "number_huge.md": ("minutes/11.md", "minutes/11.md:2", "1 から 9999 までの整数ではありません"),
    "number_digits.md": ("minutes/11.md", "minutes/11.md:2", "桁が多すぎます"),
    "agenda_number_zero.md": ("minutes/11.md", "minutes/11.md:5", "値 0 は 1 から 999 までの整数ではありません"),
    "quoted_date_impossible.md": ("minutes/11.md", "minutes/11.md:8", "日付「2030-02-30」は存在しない日付です"),
    "publish_after_not_a_date.md": ("minutes/11.md", "minutes/11.md:8", "「publish_after」の値 '来年の春' は日付"),
    "decisions_index.md": ("decisions/index.md", "decisions/index.md", "一覧ページの名前です"),
    "agency_without_id.md": ("docs/agencies/example-agency.md", "docs/agencies/example-agency.md:1", "必須の項目「id」がありません"),
    "committee_alias.yml": ("committee.yml", "committee.yml:2", "アンカー「&titles」"),
    "committee_wrong_type.yml": ("committee.yml", "committee.yml:2", "「commissioner_titles」は文字列のリストでなければなりません"),
}
# refused by `gijiroku build` too, with the previous site/ left as it was
BUILD_REFUSED = ["alias_bomb.md", "merge_key_plain.md", "nul_in_speech.md", "bidi_override.md", "number_huge.md",
                 "decisions_index.md", "committee_alias.yml"]


def project_with(tmp_path: Path, case: str) -> Path:
    root = make_project(tmp_path / "p")
    target = root / REFUSED[case][0] if case in REFUSED else root / "minutes" / "11.md"
    shutil.copy(CASES / case, target)
    return root


def test_every_fixture_is_a_case():
    assert sorted(p.name for p in CASES.iterdir()) == sorted([*REFUSED, "quoted_date.md"])


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_check_refuses(case, tmp_path):
    _, where, message = REFUSED[case]
    root = project_with(tmp_path, case)
    output = assert_refused(root, where, command="check", message=message)
    assert "None" not in output
    # one problem, one message: nothing else in the project is wrong
    _, problems = check(root)
    assert len(problems) == 1, [p.format() for p in problems]


@pytest.mark.slow
@pytest.mark.parametrize("case", BUILD_REFUSED)
def test_build_refuses(case, tmp_path):
    _, where, message = REFUSED[case]
    assert_refused(project_with(tmp_path, case), where, command="build", message=message)


def test_alias_bomb_is_refused_at_its_first_anchor_without_expanding_it(tmp_path):
    text = (CASES / "alias_bomb.md").read_text(encoding="utf-8").split("---\n")[1]
    assert text.count("*a") == 8 * 9 + 1  # nine levels: 9**9 leaves once expanded
    problems: list = []
    started = time.perf_counter()
    value, _ = load_yaml(text, 2, "minutes/11.md", problems)
    elapsed = time.perf_counter() - started
    assert value is None
    assert [p.where() for p in problems] == ["minutes/11.md:4"]  # the first anchor, before any alias
    assert elapsed < 1.0  # measured: about 50 µs; expanding it took minutes
    # as a clerk runs it: a generous bound, far below the minutes an expansion takes
    root = project_with(tmp_path, "alias_bomb.md")
    started = time.perf_counter()
    assert_refused(root, "minutes/11.md:4", command="check")
    assert time.perf_counter() - started < 5.0


def test_python_tag_runs_nothing(tmp_path):
    root = project_with(tmp_path, "python_tag.md")
    assert_refused(root, "minutes/11.md:4", command="check", message="タグ「!!python/object/apply:os.system」")
    assert not (root / "PWNED").exists()


@pytest.mark.parametrize("text, line, words", [
    ("a: &x 1\nb: *x\n", 2, "アンカー「&x」"),
    ("a: *x\n", 2, "別名「*x」"),
    ("a:\n  <<: {b: 1}\n", 3, "マージキー"),
    ("[a, b]: 1\n", 2, "複合キー"),
    ("true: 1\n", 2, "真偽値"),
    ("~: 1\n", 2, "空の値"),
    ("1.5: 1\n", 2, "小数"),
    ("a: !!binary aGVsbG8=\n", 2, "タグ「!!binary」"),
    ("a: !!set {b}\n", 2, "タグ「!!set」"),
])
def test_loader_refuses(text, line, words):
    problems: list = []
    value, _ = load_yaml(text, 2, "x.md", problems)
    assert value is None
    assert len(problems) == 1 and problems[0].line == line and words in problems[0].message


def test_loader_keeps_what_it_read_before():
    problems: list = []
    value, lines = load_yaml("start_time: 14:40\nd: 2023-05-31\nq: \"2023-05-31\"\nl:\n  - x\n  - {k: 1}\n",
                             2, "x.md", problems)
    assert problems == []
    assert value == {"start_time": "14:40", "d": dt.date(2023, 5, 31), "q": "2023-05-31", "l": ["x", {"k": 1}]}
    assert lines == {("start_time",): 2, ("d",): 3, ("q",): 4, ("l",): 5, ("l", 0): 6, ("l", 1): 7, ("l", 1, "k"): 7}


@pytest.mark.slow
def test_quoted_dates_are_dates_and_are_honoured(tmp_path):
    from gijiroku.record.loader import load_record

    root = project_with(tmp_path, "quoted_date.md")
    result = run(root, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    record, problems = load_record(root)
    assert problems == []
    assert [i.publish_after for i in record.meetings[11].agenda] == [dt.date(2030, 6, 7), dt.date(2023, 6, 7)]
    site = build_site(root)  # built on 2025-01-01: item 1 is still deferred, item 2 is published
    assert_absent(site, "引用符つきの公表日まで伏せておく説明です")
    assert "引用符つきの公表日を過ぎた報告です" in (site / "meetings" / "11" / "index.html").read_text(encoding="utf-8")


def test_oversized_files_are_refused_unread(tmp_path):
    root = make_project(tmp_path / "p")
    speech = "○事務局 説明します。\n\n"
    head = (CASES / "quoted_date.md").read_text(encoding="utf-8")
    body = speech * (MAX_SOURCE_BYTES // len(speech.encode()) + 1)
    (root / "minutes" / "11.md").write_text(head + body, encoding="utf-8")
    (root / "committee.yml").write_text((ROOT / "committee.yml").read_text(encoding="utf-8")
                                        + "# 注記\n" * (MAX_COMMITTEE_BYTES // 9 + 1), encoding="utf-8")
    output = assert_refused(root, "committee.yml", command="check", message="上限は 64 KB")
    (root / "committee.yml").write_text((ROOT / "committee.yml").read_text(encoding="utf-8"), encoding="utf-8")
    output = assert_refused(root, "minutes/11.md", command="check", message="上限は 2 MB")
    assert "ファイルが大きすぎます" in output


@pytest.mark.parametrize("name, words", [
    ("README.md", "回次の数字ではありません"),
    ("244.txt", "会議のファイルでないもの「244.txt」"),
    ("sub", "フォルダ「sub」"),
    (".hidden.md", "隠しファイル「.hidden.md」"),
    ("12.md", "シンボリックリンク"),
])
def test_unknown_files_under_minutes_are_refused(tmp_path, name, words):
    root = make_project(tmp_path / "p")
    meeting = root / "minutes" / "10.md"
    if name == "sub":
        (root / "minutes" / "sub").mkdir()
        shutil.copy(meeting, root / "minutes" / "sub" / "1.md")
    elif name == "12.md":
        (root / "minutes" / "12.md").symlink_to(meeting)
    else:
        shutil.copy(meeting, root / "minutes" / name)
    assert_refused(root, f"minutes/{name}", command="check", message=words)
    _, problems = check(root)
    assert len(problems) == 1  # the file is not also parsed as a meeting


def test_unknown_files_under_decisions_are_refused(tmp_path):
    root = make_project(tmp_path / "p")
    (root / "decisions" / "notes.txt").write_text("メモ\n", encoding="utf-8")
    assert_refused(root, "decisions/notes.txt", command="check", message="文書のファイルでないもの")


def test_editor_and_system_files_are_ignored(tmp_path):
    root = make_project(tmp_path / "p")
    for name in (".DS_Store", ".gitkeep", ".10.md.swp", "10.md~"):
        (root / "minutes" / name).write_bytes(b"\x00\x01")
    (root / "minutes" / ".#10.md").symlink_to("user@host.1234")  # Emacs' lock: a dangling link
    result = run(root, "check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_one_message_for_a_missing_disclosure(tmp_path):
    root = make_project(tmp_path / "p")
    text = (CASES / "quoted_date.md").read_text(encoding="utf-8").replace("    disclosure: 後日公表\n", "", 1)
    (root / "minutes" / "11.md").write_text(text, encoding="utf-8")
    _, problems = check(root)
    assert [p.format().split("\n")[0] for p in problems] == [
        "minutes/11.md:5: 議題（1 番目）に必須の項目「disclosure」がありません。"]


# SOURCE_DATE_EPOCH: the reproducible-builds specification wants an ASCII integer and a build
# that stops on a malformed value; an empty value is malformed too.
BAD_EPOCHS = ["abc", "-1", "99999999999999", "1.5", "", " 1735657200", "1_735_657_200", "١٧٣٥٦٥٧٢٠٠"]


@pytest.mark.parametrize("value", BAD_EPOCHS)
def test_bad_source_date_epoch_is_refused_by_check(tmp_path, value):
    root = make_project(tmp_path / "p")
    assert_refused(root, "SOURCE_DATE_EPOCH", command="check", env={"SOURCE_DATE_EPOCH": value},
                   message="0 以上の整数")


@pytest.mark.parametrize("value", ["abc", ""])
def test_bad_source_date_epoch_is_refused_by_build(tmp_path, value):
    root = make_project(tmp_path / "p")
    assert_refused(root, "SOURCE_DATE_EPOCH", command="build", env={"SOURCE_DATE_EPOCH": value})


def test_bad_source_date_epoch_stops_mkdocs_itself_without_a_traceback(tmp_path):
    """`mkdocs build` run by hand (not through gijiroku) meets the hook's own check."""
    root = make_project(tmp_path / "p")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "abc", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(tmp_path / "out")],
                            cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "SOURCE_DATE_EPOCH の値「abc」は使えません" in result.stderr


@pytest.mark.parametrize("epoch, day", [
    ("1735657200", dt.date(2025, 1, 1)),  # 2024-12-31T15:00:00Z is already 2025-01-01 in Japan
    ("1735657199", dt.date(2024, 12, 31)),  # one second earlier
    ("0", dt.date(1970, 1, 1)),  # 09:00 in Japan
    ("1685458800", dt.date(2023, 5, 31)),  # 2023-05-30T15:00:00Z
    ("4294967295", dt.date(2106, 2, 7)),  # the last second MkDocs can write (gzip time: 32 bits)
])
def test_build_date_is_the_japanese_day_of_source_date_epoch(epoch, day):
    assert build_date({"SOURCE_DATE_EPOCH": epoch}) == day


def test_build_date_without_source_date_epoch_is_today_in_japan():
    before = dt.datetime.now(tz=JST).date()
    got = build_date({})
    assert got in (before, dt.datetime.now(tz=JST).date())


def test_bad_source_date_epoch_message():
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH の値「253402268400」は使えません"):
        build_date({"SOURCE_DATE_EPOCH": "253402268400"})


# The staging directory: removed on SIGINT/SIGTERM and at the next build, git-ignored, never served.


def _processes_mentioning(text: str) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if text.encode() in (proc / "cmdline").read_bytes():
                    pids.append(int(proc.name))
            except OSError:
                continue
    return pids


@pytest.mark.slow
@pytest.mark.parametrize("signum, status, name", [(signal.SIGINT, 130, "SIGINT"), (signal.SIGTERM, 143, "SIGTERM")])
def test_interrupted_build_removes_its_staging_directory(tmp_path, signum, status, name):
    root = make_project(tmp_path / "p")
    site = root / "site"
    site.mkdir()
    (site / PREVIOUS).write_text("前のサイト", encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    env.pop("GIJIROKU_DEBUG", None)
    proc = subprocess.Popen([sys.executable, "-m", "gijiroku.cli", "--root", str(root), "build", "--quiet"], cwd=root,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    page = None
    while proc.poll() is None and time.monotonic() < deadline:
        pages = list(root.glob(".site.staging-*/meetings/10/index.html"))  # unverified text is on disk
        if pages:
            page = pages[0]
            break
        time.sleep(0.005)
    assert page is not None, "the build ended before it wrote a page"
    staging = page.parents[2]
    mkdocs = [pid for pid in _processes_mentioning(str(staging)) if pid != proc.pid]
    assert mkdocs, "MkDocs is not running"
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == status, out + err
    assert "Traceback" not in out + err
    assert f"{name}" in err and "前のまま" in err
    assert not staging.exists()
    assert not list(root.glob(".site.staging-*"))
    assert sorted(p.name for p in site.iterdir()) == [PREVIOUS]
    assert (site / PREVIOUS).read_text(encoding="utf-8") == "前のサイト"
    for pid in mkdocs:  # the MkDocs child was stopped too, not left writing
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


@pytest.mark.slow
def test_a_build_removes_what_dead_builds_left(tmp_path):
    from gijiroku.site.commands import remove_stale

    root = make_project(tmp_path / "p")
    dead = _dead_pid()
    stale = [root / f".site.staging-{dead}", root / f".site.old-{dead}"]
    for folder in stale:
        (folder / "meetings").mkdir(parents=True)
        (folder / "meetings" / "index.html").write_text("検証されていない頁", encoding="utf-8")
    running = root / f".site.staging-{os.getppid()}"  # a build that is still running: left alone
    running.mkdir()
    # No process has a number this long: not a build's folder (it stopped every build with an
    # OverflowError when its process was looked for).
    unknown = root / ".site.staging-99999999999999999999"
    unknown.mkdir()
    build_site(root)
    assert not any(folder.exists() for folder in stale)
    assert running.exists() and unknown.exists()
    assert remove_stale(root / "site") == []


def test_staging_directories_are_git_ignored():
    for path in (".site.staging-12345/meetings/index.html", ".site.old-12345/index.html",
                 ".out.staging-77/index.html"):
        result = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=ROOT)
        assert result.returncode == 0, f"{path} is not git-ignored"


def test_staging_and_cache_are_outside_docs(tmp_path):
    from gijiroku.site.session import cache_dir

    root = make_project(tmp_path / "p")
    docs = root / "docs"
    assert not cache_dir(root, root / "site").is_relative_to(docs)
    assert cache_dir(root, root / "site").is_relative_to(root / ".cache")


@pytest.mark.slow
def test_serve_never_serves_a_staging_directory(tmp_path):
    import urllib.error
    import urllib.request

    from test_serve import wait_for

    from localhost import fetch, free_port

    root = make_project(tmp_path / "p")
    dead = _dead_pid()
    staging = root / f".site.staging-{dead}"
    staging.mkdir()
    (staging / "canary.html").write_text("ステージングの検証前の頁", encoding="utf-8")
    port = free_port()
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    proc = subprocess.Popen([sys.executable, "-m", "gijiroku.cli", "--root", str(root), "serve", "--dev-addr",
                             f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: fetch(f"{base}/meetings/10/"))
        for path in (f"/{staging.name}/canary.html", f"/../{staging.name}/canary.html",
                     f"/%2e%2e/{staging.name}/canary.html", "/canary.html"):
            try:
                with urllib.request.urlopen(base + path, timeout=5) as response:
                    body = response.read().decode("utf-8", errors="replace")
            except urllib.error.HTTPError as err:
                assert err.code == 404, path
                continue
            assert "ステージングの検証前の頁" not in body, path
        assert sorted(p.name for p in root.glob(".site.staging-*")) == [staging.name]  # serve makes none
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
