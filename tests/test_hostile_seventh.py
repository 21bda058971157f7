"""Seventh attack (a hostile contributor and a careless clerk) on the fixes of the sixth: form feeds
in an import, G413 beside an unclosed region, the dates of documents. Each test failed before its fix."""

from __future__ import annotations

from test_following import _first_commit, _git, _real_project, build_on, feed_entries, lastmods
from test_hostile_sixth import DOCUMENT

from conftest import FIXED_EPOCH, make_project, write
from gijiroku.check import check, check_warnings

# -- check: a copy of a 後日公表 speech in a file that also has an unclosed region ---------------------

DEFERRED_SPEECH = "事業者は株式会社サンプルであり、是正を求める方針です。"


def _deferred_speech_copied(root, unclosed: bool):
    meeting = root / "minutes" / "10.md"
    text = meeting.read_text(encoding="utf-8")
    text = text.replace("    disclosure: 非公表\n", "    disclosure: 後日公表\n    publish_after: 2099-01-01\n", 1)
    text = text.replace("（内容について非公表）", f"○事務局 {DEFERRED_SPEECH}", 1)
    if unclosed:  # a region opened in 議題1 and never closed: it runs over 議題2's heading
        text = text.replace("○髙村委員 デジタル大臣", "<!-- 非公表 -->\n○髙村委員 デジタル大臣", 1)
    write(meeting, text)
    decision = root / "decisions" / "2023-04-05-example.md"
    write(decision, decision.read_text(encoding="utf-8") + f"\n{DEFERRED_SPEECH}\n")


def test_a_copy_of_a_deferred_speech_is_warned_of_beside_an_unclosed_region(tmp_path, monkeypatch):
    """A 後日公表 item's speech copied into a published decision is G413 whether or not a region
    elsewhere in the meeting is left open: the speech is withheld by its item, not by the region's
    error. The warnings about passages "withheld only by an unclosed region's error" were left out
    by line (every line from the first heading the region took in), so this one went too, and the
    copy was not named until the region was fixed."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    warned = []
    for unclosed in (False, True):
        root = make_project(tmp_path / str(unclosed))
        _deferred_speech_copied(root, unclosed)
        record, problems = check(root)
        assert [p.code for p in problems] == (["G412"] if unclosed else [])
        warned.append([p.path for p in check_warnings(root, record) if "「事業者は株式会社サン」" in p.message])
    assert warned == [["decisions/2023-04-05-example.md"]] * 2


# -- dates: a shallow clone ----------------------------------------------------------------------------------

def test_a_document_of_a_withheld_item_takes_no_date_from_a_shallow_clones_boundary(tmp_path):
    """In a shallow clone a file whose last change lies at the clone's boundary has no known date
    (history.source_dates): its pages get no lastmod, its feed entry its own date. A public document
    of a 非公表 item, which public_dates now reads again, took the date of the boundary commit (the
    clone's newest: 2024-07-01 for a file last changed 2024-03-01), and with it the home page and
    the list of documents; each new shallow build moved them to its own last commit."""
    import subprocess

    root = _real_project(tmp_path)
    write(root / "decisions" / "2023-04-05-public.md", DOCUMENT)
    _first_commit(root)
    other = root / "minutes" / "9.md"
    other.write_text(other.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _git(root, "commit", "-q", "-am", "a blank line", when="2024-07-01T12:00:00+09:00")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(shallow)], check=True)
    site = build_on(shallow, tmp_path / "site", FIXED_EPOCH)
    dated = lastmods(site)
    assert (dated["decisions/2023-04-05-public/"], dated["decisions/"], dated[""]) == (None, None, None)
    entry = next(e for e in feed_entries(site / "feed.xml") if e["href"].endswith("/decisions/2023-04-05-public/"))
    assert entry["updated"] == "2023-04-05T00:00:00+09:00"
