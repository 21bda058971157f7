"""Unit tests of hooks/gijiroku/disclosure/secrets.py: which source files the verifier and
`check --public-source` read, its own crude reading of the markers, the passages one withheld
line stands for, and what of the parsed record must not be published on a given day.

Written for mutants `make mutation` found alive; each asserts what the verifier relies on.
"""

from __future__ import annotations

import os

from hostile import assert_refused

from conftest import make_project
from gijiroku.disclosure import secrets

CANARY = "カナリアひみつのはなしです"
REGION = f"# 題\n\n<!-- 非公表 -->\n{CANARY}\n<!-- /非公表 -->\n"


# --- published_sources: every file whose text the site publishes ------------------------------------

def test_published_sources_are_the_bodies_and_every_markdown_file_under_docs(tmp_path):
    root = make_project(tmp_path / "p")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "linked.md").write_text("本文\n", encoding="utf-8")
    (root / "docs" / "notes").mkdir()
    (root / "docs" / "notes" / "shared").symlink_to(outside, target_is_directory=True)  # MkDocs follows it
    for name in ("a.md", "b.markdown", "c.mdown", "d.mkdn", "e.mkd", "f.MD", "g.Markdown", "h.txt", "i.png"):
        (root / "docs" / "notes" / name).write_text("本文\n", encoding="utf-8")
    (root / "minutes" / "notes.txt").write_text("本文\n", encoding="utf-8")
    found = [p.relative_to(root).as_posix() for p in secrets.published_sources(root)]
    assert found == [
        "minutes/10.md", "minutes/9.md", "decisions/2023-04-05-example.md",
        "docs/agencies/digital-agency.md", "docs/agencies/example-corp.md",
        "docs/commissioners/aoki.md", "docs/commissioners/inoue.md", "docs/commissioners/takamura.md", "docs/guide/index.md",
        "docs/notes/a.md", "docs/notes/b.markdown", "docs/notes/c.mdown", "docs/notes/d.mkdn",
        "docs/notes/e.mkd", "docs/notes/f.MD", "docs/notes/g.Markdown", "docs/notes/shared/linked.md"]


def test_a_withheld_region_in_a_markdown_page_of_any_suffix_is_a_secret(tmp_path):
    root = make_project(tmp_path / "p")
    (root / "docs" / "notes").mkdir()
    for name in ("a.markdown", "b.MD"):
        (root / "docs" / "notes" / name).write_text(REGION, encoding="utf-8")
    assert [(s.text, s.path, s.line, s.why) for s in secrets.source_secrets(root)] == [
        (CANARY, "docs/notes/a.markdown", 4, "非公表"), (CANARY, "docs/notes/b.MD", 4, "非公表")]


def test_a_page_mkdocs_copies_as_it_is_cannot_publish_its_withheld_region(tmp_path):
    # MkDocs renders only lower-case Markdown suffixes: docs/notes/x.MD is copied to the site
    # as written, withheld region and all. The verifier reads it, finds it there, and refuses.
    root = make_project(tmp_path / "p")
    (root / "docs" / "notes").mkdir()
    (root / "docs" / "notes" / "x.MD").write_text(REGION, encoding="utf-8")
    output = assert_refused(root, "docs/notes/x.MD:4", command="build")
    assert "notes/x.MD" in output.replace(os.sep, "/")
