"""What `make bench` prints: the builds, each step's share, the search figures and, last, issue
15's targets, each with its figure, its limit and whether it is met.

Everything here reads the report that bench.py writes to bench-out/bench.json (plain dicts), so
the tables can be printed again from a saved run, and tested from given figures.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

STEPS = ("read", "generate", "render", "index", "fence", "verify")  # in the order a command-line build runs them
REST = "start-up and rest"
GB = 1_000_000_000
KB = 1000


def width(text: str) -> int:
    """Columns a terminal gives `text`: two for a wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int, right: bool = False) -> str:
    space = " " * max(0, columns - width(text))
    return space + text if right else text + space


def grid(header: list[str], rows: list[list[str]]) -> str:
    """Columns as wide as their widest cell: the first to the left, figures to the right."""
    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(pad(c, w, right=i > 0) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])


def _mib(n: int | None) -> str:
    return "n/a" if n is None else f"{n / 2**20:.1f}"


def _kib(n: int | float | None) -> str:
    return "n/a" if n is None else f"{n / 2**10:.0f}"


def _ratio(html: int, text: int) -> float:
    return html / text if text else math.nan


def builds_table(builds: list[dict]) -> str:
    """Time, memory and output of each build: the fastest run's wall and CPU seconds (the CPU of
    the whole process tree), every run's wall seconds, the most memory of any run."""
    header = ["build", "meetings", "wall s", "runs s", "CPU s", "RSS MiB", "RSS tree MiB", "HTML pages", "output MiB",
              "leaks"]
    return grid(header, [[b["name"], str(b["meetings"]), f"{b['seconds']:.1f}",
                          " ".join(f"{r:.1f}" for r in b.get("runs") or [b["seconds"]]),
                          "n/a" if b.get("cpu_seconds") is None else f"{b['cpu_seconds']:.1f}", _mib(b["max_rss"]),
                          _mib(b["tree_rss"]), str(b["html_pages"]), _mib(b["output_bytes"]), str(b["withheld_leaks"])]
                         for b in builds])


def pages_table(builds: list[dict]) -> str:
    """Meeting pages (the largest, and the one with the most HTML per byte of text) and search bytes."""
    header = ["build", "meetings", "largest page KiB", "html/text", "worst html/text", "worst page", "pages over 3",
              "search KiB", "first query KiB", "later median KiB", "later max KiB"]
    rows = []
    for b in builds:
        search = b.get("search") or {}
        rows.append([b["name"], str(b["meetings"]), _kib(b["largest_page_html"]),
                     f"{_ratio(b['largest_page_html'], b['largest_page_text']):.2f}",
                     f"{_ratio(b['worst_page_html'], b['worst_page_text']):.2f}", b["worst_page"],
                     f"{b.get('pages_over_limit', 0)} of {b.get('meeting_pages', '?')}", _kib(b["search_bytes"]),
                     _kib(b["first_query_bytes"]), _kib(search.get("later_median")), _kib(search.get("later_max"))])
    return grid(header, rows)


def step_names(builds: list[dict]) -> list[str]:
    """The build's steps in their order, then any step a newer build reports that STEPS does not name."""
    seen = [s for s in STEPS if any(s in (b.get("steps") or {}) for b in builds)]
    return seen + sorted({s for b in builds for s in (b.get("steps") or {})} - set(seen))


def steps_table(builds: list[dict]) -> str | None:
    """Per size: each step's seconds and share of the wall time; the rest is start-up, MkDocs'
    configuration and whatever no step covers (wall time minus the steps)."""
    builds = [b for b in builds if b.get("steps")]
    if not builds:
        return None
    names = step_names(builds)
    rows = []
    for b in builds:
        wall, steps = b["seconds"], b["steps"]
        cells = [f"{steps[s]:.1f} s {steps[s] / wall:4.0%}" if s in steps else "—" for s in names]
        rest = wall - sum(steps.values())
        rows.append([str(b["meetings"]), f"{wall:.1f}", *cells, f"{rest:.1f} s {rest / wall:4.0%}"])
    return grid(["meetings", "wall s", *names, REST], rows)


# -- targets --------------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    figure: str  # as printed; "" when not measured
    limit: str
    met: bool | None  # None: not measured
    value: float | None = None

    @property
    def status(self) -> str:
        return "not measured" if self.met is None else "met" if self.met else "NOT met"


def _gijiroku(report: dict) -> dict[int, dict]:
    return {b["meetings"]: b for b in report.get("builds", []) if b["name"] == "gijiroku"}


def _at_most(name: str, value: float | None, limit: float, limit_text: str, shown) -> Target:
    if value is None:
        return Target(name, "", limit_text, None)
    return Target(name, shown(value), limit_text, value <= limit, value)


def targets(report: dict) -> list[Target]:
    """Issue 15's targets from a bench report; a figure the run did not measure is 'not measured'."""
    ours = _gijiroku(report)
    ref = report.get("reference")
    naive = next((b for b in report.get("builds", []) if b["name"] == "naive"), None)
    seconds = {n: b["seconds"] for n, b in ours.items()}

    def ratio(a: int, b: int) -> float | None:
        return seconds[a] / seconds[b] if a in seconds and b in seconds else None

    tree = ours.get(2000, {}).get("tree_rss")
    out = [
        _at_most("peak RSS of the build (process tree), 2000 meetings", tree, GB, "≤ 1 GB (10^9 bytes)",
                 lambda v: f"{v / 1e6:,.0f} MB"),
        _at_most("t(2000) / t(1000)", ratio(2000, 1000), 2.1, "≤ 2.1", lambda v: f"{v:.2f}"),
        _at_most("t(4000) / t(2000)", ratio(4000, 2000), 2.1, "≤ 2.1", lambda v: f"{v:.2f}"),
        _at_most(f"t(full {ref}) / t(naive {ref})",
                 seconds[ref] / naive["seconds"] if naive and ref in seconds and naive["meetings"] == ref else None,
                 0.5, "≤ 0.5", lambda v: f"{v:.2f}"),
    ]
    serve = report.get("serve")
    name = f"serve: an edit visible in the browser, {ref} meetings"
    if serve and "error" in serve:
        out.append(Target(name, "failed", "≤ 2 s", False))
    else:
        out.append(_at_most(name, serve and serve["edit_to_page_seconds"], 2, "≤ 2 s", lambda v: f"{v:.1f} s"))
    pages = report.get("pages")
    worst = pages and _ratio(pages["worst_page_html"], pages["worst_page_text"])
    out.append(_at_most(f"HTML / text, worst meeting page of {pages['meetings'] if pages else 50} synthetic meetings",
                        worst, 3, "≤ 3", lambda v: f"{v:.2f} ({pages['worst_page']})"))
    search = (ours.get(ref) or {}).get("search") or {}
    verbatim = search.get("verbatim")
    name = f"verbatim queries, {ref} meetings"
    if verbatim:
        out.append(Target(name, f"{verbatim['exact']}/{verbatim['queries']} exact", "all exact",
                          verbatim["exact"] == verbatim["queries"], verbatim["exact"]))
    else:
        out.append(Target(name, "", "all exact", None))
    first = search.get("first", {}).get("search_bytes")
    out += [
        _at_most(f"first query, bytes, {ref} meetings", first, 300 * KB, "≤ 300 KB (300,000 bytes)", _kb),
        _at_most(f"later queries, median bytes, {ref} meetings", search.get("later_median"), 150 * KB,
                 "≤ 150 KB (150,000 bytes)", _kb),
        _at_most(f"later queries, largest bytes, {ref} meetings", search.get("later_max"), 150 * KB,
                 "≤ 150 KB (150,000 bytes)", _kb),
    ]
    return out


def _kb(n: float) -> str:
    return f"{n / KB:,.1f} KB"


def targets_table(rows: list[Target], reference: int | None = None) -> str:
    table = grid(["target", "figure", "limit", "status"], [[t.name, t.figure or "—", t.limit, t.status] for t in rows])
    if reference is not None and reference != 1000:
        table += (f"\n(the reference size of this run is {reference}; issue 15 asks for the naive, serve and"
                  " search targets at 1000)")
    return table


def search_lines(report: dict) -> list[str]:
    """The queries at the reference size, each with its bytes, then the verbatim queries' result."""
    from search_checks import summary

    ref = report.get("reference")
    search = (_gijiroku(report).get(ref) or {}).get("search")
    if not search:
        return []
    first = search["first"]
    lines = [f"search, {ref} meetings (bytes the browser receives, gzip as a host sends):",
             f"  first query  {pad(first['query'], 26)}{first['search_bytes']:>10,} B  {first['results']}"]
    lines += [f"  later query  {pad(q['query'], 26)}{q['bytes']:>10,} B  {q['results']}" for q in search["later"]]
    lines.append(f"  later queries: median {search['later_median']:,.0f} B, largest {search['later_max']:,} B")
    return lines + [summary(search.get("verbatim"))]


def render(report: dict) -> str:
    """The whole printout of a run."""
    parts = [builds_table(report["builds"]), pages_table(report["builds"])]
    steps = steps_table([b for b in report["builds"] if b["name"] == "gijiroku"])
    if steps:
        parts.append("each step's seconds and share of the wall time (gijiroku builds):\n" + steps)
    pages = report.get("pages")
    if pages:
        parts.append(f"meeting pages of {pages['meetings']} synthetic meetings: worst HTML/text "
                     f"{_ratio(pages['worst_page_html'], pages['worst_page_text']):.2f} ({pages['worst_page']}, "
                     f"{pages['worst_page_html']:,} B of HTML for {pages['worst_page_text']:,} B of text); "
                     f"{pages['over_limit']} of {pages['pages']} pages over 3")
    serve = report.get("serve")
    if serve and "error" in serve:
        parts.append(f"mkdocs serve ({serve['meetings']} meetings): failed: {serve['error']}")
    elif serve:
        parts.append(f"mkdocs serve ({serve['meetings']} meetings): first build {serve['first_build_seconds']:.1f} s; "
                     f"edit of {serve['page']} shown after {serve['edit_to_page_seconds']:.1f} s")
    search = search_lines(report)
    if search:
        parts.append("\n".join(search))
    parts.append("targets (issue 15):\n" + targets_table(targets(report), report.get("reference")))
    return "\n\n".join(parts)
