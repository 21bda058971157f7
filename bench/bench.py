#!/usr/bin/env python3
"""The performance benchmark behind `make bench` (issue #7, "Performance at scale").

In one run on one machine:

1. for each size N (default 300, 1000, 2000), a synthetic corpus (`gijiroku synth`, fixed seed)
   in a throwaway project made like the real one (mkdocs.yml, overrides/, docs/ and
   committee.yml copied, hooks/ linked), built with `gijiroku build` (strict, the project's
   hooks) into a throwaway site directory;
2. a naive baseline of the middle size: each meeting a plain Markdown page (its title as the
   heading, its lines as paragraphs, withheld regions dropped) in a plain MkDocs project with
   Material's default navigation listing every page and its `search` plugin (`lang: ja`);
3. an incremental rebuild under `mkdocs serve` (`gijiroku serve`) of the middle corpus: wait
   for the first build, append a paragraph to one speech, and time until the served meeting
   page shows it.

For every build it records wall time, peak RSS, HTML pages, output bytes, the largest meeting
page's HTML bytes against its visible text bytes, the search bundle (site/pagefind/ for ours,
search/search_index.json for the baseline), and whether any withheld sentinel text reached
the output. It prints one table and writes every figure to bench-out/bench.json.

Peak RSS comes from the kernel (os.wait4, as /usr/bin/time -v reports it): the largest
single process of the build's process tree. The sum over the tree, sampled from /proc every
0.2 s, is recorded beside it, since a search indexer may run as a child of MkDocs.

This is a measuring tool, not a test: it asserts nothing about time. Run it on a quiet
machine; `--sizes 50 100 --no-serve` is a quick look during development.
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
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path

import yaml

from gijiroku.disclosure.markers import CLOSE, OPEN
from gijiroku.synth.corpus import RANGE_END, SENTINEL, synthesize, write_corpus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the helpers that the serve tests use too

from localhost import fetch, free_port  # noqa: E402

DEFAULT_SIZES = (300, 1000, 2000)
# The day every build publishes for: after the corpus's last meeting and before any of its
# future 後日公表 dates, so that every run (whatever the calendar says) publishes the same content.
BUILD_DAY = RANGE_END + dt.timedelta(days=1)
SAMPLE_SECONDS = 0.2
POLL_SECONDS = 0.25
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


# -- measuring a process -------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    max_rss: int  # bytes: the largest single process (kernel ru_maxrss)
    tree_rss: int | None  # bytes: the largest sampled sum over the process tree, None without /proc


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
    return Run(seconds, usage.ru_maxrss * 1024, tree_peak)  # Linux reports ru_maxrss in KiB


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


@dataclass
class Build:
    name: str  # gijiroku | naive
    meetings: int
    seconds: float
    max_rss: int
    tree_rss: int | None
    html_pages: int
    output_bytes: int
    largest_page: str
    largest_page_html: int
    largest_page_text: int
    search_bytes: int | None  # None: no search bundle in this build
    first_query_bytes: int | None = None  # to be wired with Pagefind (see first_query_bytes)
    withheld_leaks: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def page_ratio(self) -> float:
        return self.largest_page_html / self.largest_page_text if self.largest_page_text else float("nan")


def measure_site(name: str, meetings: int, run: Run, site: Path, search: list[Path]) -> Build:
    """The figures of one build; `search` lists the files and directories of its search bundle."""
    pages = list(site.rglob("*.html"))
    meeting_pages = [p for p in (site / "meetings").glob("*/index.html") if p.parent.name.isdigit()]
    largest = max(meeting_pages, key=lambda p: p.stat().st_size)
    html = largest.read_text(encoding="utf-8")
    return Build(
        name=name, meetings=meetings, seconds=run.seconds, max_rss=run.max_rss, tree_rss=run.tree_rss,
        html_pages=len(pages), output_bytes=_tree_bytes(site), largest_page=largest.relative_to(site).as_posix(),
        largest_page_html=len(html.encode("utf-8")), largest_page_text=visible_text_bytes(html),
        search_bytes=sum(_tree_bytes(p) for p in search) if any(p.exists() for p in search) else None,
        first_query_bytes=first_query_bytes(site), withheld_leaks=_leaks(site),
    )


def first_query_bytes(site: Path) -> int | None:
    """Bytes a reader's browser fetches for the search of the first query (公金受取口座), gzip as a host sends.

    Ours: measured in headless Chromium on the search page (bench/search_bench.py): Pagefind's
    entry, WebAssembly and index chunks, the facets and the result files. The naive baseline's
    Material search downloads its whole search_index.json before it can answer: its size.
    """
    if (site / "pagefind").is_dir():
        from search_bench import Server, first_query

        from browser import chromium

        server = Server(site, True)
        try:
            with chromium() as browser:
                return first_query(browser, server)[2]["search_bytes"]
        finally:
            server.close()
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


# -- report --------------------------------------------------------------------------------------


def _mib(n: int | None) -> str:
    return "n/a" if n is None else f"{n / 2**20:.1f}"


def _kib(n: int | None) -> str:
    return "n/a" if n is None else f"{n / 2**10:.0f}"


def table(builds: list[Build]) -> str:
    header = ["build", "meetings", "wall s", "RSS MiB", "RSS tree MiB", "HTML pages", "output MiB",
              "page HTML KiB", "page text KiB", "html/text", "search KiB", "first-query bytes", "leaks"]
    rows = [[b.name, str(b.meetings), f"{b.seconds:.1f}", _mib(b.max_rss), _mib(b.tree_rss), str(b.html_pages),
             _mib(b.output_bytes), _kib(b.largest_page_html), _kib(b.largest_page_text), f"{b.page_ratio:.1f}",
             _kib(b.search_bytes), "n/a" if b.first_query_bytes is None else str(b.first_query_bytes),
             str(b.withheld_leaks)] for b in builds]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:  # the first column to the left, figures to the right
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])


def ratios(builds: list[Build], serve: dict | None, middle: int) -> dict:
    ours = {b.meetings: b for b in builds if b.name == "gijiroku"}
    naive = next((b for b in builds if b.name == "naive"), None)
    out = {}
    if naive and middle in ours:
        out[f"t(full,{middle})/t(naive,{middle})"] = ours[middle].seconds / naive.seconds
    sizes = sorted(ours)
    if len(sizes) > 1 and sizes[-1] != middle and middle in ours:
        top = sizes[-1]
        out[f"t({top})/t({middle})"] = ours[top].seconds / ours[middle].seconds
        out[f"meetings {top}/{middle}"] = top / middle
    if serve and "error" not in serve and middle in ours:
        out[f"t(serve edit,{middle})/t(full,{middle})"] = serve["edit_to_page_seconds"] / ours[middle].seconds
    return out


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


# -- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="meetings per corpus")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpora")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out", help="where bench.json and logs go")
    parser.add_argument("--work", type=Path, default=None, help="where the throwaway projects go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway projects and sites")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive baseline")
    parser.add_argument("--no-serve", action="store_true", help="skip the incremental rebuild under mkdocs serve")
    parser.add_argument("--serve-timeout", type=float, default=1800, help="seconds to wait for each serve step")
    args = parser.parse_args(argv)

    sizes = sorted(set(args.sizes))
    middle = sizes[len(sizes) // 2]
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="gijiroku-bench-", dir=args.work))
    env = build_env()
    report: dict = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "build_day": BUILD_DAY.isoformat(),
                    "seed": args.seed, "sizes": sizes, "machine": machine()}
    builds: list[Build] = []
    serve = None
    try:
        for n in sizes:
            print(f"gijiroku, {n} meetings: synthesizing and building …", file=sys.stderr, flush=True)
            project = make_project(work / f"project-{n}", n, args.seed)
            site = work / f"site-{n}"
            cmd = [sys.executable, "-m", "gijiroku.cli", "--root", str(project), "build", "--site-dir", str(site), "--quiet"]
            run = run_measured(cmd, project, env, args.out / f"build-{n}.log")
            builds.append(measure_site("gijiroku", n, run, site, [site / "pagefind", site / "search" / "r",
                                                                     site / "search" / "p", site / "search" / "facets.json.gz"]))
            if not args.keep:
                shutil.rmtree(site)
                if n != middle:
                    shutil.rmtree(project)
        if not args.no_naive:
            print(f"naive baseline, {middle} meetings: building …", file=sys.stderr, flush=True)
            naive = make_naive_project(work / f"naive-{middle}", work / f"project-{middle}")
            site = work / f"naive-site-{middle}"
            cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)]
            run = run_measured(cmd, naive, env, args.out / f"naive-{middle}.log")
            builds.append(measure_site("naive", middle, run, site, [site / "search" / "search_index.json"]))
            if not args.keep:
                shutil.rmtree(site)
                shutil.rmtree(naive)
        if not args.no_serve:
            print(f"mkdocs serve, {middle} meetings: first build, then one edit …", file=sys.stderr, flush=True)
            try:
                serve = measure_serve(work / f"project-{middle}", middle, env, args.out / f"serve-{middle}.log",
                                      args.serve_timeout)
            except (TimeoutError, RuntimeError) as err:  # keep the build figures; say what went wrong
                serve = {"meetings": middle, "error": str(err)}
                print(f"mkdocs serve: {err}", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"projects and sites kept in {work}", file=sys.stderr)

    derived = ratios(builds, serve, middle)
    report.update(builds=[{**asdict(b), "page_html_text_ratio": b.page_ratio} for b in builds], serve=serve,
                  ratios=derived)
    (args.out / "bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    print(table(builds))
    if serve and "error" in serve:
        print(f"\nmkdocs serve ({middle} meetings): failed: {serve['error']}")
    elif serve:
        print(f"\nmkdocs serve ({middle} meetings): first build {serve['first_build_seconds']:.1f} s; "
              f"edit of {serve['page']} shown after {serve['edit_to_page_seconds']:.1f} s")
    if derived:
        print()
        width = max(map(len, derived))
        for name, value in derived.items():
            print(f"{name.ljust(width)}  {value:.2f}")
    print(f"\nfigures: {args.out / 'bench.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
