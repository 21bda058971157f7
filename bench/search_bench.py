"""Search benchmark: our index as the site builds it, against Material's lunr search, on one corpus.

    .venv/bin/python bench/search_bench.py --meetings 1000          # synthetic corpus (gijiroku synth, seed 0)
    .venv/bin/python bench/search_bench.py --corpus DIR             # DIR/minutes, DIR/decisions

Builds the site twice in temporary projects: as the project builds it (plugins: [], our index),
and with Material's search plugin (plugins: [search: {lang: ja}], Material's own header so
that its search box exists). Measures, for our index: the index build time and size, the bytes
headless Chromium downloads for a first query on a fresh page and for each later query, and the
time from the Enter key to the rendered results; for lunr: the size of search_index.json, the
bytes and time until Material's search shows its first results, and the heap the page and its
workers hold then. The site is served the way a static host serves it: text files gzip-encoded.
Prints a table and writes bench-out/search.json. Figures, not tests: the machine is shared.
"""

from __future__ import annotations

import argparse
import atexit
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))


from test_search_browser import DONE  # noqa: E402  (the search page's "results shown" state, as the tests wait for it)

from browser import CHROMIUM, chromium  # noqa: E402
from gijiroku.search.tokens import GRAM  # noqa: E402
from gijiroku.synth.corpus import synthesize, write_corpus  # noqa: E402

FIXED_EPOCH = "1735657200"
FIRST = "公金受取口座"
LATER = ["個人情報保護委員会", "マイナポイント", "丹野", "髙村委員", "デジタル庁", "全項目評価書",
         "特定個人情報保護評価", "御異議がないようですので", "番号法", "丹野 マイナポイント", "委"]
PATIENCE_MS = 300_000  # a first query on a large site loads its index first
TEXT = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", "/")


# -- projects and builds ------------------------------------------------------------------------------

def make_project(dest: Path, corpus: Path, lunr: bool = False) -> Path:
    """A project with the real site machinery and the corpus's minutes and decisions."""
    dest.mkdir(parents=True)
    for sub in ("minutes", "decisions"):
        shutil.copytree(corpus / sub, dest / sub)
    for kind in ("commissioners", "agencies"):
        source = corpus / "docs" / kind if (corpus / "docs" / kind).is_dir() else ROOT / "docs" / kind
        shutil.copytree(source, dest / "docs" / kind)
    shutil.copy(corpus / "committee.yml" if (corpus / "committee.yml").is_file() else ROOT / "committee.yml", dest)
    shutil.copytree(ROOT / "docs" / "assets", dest / "docs" / "assets")  # a link out of docs/ is refused (G607)
    (dest / "hooks").symlink_to(ROOT / "hooks")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if lunr:
        assert "\nplugins: []\n" in config
        config = config.replace("\nplugins: []\n", "\nplugins:\n  - search:\n      lang: ja\n")
        shutil.copytree(ROOT / "overrides", dest / "overrides")
        (dest / "overrides" / "partials" / "header.html").unlink()  # Material's header has its search box
    else:
        (dest / "overrides").symlink_to(ROOT / "overrides")
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest


def build_site(project: Path) -> float:
    from gijiroku.site.commands import build

    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    started = time.perf_counter()
    if build(project, project / "site", quiet=True) != 0:
        raise SystemExit(f"build failed: {project}")
    return time.perf_counter() - started


def reindex(project: Path, gram: int) -> dict:
    """Index the built site again, alone, to time the search indexing."""
    from gijiroku.disclosure.public import build_date, public_record
    from gijiroku.record.loader import load_record
    from gijiroku.search import indexing, reader

    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH  # the build's date, also when --resume skipped the build
    record, problems = load_record(project)
    assert not problems, problems[:3]
    stats = indexing.index_site(project / "site", public_record(record, build_date()), gram=gram)
    out = {"pages": stats.pages, "tokens": stats.tokens, "index_seconds": round(stats.seconds, 1),
           "sort_seconds": round(stats.sort_seconds, 1), "gram": gram}
    data, chunks = reader.index_dir(project / "site"), reader.index_dir(project / "site") / reader.CHUNKS
    files = [p for p in data.rglob("*") if p.is_file() and p.name != "index.html" and p.parent != chunks]
    out["search_data"] = {"files": len(files), "bytes": sum(p.stat().st_size for p in files)}
    out["index_chunks"] = {"files": len(list(chunks.iterdir())), "bytes": sum(p.stat().st_size for p in chunks.iterdir())}
    return out


# -- serving and measuring in Chromium -------------------------------------------------------------------

class StaticHost(http.server.SimpleHTTPRequestHandler):
    """Like a static host: text files gzip-encoded when the browser accepts gzip."""

    compress = True

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (self.compress and self.path.split("?")[0].endswith(TEXT) and path.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            body = gzipped(path)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(body.stat().st_size))
            self.end_headers()
            return body.open("rb")
        return super().send_head()


_packed: dict[tuple, Path] = {}
_pack_dir = Path(tempfile.mkdtemp(prefix="gijiroku-bench-gz-"))
atexit.register(shutil.rmtree, _pack_dir, True)


def gzipped(path: Path) -> Path:
    """The file gzip-compressed (level 6, as static hosts do), made once per version, streaming."""
    stat = path.stat()
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _packed:  # the server answers in threads: each writes its own file
        handle, name = tempfile.mkstemp(suffix=".gz", dir=_pack_dir)
        with open(handle, "wb") as raw, path.open("rb") as source, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as sink:
            shutil.copyfileobj(source, sink, 1 << 20)
        _packed[key] = Path(name)
    return _packed[key]


class Server:
    def __init__(self, directory: Path, compress: bool = True):
        handler = type("Host", (StaticHost,), {"compress": compress})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Traffic:
    """Bytes the page and its workers receive: bodies as sent (gzip included) and headers.

    Chromium reports no body size for a worker's own script, so the Content-Length the server
    sent counts where it is larger.
    """

    def __init__(self, page):
        self.log: list[tuple[str, int]] = []
        self.length: dict[object, int] = {}
        page.on("response", self._response)
        page.on("requestfinished", self._finished)

    def _response(self, response):
        self.length[response.request] = int(response.headers.get("content-length") or 0)

    def _finished(self, request):
        sizes = request.sizes()
        body = max(sizes["responseBodySize"], self.length.pop(request, 0))
        self.log.append((request.url, body + sizes["responseHeadersSize"]))

    def take(self, only=None) -> tuple[int, int]:
        entries = [(u, s) for u, s in self.log if only is None or only(u)]
        self.log = []
        return sum(s for _, s in entries), len(entries)


def is_search(url: str) -> bool:
    """A request made for search: anything under /search/ but the search page itself, and the search scripts (assets/search.*, assets/query.js)."""
    path = urlsplit(url).path
    return (("/search/" in path and not path.endswith(("/search/", "/search/index.html")))
            or "/assets/search." in path or path.endswith("/assets/query.js"))


def heap(browser, page) -> int:
    """JavaScript heap and array buffers (WebAssembly memory) of the page and its workers, in bytes."""
    cdp = browser.new_browser_cdp_session()
    replies: dict[str, dict] = {}

    def received(event):
        message = json.loads(event["message"])
        if message.get("id") == 1:
            replies[event["sessionId"]] = message.get("result", {})

    cdp.on("Target.receivedMessageFromTarget", received)
    sessions = []
    for target in cdp.send("Target.getTargets")["targetInfos"]:
        if target["type"] in ("page", "worker"):
            sid = cdp.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": False})["sessionId"]
            cdp.send("Target.sendMessageToTarget",
                     {"sessionId": sid, "message": json.dumps({"id": 1, "method": "Runtime.getHeapUsage"})})
            sessions.append(sid)
    for _ in range(50):
        if len(replies) == len(sessions):
            break
        page.wait_for_timeout(100)
    cdp.detach()
    return sum(r.get("usedSize", 0) + r.get("backingStorageSize", 0) for r in replies.values())


def first_query(browser, server: Server, query: str = FIRST):
    """A fresh page's search for `query`: the page, its traffic recorder, and what the query cost."""
    page = browser.new_context().new_page()
    page.set_default_timeout(PATIENCE_MS)
    traffic = Traffic(page)
    started = time.perf_counter()
    page.goto(server.base + "search/?q=" + query)
    page.wait_for_selector(DONE)
    seconds = time.perf_counter() - started
    page.wait_for_load_state("networkidle")
    search_bytes, requests = traffic.take(is_search)
    return page, traffic, {"query": query, "search_bytes": search_bytes, "requests": requests,
                           "seconds_to_results": round(seconds, 2), "results": page.inner_text(".gk-search__status")}


def later_queries(page, traffic: Traffic, queries: list[str] = LATER) -> list[dict]:
    """Each query typed into the same page after the first: bytes, requests, Enter to results."""
    out = []
    for query in queries:
        page.fill("#gk-search-q", query)
        traffic.take()
        started = time.perf_counter()
        page.press("#gk-search-q", "Enter")
        page.wait_for_selector(DONE)
        ms = (time.perf_counter() - started) * 1000
        page.wait_for_load_state("networkidle")
        got, requests = traffic.take(is_search)
        out.append({"query": query, "bytes": got, "requests": requests, "ms_to_results": round(ms),
                    "results": page.inner_text(".gk-search__status")})
    return out


def measure_ours(site: Path) -> dict:
    out: dict = {"first": {}, "later": []}
    with chromium() as browser:
        for compress in (True, False):
            server = Server(site, compress)
            page, traffic, out["first"]["gzip" if compress else "identity"] = first_query(browser, server)
            if compress:
                out["heap_after_first_query"] = heap(browser, page)
                out["later"] = later_queries(page, traffic)
                out["heap_after_later_queries"] = heap(browser, page)
            page.context.close()
            server.close()
    return out


def measure_lunr(site: Path, patience: float = 600) -> dict:
    """Material's search on the same corpus: its index, and what the browser goes through to use it."""
    out: dict = {}
    index = site / "search" / "search_index.json"
    out["search_index_bytes"] = index.stat().st_size
    out["search_index_gzip_bytes"] = gzipped(index).stat().st_size
    server = Server(site, True)
    with chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text[:300]) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: console.append(str(e)[:300]))
        page.on("crash", lambda *_: console.append("the page crashed"))
        traffic = Traffic(page)
        started = time.perf_counter()
        page.goto(server.base)
        page.fill("input.md-search__input", FIRST)
        try:
            page.wait_for_selector(".md-search-result__item", timeout=patience * 1000)
        except Exception as error:  # Material's search never answered: say so, with what the page said
            out["error"] = f"no results after {time.perf_counter() - started:.0f} s: {type(error).__name__}"
            out["console"] = console[:20]
            out["bytes_downloaded"], out["requests"] = traffic.take()
            try:
                out["heap_when_given_up"] = heap(browser, page)
            except Exception as again:
                out["heap_when_given_up"] = f"unavailable: {type(again).__name__}"
            context.close()
            server.close()
            return out
        out["seconds_to_first_results"] = round(time.perf_counter() - started, 1)
        page.wait_for_load_state("networkidle")
        out["bytes_to_first_results"], out["requests"] = traffic.take()
        out["heap_when_ready"] = heap(browser, page)
        times = []
        for query in LATER:
            before = page.inner_html(".md-search-result")
            page.fill("input.md-search__input", query)
            started = time.perf_counter()
            page.press("input.md-search__input", "End")  # Material searches on key events
            while page.inner_html(".md-search-result") == before and time.perf_counter() - started < 20:
                page.wait_for_timeout(5)
            times.append((time.perf_counter() - started) * 1000)
        out["later_query_ms"] = round(statistics.median(times))
        context.close()
    server.close()
    return out


# -- report ---------------------------------------------------------------------------------------------

def kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n < 10 * 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MB"


def report(result: dict) -> str:
    p, index, lunr = result["ours"], result["index"], result.get("lunr")
    later = p["later"]
    ours_disk = index["index_chunks"]["bytes"] + index["search_data"]["bytes"]
    rows = [
        ("site build (mkdocs, whole site)", f"{result['build_seconds']:.0f} s",
         lunr and f"{lunr['build_seconds']:.0f} s"),
        ("search index build", f"{index['index_seconds']:.1f} s",
         lunr and f"≈ {lunr['build_seconds'] - result['build_seconds']:.0f} s more"),
        ("  of which sorting and packing", f"{index['sort_seconds']:.1f} s", None),
        ("index on disk", kb(ours_disk), lunr and kb(lunr["search_index_bytes"])),
        ("  gzip-compressed as served", "(stored gzip)", lunr and kb(lunr["search_index_gzip_bytes"])),
        ("  files", f"{index['index_chunks']['files'] + index['search_data']['files']:,}", lunr and "1"),
        ("first query: bytes downloaded", kb(p["first"]["gzip"]["search_bytes"]),
         lunr and kb(lunr.get("bytes_to_first_results", lunr.get("bytes_downloaded", 0)))),
        ("  on a host that does not gzip", kb(p["first"]["identity"]["search_bytes"]), None),
        ("first query: seconds to results", f"{p['first']['gzip']['seconds_to_results']:.1f} s",
         lunr and (f"{lunr['seconds_to_first_results']:.1f} s" if "seconds_to_first_results" in lunr else "never")),
        ("later query: bytes, median", kb(int(statistics.median(q["bytes"] for q in later))), lunr and "0"),
        ("later query: bytes, largest", kb(max(q["bytes"] for q in later)), lunr and "0"),
        ("later query: Enter to results, median", f"{statistics.median(q['ms_to_results'] for q in later):.0f} ms",
         lunr and (f"{lunr['later_query_ms']} ms" if "later_query_ms" in lunr else "—")),
        ("heap of page and workers", kb(p["heap_after_later_queries"]),
         lunr and (kb(lunr["heap_when_ready"]) if "heap_when_ready" in lunr else f"{lunr.get('heap_when_given_up')}"
                   if isinstance(lunr.get("heap_when_given_up"), str) else kb(lunr.get("heap_when_given_up", 0)))),
    ]
    lines = [f"Corpus: {result['corpus']['meetings']} meetings, {result['corpus']['decisions']} decisions"
             f" ({index['pages']} indexed pages, {index['tokens']:,} characters of text);"
             " served as a static host serves text, gzip-encoded", "",
             f"{'':42}{'our index (this site)':>24}{'Material lunr (ja)':>26}"]
    lines += [f"{label:42}{ours:>24}{(theirs or ''):>26}" for label, ours, theirs in rows]
    if lunr and "error" in lunr:
        lines += ["", f"Material's search: {lunr['error']}"] + [f"  {c}" for c in lunr.get("console", [])[:5]]
    lines += ["", f"Later queries (our index, GRAM={index['gram']}):"]
    lines += [f"  {q['query']:<24}{kb(q['bytes']):>10}{q['requests']:>5} req{q['ms_to_results']:>7} ms  {q['results']}"
              for q in later]
    grams = result.get("grams", {})
    if len(grams) > 1:
        lines += ["", "Token length GRAM (the same site indexed again for each; bytes per later query):",
                  f"  {'GRAM':>4}{'index':>10}{'sort':>10}{'first':>9}{'median':>9}{'max':>8}  "
                  + " ".join(f"{q['query'][:5]:>7}" for q in later)]
        for gram, g in sorted(grams.items(), key=lambda kv: int(kv[0])):
            size = g["index"]["index_chunks"]["bytes"] + g["index"]["search_data"]["bytes"]
            sizes = [q["bytes"] for q in g["ours"]["later"]]
            lines.append(f"  {gram:>4}{kb(size):>10}{g['index']['sort_seconds']:>9.1f}s"
                         f"{g['ours']['first']['gzip']['search_bytes'] / 1024:>7.0f}KB"
                         f"{statistics.median(sizes) / 1024:>7.0f}KB{max(sizes) / 1024:>6.0f}KB  "
                         + " ".join(f"{b / 1024:>5.0f}KB" for b in sizes))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=1000, help="synthetic meetings when no --corpus is given")
    parser.add_argument("--corpus", type=Path, help="a directory with minutes/ and decisions/")
    parser.add_argument("--no-lunr", action="store_true", help="skip Material's lunr search (a second site build)")
    parser.add_argument("--grams", type=lambda v: [int(x) for x in v.split(",")], default=[GRAM],
                        help="also index and measure with these token lengths, e.g. 3,4,5,6 (the site uses %(default)s)")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it (builds, result.json)")
    parser.add_argument("--resume", action="store_true", help="with --keep: reuse the builds and figures already there")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out" / "search.json")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: `make chromium` installs it")
    work = args.keep or Path(tempfile.mkdtemp(prefix="gijiroku-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    state = work / "result.json"
    result = json.loads(state.read_text(encoding="utf-8")) if args.resume and state.exists() else {}

    def save():
        for path in (state, args.out):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    try:
        corpus = args.corpus or work / "corpus"
        if not args.corpus and not (args.resume and (corpus / "minutes").is_dir()):
            write_corpus(synthesize(ROOT, args.meetings, 0), corpus)
        result["corpus"] = {"meetings": len(list((corpus / "minutes").glob("*.md"))),
                            "decisions": len(list((corpus / "decisions").glob("*.md")))}
        project = work / "ours"
        if "build_seconds" not in result:
            print(f"building the site of {result['corpus']['meetings']} meetings …", file=sys.stderr)
            shutil.rmtree(project, ignore_errors=True)
            result["build_seconds"] = round(build_site(make_project(project, corpus)), 1)
            save()
        grams = result.setdefault("grams", {})
        for gram in sorted(set(args.grams) - {GRAM}) + [GRAM]:  # the site's own GRAM last
            if str(gram) not in grams or gram == GRAM:
                print(f"indexing with GRAM={gram} again, alone, for its timing; measuring in Chromium …", file=sys.stderr)
                grams[str(gram)] = {"index": reindex(project, gram)}
                grams[str(gram)]["ours"] = measure_ours(project / "site")
                save()
        result["index"], result["ours"] = grams[str(GRAM)]["index"], grams[str(GRAM)]["ours"]
        if not args.no_lunr:
            lunr_project = work / "lunr"
            lunr = result.setdefault("lunr", {})
            if "build_seconds" not in lunr:
                print("building the same site with Material's lunr search …", file=sys.stderr)
                shutil.rmtree(lunr_project, ignore_errors=True)
                lunr["build_seconds"] = round(build_site(make_project(lunr_project, corpus, lunr=True)), 1)
                save()
            print("loading Material's search in Chromium …", file=sys.stderr)
            lunr.update(measure_lunr(lunr_project / "site"))
        save()
        print(report(result))
        print(f"\n{args.out}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
