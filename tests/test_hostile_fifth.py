"""Fifth attack (a hostile contributor): the search files, the JSON API and feeds, and `gijiroku
serve`. Each test failed before its fix."""

from __future__ import annotations

import pytest

from conftest import make_project, own_config, write

# -- serve: a page no longer generated is still served ----------------------------------------------------

SECRET_AGENCY = "---\nid: secret-corp\nname: 秘匿商事\nkind: 事業者\naliases: []\n---\n"


def _public_item_of_an_unnamed_company(root):
    """Meeting 9's item, made public, concerning a company no title or speech names (its page
    exists only while a published item names it); its outcome is short (no verifier passage)."""
    write(root / "docs" / "agencies" / "secret-corp.md", SECRET_AGENCY)
    meeting = root / "minutes" / "9.md"
    text = (meeting.read_text(encoding="utf-8")
            .replace("disclosure: 後日公表\n    publish_after: 2030-01-01\n", "disclosure: 公開\n")
            .replace("agencies: [example-corp]", "agencies: [secret-corp]").replace("outcome: 報告", "outcome: 勧告"))
    write(meeting, text)
    return meeting, text


@pytest.mark.slow
@pytest.mark.parametrize("change", ["後日公表", "非公表"])
def test_serve_stops_serving_the_page_of_an_agency_once_its_only_item_is_withheld(tmp_path, change):
    """Under `serve --dirty` MkDocs never deletes an output it no longer writes: the company's
    page and feed, which list the item with its outcome (a short label, no verifier passage)
    and say which company it concerns, and the page of its kind stayed served after the item was made 後日公表 or
    非公表, though the build no longer publishes them (README: "no page, feed …")."""
    from test_serve import answer, serving, wait_for

    from localhost import fetch

    root = make_project(tmp_path / "p")
    meeting, text = _public_item_of_an_unnamed_company(root)
    if change == "後日公表":
        edited = text.replace("disclosure: 公開\n", "disclosure: 後日公表\n    publish_after: 2030-01-01\n")
        done = "後日公表予定"
    else:
        edited = text.replace("disclosure: 公開\n", "disclosure: 非公表\n    reason: 監視・監督案件\n").replace(
            "## 議題1 例示株式会社の報告について\n\n○事務局 例示株式会社から報告がありました。後日公表の中身。\n\n○井上委員 了解しました。",
            "## 議題1 例示株式会社の報告について\n\n（内容について非公表）")
        done = "監視・監督案件"
    with serving(root, tmp_path) as (base, _):
        assert "秘匿商事" in wait_for(lambda: fetch(f"{base}/agencies/secret-corp/"))
        assert "例示株式会社の報告" in fetch(f"{base}/meetings/kinds/kf1315665/")
        write(meeting, edited)
        wait_for(lambda: done in (fetch(f"{base}/meetings/9/agenda/1/") or ""))
        # the company's page and feed, and the page of the item's kind (その他: no other item has it)
        for path in ("meetings/kinds/kf1315665/", "agencies/secret-corp/", "agencies/secret-corp/feed.xml"):
            status, body = answer(f"{base}/{path}") or (0, "")
            assert status == 404 and "例示株式会社の報告" not in body, (path, status)


@pytest.mark.slow
def test_serve_stops_serving_a_deleted_page_whose_address_an_excluded_file_also_has(tmp_path):
    """MkDocs lists the files it excludes (a name beginning with "." or under docs/templates/)
    with the address they would have, and never writes them: docs/templates.md deleted beside a
    docs/templates/index.md, its page (templates/index.html, the excluded file's address too)
    stayed served with the deleted text, since the new build's list still named that address."""
    from test_serve import answer, serving, wait_for

    from localhost import fetch

    root = make_project(tmp_path / "p")
    write(root / "docs" / "templates" / "index.md", "# 雛形\n\n除外される雛形です。\n")
    write(root / "docs" / "templates.md", "# 雛形の一覧\n\n消されるページの本文です。\n")
    with serving(root, tmp_path) as (base, _):
        assert "消されるページの本文" in wait_for(lambda: fetch(f"{base}/templates/"))
        (root / "docs" / "templates.md").unlink()
        write(root / "docs" / "notes.md", "# 控え\n\n削除と同じ保存で加えたページです。\n")
        wait_for(lambda: fetch(f"{base}/notes/"))
        status, body = answer(f"{base}/templates/") or (0, "")
        assert status == 404 and "消されるページの本文" not in body, status


@pytest.mark.slow
def test_serve_stops_serving_a_page_once_mkdocs_yml_excludes_it(tmp_path):
    """The same through mkdocs.yml: a page named in `exclude_docs` while serve runs stayed
    served (MkDocs still lists it, with its address, as excluded)."""
    from test_serve import answer, serving, wait_for

    from localhost import fetch

    root = make_project(tmp_path / "p")
    write(root / "docs" / "notes.md", "# 控え\n\n除外される控えの本文です。\n")
    text = own_config(root)
    with serving(root, tmp_path) as (base, _):
        assert "除外される控えの本文" in wait_for(lambda: fetch(f"{base}/notes/"))
        write(root / "mkdocs.yml", text.replace("docs_dir: docs\n", "docs_dir: docs\nexclude_docs: |\n  notes.md\n"))
        wait_for(lambda: (answer(f"{base}/notes/") or (0, ""))[0] == 404, seconds=30)


@pytest.mark.slow
def test_serve_stops_serving_a_draft_once_deleted(tmp_path):
    """Serve writes a page of mkdocs.yml's `draft_docs` (a build does not): it is among what the
    served site holds, and deleting its file stops serving it."""
    from test_serve import answer, serving, wait_for

    from localhost import fetch

    root = make_project(tmp_path / "p")
    write(root / "docs" / "draft.md", "# 下書き\n\n消される下書きの本文です。\n")
    own_config(root, "docs_dir: docs\n", "docs_dir: docs\ndraft_docs: |\n  draft.md\n")
    with serving(root, tmp_path) as (base, _):
        assert "消される下書きの本文" in wait_for(lambda: fetch(f"{base}/draft/"))
        (root / "docs" / "draft.md").unlink()
        wait_for(lambda: (answer(f"{base}/draft/") or (0, ""))[0] == 404, seconds=30)
