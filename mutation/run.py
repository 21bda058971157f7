"""`make mutation`: mutation testing of the disclosure package with mutmut.

mutmut 3 mutates code inside functions and finds a package under `.`, `src/` or `source/`,
while ours lives under `hooks/`. So this script lays out a scratch copy of the project in
`.mutation/` (git-ignored): `src/gijiroku` is the package, `hooks/gijiroku` a link to it (the
fixture projects of the tests link `hooks/`), and the content, templates and tests beside it.
It runs `mutmut run` there on the in-process tests (browser tests and whole-site builds run
MkDocs in a subprocess that imports the unmutated package, so they cannot kill a mutant),
then compares the survivors with `mutation/equivalent.txt`, where each mutant that cannot
change behaviour is listed with a one-line reason.

Exit status 0 when every mutant is killed or listed; 1 otherwise: a survivor that is not
listed (shown with its diff), or an entry of equivalent.txt that is stale (the mutant no longer
exists in a module that was run, or a test now kills it), since a stale list hides nothing
today but would excuse a real survivor once the names shift. Figures go to stdout; nothing
here is part of `make test`.

`--keep` keeps mutmut's results from the last run: mutmut tests only the mutants it has no
verdict for (new or changed functions), and this script then re-tests the survivors of the
last run by name, so that a test added since then gets its chance to kill them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
EQUIVALENT = Path(__file__).resolve().parent / "equivalent.txt"
TARGET = os.environ.get("MUTATION_TARGET", "src/gijiroku/disclosure/*")
# MUTATION_TESTS (pytest arguments, space-separated) narrows the tests, to screen quickly for
# survivors while writing tests; `make mutation` without it runs every in-process test.
TESTS = [*os.environ.get("MUTATION_TESTS", "tests").split(), "-m", "not browser and not slow", "-p", "no:cacheprovider",
         # mutmut copies the tests into mutants/ following symlinks, so this fixture's link
         # (G140: a symlink under minutes/) becomes a file there; `make test` runs it.
         "--deselect", "tests/test_rules.py::test_the_rule_happens_on_its_fixture[G140]",
         # tests of the source's shape (line counts, module state), which mutmut's trampolines change
         "--ignore", "tests/test_project.py",
         "--deselect", "tests/test_session.py::test_no_module_keeps_state_in_a_global_or_an_unbounded_cache"]


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [p for p in out.decode().split("\0") if p and ((ROOT / p).is_file() or (ROOT / p).is_symlink())]


def lay_out(work: Path) -> None:
    """A scratch copy of every tracked file in `work`, the package moved to src/ (mutants/ kept)."""
    if work.exists():
        for child in work.iterdir():
            if child.name != "mutants":
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    work.mkdir(exist_ok=True)
    top = set()
    for rel in tracked_files():
        dest = work / ("src/" + rel[len("hooks/"):] if rel.startswith("hooks/gijiroku/") else rel)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / rel).is_symlink():  # a fixture that is a link (G140) stays one
            dest.symlink_to(os.readlink(ROOT / rel))
        else:
            shutil.copy2(ROOT / rel, dest)
        top.add(rel.split("/")[0])
    (work / "hooks" / "gijiroku").symlink_to(Path("..") / "src" / "gijiroku")
    kept = work / "mutants" / "src"
    if kept.is_dir():  # --keep: mutmut refreshes the package's .py files itself, but not its templates
        for path in (work / "src").rglob("*"):
            if path.is_file() and path.suffix != ".py":
                (kept / path.relative_to(work / "src")).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, kept / path.relative_to(work / "src"))
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pyproject += (  # JSON lists of strings are TOML arrays
        "\n[tool.mutmut]\n"
        'source_paths = ["src/gijiroku"]\n'
        f"only_mutate = {json.dumps([TARGET])}\n"
        f"also_copy = {json.dumps(sorted(top - {'pyproject.toml'}), ensure_ascii=False)}\n"
        f"pytest_add_cli_args_test_selection = {json.dumps(TESTS)}\n"
        # A mutant that loops forever (`key = key[:+1]`) is caught by a CPU-time limit of
        # 2 * multiplier * its tests' time; mutmut's 15 makes each such mutant cost minutes,
        # and 3 let a busy machine time out equivalent mutants (reported as killed, then stale).
        "timeout_multiplier = 5.0\n"
    )
    (work / "pyproject.toml").write_text(pyproject, encoding="utf-8")


def read_equivalent() -> dict[str, str]:
    """mutant name -> reason, from mutation/equivalent.txt (`name  reason`, # comments)."""
    listed: dict[str, str] = {}
    if EQUIVALENT.exists():
        for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                name, _, reason = line.partition(" ")
                listed[name] = reason.strip()
    return listed


def mutmut(*args: str, work: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "mutmut"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([str(exe), *args], cwd=work, env=env, capture_output=True, text=True)


def statuses(work: Path) -> dict[str, str]:
    """mutant name -> mutmut's verdict (killed, survived, timeout, no tests, not checked ...)."""
    status: dict[str, str] = {}
    for line in mutmut("results", "--all", "true", work=work).stdout.splitlines():
        m = re.match(r"\s*(\S+): (.+)$", line)
        if m:
            status[m.group(1)] = m.group(2).strip()
    return status


def short_diff(name: str, work: Path) -> str:
    """The changed lines of a mutant, as `mutmut show` prints them, without the file header."""
    out = mutmut("show", name, work=work).stdout.splitlines()
    return "\n".join("      " + line for line in out
                     if line[:1] in "+-" and not line.startswith(("+++", "---")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep mutmut's results from the last run (re-test only what changed)")
    parser.add_argument("--children", type=int, default=os.cpu_count() or 2, help="mutants tested at once")
    args = parser.parse_args(argv)
    if not args.keep:
        shutil.rmtree(WORK, ignore_errors=True)
    lay_out(WORK)
    equivalent = read_equivalent()
    started = time.perf_counter()
    runs = [[]]
    if args.keep and (WORK / "mutants").is_dir():
        again = sorted(n for n, s in statuses(WORK).items() if s not in ("killed", "timeout", "not checked") and n not in equivalent)
        if again:
            runs.append(again)
    for names in runs:
        run = mutmut("run", "--max-children", str(args.children), *names, work=WORK)
        if run.returncode != 0:
            print(run.stdout[-4000:], run.stderr[-4000:], sep="\n")
            print(f"mutmut run failed (exit {run.returncode})", file=sys.stderr)
            return 1
    elapsed = time.perf_counter() - started
    status = statuses(WORK)
    by_module: dict[str, dict[str, int]] = {}
    survivors = []
    for name, state in sorted(status.items()):
        module = re.split(r"\.x[_ǁ]", name)[0]  # a function (x_f) or a method (xǁClassǁf)
        counts = by_module.setdefault(module, {})
        if state == "timeout":  # the tests hung on the mutant: it is detected, as a failure would be
            state = "killed (timeout)"
        elif state != "killed" and name in equivalent:
            state = "equivalent"
        counts[state] = counts.get(state, 0) + 1
        if state not in ("killed", "killed (timeout)", "equivalent"):
            survivors.append((name, state))
    states = sorted({s for c in by_module.values() for s in c})
    print(f"mutmut: {len(status)} mutants of {TARGET} in {elapsed:.0f} s")
    print("| module | " + " | ".join(states) + " |")
    print("|---|" + "---|" * len(states))
    for module, counts in sorted(by_module.items()):
        print(f"| {module} | " + " | ".join(str(counts.get(s, 0)) for s in states) + " |")
    # Only the modules this run covered can make an entry stale (MUTATION_TARGET may be one file).
    gone = sorted(n for n in equivalent if n.split(".x_")[0] in by_module and n not in status)
    killed = sorted(n for n in equivalent if status.get(n) in ("killed", "timeout"))
    for what, names in (("no longer exist", gone), ("are killed by the tests now", killed)):
        if names:
            print(f"\nmutation/equivalent.txt lists {len(names)} mutants that {what}; remove them:")
            print("\n".join(f"  {n}" for n in names))
    if survivors:
        print(f"\n{len(survivors)} mutants survive (cd .mutation && ../.venv/bin/mutmut show NAME):")
        for name, state in survivors:
            print(f"  {name}: {state}")
            print(short_diff(name, WORK))
    if survivors or gone or killed:
        return 1
    print("\nEvery mutant is killed or listed as equivalent.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
