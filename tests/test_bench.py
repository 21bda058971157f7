"""The benchmark harness runs end to end at a tiny size. It measures; nothing here asserts a time."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def test_bench_harness_at_ten_meetings(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench.py"), "--sizes", "10", "--no-serve", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "html/text" in result.stdout and "first-query bytes" in result.stdout
    data = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    ours, naive = data["builds"]
    assert (ours["name"], naive["name"], ours["meetings"], naive["meetings"]) == ("gijiroku", "naive", 10, 10)
    for build in (ours, naive):
        assert build["html_pages"] > 10 and build["output_bytes"] > 0 and build["max_rss"] > 0
        assert 0 < build["largest_page_text"] < build["largest_page_html"]
        assert build["withheld_leaks"] == 0
    assert naive["search_bytes"] > 0 and ours["search_bytes"] > 0
    assert ours["first_query_bytes"] > 0 and naive["first_query_bytes"] > 0
    assert "t(full,10)/t(naive,10)" in data["ratios"] and data["serve"] is None
