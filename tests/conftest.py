"""Shared fixtures: the real project, and throwaway projects made from fixture files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed sequence of examples, so that a submission's result does
# not depend on the draw; local runs keep drawing new examples (that is how bugs are found). No
# deadline in CI, as in Hypothesis' own "ci" profile that this one replaces: a test that asserts no
# speed would fail as Flaky if a shared runner stalled one example past 200 ms.
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = FIXTURES / "seeds"  # the official texts, copied from the shared folder so a bare clone tests
FIXED_EPOCH = "1735657200"  # 2025-01-01 00:00 JST: a fixed build date for reproducible output


def make_project(dest: Path, fixture: str | None = "project") -> Path:
    """A project directory with the site machinery of the real one and the content of `fixture`."""
    dest.mkdir(parents=True, exist_ok=True)
    if fixture:
        shutil.copytree(FIXTURES / fixture, dest, dirs_exist_ok=True)
    for sub in ("minutes", "decisions", "docs/commissioners", "docs/agencies"):
        (dest / sub).mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "hooks"):
        target = dest / name
        if not target.exists():
            target.symlink_to(ROOT / name)
    if not (dest / "overrides").exists():  # copied: the build refuses a theme folder that is a link (G609)
        shutil.copytree(ROOT / "overrides", dest / "overrides")
    for shared in ("assets", "guide"):  # the stylesheet and the staff guide (a nav entry) of the real site
        target = dest / "docs" / shared
        if not target.exists():  # copied: check refuses a link that leads out of docs/ (G607)
            shutil.copytree(ROOT / "docs" / shared, target)
    if not (dest / "committee.yml").exists():
        shutil.copy(ROOT / "committee.yml", dest / "committee.yml")
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture
def fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    return FIXED_EPOCH


def own_config(root: Path, old: str = "", new: str = "") -> str:
    """Give the project a mkdocs.yml of its own (make_project links the real one), with the first
    `old` replaced by `new`; returns the real one's text."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.unlink()
    config.write_text(text.replace(old, new, 1) if old else text, encoding="utf-8")
    return text


# A meeting's text as `gijiroku import` reads it, short: the tests of where import writes.
SHORT_MINUTES = ("第300回個人情報保護委員会\n"
                 "○丹野委員長 ただいまから会議を始めます。\n"
                 "○丹野委員長 以上で会議を終わります。\n")


def import_folders(tmp_path: Path) -> tuple[Path, Path]:
    """SHORT_MINUTES in tmp_path/raw.txt, and a project folder p/ with empty minutes/ and sources/."""
    raw = tmp_path / "raw.txt"
    raw.write_text(SHORT_MINUTES, encoding="utf-8")
    (tmp_path / "p" / "minutes").mkdir(parents=True)
    (tmp_path / "p" / "sources").mkdir()
    return raw, tmp_path / "p"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def withheld_project(dest: Path, secret: str):
    """A project whose 第10回 marks `secret` 非公表 after the chair's approval: its root, its
    record (which must read without problems) and the public record on the fixed build date."""
    from gijiroku.disclosure.public import build_date, public_record
    from gijiroku.record.loader import load_record

    root = make_project(dest)
    approval = "○井上委員長 原案のとおり承認します。"
    path = root / "minutes" / "10.md"
    write(path, path.read_text(encoding="utf-8").replace(approval, f"{approval}\n\n<!-- 非公表 -->\n{secret}\n<!-- /非公表 -->"))
    record, problems = load_record(root)
    assert problems == []
    return root, record, public_record(record, build_date({"SOURCE_DATE_EPOCH": FIXED_EPOCH}))


def build_on_fixed_date(root: Path, site: Path | None = None) -> Path:
    """`gijiroku build` of `root` into `site` (default root/site) on the fixed build date, in this
    process; asserts that it succeeded and leaves SOURCE_DATE_EPOCH as it was."""
    from gijiroku.site.commands import build

    site = site or root / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        patch.setenv("GIJIROKU_CHUNK_PLACES", "64")  # many small chunks: search crosses their bounds
        assert build(root, site, quiet=True) == 0
    return site


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real project's site, built once per test session with a fixed date."""
    return build_on_fixed_date(ROOT, tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="session")
def search_site(tmp_path_factory) -> Path:
    """tests/fixtures/project plus tests/fixtures/search (異体字, widths, every kind of withheld text), built."""
    root = make_project(tmp_path_factory.mktemp("search") / "project")
    shutil.copytree(FIXTURES / "search", root, dirs_exist_ok=True)
    return build_on_fixed_date(root)


@pytest.fixture(scope="session")
def facts_site(tmp_path_factory) -> Path:
    """tests/fixtures/project (a 非公表 and a 後日公表 item) plus tests/fixtures/facts: a meeting
    with official sources (one without a URL), a material with and one without a URL, an outcome
    the record does not give, no place, a withheld passage inside a public speech, and a
    document with a source. Built once for the build and browser tests of issue 13's facts."""
    root = make_project(tmp_path_factory.mktemp("facts") / "project")
    shutil.copytree(FIXTURES / "facts", root, dirs_exist_ok=True)
    return build_on_fixed_date(root)


def pytest_collection_modifyitems(items):
    """Each module's tests run together, modules in the order they first appear.

    A plain run already collects them so (this changes nothing); `make mutation` does not:
    mutmut 3.8.1 passes a mutant's tests as a set, in hash order, and pytest runs them in that
    order, so a module-scoped fixture that builds a site was torn down and built again at every
    switch between modules, and the tests of a surviving mutant ran out of mutmut's time limit.
    """
    first: dict = {}
    items.sort(key=lambda item: first.setdefault(item.path, len(first)))


# The browser tests' two shared fixtures: one Chromium and the real site served, per test module.
@pytest.fixture(scope="module")
def browser():
    from browser import chromium

    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def site(built_site):
    from browser import serve

    with serve(built_site) as base:
        yield base


@pytest.fixture
def phone(browser):
    """A new phone-sized page that notes every request it makes and every console error."""
    from browser import PHONE

    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.requests, pg.errors = [], []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()


def record_copy(tmp_path: Path) -> Path:
    """A copy of the real record (sources, registries, meetings, decisions) in tmp_path/p, to edit."""
    root = tmp_path / "p"
    root.mkdir()
    for name in ("committee.yml", "docs/commissioners", "docs/agencies", "decisions", "minutes", "sources"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, root / name)
    return root


def process_running(pid: int) -> bool:
    """Whether `pid` is a process still at work (a zombie, ended but not yet reaped by whoever
    adopted it, is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")
