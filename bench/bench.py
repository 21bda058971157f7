#!/usr/bin/env python3
"""The performance benchmark behind `make bench` (issues #7 and #15, "Scale").

In one run on one machine:

1. for each size N (default 300, 1000, 2000, 4000), a synthetic corpus (`gijiroku synth`, fixed
   seed) in a throwaway project made like the real one (mkdocs.yml, overrides/, docs/ and
   committee.yml copied, hooks/ linked), built with `gijiroku build` (strict, the project's
   hooks) into a throwaway site directory, each step of the build timed (GIJIROKU_STEPS);
2. at the reference size (--reference, default 1000): a naive baseline, each meeting a plain
   Markdown page (its title as the heading, its lines as paragraphs, withheld regions dropped)
   in a plain MkDocs project with Material's default navigation listing every page and its
   `search` plugin (`lang: ja`);
3. at the reference size, an incremental rebuild under `mkdocs serve` (`gijiroku serve`): wait
   for the first build, append a paragraph to one speech, and time until the served meeting
   page shows it;
4. search in headless Chromium (bench/search_checks.py): for every size, the bytes of a first
   query on a fresh search page and of the later queries on the same page; at the reference
   size, 40 verbatim queries whose results must be exactly the pages that print them;
5. a build of 50 synthetic meetings whose every meeting page's HTML bytes are set against its
   visible text bytes (issue 15: at most 3 times), unless 50 is one of the sizes.

Every build (ours at each size, and the baseline) runs --repeat times (default 3), in rounds
(every build once, then every build again: `run_rounds`), each run into a site directory of its
own: its wall time, CPU time and steps are the fastest run's, its memory the most any run took,
and every run's wall time is kept. This machine's other tenants
slow a run by a tenth or more, and a ratio of two single runs moved across its limit from one
bench to the next with the same code; with two runs each, t(2000) / t(1000) and t(4000) /
t(2000) were 1.93 and 2.12 in one bench and 2.11 and 1.93 in the next, the same code.

Nothing the bench writes is deleted before it ends (sites, projects: about 6 GB at the default
sizes), so that no build is charged for the bench's own clean-up: on a file system that skips
recently freed inodes when it makes a file (ext4 without a journal, as on this project's
machine, skips those freed within the last minute or more, one by one, at every file it
creates), 40,000 files took 2.9 s to create, and 20.4 s right after 40,000 others were deleted.

For every build it records wall time, CPU time, each step's seconds, peak RSS, HTML pages, output bytes,
the largest meeting page and the meeting page with the most HTML per byte of visible text, the
search bundle on disk (site/search/ for ours, search/search_index.json for the
baseline), and whether any withheld sentinel text reached the output. It prints the builds,
each step's share of the wall time (the rest is start-up and whatever no step covers), the
search figures and, last, issue 15's targets, each marked met, NOT met or not measured
(bench/report.py); every figure goes to bench-out/bench.json.

Peak RSS: the target is the whole build's, the sum of resident memory over the process tree,
sampled from /proc every 0.1 s (a search indexer or a worker may run beside MkDocs). The
largest single process, from the kernel (os.wait4, as /usr/bin/time -v reports it), is kept
beside it.

This is a measuring tool, not a test: it asserts nothing about time. Run it on a quiet
machine; `--sizes 50 100 --no-serve` (or `--sizes 50 100 --reference 100` with the naive
baseline and serve at 100) is a quick look during development.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path

import yaml

from gijiroku.disclosure.markers import CLOSE, OPEN
from gijiroku.synth.corpus import RANGE_END, SENTINEL, synthesize, write_corpus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the helpers that the serve and search tests use too
sys.path.insert(0, str(ROOT / "bench"))

from report import render, targets  # noqa: E402
from search_checks import measure_search  # noqa: E402

from browser import CHROMIUM  # noqa: E402
from localhost import fetch, free_port  # noqa: E402

DEFAULT_SIZES = (300, 1000, 2000, 4000)
REFERENCE = 1000  # the size of the naive baseline, serve and the search checks (issue 15's targets)
PAGES_MEETINGS = 50  # the corpus whose every meeting page's HTML/text is checked
PAGE_LIMIT = 3  # issue 15: a meeting page's HTML at most 3 times its visible text
NAIVE = "naive baseline"  # its job's label
REPEAT = 3  # builds of each size (and of the baseline): the fastest's time counts, the largest memory
VERBATIM_QUERIES = 40
# The day every build publishes for: after the corpus's last meeting and before any of its
# future 後日公表 dates, so that every run (whatever the calendar says) publishes the same content.
BUILD_DAY = RANGE_END + dt.timedelta(days=1)
SAMPLE_SECONDS = 0.1
POLL_SECONDS = 0.25
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
# Bytes a run's site takes per meeting, with some room (175 KB at 1000 meetings; the naive
# baseline's, 356 KB, counts twice), for the space the bench keeps until it ends.
SITE_BYTES = 250_000


# -- measuring a process -------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    max_rss: int  # bytes: the largest single process (kernel ru_maxrss)
    tree_rss: int | None  # bytes: the largest sampled sum over the process tree, None without /proc
    cpu_seconds: float = 0.0  # user and system time of the process and the descendants it waited for
    runs: list[float] | None = None  # every run's wall time, when the build was run more than once


def _tree_rss(root: int) -> int | None:
    """Resident bytes of `root` and all its descendants now, from /proc (None where there is none)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.scandir(proc):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            children[int(stat.rsplit(")", 1)[1].split()[1])].append(int(entry.name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        with contextlib.suppress(OSError, IndexError, ValueError):  # it may have exited meanwhile
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
        stack.extend(children.get(pid, ()))
    return total


def run_measured(cmd: list[str], cwd: Path, env: dict, log: Path) -> Run:
    """Run `cmd` to completion; its wall time and peak memory. Exits the benchmark if it fails."""
    with log.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        tree_peak = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            sample = _tree_rss(proc.pid)
            if sample is not None:
                tree_peak = max(tree_peak or 0, sample)
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}); last lines of {log}:\n" + "\n".join(tail))
    return Run(seconds, usage.ru_maxrss * 1024, tree_peak, usage.ru_utime + usage.ru_stime)  # ru_maxrss in KiB


@dataclass
class Job:
    """One build the bench repeats: its command (given a site directory), where it runs, its log,
    its first site directory and where it writes its steps; the runs so far, with their steps."""

    command: Callable[[Path], list[str]]
    cwd: Path
    env: dict
    log: Path
    site: Path
    steps: Path | None = None
    done: list[tuple[Run, dict | None]] = field(default_factory=list)

    def run_once(self, times: int) -> None:
        """Build once more. The first run writes `site` and each other one a directory beside it
        (`site`-2 …), which is not deleted: a run right after the deletion of the one before it
        would create its files where the file system skips the inodes just freed (module doc)."""
        i = len(self.done)
        if self.steps is not None:
            self.steps.unlink(missing_ok=True)
        target = self.site if i == 0 else self.site.with_name(f"{self.site.name}-{i + 1}")
        log = self.log.with_name(f"{self.log.stem}-{i + 1}{self.log.suffix}") if times > 1 else self.log
        run = run_measured(self.command(target), self.cwd, self.env, log)
        steps = self.steps
        self.done.append((run, json.loads(steps.read_text(encoding="utf-8")) if steps and steps.exists() else None))

    def result(self) -> Run:
        """The fastest run's wall and CPU time (its steps copied to `steps`), the most memory any
        run took, and every run's wall time."""
        fastest, fastest_steps = min(self.done, key=lambda r: r[0].seconds)
        if self.steps is not None and fastest_steps is not None:
            self.steps.write_text(json.dumps(fastest_steps), encoding="utf-8")
        trees = [r.tree_rss for r, _ in self.done if r.tree_rss is not None]
        return Run(fastest.seconds, max(r.max_rss for r, _ in self.done), max(trees) if trees else None,
                   fastest.cpu_seconds, [r.seconds for r, _ in self.done])


def run_rounds(jobs: dict[str, Job], times: int) -> dict[str, Run]:
    """Each job `times` times, in rounds: every job once, then every job again. This machine's
    speed drifts within a bench (the naive build took 27 s in one hour and 33 s in another), and
    repeating one size before the next put a size's every run into one stretch of it: a ratio of
    two sizes then measured the drift as well. In rounds, each size's fastest run is taken from
    the whole bench."""
    for i in range(times):
        for label, job in jobs.items():
            print(f"{label}: build {i + 1} of {times} …", file=sys.stderr, flush=True)
            job.run_once(times)
    return {label: job.result() for label, job in jobs.items()}


# -- measuring a site ----------------------------------------------------------------------------


class _VisibleText(HTMLParser):
    """The text a reader sees: everything outside script, style, template and noscript."""

    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in self.HIDDEN

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text_bytes(html: str) -> int:
    parser = _VisibleText()
    parser.feed(html)
    return len(" ".join("".join(parser.parts).split()).encode("utf-8"))


def _tree_bytes(path: Path) -> int:
    """Bytes of a file, or of every file under a directory."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def _leaks(site: Path) -> int:
    """Files under site/ that contain withheld sentinel text, gzip-compressed files opened."""
    needle = SENTINEL.encode()
    found = 0
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            with contextlib.suppress(OSError, EOFError):
                data = gzip.decompress(data)
        found += needle in data.lower()
    return found


def page_ratios(site: Path) -> list[tuple[str, int, int]]:
    """Every meeting page (meetings/<n>/index.html): its site path (meetings/<n>/), HTML bytes and
    visible text bytes."""
    out = []
    for path in (site / "meetings").glob("*/index.html"):
        if path.parent.name.isdigit():
            html = path.read_text(encoding="utf-8")
            out.append((path.parent.relative_to(site).as_posix() + "/", len(html.encode("utf-8")), visible_text_bytes(html)))
    return out


def _ratio(page: tuple[str, int, int]) -> float:
    return page[1] / page[2] if page[2] else float("inf")


@dataclass
class Build:
    name: str  # gijiroku | naive
    meetings: int
    seconds: float  # the fastest run's
    max_rss: int
    tree_rss: int | None
    html_pages: int
    output_bytes: int
    largest_page: str  # the meeting page with the most HTML bytes
    largest_page_html: int
    largest_page_text: int
    worst_page: str  # the meeting page with the most HTML bytes per byte of visible text
    worst_page_html: int
    worst_page_text: int
    meeting_pages: int
    pages_over_limit: int  # meeting pages whose HTML is more than PAGE_LIMIT times their text
    search_bytes: int | None  # None: no search bundle in this build
    first_query_bytes: int | None = None
    withheld_leaks: int = 0
    steps: dict | None = None  # seconds per step of the build (GIJIROKU_STEPS)
    search: dict | None = None  # search_checks.measure_search: first and later queries, verbatim queries
    cpu_seconds: float | None = None  # the fastest run's user and system time, over the process tree
    runs: list[float] | None = None  # every run's wall time (--repeat)


def measure_site(name: str, meetings: int, run: Run, site: Path, search: list[Path]) -> Build:
    """The figures of one build; `search` lists the files and directories of its search bundle."""
    pages = list(site.rglob("*.html"))
    ratios = page_ratios(site)
    largest, worst = max(ratios, key=lambda r: r[1]), max(ratios, key=_ratio)
    return Build(
        name=name, meetings=meetings, seconds=run.seconds, max_rss=run.max_rss, tree_rss=run.tree_rss,
        html_pages=len(pages), output_bytes=_tree_bytes(site), largest_page=largest[0], largest_page_html=largest[1],
        largest_page_text=largest[2], worst_page=worst[0], worst_page_html=worst[1], worst_page_text=worst[2],
        meeting_pages=len(ratios), pages_over_limit=sum(_ratio(r) > PAGE_LIMIT for r in ratios),
        search_bytes=sum(_tree_bytes(p) for p in search) if any(p.exists() for p in search) else None,
        withheld_leaks=_leaks(site), cpu_seconds=run.cpu_seconds, runs=run.runs,
    )


def pages_figures(build: Build, meetings: int) -> dict:
    """The page-size figures of a build of `meetings` synthetic meetings, for the HTML/text target."""
    return {"meetings": meetings, "pages": build.meeting_pages, "worst_page": build.worst_page,
            "worst_page_html": build.worst_page_html, "worst_page_text": build.worst_page_text,
            "over_limit": build.pages_over_limit}


def lunr_first_query_bytes(site: Path) -> int | None:
    """The naive baseline's Material search downloads its whole search_index.json before it can
    answer a first query: its size gzip-compressed, as a host sends it."""
    index = site / "search" / "search_index.json"
    return len(gzip.compress(index.read_bytes(), mtime=0)) if index.exists() else None


# -- projects ------------------------------------------------------------------------------------


def build_env() -> dict:
    epoch = int(dt.datetime.combine(BUILD_DAY, dt.time(12), tzinfo=dt.UTC).timestamp())
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": str(epoch)}


def make_project(dest: Path, meetings: int, seed: int) -> Path:
    """A project like the real one, with a synthetic corpus of `meetings` meetings."""
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copy(ROOT / "committee.yml", dest / "committee.yml")
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    shutil.copytree(ROOT / "docs", dest / "docs")
    (dest / "hooks").symlink_to(ROOT / "hooks")
    write_corpus(synthesize(ROOT, meetings, seed), dest)
    return dest


def naive_page(source: str) -> str:
    """A meeting file as a plain page: its title as the heading, every other line a paragraph."""
    _, front, body = source.split("---\n", 2)
    meta = yaml.safe_load(front)
    title = meta.get("title") or f"第{meta['number']}回"
    lines, withheld = [f"# {title}"], False
    for line in body.split("\n"):
        if line in (OPEN, CLOSE):
            withheld = line == OPEN
        elif line.strip() and not withheld:
            lines.append(line)
    return "\n\n".join(lines) + "\n"


NAIVE_CONFIG = """\
site_name: 個人情報保護委員会 議事録（素朴な基準）
site_url: http://127.0.0.1:8000/
theme:
  name: material
  language: ja
plugins:
  - search:
      lang: ja
"""


def make_naive_project(dest: Path, source: Path) -> Path:
    """A plain MkDocs + Material project of the meetings under `source`; no nav key, so every page is listed."""
    (dest / "docs" / "meetings").mkdir(parents=True)
    (dest / "mkdocs.yml").write_text(NAIVE_CONFIG, encoding="utf-8")
    (dest / "docs" / "index.md").write_text("# 議事録\n\n会議の一覧は左のナビゲーションにあります。\n", encoding="utf-8")
    for path in sorted((source / "minutes").glob("*.md")):
        text = naive_page(path.read_text(encoding="utf-8"))
        (dest / "docs" / "meetings" / path.name).write_text(text, encoding="utf-8")
    return dest


# -- mkdocs serve --------------------------------------------------------------------------------


def _wait_until(check, timeout: float, what: str) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if check():
            return time.perf_counter() - started
        time.sleep(POLL_SECONDS)
    raise TimeoutError(f"{what}: not within {timeout:g} s")


def append_paragraph(path: Path, text: str) -> None:
    """Append a paragraph to the meeting's first speech (the opening, which is always public)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("○"))
    lines[first + 1:first + 1] = ["", text]
    path.write_text("\n".join(lines), encoding="utf-8")


def measure_serve(project: Path, meetings: int, env: dict, log: Path, timeout: float) -> dict:
    """`gijiroku serve` on a free port: first build, then the time from an edit to the page showing it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    number = max(1, meetings // 2)
    marker = f"ベンチマークによる追記{time.time_ns()}"
    cmd = [sys.executable, "-m", "gijiroku.cli", "--root", str(project), "serve", "--dev-addr", f"127.0.0.1:{port}"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # its own process group: gijiroku and its mkdocs
        def shows(url: str, text: str | None = None) -> bool:
            if proc.poll() is not None:
                raise RuntimeError(f"serve exited ({proc.returncode}); see {log}")
            body = fetch(url, timeout=10)
            return body is not None and (text is None or text in body)

        try:
            first = _wait_until(lambda: shows(f"{base}/"), timeout, "first build under serve")
            append_paragraph(project / "minutes" / f"{number}.md", marker)
            page = f"{base}/meetings/{number}/"
            rebuild = _wait_until(lambda: shows(page, marker), timeout, "edit shown under serve")
        finally:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    return {"meetings": meetings, "page": f"/meetings/{number}/", "first_build_seconds": first,
            "edit_to_page_seconds": rebuild}


# -- main ----------------------------------------------------------------------------------------


def machine() -> dict:
    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
        "mkdocs": version("mkdocs"), "mkdocs-material": version("mkdocs-material"),
        "commit": commit.stdout.strip() or None, "load_average_at_start": os.getloadavg(),
    }


def ours_label(n: int) -> str:
    """The name of our build of `n` meetings, in the bench's progress lines and among its jobs."""
    return f"gijiroku, {n} meetings"


def our_job(work: Path, n: int, args, env: dict) -> tuple[Job, Path]:
    """A synthetic corpus of `n` meetings in a project of its own, and its `gijiroku build` (each
    step timed) as a job."""
    print(f"{ours_label(n)}: synthesizing …", file=sys.stderr, flush=True)
    project = make_project(work / f"project-{n}", n, args.seed)
    steps = work / f"steps-{n}.json"

    def cmd(target: Path) -> list[str]:
        return [sys.executable, "-m", "gijiroku.cli", "--root", str(project), "build", "--site-dir", str(target), "--quiet"]

    return Job(cmd, project, {**env, "GIJIROKU_STEPS": str(steps)}, args.out / f"build-{n}.log", work / f"site-{n}",
               steps), project


def measure_ours(n: int, job: Job, run: Run, project: Path, args, env: dict, search: bool, verbatim: bool) -> Build:
    """The site built by `job`, measured. With `search`, the bytes of the queries in Chromium; with
    `verbatim`, the verbatim queries too."""
    build = measure_site("gijiroku", n, run, job.site, [job.site / "search"])
    build.steps = json.loads(job.steps.read_text(encoding="utf-8")) if job.steps and job.steps.exists() else None
    if search:
        print(f"{ours_label(n)}: searching in Chromium …", file=sys.stderr, flush=True)
        build.search = measure_search(job.site, (project, env, args.queries, args.seed) if verbatim else None)
        build.first_query_bytes = build.search["first"]["search_bytes"]
    return build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="meetings per corpus")
    parser.add_argument("--reference", type=int, default=None,
                        help="the size of the naive baseline, serve and search checks (default: 1000 if among"
                             " the sizes, else the largest size)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpora and of the verbatim queries")
    parser.add_argument("--pages", type=int, default=PAGES_MEETINGS,
                        help="meetings of the corpus whose every meeting page's HTML/text is checked (0: none)")
    parser.add_argument("--queries", type=int, default=VERBATIM_QUERIES, help="verbatim queries at the reference size")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out", help="where bench.json and logs go")
    parser.add_argument("--work", type=Path, default=None, help="where the throwaway projects go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway projects and sites")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive baseline")
    parser.add_argument("--repeat", type=int, default=REPEAT,
                        help=f"builds of each size and of the baseline; the fastest counts (default {REPEAT})")
    parser.add_argument("--no-serve", action="store_true", help="skip the incremental rebuild under mkdocs serve")
    parser.add_argument("--no-search", action="store_true", help="skip the search figures (headless Chromium)")
    parser.add_argument("--serve-timeout", type=float, default=1800, help="seconds to wait for each serve step")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")

    sizes = sorted(set(args.sizes))
    ref = args.reference if args.reference is not None else REFERENCE if REFERENCE in sizes else sizes[-1]
    if ref not in sizes:
        parser.error(f"--reference {ref} is not among --sizes {' '.join(map(str, sizes))}")
    if not args.no_search and not Path(CHROMIUM).exists():
        parser.error(f"{CHROMIUM} is missing (`make chromium` installs it); or run with --no-search")
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="gijiroku-bench-", dir=args.work))
    needed = SITE_BYTES * args.repeat * (sum(sizes) + args.pages + (0 if args.no_naive else 2 * ref))
    if shutil.disk_usage(work).free < needed:
        work.rmdir()
        parser.error(f"{work.parent} has {shutil.disk_usage(work.parent).free / 1e9:.1f} GB free and the bench keeps"
                     f" about {needed / 1e9:.1f} GB until it ends (see the module doc): free some, or use --work DIR")
    env = build_env()
    report: dict = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "build_day": BUILD_DAY.isoformat(),
                    "seed": args.seed, "sizes": sizes, "reference": ref, "machine": machine()}
    builds: list[Build] = []
    serve = pages = None
    try:
        jobs: dict[str, Job] = {}
        projects: dict[int, Path] = {}
        ours = sizes + ([args.pages] if args.pages and args.pages not in sizes else [])
        for n in ours:
            jobs[ours_label(n)], projects[n] = our_job(work, n, args, env)
        if not args.no_naive:
            naive = make_naive_project(work / f"naive-{ref}", projects[ref])
            jobs[NAIVE] = Job(lambda target: [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                                              "--site-dir", str(target)],
                              naive, env, args.out / f"naive-{ref}.log", work / f"naive-site-{ref}")
        runs = run_rounds(jobs, args.repeat)
        for n in ours:
            build = measure_ours(n, jobs[ours_label(n)], runs[ours_label(n)], projects[n], args, env,
                                 n in sizes and not args.no_search, n == ref)
            if n in sizes:
                builds.append(build)
            if n == args.pages:
                pages = pages_figures(build, n)
        if not args.no_naive:
            site = jobs[NAIVE].site
            build = measure_site("naive", ref, runs[NAIVE], site, [site / "search" / "search_index.json"])
            build.first_query_bytes = lunr_first_query_bytes(site)
            builds.append(build)
        if not args.no_serve:
            print(f"mkdocs serve, {ref} meetings: first build, then one edit …", file=sys.stderr, flush=True)
            try:
                serve = measure_serve(work / f"project-{ref}", ref, env, args.out / f"serve-{ref}.log", args.serve_timeout)
            except (TimeoutError, RuntimeError) as err:  # keep the build figures; say what went wrong
                serve = {"meetings": ref, "error": str(err)}
                print(f"mkdocs serve: {err}", file=sys.stderr)
    finally:  # the only deletion: see the module doc
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"projects and sites kept in {work}", file=sys.stderr)

    report.update(builds=[asdict(b) for b in builds], pages=pages, serve=serve)
    report["targets"] = [{**asdict(t), "status": t.status} for t in targets(report)]
    (args.out / "bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(render(report))
    print(f"\nfigures: {args.out / 'bench.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
