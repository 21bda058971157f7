"""The project checks itself: documentation covers every key and command, hooks stay thin."""

from __future__ import annotations

import ast
import re
from pathlib import Path

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


PACKAGE = ROOT / "hooks" / "gijiroku"
MODULES = sorted(PACKAGE.rglob("*.py"))


def imported(path: Path) -> list[str]:
    """The modules a file imports, relative imports resolved against the package (gijiroku.x.y)."""
    package = ["gijiroku", *path.relative_to(PACKAGE).parent.parts]
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(filter(None, [base, node.module or ""]))
            names += [module] + ([f"{module}.{a.name}" for a in node.names] if not node.module else [])
    return names


def test_gijiroku_never_imports_mkdocs():
    assert len(MODULES) > 40  # every subpackage is scanned, not only the top folder
    for path in MODULES:
        assert not any(n.split(".")[0] == "mkdocs" for n in imported(path)), path


def test_record_comes_before_the_site():
    """The pipeline's order: record/ reads sources and knows nothing of pages, search or authoring."""
    for path in (PACKAGE / "record").rglob("*.py"):
        later = [n for n in imported(path) if n.startswith(("gijiroku.site", "gijiroku.search", "gijiroku.authoring", "gijiroku.synth"))]
        assert not later, (path, later)


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


def test_no_module_is_over_500_lines():
    long = {p.relative_to(ROOT).as_posix(): n for p in MODULES if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert not long


CODE_PATH = re.compile(r"(?<![\w/.-])((?:hooks/|tests/|bench/|mutation/|docs/assets/)[\w./-]*\.(?:py|j2|js|css|txt|html)"
                       r"|(?:record|site|search|authoring|synth|disclosure)/[\w/]+\.(?:py|j2))")


@pytest.mark.parametrize("doc", ["ARCHITECTURE.md", "README.md", "hooks"])
def test_the_code_paths_that_documentation_names_exist(doc):
    """A newcomer follows ARCHITECTURE.md, the README and the docstrings to files that exist."""
    files = sorted((ROOT / doc).rglob("*.py")) if doc == "hooks" else [ROOT / doc]
    missing = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for ref in CODE_PATH.findall(line):
                if not any(p.exists() for p in (ROOT / ref, PACKAGE / ref)):
                    missing.append(f"{path.relative_to(ROOT)}:{number}: {ref}")
    assert not missing
