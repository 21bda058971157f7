"""Shared fixtures: the real project, and throwaway projects made from fixture files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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
    for name in ("mkdocs.yml", "overrides", "hooks"):
        target = dest / name
        if not target.exists():
            target.symlink_to(ROOT / name)
    for shared in ("assets", "guide"):  # the stylesheet and the staff guide (a nav entry) of the real site
        target = dest / "docs" / shared
        if not target.exists():
            target.symlink_to(ROOT / "docs" / shared)
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


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real project's site, built once per test session with a fixed date."""
    from gijiroku.build import build

    out = tmp_path_factory.mktemp("site") / "site"
    env = {"SOURCE_DATE_EPOCH": FIXED_EPOCH}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        assert build(ROOT, out, quiet=True) == 0
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return out


@pytest.fixture(scope="session")
def search_site(tmp_path_factory) -> Path:
    """tests/fixtures/project plus tests/fixtures/search (異体字, widths, every kind of withheld text), built."""
    from gijiroku.build import build

    root = make_project(tmp_path_factory.mktemp("search") / "project")
    shutil.copytree(FIXTURES / "search", root, dirs_exist_ok=True)
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    try:
        assert build(root, root / "site", quiet=True) == 0
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return root / "site"
