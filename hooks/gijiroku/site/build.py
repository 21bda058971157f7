"""One site build, as the MkDocs hook drives it: read, check, generate, then verify the output.

Kept apart from the hook module so that it can be tested and reused without MkDocs. What
outlives a build (caches, the background index) belongs to the session
(`hooks/gijiroku/site/session.py`).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..disclosure import verify
from ..disclosure.ahead import PrepareAhead
from ..disclosure.public import build_date, public_record, unpublished_registry_files
from ..record.ahead import ReadAhead
from ..record.docs_files import linked_overrides
from ..record.loader import Record, linked_source_roots, load_record
from ..record.problems import format_problems
from ..search import indexing as search
from ..search import postings
from . import csp
from .history import SourceDates
from .pages import SiteBuilder
from .prescan import Prescan
from .public_dates import public_dates
from .render import Tabs, compact_html
from .session import Session, cache_dir

_log = logging.getLogger("mkdocs.hooks.gijiroku")
AHEAD_WAIT = 120.0  # seconds the first page waits for the verifier prepared ahead (4000 meetings: about 10)


class BuildRefused(Exception):
    """The build must stop: the message says what is wrong and how to fix it."""


def refuse_linked_parts(root: Path) -> None:
    """Refuse a source folder, committee.yml or overrides/ that is a symbolic link (G609), at the
    start of a build: MkDocs lists docs/ and the theme's folders, links followed, before the first
    event that reads the record, and would walk wherever they lead (docs -> /)."""
    problems = linked_source_roots(root) + linked_overrides(root)
    if problems:
        raise BuildRefused("原稿に誤りがあるため、サイトを作りません。\n" + format_problems(problems))


@dataclass
class BuildState:
    """One build: created by the hook in `on_config`, which runs at the start of every (re)build."""

    root: Path
    site_url: str
    session: Session = field(default_factory=Session)  # what outlives this build in the process
    day: dt.date = field(default_factory=build_date)
    builder: SiteBuilder | None = None
    record: Record | None = None  # the whole record, deferred content included: for the verifier only
    started: float = 0.0
    report: verify.Report | None = None
    dates: SourceDates | None = None  # when each source last changed, from git
    steps: dict[str, float] = field(default_factory=dict)  # seconds of each step of this build (see timed)
    prescan: Prescan | None = None  # the pages scanned as MkDocs wrote them (see page_written)
    tabs: Tabs | None = None  # Material's tabs, rendered once for the pages alike (the hook makes it in on_env)
    fence_since: float | None = None  # under serve: the markup fence reads only pages written since (see prepare)
    verified_before: frozenset[str] | None = None  # the session's memory of this output, held while it is written
    ahead: PrepareAhead | None = None  # a command-line build: the verifier prepared in a forked process (see prepare)
    unpublished: list[str] = field(default_factory=list)  # docs/ files not to publish (public.unpublished_registry_files)
    _clock: float = field(default_factory=time.perf_counter)  # when the last step ended

    @property
    def serving(self) -> bool:
        return self.session.serving

    def prepare(self, site_dir: Path) -> list[tuple[str, Path | str | bytes, bool]]:
        """Read and check every source, then generate every page and data file.

        Returns (path in the docs tree, content or, under serve, the file holding it, whether
        it is in the nav).
        """
        self.steps.clear()
        self._clock = time.perf_counter()
        if self.serving:  # the last build's search index is removed by `finish`: stop it now, not after the pages
            self.session.index.wait(cancel=True)
        # A command-line build reads on two cores: a third of minutes/ and the decisions are parsed in a
        # process of its own (record/ahead.py).
        with ReadAhead(self.root) as ahead:
            record, problems = load_record(self.root, self.session.parsed,
                                           ahead=ahead.start if self.session.one_shot else None)
        self.timed("read")
        if problems:
            raise BuildRefused("原稿に誤りがあるため、サイトを作りません。\n" + format_problems(problems))
        self.record = record
        if self.serving and self.session.verifier is not None:  # reads and prepares while MkDocs renders
            self.session.verifier.prepare(self.root, self.day, verify.template_text())
        self.session.speech_body.new_build()
        self.dates = SourceDates(self.root)
        public = public_record(record, self.day)
        # a commit that changed only what is withheld moves no date readers see (site/public_dates.py)
        self.dates.dates = public_dates(self.root, record, public, self.dates.dates)
        self.unpublished = unpublished_registry_files(record, public)  # on_files takes them out of MkDocs' files
        self.builder = SiteBuilder(public, self.site_url, self.session.speech_body, self.dates,
                                   self.session.reuse if self.serving else None)
        self.started = time.time()
        if self.session.one_shot and Prescan.workers():
            # The verifier is prepared in a forked copy of this process while it generates the
            # pages, on the core that generating leaves idle (disclosure/ahead.py); the record
            # lives until the process ends: frozen first, so that no collection copies it.
            gc.freeze()
            self.ahead = PrepareAhead(lambda: self.prepare_verifier().ahead())
        outputs = self.builder.generate()
        self.timed("generate")
        # From here MkDocs writes pages. Under serve, when every page of this directory passed the
        # markup fence and the verifier in the last build that wrote any, only the pages this build
        # writes need them (see finish); both memories are taken away until this build passes, so
        # that the pages of a build that fails after writing some are read again by the next.
        key = site_dir.resolve()
        self.fence_since = self.started - 2 if self.serving and self.session.fenced == key else None
        self.session.fenced = None
        self.verified_before = self.session.verified.pop(key, None)
        if self.session.one_shot:
            # The record and the pages just made live until the process ends: frozen, no later
            # collection walks them (a third of the collector's time at 1000 meetings; under
            # serve, devserver.Heap freezes what each build leaves).
            gc.freeze()
        if not self.serving:
            return [(o.path, o.content, o.in_nav) for o in outputs]
        return self.session.source_files(cache_dir(self.root, site_dir)).write(outputs)

    def page_content(self, src_uri: str, html: str) -> tuple[str, list[dict] | None]:
        """The page's HTML with the generated blocks back in (see render.HtmlStash), and the
        table-of-contents tokens of a page the builder made whole (None: keep MkDocs' own)."""
        return self.builder.stash.restore(src_uri, html)

    def pages_read(self) -> None:
        """MkDocs has read every page (on_env) and renders them next. In a command-line build
        what it made of them (pages, their contents, the navigation) lives until the process
        ends, as the record does: frozen too (see `prepare`), no later full collection walks it
        (the collector's full collections after it took 0.63 s at 1000 meetings and 2.1 s at
        2000, and 0.45 and 1.5 s with it, in builds measured with gc.callbacks)."""
        if self.session.one_shot:
            gc.freeze()

    def made_whole(self, src_uri: str) -> bool:
        """Whether the page is one the package made whole (see `page_content`), not yet rendered."""
        return self.builder is not None and src_uri in self.builder.stash.prebuilt

    def compact(self, src_uri: str, output: str, content: str) -> str:
        """The page as MkDocs rendered it, without its templates' indentation (render.compact_html);
        `content` as it is, when this package made it."""
        return compact_html(output, content if src_uri in self.builder.stash.restored else "")

    def page_lastmod(self, src_uri: str) -> str | None:
        """The sitemap's `lastmod` of a page: when the sources it is made from last changed (a
        hand-written page: its own file), as W3C Datetime; None when no history says."""
        if src_uri in self.builder.lastmod:
            moment = self.builder.lastmod[src_uri]
        else:
            moment = self.dates.changed([f"docs/{src_uri}"])
        return moment.isoformat() if moment else None

    def page_context(self, src_uri: str) -> dict:
        return {"build_date": self.day.isoformat(), "tabs": self.tabs}

    def prepare_verifier(self) -> verify.Prepared:
        """The verifier's preparation for this build's record on its day (`verify.prepare`)."""
        return verify.prepare(self.root, self.record, self.builder.record, self.day, verify.template_text())

    def page_written(self, site_dir: Path, page: str) -> None:
        """MkDocs writes `page` (its path in the site) next: worker processes run the fence and
        the verifier on the pages written while MkDocs goes on (site/prescan.py); not under
        serve. `finish` takes their findings only for files that hold exactly the bytes scanned."""
        if self.serving:
            return
        if self.prescan is None:
            if not Prescan.workers():  # asked until there is a prescan only (os.cpu_count reads /sys)
                return
            prepared = self.ahead.result(timeout=AHEAD_WAIT) if self.ahead is not None else None
            self.ahead = None
            if prepared is None:  # no fork, or the child failed: prepared here
                prepared = self.prepare_verifier()
            self.prescan = Prescan(prepared, site_dir, urlsplit(self.site_url).path or "/", Prescan.workers())
        self.prescan.send(page)

    def finish(self, site_dir: Path) -> str:
        """After MkDocs wrote the site: the markup fence and the search index, then verify that
        nothing withheld leaked (`_finish`).

        In a command-line build the garbage collector is off meanwhile: what is left makes next to
        no cyclic garbage (the late peak of a 2000-meeting build's process tree grew by 10 MiB),
        and its full collections walked whatever MkDocs left since `pages_read`, again and again
        (0.8 s of 2.6 at 2000 meetings, 2.2 s of 6.8 at 4000, in builds measured with gc.callbacks).
        """
        if not self.session.one_shot or not gc.isenabled():
            return self._finish(site_dir)
        gc.disable()
        try:
            return self._finish(site_dir)
        finally:
            gc.enable()

    def _finish(self, site_dir: Path) -> str:
        """`finish`: the fence, the index and the verifier.

        On unsafe markup or a leak the output directory is emptied before the build fails, so
        that neither `make build` (which then keeps the previous site/) nor `make serve` shows
        it. A command-line build writes the index before it takes the fence's findings: the
        workers fence the last pages MkDocs wrote while this process indexes (at 1000 meetings
        this process waited 1 to 2 s for them), and a site the fence refuses is emptied, index
        and all. Under serve the search index is made after the pages are shown
        (`index_in_background`): the old index is removed first, so no index of earlier text
        stands beside the new pages.
        """
        started = time.perf_counter()
        self.timed("render")  # MkDocs, from the generated sources to the written pages
        if self.serving:  # the last build's index goes first: what it indexed may have changed
            search.remove_index(site_dir, aside=True)
        pre = self.prescan
        apart = self.verify_apart(site_dir, since=self.started - 2)  # reads while the fence does
        if not self.serving:
            if pre is not None:  # the workers scan the last pages and the other files while this process indexes
                pre.flush()
                pre.send_files(site_dir)
            try:
                search.index_site(site_dir, self.builder.record, wrote=pre and pre.send_index)
            except postings.TooLarge as err:
                if pre is not None:
                    pre.close()
                raise BuildRefused(f"検索索引を作れないため、サイトを作りません。\n{err}") from None
            self.timed("index")
        unsafe = csp.scan_site(site_dir, self.site_url, written=pre and pre.fenced(), pool=pre and pre.pool,
                               since=self.fence_since)
        self.timed("fence")
        if unsafe:
            if apart:
                self.session.verifier.answer()  # before the pages go
            if pre is not None:
                pre.close()
            empty(site_dir)
            raise BuildRefused(markup_refusal(unsafe))
        self.session.fenced = site_dir.resolve()
        answer = self.session.verifier.answer() if apart else None
        if answer is not None:
            leaks, self.report = self.verified_apart(site_dir, *answer)
        else:
            leaks, self.report = self.verify_site(site_dir, since=self.started - 2)
        if pre is not None:
            pre.close()
        self.timed("verify")
        self.save_steps()
        if leaks:
            empty(site_dir)
            raise BuildRefused(refusal(leaks))
        r = self.report
        message = (f"漏えい検証: {r.files} ファイル（{r.bytes / 1e6:.1f} MB）を検査、非公表・後日公表の文 {r.secrets} 件"
                   f"（照合窓 {r.windows}）、漏えい 0 件、{time.perf_counter() - started:.2f} 秒")
        if self.serving:
            self.session.index.start(lambda cancel: self.index_in_background(site_dir, cancel))
            message += "。検索索引はこのあと作ります"
        return message

    def timed(self, step: str) -> None:
        """Record the seconds since the last step ended as `step`'s."""
        now = time.perf_counter()
        self.steps[step] = self.steps.get(step, 0.0) + now - self._clock
        self._clock = now

    def save_steps(self) -> None:
        """With GIJIROKU_STEPS set (by `make bench`), write the steps' seconds there as JSON."""
        target = os.environ.get("GIJIROKU_STEPS")
        if target:
            Path(target).write_text(json.dumps(self.steps), encoding="utf-8")

    def verify_apart(self, site_dir: Path, since: float) -> bool:
        """Under serve, a rebuild of a directory that passed before is verified by the session's
        verifier process (disclosure/apart.py) while this process goes on; True if it was asked."""
        verifier, known = self.session.verifier, self.verified_before
        return self.serving and verifier is not None and known is not None and verifier.send(site_dir, since, known)

    def verified_apart(self, site_dir: Path, leaks, report: verify.Report, known: frozenset[str] | None):
        """What the verifier process answered, and the session's memory of the directory with it."""
        key = site_dir.resolve()
        self.verified_before = None
        if known is not None:
            self.session.verified[key] = known
        else:
            self.session.verified.pop(key, None)
        return leaks, report

    def verify_site(self, site_dir: Path, since: float, parallel: bool = True, cancel: threading.Event | None = None):
        """The disclosure verifier on this build's output (see verify.verify_site), with the
        session's memory of what it verified before and, under serve, of what it worked out (its
        `Memo`). The only call from a build."""
        pre = self.prescan if parallel else None
        if self.verified_before is not None:  # this build reached the verifier: its memory is back
            self.session.verified[site_dir.resolve()], self.verified_before = self.verified_before, None
        return verify.verify_site(self.root, site_dir, self.record, self.builder.record, self.day,
                                  verify.template_text(), since=since, parallel=parallel,
                                  verified=self.session.verified, prepared=pre and pre.prepared,
                                  written=pre and pre.written(), pool=pre and pre.pool,
                                  memo=self.session.memo if self.serving else None, cancel=cancel)

    def index_in_background(self, site_dir: Path, cancel: threading.Event) -> None:
        """Under serve, in the session's index thread: index the served site, then verify what
        it wrote; on a leak, remove it again. Stops early when `cancel` is set."""
        began, clock = time.time() - 1, time.perf_counter()
        key = site_dir.resolve()
        pages_verified = self.session.verified.get(key)  # by the build: the index is all that is new
        try:
            search.index_site(site_dir, self.builder.record, cancel=cancel)
            if cancel.is_set():
                return
            leaks, _ = self.verify_site(site_dir, since=began, parallel=False, cancel=cancel)
        except search.Cancelled:  # a newer build removes what this run wrote and indexes again
            return
        except verify.Cancelled:  # stopped while reading the index: without it, the pages are as verified
            search.remove_index(site_dir)
            if pages_verified is not None:
                self.session.verified[key] = pages_verified
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
