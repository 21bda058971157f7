"""Several builds in one process, as `mkdocs serve` makes them: what a session keeps between
builds (hooks/gijiroku/site/session.py) is never stale and does not grow with each rebuild."""

from __future__ import annotations

import json

import pytest

from conftest import make_project, write
from gijiroku.record.loader import ParseCache, load_record
from gijiroku.site.build import BuildState
from gijiroku.site.session import Session, cache_dir

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
    the second shows the edit and not the deleted meeting, and reuses the first's parses."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = make_project(tmp_path / "p")
    monkeypatch.chdir(root)
    site_dir = tmp_path / "site"

    def config():
        return load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=False)

    first = config()
    first.plugins.on_startup(command="serve", dirty=True)
    try:
        build(first, dirty=True)
        assert EDITED in (site_dir / "meetings" / "10" / "index.html").read_text(encoding="utf-8")
        edit_speech(root, "フックでの編集です。")
        (root / "minutes" / "9.md").unlink()
        second = config()
        build(second, dirty=True)
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
