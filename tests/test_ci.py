"""The pull-request workflow, the pre-commit hook and the staff guide say what the issue asks."""

from __future__ import annotations

import yaml

from conftest import ROOT

WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
GUIDE = (ROOT / "docs" / "guide" / "index.md").read_text(encoding="utf-8")


def runs(job: str) -> list[str]:
    return [step.get("run", "") for step in WORKFLOW["jobs"][job]["steps"]]


def uses(job: str) -> list[str]:
    return [step.get("uses", "").split("@")[0] for step in WORKFLOW["jobs"][job]["steps"]]


def test_every_pull_request_is_checked_tested_built_and_previewed():
    triggers = WORKFLOW[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    steps = runs("test")
    assert any(s.startswith(".venv/bin/gijiroku check --format github") for s in steps)
    assert "make test" in steps and "make build" in steps
    upload = next(s for s in WORKFLOW["jobs"]["test"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "gijiroku/site/" and upload["if"] == "github.event_name == 'pull_request'"


def test_main_and_a_daily_run_deploy_to_pages_with_the_site_url():
    assert WORKFLOW[True]["schedule"][0]["cron"] == "10 15 * * *"  # 00:10 JST
    pages = WORKFLOW["jobs"]["pages"]
    assert "pull_request" in pages["if"] and "refs/heads/main" in pages["if"]
    build = next(s for s in pages["steps"] if s.get("run") == "make build")
    assert build["env"]["GIJIROKU_SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert uses("pages")[-1] == "actions/upload-pages-artifact"
    assert uses("deploy") == ["actions/deploy-pages"]
    assert WORKFLOW["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_shared_is_checked_out_beside_the_repository():
    paths = [s.get("with", {}).get("path") for s in WORKFLOW["jobs"]["test"]["steps"] if "checkout" in s.get("uses", "")]
    assert paths == ["gijiroku", "shared"]
    assert WORKFLOW["defaults"]["run"]["working-directory"] == "gijiroku"


def test_pre_commit_runs_the_checker():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = config["repos"][0]["hooks"][0]
    assert config["repos"][0]["repo"] == "local"
    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == (".venv/bin/gijiroku check", "system", False)
    import re

    files = re.compile(hook["files"])  # a change to a source is compared with its meeting too
    assert all(files.search(p) for p in ("minutes/244.md", "sources/244.txt", "sources/decisions/x.txt", "committee.yml"))
    assert not files.search("docs/guide/index.md")


def test_the_guide_is_in_the_footer_not_a_tab_and_covers_the_issue():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = config.split("\nnav:\n", 1)[1].split("\n\n", 1)[0].splitlines()  # mkdocs.yml has tags yaml cannot load safely
    assert nav[-1] == "  - 検索: search/index.md" and not any("guide" in line for line in nav)
    assert "/guide/index.md" in config.split("\nnot_in_nav: |\n", 1)[1]
    footer = (ROOT / "overrides" / "partials" / "footer.html").read_text(encoding="utf-8")
    assert "{{ 'guide/' | url | e }}" in footer and "{{ 'disclosure/' | url | e }}" in footer
    for words in ("gijiroku import", "gijiroku check", "make serve", "プルリクエスト", "後日公表", "publish_after",
                  "非公開", "名簿", "検査のメッセージ", "<!-- 非公表 -->", "毎日"):
        assert words in GUIDE, words
