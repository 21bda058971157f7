"""Several builds in one process, as `mkdocs serve` makes them: what a session keeps between
builds (hooks/gijiroku/site/session.py) is never stale and does not grow with each rebuild."""

from __future__ import annotations

import gc
import json
import logging
import shutil
import threading
import time
import weakref

import jinja2
import pytest

from conftest import make_project, write
from gijiroku.disclosure import verify
from gijiroku.record.loader import ParseCache, load_record
from gijiroku.site import devserver
from gijiroku.site.build import BuildState
from gijiroku.site.session import CompiledTemplates, Session, cache_dir

EDITED = "原案のとおり承認します。"


def edit_speech(root, text: str, old: str = EDITED) -> None:
    """Meeting 10's speech `old` now reads `text`."""
    meeting = root / "minutes" / "10.md"
    source = meeting.read_text(encoding="utf-8")
    assert old in source
    write(meeting, source.replace(old, text, 1))


def test_parse_cache_reparses_only_what_changed_and_forgets_what_is_gone(tmp_path):
    root = make_project(tmp_path / "p")
    cache = ParseCache()
    record, problems = load_record(root, cache)
    assert problems == [] and sorted(record.meetings) == [9, 10] and cache.misses == len(cache) == 3
    record, _ = load_record(root, cache)
    assert cache.misses == 3 and sorted(record.meetings) == [9, 10]  # nothing changed: nothing parsed
    edit_speech(root, "編集後の発言です。")
    record, _ = load_record(root, cache)
    assert cache.misses == 4 and len(cache) == 3  # the edited file only; its old parse is dropped
    assert "編集後の発言です。" in {b.text for s in record.meetings[10].speeches for b in s.blocks}
    (root / "minutes" / "9.md").unlink()
    record, _ = load_record(root, cache)
    assert sorted(record.meetings) == [10] and len(cache) == 2 and cache.misses == 4
    # A registry file is part of every parse: changing one parses every file again.
    agency = next((root / "docs" / "agencies").glob("*.md"))
    write(agency, agency.read_text(encoding="utf-8") + "\n追記。\n")
    load_record(root, cache)
    assert cache.misses == 6 and len(cache) == 2


def rebuild(root, session: Session, site_dir) -> tuple[BuildState, dict[str, object]]:
    """What the hook does for one (re)build up to the pages: a fresh BuildState on the session."""
    state = BuildState(root=root, site_url="http://127.0.0.1:8000/", session=session)
    return state, {path: source for path, source, _ in state.prepare(site_dir)}


def _collectable(objects: list) -> set[int]:
    """Which of `objects` some generation of the cyclic collector still holds (not frozen)."""
    wanted = {id(o) for o in objects}
    return {id(o) for generation in range(3) for o in gc.get_objects(generation) if id(o) in wanted}


def test_only_a_command_line_build_freezes_what_it_made(tmp_path, fixed_date):
    """`mkdocs build` ends with its build: the record and the pages are frozen out of the cyclic
    collector once made. A process that goes on (serve, the Python API, these tests) keeps its
    collector whole: a frozen object is never collected, even once it is garbage."""
    root = make_project(tmp_path / "p")
    before = gc.get_freeze_count()
    state, _ = rebuild(root, Session(), tmp_path / "site")
    kept = [object() for _ in range(3)]  # as MkDocs' pages, made after the record
    state.pages_read()
    assert gc.get_freeze_count() == before
    try:
        state, outputs = rebuild(root, Session(one_shot=True), tmp_path / "site2")
        assert gc.get_freeze_count() > before
        assert "meetings/10.md" in outputs
        frozen = gc.get_freeze_count()
        pages = [[] for _ in range(1000)]  # what MkDocs makes of the pages before it renders them
        kept.append(pages)
        assert _collectable(pages)
        state.pages_read()  # the hook's on_env
        assert gc.get_freeze_count() > frozen
        # Counted, not compared: a frozen object freed meanwhile lowers the count (CI saw 996).
        assert not _collectable(pages)
    finally:
        gc.unfreeze()


def test_two_builds_in_one_session_share_no_stale_state(tmp_path, fixed_date):
    root = make_project(tmp_path / "p")
    site_dir = tmp_path / "site"
    session = Session(serving=True)
    state, first = rebuild(root, session, site_dir)
    assert "meetings/9.md" in first and first["meetings/9.md"].is_file()
    assert EDITED in state.page_content("meetings/10.md", "")[0]
    speeches = len(state.record.speeches())

    edit_speech(root, "一度目の編集です。")
    (root / "minutes" / "9.md").unlink()
    state, second = rebuild(root, session, site_dir)
    page = state.page_content("meetings/10.md", "")[0]
    assert "一度目の編集です。" in page and EDITED not in page  # the edited meeting is parsed and rendered again
    assert "meetings/9.md" not in second and not first["meetings/9.md"].exists()  # the deleted one is gone
    meetings = json.loads(second["api/meetings.json"].read_text(encoding="utf-8"))
    assert [m["number"] for m in meetings["meetings"]] == [10]

    # Speech HTML is kept for the latest build only: one edit per rebuild leaves one old entry.
    sizes = []
    text = "一度目の編集です。"
    for n in range(5):
        edit_speech(root, f"編集{n}回目です。", old=text)
        text = f"編集{n}回目です。"
        state, _ = rebuild(root, session, site_dir)
        assert text in state.page_content("meetings/10/agenda/1.md", "")[0]
        sizes.append(len(session.speech_body))
    assert sizes[-1] == sizes[1] <= len(state.record.speeches()) + 1 <= speeches + 1
    assert len(session.parsed) == 2  # one meeting and one decision: nothing of meeting 9 or of old texts

    folder = first["meetings/10.md"].parent.parent
    session.close()
    assert not folder.exists()  # the session's generated sources go with it


def test_sessions_are_independent(tmp_path, fixed_date):
    """Two sessions in one process (two tests, or a build beside a serve) share nothing."""
    one, two = make_project(tmp_path / "one"), make_project(tmp_path / "two")
    edit_speech(two, "二つ目の計画だけの文です。")
    first, second = Session(), Session()
    state_one, _ = rebuild(one, first, tmp_path / "site1")
    state_two, _ = rebuild(two, second, tmp_path / "site2")
    assert "二つ目の計画だけの文です。" not in state_one.page_content("meetings/10.md", "")[0]
    assert "二つ目の計画だけの文です。" in state_two.page_content("meetings/10.md", "")[0]
    assert first.parsed.misses == second.parsed.misses == 3


@pytest.mark.slow
def test_the_hook_keeps_its_session_across_mkdocs_builds_in_one_process(tmp_path, fixed_date, monkeypatch):
    """Two real MkDocs builds through hooks/site.py in one process, as `mkdocs serve` runs them:
    the second shows the edit and not the deleted meeting, and reuses the first's parses and the
    theme's templates as Jinja compiled them."""
    from mkdocs.commands import serve as mkdocs_serve
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    root = make_project(tmp_path / "p")
    monkeypatch.chdir(root)
    site_dir = tmp_path / "site"

    def config():
        return load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=False)

    compiled: list[str | None] = []  # the templates Jinja compiled (not taken from the session's cache)
    real_compile = jinja2.Environment.compile

    def compile_counted(env, source, name=None, *args, **kwargs):
        compiled.append(name)
        return real_compile(env, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_counted)
    set_canonical_url = Page._set_canonical_url
    add_files_from_theme = Files.add_files_from_theme
    first = config()
    first.plugins.on_startup(command="serve", dirty=True)
    assert Page._set_canonical_url is not set_canonical_url
    try:
        build(first, dirty=True)
        assert {"main.html", "base.html", "partials/header.html"} <= set(compiled)  # Material's, compiled
        compiled.clear()
        assert EDITED in (site_dir / "meetings" / "10" / "index.html").read_text(encoding="utf-8")
        edit_speech(root, "フックでの編集です。")
        (root / "minutes" / "9.md").unlink()
        second = config()
        mkdocs_serve.build(second, dirty=True)  # as serve calls it: wrapped by the hook
        assert gc.get_freeze_count() > 0  # what the build left is frozen (devserver.Heap)
        assert [name for name in compiled if name and name.endswith(".html")] == []  # … once (CompiledTemplates)
        page = (site_dir / "meetings" / "10" / "index.html").read_text(encoding="utf-8")
        assert "フックでの編集です。" in page and EDITED not in page
        meetings = json.loads((site_dir / "api" / "meetings.json").read_text(encoding="utf-8"))
        assert [m["number"] for m in meetings["meetings"]] == [10]
        hook = second.plugins["hooks/site.py"]
        assert hook is first.plugins["hooks/site.py"]  # MkDocs loaded the hook module once
        assert hook._session.parsed.misses == 4  # 9.md, 10.md and the decision, then the edited 10.md
        assert hook._state.record is not None and sorted(hook._state.record.meetings) == [10]
    finally:
        first.plugins.on_shutdown()
    assert not cache_dir(root, site_dir).exists()  # the session's generated sources go with it
    assert gc.get_freeze_count() == 0 and mkdocs_serve.build is build  # and the serve command is as it was
    assert Page._set_canonical_url is set_canonical_url  # MkDocs' own join of page URLs, back (devserver.join_urls_fast)
    assert Files.add_files_from_theme is add_files_from_theme  # and its listing of the theme (devserver.list_theme_once)



def test_under_serve_a_rebuild_is_verified_in_the_verifier_process_and_a_leak_refuses_it(
        tmp_path, fixed_date, monkeypatch):
    """Real MkDocs builds through hooks/site.py as serve runs them: the first build verifies in its
    own process; a rebuild is verified by the session's verifier process (disclosure/apart.py),
    which reads the pages MkDocs wrote: a page that prints a withheld passage refuses the build."""
    from mkdocs.commands import serve as mkdocs_serve
    from mkdocs.config import load_config
    from test_disclosure_verify import SECRET, leaky_root

    from gijiroku.disclosure.apart import VerifierProcess

    root = leaky_root(tmp_path)
    monkeypatch.chdir(root)
    site_dir = tmp_path / "site"

    def config():
        return load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=False)

    answers = []
    real_answer = VerifierProcess.answer

    def answer(self):
        answers.append(real_answer(self))
        return answers[-1]

    monkeypatch.setattr(VerifierProcess, "answer", answer)
    first = config()
    first.plugins.on_startup(command="serve", dirty=True)
    hook = first.plugins["hooks/site.py"]
    try:
        mkdocs_serve.build(first, dirty=True)
        assert hook._session.errors.failure is None and answers == []  # the first build verified itself
        edit_speech(root, "プロセスでの検証の編集です。")
        mkdocs_serve.build(config(), dirty=True)
        assert hook._session.errors.failure is None
        assert len(answers) == 1 and answers[0][0] == [] and answers[0][1].files >= 1  # verified apart, passed
        real_compact = hook.sitebuild.BuildState.compact
        monkeypatch.setattr(hook.sitebuild.BuildState, "compact", lambda *args: real_compact(*args).replace(
            "二度目の編集です。", f"二度目の編集です。{SECRET}"))  # a renderer that leaks
        edit_speech(root, "二度目の編集です。", old="プロセスでの検証の編集です。")
        mkdocs_serve.build(config(), dirty=True)
        leaks = answers[1][0] if len(answers) == 2 else []
        assert {(leak.secret.path, leak.secret.line) for leak in leaks} == {("minutes/10.md", 39)}
        assert "meetings/10/index.html" in {leak.output for leak in leaks} and answers[1][2] is None
        assert "minutes/10.md:39" in hook._session.errors.failure
        assert not (site_dir / "meetings" / "10" / "index.html").exists()  # the output is emptied
    finally:
        first.plugins.on_shutdown()

# --- a serve rebuild reuses the last build's outputs whose inputs did not change (site/reuse.py) ------

URL = "http://127.0.0.1:8000/"


def rebuilt(root, reuse, parsed):
    """One rebuild with `reuse`, checked against a build that reuses nothing: the same outputs in
    the same order, the same page HTML and sitemap dates. Returns the reusing builder."""
    from gijiroku.disclosure.public import build_date, public_record
    from gijiroku.site.history import SourceDates
    from gijiroku.site.pages import SiteBuilder

    record, problems = load_record(root, parsed)
    assert problems == []
    dates = SourceDates(root)
    builder = SiteBuilder(public_record(record, build_date()), URL, dates=dates, reuse=reuse)
    full = SiteBuilder(public_record(record, build_date()), URL, dates=dates)
    made, expected = builder.generate(), full.generate()
    assert [(o.path, o.content, o.in_nav) for o in made] == [(o.path, o.content, o.in_nav) for o in expected]
    assert builder.stash.prebuilt == full.stash.prebuilt and builder.lastmod == full.lastmod
    return builder


def shown(builder, text: str) -> set[str]:
    """Every output and page HTML of the build that holds `text`."""
    found = {src for src, (html, _) in builder.stash.prebuilt.items() if text in html}
    return found | {path for path, content in builder.api_files.items() if text in content}


def test_a_rebuild_reuses_what_did_not_change_and_renders_what_did(tmp_path, fixed_date):
    from gijiroku.site.reuse import Reuse

    root = make_project(tmp_path / "p")
    reuse, parsed = Reuse(), ParseCache()
    builder = rebuilt(root, reuse, parsed)
    units = reuse.made
    assert reuse.reused == 0 and units > 10
    rebuilt(root, reuse, parsed)
    assert (reuse.reused, reuse.made) == (units, 0)  # nothing changed: nothing rendered

    # An edited speech: its meeting's pages, its speaker's page and feed, the meeting's API files.
    edit_speech(root, "原案のとおり承認します。再編集の一文。")
    builder = rebuilt(root, reuse, parsed)
    assert 0 < reuse.made < units
    assert {"meetings/10.md", "meetings/10/agenda/1.md", "commissioners/inoue.md",
            "api/meetings/10.json", "api/speeches/2023.json"} <= shown(builder, "再編集の一文")

    # The same sentence withheld: gone from every page and file that showed it.
    edit_speech(root, "原案のとおり承認します。\n\n<!-- 非公表 -->\n非公表にした再編集の一文です。\n<!-- /非公表 -->",
                old="原案のとおり承認します。再編集の一文。")
    builder = rebuilt(root, reuse, parsed)
    assert shown(builder, "再編集の一文") == set()
    assert not any("再編集の一文" in o.content for o in builder.generate() if isinstance(o.content, str))

    # A speech that now names an agency: the agency's page lists it.
    edit_speech(root, "例示株式会社の件も承認します。")
    builder = rebuilt(root, reuse, parsed)
    assert "agencies/example-corp.md" in shown(builder, "例示株式会社の件も承認します")
    agency = root / "docs" / "agencies" / "example-corp.md"

    # A deleted meeting: its pages and files are gone, and so is what the session kept of them.
    (root / "minutes" / "9.md").unlink()
    builder = rebuilt(root, reuse, parsed)
    assert "meetings/9.md" not in builder.stash.prebuilt and "api/meetings/9.json" not in builder.api_files
    assert not any(name.endswith("9") and name[:-1] in ("m", "a", "api:m") for name in reuse._units)

    # A registry edit changes the world: everything is rendered again.
    write(agency, agency.read_text(encoding="utf-8") + "\n追記した紹介です。\n")
    builder = rebuilt(root, reuse, parsed)
    assert reuse.reused == 0 and "追記した紹介です。" in builder.stash.prebuilt["agencies/example-corp.md"][0]


@pytest.mark.slow
def test_rebuilds_of_a_long_record_split_by_year_equal_full_builds(tmp_path, fixed_date, monkeypatch):
    """A synthetic record long enough for commissioners' and agencies' pages of one year each:
    edits that move a meeting to another year, change an item's kind or add a meeting."""
    from conftest import ROOT
    from gijiroku.site.reuse import Reuse
    from gijiroku.synth.corpus import synthesize, write_corpus

    monkeypatch.setenv("GIJIROKU_PAGE_LIMIT", "15")
    root = make_project(tmp_path / "p", fixture=None)
    for sub in ("committee.yml", "docs/commissioners", "docs/agencies"):
        source, target = ROOT / sub, root / sub
        shutil.copytree(source, target, dirs_exist_ok=True) if source.is_dir() else shutil.copy(source, target)
    write_corpus(synthesize(ROOT, 40, seed=3), root)
    reuse, parsed = Reuse(), ParseCache()
    builder = rebuilt(root, reuse, parsed)
    assert any("/20" in src for src in builder.stash.prebuilt if src.startswith("commissioners/"))  # year pages
    meeting = root / "minutes" / "20.md"
    text = meeting.read_text(encoding="utf-8")
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("○"))
    write(meeting, "\n".join([*lines[:first + 1], "", "追記した一文です。", *lines[first + 1:]]))
    rebuilt(root, reuse, parsed)
    assert 0 < reuse.made < reuse.reused
    date = next(line for line in lines if line.startswith("date:"))
    write(meeting, meeting.read_text(encoding="utf-8").replace(date, "date: 2019-01-09", 1))
    rebuilt(root, reuse, parsed)
    kind = next(line for line in lines if line.strip().startswith("kind:"))
    write(meeting, meeting.read_text(encoding="utf-8").replace(kind, kind.split(":")[0] + ": 報告", 1))
    rebuilt(root, reuse, parsed)
    write(root / "minutes" / "41.md", text.replace("number: 20", "number: 41", 1))
    rebuilt(root, reuse, parsed)


def test_no_template_shows_a_source_line_number():
    """site/reuse.py compares what pages show without the `line` fields of the model (an edit
    moves every later line of its file): no page may show one."""
    import re

    from conftest import ROOT

    templates = sorted((ROOT / "hooks" / "gijiroku" / "site" / "templates").glob("*.j2"))
    assert templates and [t.name for t in templates if re.search(r"\.line\b|\bline\b\s*[|}]", t.read_text())] == []


# Module-level state that is not a build's: the verifier's worker processes get the automaton
# from the pool's initializer and keep it for their life (the parent never sets it).
PER_PROCESS = {"disclosure/verify.py": {"_WORKER"}}
EMPTY_CONTAINERS = ("{}", "[]", "set()", "dict()", "list()")


def test_no_module_keeps_state_in_a_global_or_an_unbounded_cache():
    """State that outlives a call has an owner (/work/shared/STYLE.md): no `global` statement in
    the package, no module-level empty container filled later, and every functools cache is either a constant (a function of no argument) or
    bounded (`maxsize`): a cache keyed by content, like the old one of speech HTML, grows with
    every `serve` rebuild."""
    import ast

    from conftest import ROOT

    package = ROOT / "hooks" / "gijiroku"
    found = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                names = [ast.unparse(t) for t in (node.targets if isinstance(node, ast.Assign) else [node.target])]
                if ast.unparse(node.value) in EMPTY_CONTAINERS:
                    found += [f"{rel}:{node.lineno}: module state {n}" for n in names
                              if n not in PER_PROCESS.get(rel, ())]
        for node in ast.walk(tree):
            if isinstance(node, ast.Global):
                found += [f"{rel}: global {name}" for name in node.names]
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                call = decorator if isinstance(decorator, ast.Call) else None
                name = ast.unparse(call.func if call else decorator)
                if name.split(".")[-1] not in ("cache", "lru_cache"):
                    continue
                bounded = call is not None and any(k.arg == "maxsize" and ast.unparse(k.value) != "None"
                                                   for k in call.keywords)
                takes_arguments = bool(node.args.args or node.args.posonlyargs or node.args.kwonlyargs
                                       or node.args.vararg or node.args.kwarg)
                if takes_arguments and not bounded:
                    found.append(f"{rel}:{node.lineno}: unbounded {name} on {node.name}")
    assert found == []


def test_a_build_that_writes_pages_takes_the_memory_of_what_passed_until_it_passes(tmp_path, fixed_date):
    """Under serve the fence and the verifier read only what a rebuild wrote, when the last build
    passed both; a build that stops after MkDocs began to write (a page that fails to render, a
    stop) must not leave that memory behind, or its pages would never be read."""
    root = make_project(tmp_path / "p")
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    key = site_dir.resolve()
    session = Session(serving=True)
    session.fenced, session.verified[key] = key, frozenset({"secret"})
    state, _ = rebuild(root, session, site_dir)  # generated: MkDocs would now write pages
    assert state.fence_since == pytest.approx(state.started - 2)  # the fence reads what it writes
    assert session.fenced is None and key not in session.verified  # … and nothing else, only if it passes
    state.verify_site(site_dir, since=state.started, parallel=False)  # reached the verifier
    assert session.verified[key]  # passed (an empty site): remembered again
    state2, _ = rebuild(root, session, site_dir)
    assert state2.fence_since is None  # the last build never passed the fence: every page is read
    session.close()


# --- the background index of serve, and Material's templates compiled once --------------------------

DECISION_PAGE = ('<div class="gk-document"><h2 id="a">承認の内容</h2>'
                 "<p>デジタル庁の全項目評価書を承認する。</p></div>")


@pytest.mark.parametrize("stopped", [True, False])
def test_a_background_index_check_stopped_by_a_newer_build_removes_the_index_and_keeps_the_pages_memory(
        tmp_path, fixed_date, monkeypatch, caplog, stopped):
    """A newer build stops the index check of the last one (the cancel event) while the verifier
    reads the index back: the index, which nothing proved, goes; the pages the build verified stay
    known as verified. Not stopped, the index stays and so does that memory."""
    root = make_project(tmp_path / "p")
    site_dir = tmp_path / "site"
    session = Session(serving=True)
    state, _ = rebuild(root, session, site_dir)
    write(site_dir / "decisions" / "2023-04-05-example" / "index.html", DECISION_PAGE)
    write(site_dir / "index.html", "<p>公開の本文</p>")
    assert state.verify_site(site_dir, since=state.started - 2, parallel=False)[0] == []  # the build's own check
    key = site_dir.resolve()
    pages = session.verified[key]
    cancel = threading.Event()
    real, read_back = verify.scan_search_index, []

    def newer_build_starts(*args, **kwargs):
        read_back.append(args[0])
        if stopped:
            cancel.set()
        return real(*args, **kwargs)

    monkeypatch.setattr(verify, "scan_search_index", newer_build_starts)
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.gijiroku"):
        state.index_in_background(site_dir, cancel)
    assert read_back == [site_dir]  # the index was made and was being read back
    search = site_dir / "search"
    assert [(search / name).exists() for name in ("index", "r", "p", "facets.json.gz")] == [not stopped] * 4
    assert session.verified[key] == pages
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("検索索引を作り" in r.getMessage() for r in caplog.records) == (not stopped)
    session.close()


class Node:
    """An object in a reference cycle: only the cyclic garbage collector frees it."""

    def __init__(self, kept: list) -> None:
        self.cycle = self
        kept.append(weakref.ref(self))


def test_what_a_serve_build_leaves_is_frozen_until_the_session_is_idle():
    """Under serve a full garbage collection of what outlives a build took a third of a second
    of every rebuild: after a build (failed or not) what it left is frozen, and the cycles that
    became garbage since are collected once no build has begun for `idle_seconds`."""
    # A session that must not go idle waits an hour, one that must goes idle at once: no step's
    # duration decides the outcome (two seconds, then half a second, made it a race on a loaded runner).
    heap, kept = devserver.Heap(idle_seconds=3600), []

    def build(fail: bool = False) -> None:
        Node(kept)  # garbage at once, but in a cycle
        if fail:
            raise RuntimeError("build failed")

    try:
        heap.after_build(build)()
        assert gc.get_freeze_count() > 0
        gc.collect()
        assert kept[-1]() is not None and heap.collections == 0  # frozen: no collection looks at it
        first = heap._timer
        with pytest.raises(RuntimeError, match="build failed"):
            heap.after_build(build)(fail=True)  # began before the session was idle: no collection yet
        first.join(60)
        assert not first.is_alive()  # the first build's wait, stopped by the second
        gc.collect()
        assert [ref() is None for ref in kept] == [False, False] and heap.collections == 0
        heap.idle_seconds = 0.1
        heap.after_build(build)()
        deadline = time.monotonic() + 60
        while heap.collections == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert heap.collections == 1 and [ref() is None for ref in kept] == [True] * 3  # idle: collected
        assert gc.get_freeze_count() > 0  # and the rest frozen again
        heap.idle_seconds = 3600
        heap.after_build(build)()
        timer = heap._timer
        heap.release()  # the session ends: nothing frozen, no collection to come
        assert gc.get_freeze_count() == 0
        timer.join(60)
        assert not timer.is_alive() and heap.collections == 1
    finally:
        gc.unfreeze()


class CountingEnvironment(jinja2.Environment):
    """A Jinja environment that counts the templates it compiles."""

    compiled = 0

    def compile(self, *args, **kwargs):
        CountingEnvironment.compiled += 1
        return super().compile(*args, **kwargs)


def test_compiled_templates_are_taken_from_the_cache_until_their_source_changes(tmp_path, monkeypatch):
    """Under serve MkDocs makes a new Jinja environment for every build; with the session's
    CompiledTemplates as its bytecode cache, a template is compiled once, and again only after
    its source was edited."""
    write(tmp_path / "page.html", "<main>{% include 'part.html' %}</main>")
    write(tmp_path / "part.html", "<p>{{ title }} の一部</p>")
    cache = CompiledTemplates()
    monkeypatch.setattr(CountingEnvironment, "compiled", 0)

    def render() -> tuple[str, int]:
        before = CountingEnvironment.compiled
        env = CountingEnvironment(loader=jinja2.FileSystemLoader(tmp_path), bytecode_cache=cache)
        return env.get_template("page.html").render(title="題"), CountingEnvironment.compiled - before

    assert render() == ("<main><p>題 の一部</p></main>", 2)
    assert render() == ("<main><p>題 の一部</p></main>", 0)  # a new environment: nothing compiled
    write(tmp_path / "part.html", "<p>{{ title }} の新しい一部</p>")
    assert render() == ("<main><p>題 の新しい一部</p></main>", 1)  # the edited template only
    assert render() == ("<main><p>題 の新しい一部</p></main>", 0)
