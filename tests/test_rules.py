"""The rule catalogue (hooks/gijiroku/record/rules.py): every rule happens, on its own fixture.

`tests/fixtures/rules/<CODE>/` is a set of files laid over the fixture project
(`conftest.make_project`); `expect.txt` in it lists what `gijiroku check` reports there, one
`CODE file:line` a line (`-` for a problem that names no file). Most list one line: the rule
itself. Options, each a file beside expect.txt:

- `args.txt`: arguments of `gijiroku check` (`--public-source`);
- `environ.txt`: `NAME=value` lines set while checking (SOURCE_DATE_EPOCH, else the fixed 2025-01-01);
- `pad.txt`: `path bytes` lines: the file is padded with YAML comment lines to that size;
- `race.txt`: a path whose size, as `stat` reports it, is 0 (the file grows while it is read);
- `site/`: a fragment of a built site instead of sources: the rules of the post-build fence
  (`site/csp.py`, G7xx) are checked on it with `csp.site_problems`, not with a whole build
  (a built page cannot hold what the fixture needs: the source fences refuse it first).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import string
from pathlib import Path

import pytest

from conftest import FIXED_EPOCH, FIXTURES, ROOT, make_project
from gijiroku import cli
from gijiroku.check import check, check_warnings
from gijiroku.record import rules
from gijiroku.record.problems import Problem
from gijiroku.site import csp

CASES = FIXTURES / "rules"
OPTIONS = {"expect.txt", "args.txt", "environ.txt", "pad.txt", "race.txt", "replace.txt"}
PACKAGE = ROOT / "hooks" / "gijiroku"


def _pattern(template: str) -> str:
    parts = []
    for text, name, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(text))
        if name is not None:
            parts.append("(.+?)")
    return "".join(parts)


PATTERNS = {code: (re.compile(_pattern(r.message), re.S), re.compile(_pattern(r.hint), re.S))
            for code, r in rules.RULES.items()}


def code_of(problem: Problem) -> str:
    """The problem's code, once its text is shown to be what that rule's templates print."""
    assert problem.code, f"made without its code: {problem.format()}"
    message, hint = PATTERNS[problem.code]
    assert message.fullmatch(problem.message) and hint.fullmatch(problem.hint), (
        f"{problem.code} does not print {problem.message} {problem.hint}")
    return problem.code


def _overlay(case: Path, root: Path) -> None:
    if (case / "replace.txt").exists():  # the project's folders the case puts something else in place of
        for name in (case / "replace.txt").read_text(encoding="utf-8").split():
            shutil.rmtree(root / name)
    shutil.copytree(case, root, symlinks=True, dirs_exist_ok=True,
                    ignore=lambda folder, names: [n for n in names if n in OPTIONS and Path(folder) == case])
    if (case / "pad.txt").exists():
        for line in (case / "pad.txt").read_text(encoding="utf-8").splitlines():
            path, size = line.split()
            target = root / path
            missing = int(size) - target.stat().st_size
            with target.open("a", encoding="utf-8") as handle:
                handle.write(("#" * 79 + "\n") * (missing // 80 + 1))


def reported(case: Path, tmp_path: Path, monkeypatch) -> list[str]:
    """`CODE where` for everything that check (or, for a site fragment, the fence) reports."""
    if (case / "site").is_dir():
        return sorted(f"{code_of(p)} {p.where()}" for p in csp.site_problems(case / "site", parallel=False))
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", root)
    _overlay(case, root)  # before make_project links docs/assets and docs/guide to the real ones
    make_project(root, fixture=None)
    # a fixed build day unless the case sets its own: the fixture project's 後日公表 date
    # (2030-01-01) must not start a warning in every case the day it passes
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    if (case / "environ.txt").exists():
        for line in (case / "environ.txt").read_text(encoding="utf-8").splitlines():
            name, value = line.split("=", 1)
            monkeypatch.setenv(name, value)
    if (case / "race.txt").exists():
        target = root / (case / "race.txt").read_text(encoding="utf-8").strip()
        real = Path.stat

        def stat(self, *args, **kwargs):
            found = real(self, *args, **kwargs)
            return os.stat_result((*found[:6], 0, *found[7:])) if self == target else found

        monkeypatch.setattr(Path, "stat", stat)
    args = (case / "args.txt").read_text(encoding="utf-8").split() if (case / "args.txt").exists() else []
    record, problems = check(root, public_source="--public-source" in args)
    out = [f"{code_of(p)} {p.where()}" for p in problems]
    day_error = cli._build_day_error()
    if day_error:
        found = [code for code in PATTERNS if re.fullmatch(PATTERNS[code][0].pattern + PATTERNS[code][1].pattern,
                                                           day_error)]
        out += [f"{code} -" for code in found] or [f"? {day_error}"]
    else:
        out += [f"{code_of(p)} {p.where()}" for p in check_warnings(root, record)]
    return sorted(out)


def expected(case: Path) -> list[str]:
    return sorted((case / "expect.txt").read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("code", sorted(rules.RULES))
def test_the_rule_happens_on_its_fixture(code, tmp_path, monkeypatch):
    case = CASES / code
    found = reported(case, tmp_path, monkeypatch)
    assert found == expected(case)
    assert any(line.split()[0] == code for line in found), f"{code} does not happen on its own fixture"


def test_every_rule_has_a_fixture_and_every_fixture_a_rule():
    assert sorted(p.name for p in CASES.iterdir()) == sorted(rules.RULES)


# --- the call sites -----------------------------------------------------------------------------

CATALOGUE = ("rules.py", "rules_fence.py")  # the modules that define the rules, not use them


def _calls() -> list[tuple[str, int, str, set[str] | None]]:
    """(file, line, code, keyword names) of every call in the package that names a rule by its code;
    keyword names are None when the call passes `**values`."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in CATALOGUE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            args = [part for a in node.args for part in ((a.body, a.orelse) if isinstance(a, ast.IfExp) else (a,))]
            codes = [a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)
                     and re.fullmatch(r"G[0-9]{3}", a.value)]
            for code in codes:
                names = None if any(k.arg is None for k in node.keywords) else {k.arg for k in node.keywords}
                found.append((path.relative_to(ROOT).as_posix(), node.lineno, code, names))
    return found


def test_every_code_at_a_call_site_is_a_rule_with_those_values():
    """What would otherwise fail only when a rare problem happens: an unknown code, a value
    missing or misnamed."""
    wrong = [(f, line, code, names) for f, line, code, names in _calls()
             if code not in rules.RULES or (names is not None and names != rules.RULES[code].fields)]
    assert wrong == []


def test_every_rule_is_made_somewhere():
    named = set(re.findall(r"\"(G[0-9]{3})\"", "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")
                                                         if p.name not in CATALOGUE)))
    assert sorted(set(rules.RULES) - named) == []


def test_a_problem_is_made_with_every_value_and_no_other():
    assert rules.problem("G139", "minutes/2.md", 1, number=2, other="minutes/02.md").format() == (
        "minutes/2.md:1: 第2回が minutes/02.md と重複しています。\n    対処: 一つの会議は一つのファイルにまとめてください。")
    with pytest.raises(TypeError):
        rules.problem("G139", "minutes/2.md", 1, number=2)
    with pytest.raises(TypeError):
        rules.problem("G139", "minutes/2.md", 1, number=2, other="x", extra=1)
    with pytest.raises(KeyError):
        rules.problem("G999", "minutes/2.md", 1)


def test_a_malformed_table_stops_the_import():
    for table in ((rules.Rule("G101", "a"), rules.Rule("G101", "b")), (rules.Rule("X1", "a"),),
                  (rules.Rule("G901", "a"),), (rules.Rule("G101", "{}"),), (rules.Rule("G101", "{0}"),),
                  (rules.Rule("G101", "{a"),)):
        with pytest.raises(ValueError):
            rules.catalogue(table)


# --- the staff guide's list of messages ------------------------------------------------------------

GUIDE = ROOT / "docs" / "guide" / "index.md"


def guide_rows(page_html: str) -> dict[str, tuple[str, str]]:
    """Code → (message, 意味と対処) of every row of the guide's tables of checker messages, as read."""
    from sitecheck import Elements

    parser = Elements()
    parser.feed(page_html)
    cells = [e["text"] for e in parser.elements if e["tag"] == "td"]
    rows = [(cells[i], (cells[i + 1], cells[i + 2])) for i in range(len(cells) - 2)
            if re.fullmatch(r"G[0-9]{3}", cells[i])]
    found = dict(rows)
    assert len(found) == len(rows), "a code has two rows"
    return found


def test_the_guide_lists_every_rule_with_its_message_as_written():
    """The tables the hook puts in the guide, rendered: one row per rule, the message as check
    prints it (fields shown as …, N, M), the markers and Markdown punctuation shown as text."""
    import markdown

    from gijiroku.site.guide import CHECK_MESSAGES, expand_check_messages, shown

    text = GUIDE.read_text(encoding="utf-8")
    assert text.splitlines().count(CHECK_MESSAGES) == 1
    rendered = markdown.markdown(expand_check_messages(text), extensions=["tables", "attr_list", "admonition"])
    rows = guide_rows(rendered)
    assert sorted(rows) == sorted(rules.RULES)
    for code, rule in rules.RULES.items():
        assert rows[code][0] == ("警告 " if rule.warning else "") + shown(rule.message), code
        assert rows[code][1].strip(), code
    assert rows["G401"][0] == "<!-- 非公表 --> で始まる非公表の範囲が閉じられていません。"
    assert rows["G312"][0] == "本文に画像（![…](…)）は載せられません。"
    assert rows["G202"][0] == "議題の番号が N ですが、M 番目の議題です。"


def test_the_guide_with_its_tables_passes_the_page_checks():
    """The generated text holds no marker, look-alike or comment that the hand-written page
    checks would refuse (they read the page before the tables are put in)."""
    from gijiroku.disclosure.pages import public_page
    from gijiroku.site.guide import expand_check_messages

    text = expand_check_messages(GUIDE.read_text(encoding="utf-8"))
    body = text.split("---\n", 2)[2] if text.startswith("---\n") else text
    assert public_page(body, text, "docs/guide/index.md", {})[1] == []


@pytest.mark.slow
def test_the_built_guide_has_the_tables(built_site):
    """The build puts them in (hooks/site.py, on_page_markdown); the marker line is gone."""
    page = (built_site / "guide" / "index.html").read_text(encoding="utf-8")
    assert sorted(guide_rows(page)) == sorted(rules.RULES)
    assert "gijiroku:check-messages" not in page
