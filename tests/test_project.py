"""The project checks itself: documentation covers every key and command, hooks stay thin."""

from __future__ import annotations

import ast
import re

import pytest

from conftest import ROOT
from gijiroku.cli import main
from gijiroku.record import schema

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", sorted({k.name for keys in (schema.MEETING, schema.AGENDA_ITEM, schema.DECISION,
                                                            schema.COMMISSIONER, schema.AGENCY, schema.ROLE)
                                         for k in keys}))
def test_every_front_matter_key_is_documented(key):
    assert f"| `{key}` |" in README


def test_every_cli_command_is_documented(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    commands = re.search(r"\{([a-z,]+)\}", capsys.readouterr().out).group(1).split(",")
    assert commands
    for command in commands:
        assert f"`gijiroku {command}" in README


def test_readme_shows_the_two_commands():
    assert "make serve" in README and "make test" in README


def test_gijiroku_never_imports_mkdocs():
    for path in (ROOT / "hooks" / "gijiroku").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] == "mkdocs" for n in names), path


def test_hook_module_only_dispatches():
    """Every event function of hooks/site.py is short: check, delegate, return."""
    tree = ast.parse((ROOT / "hooks" / "site.py").read_text(encoding="utf-8"))
    events = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("on_")]
    assert {e.name for e in events} >= {"on_config", "on_files", "on_page_content", "on_post_build"}
    for event in events:
        assert event.end_lineno - event.lineno <= 15, event.name


def test_mkdocs_is_pinned_to_1_6():
    reqs = (ROOT / "requirements.txt").read_text()
    assert "\nmkdocs==1.6.1\n" in reqs and "\nmkdocs-material==9.8.1\n" in reqs
    for line in reqs.splitlines():
        if line and not line.startswith("#"):
            assert "==" in line, line


def test_every_committee_field_can_be_written_in_committee_yml():
    """committee.yml's reader knows every field of Committee (a field it refuses cannot be set)."""
    from gijiroku.record.registry import _COMMITTEE_TYPES, Committee

    assert set(_COMMITTEE_TYPES) == set(Committee.__dataclass_fields__)
