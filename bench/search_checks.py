"""Search figures for `make bench`, measured only through the browser (and the record), so that
they hold whatever format the index has.

Bytes: a fresh search page's first query (公金受取口座) and the later queries typed into the same
page (search_bench.LATER), as headless Chromium receives them from a host that gzips text.

Verbatim queries: does search find every page that prints a query, and only those? The queries are random stretches (seeded) of 2 to 12 characters of the public text, each within
one paragraph, as a reader would copy them from a page. The ground truth comes from the record,
never from the index: the record as the build read it (`load_record`), made public for the
build's day (`public_record`), cut into the search's pages and paragraphs (`search.records.units_of`)
and reduced to the characters search sees (`search.tokens.search_chars`). A page is expected
for a query when one of its paragraphs holds the query's search characters; a query never
spans two paragraphs. The answer comes from the search page in Chromium, the way a reader sees
it: every result's page, with さらに表示 pressed until all are shown. So the check holds whatever
format the index has.
"""

from __future__ import annotations

import random
import statistics
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from gijiroku.disclosure.public import build_date, public_record
from gijiroku.record.loader import load_record
from gijiroku.search.records import units_of
from gijiroku.search.tokens import search_chars

SHORTEST, LONGEST = 2, 12
QUOTES = set("\"“”「」")  # query.js reads these as a phrase's bounds


@dataclass
class Page:
    url: str  # as the search page links it: meetings/12/, decisions/<id>/
    paragraphs: list[str]  # as printed
    searched: str  # the search characters of every paragraph, one per line


def public_pages(project: Path, site: Path, env: dict) -> list[Page]:
    """Every page search covers, with its public paragraphs, for the day the build published."""
    record, problems = load_record(project)
    if problems:
        raise RuntimeError(f"{project}: {len(problems)} problems in the record, e.g. {problems[0]}")
    public = public_record(record, build_date(env))
    pages = []
    for unit in units_of(public, site):
        paragraphs = [p for block in unit.blocks for p in block.paragraphs]
        pages.append(Page(unit.url, paragraphs, "\n".join(search_chars(p) for p in paragraphs)))
    return pages


def typable(query: str) -> bool:
    """A query that search reads as one word: no space, no quote, no leading minus, not OR, a letter in it."""
    typed = unicodedata.normalize("NFKC", query)  # as query.js reads it
    return (bool(search_chars(query)) and not any(c.isspace() or c in QUOTES for c in typed)
            and not typed.startswith("-") and typed != "OR")


def pick_queries(pages: list[Page], count: int, seed: int) -> list[str]:
    """`count` distinct verbatim stretches of public paragraphs; longer paragraphs are drawn more often."""
    rng = random.Random(seed)
    paragraphs = [p for page in pages for p in page.paragraphs if len(p) >= SHORTEST]
    weights = [len(p) for p in paragraphs]
    queries: list[str] = []
    for _ in range(count * 100):
        if len(queries) == count:
            break
        text = rng.choices(paragraphs, weights)[0]
        length = min(rng.randint(SHORTEST, LONGEST), len(text))
        start = rng.randrange(len(text) - length + 1)
        query = text[start:start + length]
        if typable(query) and query not in queries:
            queries.append(query)
    return queries


def expected(pages: list[Page], query: str) -> set[str]:
    """The pages one of whose paragraphs holds the query, as search sees characters."""
    wanted = search_chars(query)
    return {page.url for page in pages if wanted in page.searched}


def check(page, base: str, pages: list[Page], queries: list[str]) -> dict:
    """Each query on the search page (already open at `base`search/): the pages found against the record's."""
    from test_search_browser import results, search_for  # the helpers the browser tests use

    failures = []
    started = time.perf_counter()
    for query in queries:
        search_for(page, query)
        found = results(page, base)
        want = expected(pages, query)
        if sorted(found) != sorted(want):  # a page found twice fails too
            failures.append({"query": query, "expected": len(want), "found": len(found),
                             "missing": sorted(want - set(found))[:10], "extra": sorted(set(found) - want)[:10],
                             "duplicates": len(found) - len(set(found))})
    return {"queries": len(queries), "exact": len(queries) - len(failures), "failures": failures,
            "seconds": round(time.perf_counter() - started, 1), "shortest": SHORTEST, "longest": LONGEST,
            "expected_pages": {q: len(expected(pages, q)) for q in queries}}


def summary(result: dict | None) -> str:
    """verbatim queries: 40/40 exact, or what went wrong."""
    if not result:
        return "verbatim queries: not measured"
    counts = result["expected_pages"].values()
    lines = [f"verbatim queries: {result['exact']}/{result['queries']} exact ({result['shortest']} to {result['longest']}"
             f" characters, each in {min(counts, default=0)} to {max(counts, default=0)} pages; {result['seconds']:.1f} s)"]
    for f in result["failures"]:
        lines.append(f"  {f['query']!r}: expected {f['expected']} pages, found {f['found']}"
                     + (f"; missing {', '.join(f['missing'])}" if f["missing"] else "")
                     + (f"; not containing it {', '.join(f['extra'])}" if f["extra"] else "")
                     + (f"; {f['duplicates']} shown twice" if f["duplicates"] else ""))
    return "\n".join(lines)


def measure_search(site: Path, verbatim: tuple[Path, dict, int, int] | None = None) -> dict:
    """Bytes of the first and the later queries on `site`; with `verbatim` = (project, build env,
    count, seed), then `count` verbatim queries on the same page."""
    from search_bench import Server, first_query, later_queries

    from browser import chromium

    server = Server(site, True)
    try:
        with chromium() as browser:
            page, traffic, first = first_query(browser, server)
            later = later_queries(page, traffic)
            sizes = [q["bytes"] for q in later]
            out = {"first": first, "later": later, "later_median": statistics.median(sizes), "later_max": max(sizes)}
            if verbatim:
                project, env, count, seed = verbatim
                pages = public_pages(project, site, env)
                out["verbatim"] = check(page, server.base, pages, pick_queries(pages, count, seed))
            page.context.close()
    finally:
        server.close()
    return out
