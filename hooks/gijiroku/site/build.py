"""One site build, as the MkDocs hook drives it: read, check, generate, then verify the output.

Kept apart from the hook module so that it can be tested and reused without MkDocs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..disclosure import verify
from ..disclosure.public import build_date, public_record
from ..record.loader import Record, load_record
from ..record.problems import format_problems
from ..search import indexing as search
from . import csp
from .pages import Output, SiteBuilder


class BuildRefused(Exception):
    """The build must stop: the message says what is wrong and how to fix it."""


@dataclass
class BuildState:
    root: Path
    site_url: str
    serving: bool = False  # under `mkdocs serve`: generated sources go to files (see materialize)
    day: dt.date = field(default_factory=build_date)
    builder: SiteBuilder | None = None
    record: Record | None = None  # the whole record, deferred content included: for the verifier only
    started: float = 0.0
    cache: Path | None = None  # where this build's generated sources are (see materialize)
    report: verify.Report | None = None

    def prepare(self, site_dir: Path) -> list[tuple[str, Path | str | bytes, bool]]:
        """Read and check every source, then generate every page and data file.

        Returns (path in the docs tree, content or, under serve, the file holding it, whether
        it is in the nav).
        """
        record, problems = load_record(self.root)
        if problems:
            raise BuildRefused("原稿に誤りがあるため、サイトを作りません。\n" + format_problems(problems))
        self.record = record
        self.builder = SiteBuilder(public_record(record, self.day), self.site_url)
        self.started = time.time()
        outputs = self.builder.generate()
        if not self.serving:
            return [(o.path, o.content, o.in_nav) for o in outputs]
        self.cache = cache_dir(self.root, site_dir)
        return materialize(outputs, self.cache)

    def cleanup(self) -> None:
        """At the end of a `serve` session (or a build): its generated sources are no longer needed."""
        wait_for_index()
        if self.cache is not None:
            shutil.rmtree(self.cache, ignore_errors=True)
            for path in [p for p in _WRITTEN if p.is_relative_to(self.cache)]:
                del _WRITTEN[path]

    def page_content(self, src_uri: str, html: str) -> tuple[str, list[dict] | None]:
        """The page's HTML with the generated blocks back in (see render.HtmlStash), and the
        table-of-contents tokens of a page the builder made whole (None: keep MkDocs' own)."""
        return self.builder.stash.restore(src_uri, html)

    def page_context(self, src_uri: str) -> dict:
        return {"build_date": self.day.isoformat()}

    def finish(self, site_dir: Path) -> str:
        """After MkDocs wrote the site: index it for search, then verify that nothing withheld leaked.

        On a leak the output directory is emptied before the build fails, so that neither
        `make build` (which then keeps the previous site/) nor `make serve` shows it. Under
        serve the search index is made after the pages are shown (`index_later`): the old
        index is removed first, so no index of earlier text stands beside the new pages.
        """
        started = time.perf_counter()
        unsafe = csp.scan_site(site_dir, self.site_url)
        if unsafe:
            empty(site_dir)
            raise BuildRefused(markup_refusal(unsafe))
        if self.serving:
            wait_for_index(cancel=True)
            search.remove_index(site_dir)
        else:
            search.index_site(site_dir, self.builder.record)
        leaks, self.report = verify.verify_site(self.root, site_dir, self.record, self.builder.record, self.day,
                                                verify.template_text(), since=self.started - 2)
        if leaks:
            empty(site_dir)
            raise BuildRefused(refusal(leaks))
        r = self.report
        message = (f"漏えい検証: {r.files} ファイル（{r.bytes / 1e6:.1f} MB）を検査、非公表・後日公表の文 {r.secrets} 件"
                   f"（照合窓 {r.windows}）、漏えい 0 件、{time.perf_counter() - started:.2f} 秒")
        if self.serving:
            index_later(self, site_dir)
            message += "。検索索引はこのあと作ります"
        return message


def empty(site_dir: Path) -> None:
    for child in site_dir.iterdir():
        shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()


def markup_refusal(unsafe: list[str]) -> str:
    shown = "\n".join(f"  {line}" for line in unsafe[:50])
    more = f"\n  …ほか {len(unsafe) - 50} 件" if len(unsafe) > 50 else ""
    return (f"ページにスクリプトとして動きうる HTML があるため、サイトを公開しません（{len(unsafe)} 件）。\n"
            f"{shown}{more}\n出力は消去しました。原稿（docs/ の手書きのページを含む）に HTML のタグや属性、"
            "javascript: などの URL を書いていないか確かめてください。")


def refusal(leaks: list[verify.Leak | verify.Unreadable]) -> str:
    shown = "\n".join(leak.format() for leak in leaks[:50])
    more = f"\n…ほか {len(leaks) - 50} 件" if len(leaks) > 50 else ""
    if all(isinstance(leak, verify.Unreadable) for leak in leaks):
        return (f"漏えい検証で読めないファイルが出力にあるため、サイトを公開しません（{len(leaks)} 件）。\n"
                f"{shown}{more}\n出力は消去しました。")
    why = ("非公表・後日公表の本文が出力に含まれていたため" if not any(isinstance(leak, verify.Unreadable) for leak in leaks)
           else "非公表・後日公表の本文が出力に含まれ、読めないファイルもあったため")
    return (f"{why}、サイトを公開しません（{len(leaks)} 件）。\n"
            f"{shown}{more}\n出力は消去しました。原稿の非公表マーカーと disclosure を確かめてください。")


# Under serve, the search index of the latest build, being made in the background, and how to stop it.
_INDEXER: threading.Thread | None = None
_CANCEL = threading.Event()
_log = logging.getLogger("mkdocs.hooks.gijiroku")


def index_later(state: BuildState, site_dir: Path) -> None:
    """Index the served site in a thread, then verify what it wrote; on a leak, remove it again."""
    global _INDEXER

    def run():
        began, clock = time.time() - 1, time.perf_counter()
        try:
            search.index_site(site_dir, state.builder.record, cancel=_CANCEL)
            if _CANCEL.is_set():
                return
            leaks, _ = verify.verify_site(state.root, site_dir, state.record, state.builder.record, state.day,
                                          verify.template_text(), since=began, parallel=False)
        except search.Cancelled:  # a newer build removes what this run wrote and indexes again
            return
        except Exception as err:  # noqa: BLE001 - a serve session reports it and goes on without search
            search.remove_index(site_dir)
            _log.error(f"検索索引を作れませんでした（{type(err).__name__}: {err}）。検索ページは使えません。")
            return
        if leaks:
            search.remove_index(site_dir)
            _log.error(refusal(leaks).replace("出力は消去しました", "検索索引は消去しました"))
        else:
            _log.info(f"検索索引を作り、漏えい検証を済ませました（{time.perf_counter() - clock:.1f} 秒）")

    _CANCEL.clear()
    _INDEXER = threading.Thread(target=run, name="gijiroku-search-index", daemon=True)
    _INDEXER.start()


def wait_for_index(cancel: bool = False) -> None:
    """Until the background index run (if any) is over: stopped at once when a newer build needs
    its own (`cancel`), or finished, at the end of serve."""
    if _INDEXER is not None:
        if cancel:
            _CANCEL.set()
        _INDEXER.join()


# Content hashes of the files `materialize` wrote, kept between rebuilds of one `serve` process.
_WRITTEN: dict[Path, str] = {}


def cache_dir(root: Path, site_dir: Path) -> Path:
    """Where generated sources live for one output directory (one per serve session or staging build)."""
    key = hashlib.sha256(str(site_dir.resolve()).encode()).hexdigest()[:12]
    return root / ".cache" / "gijiroku" / key


def materialize(outputs: list[Output], folder: Path) -> list[tuple[str, Path, bool]]:
    """Write each output under `folder`, touching a file only when its content changed."""
    result = []
    keep = set()
    for output in outputs:
        path = folder / output.path
        data = output.content.encode("utf-8") if isinstance(output.content, str) else output.content
        digest = hashlib.sha256(data).hexdigest()
        if _WRITTEN.get(path) != digest or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            _WRITTEN[path] = digest
        keep.add(path)
        result.append((output.path, path, output.in_nav))
    for stale in [p for p in _WRITTEN if p.is_relative_to(folder) and p not in keep]:
        stale.unlink(missing_ok=True)
        del _WRITTEN[stale]
    return result
