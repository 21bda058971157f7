"""What one MkDocs process keeps between its builds: the parse cache, the speech HTML, the
outputs of the last build to reuse (`reuse.Reuse`), the generated sources under serve, and the
background search index.

`mkdocs build` makes one build per process; `mkdocs serve` makes one per change, in the same
process, with the hook module loaded once. Everything that outlives a build lives in a `Session`,
which the hook (`hooks/site.py`) creates in `on_startup` and hands to each build's `BuildState`
(`hooks/gijiroku/site/build.py`) in `on_config`. Nothing is kept in a module global, so two
sessions in one process (two tests, say) never see each other's state.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.bccache

from ..disclosure.apart import VerifierProcess
from ..disclosure.memo import Memo
from ..record.loader import ParseCache
from .devserver import Heap
from .pages import Output
from .render import SpeechHtml
from .reuse import Reuse
from .serve_errors import ServeErrors


def cache_dir(root: Path, site_dir: Path) -> Path:
    """Where generated sources live for one output directory (one per serve session or staging build)."""
    key = hashlib.sha256(str(site_dir.resolve()).encode()).hexdigest()[:12]
    return root / ".cache" / "gijiroku" / key


class SourceFiles:
    """Generated page sources as files under one folder, for `serve --dirty`: a file is touched
    only when its content changed, so MkDocs rebuilds only the pages an edit touched. Remembers
    the hash of every file it wrote for as long as the session lasts."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._written: dict[Path, str] = {}
        self._contents: dict[Path, str | bytes] = {}  # what was written, to skip hashing a reused output
        self._paths: dict[str, Path] = {}  # path in the docs tree -> the file

    def write(self, outputs: list[Output]) -> list[tuple[str, Path, bool]]:
        """Write each output, touching a file only when its content changed; remove those no
        longer generated. Returns (path in the docs tree, file, whether it is in the nav)."""
        result = []
        keep = set()
        for output in outputs:
            path = self._paths.get(output.path)
            if path is None:  # the same Path from build to build: made once, its string kept within
                path = self._paths[output.path] = self.folder / output.path
            keep.add(path)
            result.append((output.path, path, output.in_nav))
            if self._contents.get(path) is output.content and path in self._written and path.exists():  # reused
                continue
            data = output.content.encode("utf-8") if isinstance(output.content, str) else output.content
            digest = hashlib.sha256(data).hexdigest()
            if self._written.get(path) != digest or not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                self._written[path] = digest
            self._contents[path] = output.content
        for stale in [p for p in self._written if p not in keep]:
            stale.unlink(missing_ok=True)
            del self._written[stale]
            self._contents.pop(stale, None)
        self._paths = {o.path: self._paths[o.path] for o in outputs}
        return result

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self._written.clear()
        self._contents.clear()
        self._paths.clear()


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates as Jinja compiled them, kept from build to build under serve: MkDocs
    makes a new Jinja environment for every build, which parses and compiles Material's templates
    again (a third of a second). Jinja checks each entry against its template's source (the
    bucket's checksum), so an edited override is compiled afresh."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class BackgroundIndex:
    """Under serve, the search index of the latest build, made in a thread, and how to stop it."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()

    def start(self, work: Callable[[threading.Event], None]) -> None:
        """Run `work(cancel)` in a thread; `cancel` is set when a newer build needs its own index."""
        self.wait(cancel=True)
        self._cancel = threading.Event()  # a run of its own: a late check of an old event cannot stop it
        self._thread = threading.Thread(target=work, args=(self._cancel,), name="gijiroku-search-index", daemon=True)
        self._thread.start()

    def wait(self, cancel: bool = False) -> None:
        """Until the run (if any) is over: stopped at once (`cancel`), or finished, at the end of serve."""
        if self._thread is not None:
            if cancel:
                self._cancel.set()
            self._thread.join()
            self._thread = None


@dataclass
class Session:
    """The state of one MkDocs process that outlives a build (see the module docstring).

    `verified` is the disclosure verifier's memory (output directory -> the secrets it passed
    against), handed to it by `BuildState.verify_site` (`hooks/gijiroku/site/build.py`), the one
    place where a build calls it: a serve rebuild with the same secrets scans only what it rewrote.
    """

    serving: bool = False  # under `mkdocs serve`: generated sources go to files (see SourceFiles)
    one_shot: bool = False  # `mkdocs build` from the command line: the process ends with this build
    nonce: str | None = None  # under serve: the live-reload script's (see csp.allow_live_reload)
    parsed: ParseCache = field(default_factory=ParseCache)
    speech_body: SpeechHtml = field(default_factory=SpeechHtml)
    reuse: Reuse = field(default_factory=Reuse)  # under serve: the last build's outputs (see reuse.py)
    index: BackgroundIndex = field(default_factory=BackgroundIndex)
    sources: SourceFiles | None = None  # under serve, once the first build has written them
    verified: dict[Path, frozenset[str]] = field(default_factory=dict)
    memo: Memo = field(default_factory=Memo)  # under serve: what the verifier worked out for the last build
    fenced: Path | None = None  # the output directory whose every page passed the markup fence in the last build
    errors: ServeErrors | None = None  # under serve: the failed build's messages, shown in the browser
    templates: CompiledTemplates | None = None  # under serve (see CompiledTemplates)
    heap: Heap | None = None  # under serve: what outlives a build, out of the cyclic collector's way (see Heap)
    verifier: VerifierProcess | None = None  # under serve: the verifier's own process (disclosure/apart.py)
    undo: list[Callable[[], None]] = field(default_factory=list)  # under serve: what restores MkDocs at its end
    listed: frozenset[str] = frozenset()  # under serve: the site's files (paths) of the last build's list

    def drop_gone(self, site_dir: Path, listed: frozenset[str]) -> None:
        """Under serve, delete from `site_dir` each file of the last build's list that this build's
        `listed` no longer holds. `serve --dirty` never deletes an output MkDocs stopped writing, and
        went on serving it: the page and feed of a company whose only item was made 後日公表 or
        非公表 (no passage the verifier looks for: an attack)."""
        gone, self.listed = self.listed - listed, listed
        for path in gone:
            (site_dir / path).unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # a folder emptied (agencies/x/): no index of nothing
                (site_dir / path).parent.rmdir()

    def source_files(self, folder: Path) -> SourceFiles:
        """The generated sources under `folder` (one folder per output directory)."""
        if self.sources is None or self.sources.folder != folder:
            if self.sources is not None:
                self.sources.remove()
            self.sources = SourceFiles(folder)
        return self.sources

    def close(self) -> None:
        """At the end of a `serve` session (or a build): its generated sources and its search index
        (stopped) are no longer needed."""
        self.index.wait(cancel=True)  # the site it would index is being deleted
        if self.verifier is not None:
            self.verifier.close()
        if self.sources is not None:
            self.sources.remove()
            self.sources = None
