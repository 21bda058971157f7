"""Golden files: the <article> of every page of the fixture site, as committed in tests/golden/.

After an intended change to the pages, regenerate them with `make golden` and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import build_on_fixed_date, make_project

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).resolve().parent / "golden"
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
UPDATE = os.environ.get("GIJIROKU_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    return build_on_fixed_date(make_project(tmp_path_factory.mktemp("golden") / "project"))


# Hand-written prose of the real site, not generated from the record: the strict build checks it.
NOT_GENERATED = {"guide"}


def articles(site: Path) -> dict[str, str]:
    out = {}
    for page in sorted(site.rglob("index.html")):
        if page.parent.relative_to(site).as_posix() in NOT_GENERATED:
            continue
        match = ARTICLE.search(page.read_text(encoding="utf-8"))
        if match:
            body = "\n".join(line.rstrip() for line in match.group(1).strip().splitlines())
            out[page.relative_to(site).parent.as_posix()] = body + "\n"
    return out


def golden_name(page: str) -> str:
    return ("index" if page == "." else page.replace("/", "__")) + ".html"


def test_article_of_every_page_matches_its_golden_file(fixture_site):
    got = articles(fixture_site)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        for old in GOLDEN.glob("*.html"):
            old.unlink()
        for page, html in got.items():
            (GOLDEN / golden_name(page)).write_text(html, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in GOLDEN.glob("*.html")}
    assert sorted(expected) == sorted(golden_name(p) for p in got), "pages added or removed: run `make golden`"
    for page, html in got.items():
        assert html == expected[golden_name(page)], f"{page} differs from tests/golden/{golden_name(page)}"
