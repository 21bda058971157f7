"""The workflows, the pre-commit hook and the devcontainer say what the issues ask.

Every workflow file parses; every job has a timeout; one repository is checked out; pip's
downloads are cached; superseded pull-request runs are cancelled and the deploy never is; the
daily deploy checks, builds and verifies without the browser suite; every script a workflow
calls exists and takes the options it is given. The scripts' behaviour is tested by running
them (tests/test_ci_*.py)."""

from __future__ import annotations

import ast
import json
import re
import shlex
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = {p.name: yaml.safe_load(p.read_text(encoding="utf-8"))
             for p in sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))}
CI = WORKFLOWS["ci.yml"]
IMPORT = WORKFLOWS["import.yml"]
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.S)


def jobs():
    return [(name, job_name, job) for name, wf in WORKFLOWS.items() for job_name, job in wf["jobs"].items()]


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def runs(workflow: dict, job: str) -> list[str]:
    return [" ".join(s.get("run", "").split()) for s in steps(workflow, job)]


def uses(workflow: dict, job: str) -> list[str]:
    return [s.get("uses", "").split("@")[0] for s in steps(workflow, job)]


def triggers(workflow: dict) -> dict:
    return workflow[True]  # YAML 1.1 reads the key `on` as true


def test_the_workflows_are_the_two_expected():
    assert sorted(WORKFLOWS) == ["ci.yml", "import.yml"]
    assert {n: sorted(w["jobs"]) for n, w in WORKFLOWS.items()} == {
        "ci.yml": ["deploy", "pages", "preview", "report", "test"], "import.yml": ["import"]}


@pytest.mark.parametrize(("workflow", "job_name", "job"), jobs(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_job_has_a_timeout_and_a_pinned_action_major(workflow, job_name, job):
    assert isinstance(job.get("timeout-minutes"), int) and 0 < job["timeout-minutes"] <= 60, (workflow, job_name)
    for step in job["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]


@pytest.mark.parametrize(("workflow", "job_name", "job"), jobs(), ids=lambda x: x if isinstance(x, str) else "")
def test_one_repository_is_checked_out_in_the_workspace(workflow, job_name, job):
    checkouts = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    assert len(checkouts) <= 1
    for step in checkouts:
        assert not {"repository", "path"} & set(step.get("with", {})), step
    text = json.dumps(job, ensure_ascii=False)
    assert "shared" not in text.lower() and "working-directory" not in text
    for wf in WORKFLOWS.values():
        assert "defaults" not in wf


@pytest.mark.parametrize(("workflow", "job_name", "job"), jobs(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_job_that_installs_caches_pips_downloads_on_requirements(workflow, job_name, job):
    names = [s.get("uses", "").split("@")[0] or s.get("run", "") for s in job["steps"]]
    assert "actions/setup-python" not in names  # the container's Python is the one used
    if "make venv" not in names:
        return
    cache = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert names.index("actions/cache") < names.index("make venv")
    assert cache["with"]["path"] == "~/.cache/pip"
    assert "hashFiles('requirements.txt')" in cache["with"]["key"]
    assert job["container"] == "python:3.11-bookworm"
    git_config = 'git config --global --add safe.directory "$GITHUB_WORKSPACE"'
    assert git_config in names and names.index(git_config) < names.index("make venv")  # git in a container


def test_permissions_are_least_by_default_and_granted_per_job():
    assert CI["permissions"] == {"contents": "read"}
    granted = {name: job.get("permissions") for name, job in CI["jobs"].items()}
    assert granted == {"preview": {"contents": "read", "pull-requests": "write"}, "test": None,
                       "pages": {"contents": "read", "pages": "write"}, "deploy": {"pages": "write", "id-token": "write"},
                       "report": {"contents": "read", "issues": "write"}}
    assert IMPORT["permissions"] == {"contents": "write", "pull-requests": "write"}


def test_superseded_pull_request_runs_are_cancelled_and_the_deploy_never_is():
    concurrency = CI["concurrency"]
    assert concurrency["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    # one group per pull request; any other run has a group of its own (its run id), so nothing replaces it
    assert concurrency["group"] == ("ci-${{ github.event_name == 'pull_request' && "
                                    "format('pr-{0}', github.event.pull_request.number) || github.run_id }}")
    assert CI["jobs"]["deploy"]["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert IMPORT["concurrency"]["cancel-in-progress"] is False


def test_every_pull_request_is_checked_built_previewed_reported_and_tested():
    assert set(triggers(CI)) == {"pull_request", "push", "schedule", "workflow_dispatch"}
    assert triggers(CI)["push"]["branches"] == ["main"]
    preview = runs(CI, "preview")
    assert CI["jobs"]["preview"]["if"] == "github.event_name == 'pull_request'"
    assert any(s.startswith(".venv/bin/gijiroku check --format github") and "--public-source" in s for s in preview)
    assert "make build" in preview
    upload = next(s for s in steps(CI, "preview") if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"] == {"name": "site-preview-pr-${{ github.event.pull_request.number }}", "path": "site/",
                              "retention-days": 14}
    report = next(s for s in steps(CI, "preview") if "gijiroku.ci.publishes" in s.get("run", ""))
    assert report["if"] == "${{ !cancelled() }}"  # the comment says so when the build fails too
    assert "${{ steps.preview.outputs.artifact-url }}" in report["run"] and upload["id"] == "preview"
    assert report["env"] == {"GITHUB_TOKEN": "${{ github.token }}"}
    assert CI["jobs"]["preview"]["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert "make test" in runs(CI, "test")
    assert CI["jobs"]["test"]["if"] == "github.event_name == 'pull_request' || github.event_name == 'push'"


def test_the_daily_deploy_checks_builds_and_verifies_without_the_browser_suite():
    assert triggers(CI)["schedule"] == [{"cron": "10 15 * * *"}]  # 00:10 JST
    assert "schedule" not in CI["jobs"]["test"]["if"]  # the browser suite does not run on the daily deploy
    pages = CI["jobs"]["pages"]
    assert pages["needs"] == "test" and "needs.test.result == 'skipped'" in pages["if"]
    assert "refs/heads/main" in pages["if"] and "github.event_name != 'pull_request'" in pages["if"]
    commands = runs(CI, "pages")
    assert not any("make test" in c or "pytest" in c for c in commands)
    assert any(c.startswith(".venv/bin/gijiroku check") for c in commands)
    build = next(s for s in steps(CI, "pages") if s.get("run") == "make build")
    assert build["env"]["GIJIROKU_SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    # make build is check, build and the disclosure verifier: `gijiroku build` refuses a leak
    assert re.search(r"^build: venv\n\t\$\(BIN\)/gijiroku build$", MAKEFILE, re.M)
    assert uses(CI, "pages")[-1] == "actions/upload-pages-artifact"
    assert uses(CI, "deploy") == ["actions/deploy-pages"]
    assert CI["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_a_failed_deploy_is_reported_and_a_successful_one_closes_the_report():
    report = CI["jobs"]["report"]
    assert report["needs"] == ["test", "pages", "deploy"]
    assert report["if"] == ("${{ !cancelled() && github.event_name != 'pull_request' && "
                            "github.ref == 'refs/heads/main' }}")
    assert report["permissions"] == {"contents": "read", "issues": "write"}
    (command,) = [s for s in runs(CI, "report") if s]
    for job in report["needs"]:
        assert f'--result "{job}=${{{{ needs.{job}.result }}}}"' in command


def test_the_report_runs_on_the_runners_python_alone():
    """The report job sets up nothing: its modules import the standard library only."""
    step = next(s for s in steps(CI, "report") if "run" in s)
    assert step["env"]["PYTHONPATH"] == "hooks" and step["run"].startswith("python3 -m gijiroku.ci.deploy_issue")
    done = subprocess.run([sys.executable, "-S", "-c", "import gijiroku.ci.deploy_issue"], cwd=ROOT, timeout=60,
                          env={"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_an_upload_to_incoming_on_a_branch_is_imported_there():
    assert triggers(IMPORT) == {"push": {"branches-ignore": ["main"], "paths": ["incoming/**"]}}
    assert IMPORT["permissions"] == {"contents": "write", "pull-requests": "write"}
    checkout = steps(IMPORT, "import")[0]
    assert checkout["with"] == {"ref": "${{ github.ref }}", "token": "${{ secrets.GIJIROKU_BOT_TOKEN || github.token }}"}
    command = runs(IMPORT, "import")[-1]
    assert command.startswith(".venv/bin/python -m gijiroku.ci.incoming --push --comment")
    assert (ROOT / "incoming" / "README.md").is_file()


def scripts() -> list[tuple[str, str]]:
    """(module, command line) of every `python -m gijiroku.ci.…` a workflow runs."""
    out = []
    for wf in WORKFLOWS.values():
        for job in wf["jobs"].values():
            for step in job["steps"]:
                command = " ".join(step.get("run", "").split())
                if m := re.search(r"-m (gijiroku\.ci\.\w+)(.*)$", command):
                    out.append((m.group(1), m.group(2)))
    return out


def test_the_workflows_call_the_three_scripts():
    assert sorted(m for m, _ in scripts()) == ["gijiroku.ci.deploy_issue", "gijiroku.ci.incoming", "gijiroku.ci.publishes"]


@pytest.mark.parametrize(("module", "arguments"), scripts())
def test_every_script_a_workflow_calls_exists_and_takes_its_options(module, arguments):
    path = ROOT / "hooks" / (module.replace(".", "/") + ".py")
    assert path.is_file(), path
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert any(isinstance(n, ast.FunctionDef) and n.name == "main" for n in tree.body)
    assert "if __name__ == \"__main__\":" in path.read_text(encoding="utf-8")
    options = {a.value for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "add_argument"
               for a in n.args if isinstance(a, ast.Constant)}
    given = {word.split("=")[0] for word in shlex.split(EXPRESSION.sub("X", arguments)) if word.startswith("--")}
    # options written inside an expression (format('--pr {0}'), '--ci-reruns') count too
    given |= set(re.findall(r"'(--[\w-]+)", arguments))
    assert given and given <= options, given - options


def test_the_make_targets_the_workflows_and_the_devcontainer_use_exist():
    used = set()
    for _, _, job in jobs():
        for step in job["steps"]:
            used.update(re.findall(r"\bmake (\w[\w-]*)", step.get("run", "")))
    used.update(re.findall(r"\bmake (\w[\w-]*)", (ROOT / ".devcontainer" / "devcontainer.json").read_text(encoding="utf-8")))
    assert used == {"venv", "build", "test", "serve"}
    for target in used:
        assert re.search(rf"^{target}:", MAKEFILE, re.M), target


# --- the devcontainer: the site in a browser tab, no terminal --------------------------------------

DEVCONTAINER = json.loads((ROOT / ".devcontainer" / "devcontainer.json").read_text(encoding="utf-8"))


def test_the_devcontainer_is_python_3_11_with_debians_chromium_and_the_venv():
    assert DEVCONTAINER["image"] == "mcr.microsoft.com/devcontainers/python:3.11-bookworm"
    assert DEVCONTAINER["postCreateCommand"] == (
        "sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk && make venv")


def test_the_devcontainer_serves_the_site_on_a_private_labelled_port_8000():
    assert DEVCONTAINER["forwardPorts"] == [8000]
    port = DEVCONTAINER["portsAttributes"]["8000"]
    assert port["visibility"] == "private" and port["label"] == "議事録サイト"
    # In the background of a shell under nohup, so that the start finishes and serve outlives it
    # (a bare `nohup … &` as the command's last word is killed with the command's process group:
    # microsoft/vscode-remote-release#8536); its log where the clerk is told to look.
    assert DEVCONTAINER["postStartCommand"] == "nohup bash -c 'make serve > /tmp/gijiroku-serve.log 2>&1 &' > /dev/null 2>&1"
    assert "8000" in DEVCONTAINER["postAttachCommand"] and "/tmp/gijiroku-serve.log" in DEVCONTAINER["postAttachCommand"]
    # The forwarded port is the one serve listens on. Codespaces forwards what listens on
    # localhost inside the container, so serve keeps its default address (no 0.0.0.0 needed).
    source = (ROOT / "hooks" / "gijiroku" / "cli.py").read_text(encoding="utf-8")
    assert re.search(r'"--dev-addr", default="127\.0\.0\.1:8000"', source)
    assert re.search(r"^serve: venv\n\t\$\(BIN\)/gijiroku serve$", MAKEFILE, re.M)


# --- the pre-commit hook and the guide -------------------------------------------------------------

def test_pre_commit_runs_the_checker():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = config["repos"][0]["hooks"][0]
    assert config["repos"][0]["repo"] == "local"
    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == (".venv/bin/gijiroku check", "system", False)
    import re

    files = re.compile(hook["files"])  # a change to a source is compared with its meeting too
    assert all(files.search(p) for p in ("minutes/244.md", "sources/244.txt", "sources/decisions/x.txt", "committee.yml"))
    assert not files.search("docs/guide/index.md")


GUIDE = (ROOT / "docs" / "guide" / "index.md").read_text(encoding="utf-8")


def test_the_guide_is_in_the_footer_not_a_tab_and_covers_the_issue():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = config.split("\nnav:\n", 1)[1].split("\n\n", 1)[0].splitlines()  # mkdocs.yml has tags yaml cannot load safely
    assert nav[-1] == "  - 検索: search/index.md" and not any("guide" in line for line in nav)
    assert "/guide/index.md" in config.split("\nnot_in_nav: |\n", 1)[1]
    footer = (ROOT / "overrides" / "partials" / "footer.html").read_text(encoding="utf-8")
    assert "{{ 'guide/' | url | e }}" in footer and "{{ 'disclosure/' | url | e }}" in footer
    for words in ("gijiroku import", "gijiroku check", "make serve", "プルリクエスト", "後日公表", "publish_after",
                  "非公開", "名簿", "検査のメッセージ", "<!-- 非公表 -->", "毎日", "Codespaces", "Windows", "incoming",
                  "Upload files", "Approve", "Merge pull request", "0 時 10 分", "GitHub Pages", "Private", "WSL",
                  "sources/244.txt", "議事概要"):
        assert words in GUIDE, words
    assert "shared/" not in GUIDE  # the seed texts are in the repository now


def test_the_guide_has_prerequisites_codespaces_the_no_terminal_path_and_pages():
    headings = re.findall(r"^## .*\{#([\w-]+)\}$", GUIDE, re.M)
    assert headings[:4] == ["prerequisites", "no-terminal", "codespaces", "local"] and headings[-1] == "pages"
    steps_ = re.findall(r"^(\d+)\. \*\*(.+?)\*\*", GUIDE.split("{#no-terminal}", 1)[1].split("\n## ", 1)[0], re.M)
    assert [n for n, _ in steps_] == [str(i) for i in range(1, 9)]
    assert [t for _, t in steps_] == ["PDF をアップロードする。", "プルリクエストを作る。", "取り込みを待つ（1〜3 分）。",
                                      "見直して直す。", "公開されるものを読む。", "承認する。", "取り込む。", "公開される。"]
    pages = GUIDE.split("{#pages}", 1)[1]
    assert "有料のプラン" in pages and "GitHub Enterprise Cloud" in pages and "「GitHub Actions」" in pages


def test_every_link_inside_the_guide_has_its_heading():
    targets = set(re.findall(r"\{#([\w-]+)\}", GUIDE))
    links = set(re.findall(r"\]\(#([\w-]+)\)", GUIDE))
    assert links and links <= targets, links - targets


def test_the_guide_names_what_the_scripts_write_as_they_write_it():
    """A clerk looks for the comment and the issue by the names the guide gives them."""
    from gijiroku.ci import deploy_issue, incoming, publishes

    assert deploy_issue.TITLE in GUIDE
    import datetime as dt

    assert "\n## このプルリクエストで公開されるもの\n" in publishes.render(ROOT, [], None, dt.date(2025, 1, 1))
    assert "「このプルリクエストで公開されるもの」" in GUIDE
    assert "## 議事録の取り込み（incoming/）" in incoming.render([], None, None, True, {})
    assert "「議事録の取り込み（incoming/）」" in GUIDE
    assert "Close pull request" in GUIDE and "Close pull request" in incoming.render([], None, "abc", False, {})
    assert f"`{incoming.FOLDER}`" in GUIDE and "245.pdf" in GUIDE
