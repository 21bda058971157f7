"""Hostile input, found by attacking the issue-11 defences (issue 11, second pass).

Each case is one thing a hostile contributor or a careless clerk can put into a source file
(`docs/**` included) that got past check, the restricted Markdown, the escaping templates, the
Content-Security-Policy and the post-build fence:

- a file under docs/ that a browser opens as a document of its own (SVG, .htm, XHTML, XML):
  MkDocs copies it as it is, with no policy, and the fence read only `*.html`;
- an HTML file under docs/ with a policy of its own, first in <head> but allowing other hosts;
- a file under docs/ at the path of a theme file (Material's script bundle), which MkDocs
  publishes in the theme file's place, so that every page runs it;
- front-matter keys of a hand-written page that Material prints unescaped (`status`) or uses
  as a template path (`icon`, `template`), or of a type its templates cannot handle (`hide: 5`);
- a line of backticks, on which the code-span patterns took cubic time.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from hostile import assert_inert, assert_refused, build_site, run

from conftest import FIXED_EPOCH, FIXTURES, ROOT, make_project
from gijiroku.disclosure.pages import hand_written_pages
from gijiroku.disclosure.secrets import published_sources
from gijiroku.site import csp

ATTACK = FIXTURES / "hostile" / "attack"


def _bundle() -> str:
    (bundle,) = [p for p in csp.allowed_scripts() if "bundle" in p]
    return bundle


def _project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p")


def _own_guide(root: Path) -> Path:
    """The project's staff guide (make_project copies the real one)."""
    return root / "docs" / "guide" / "index.md"


def _own_assets(root: Path) -> Path:
    return root / "docs" / "assets"


# -- documents that are not pages ----------------------------------------------------------------

DOCUMENTS = {  # fixture -> where it goes under docs/
    "docs-svg-script.svg": "evil.svg",
    "docs-htm-script.htm": "evil.htm",
    "docs-xhtml-script.xhtml": "evil.xhtml",
    "docs-xml-xhtml-script.xml": "notes/evil.xml",
}


@pytest.mark.parametrize("fixture", sorted(DOCUMENTS))
def test_a_document_under_docs_that_is_not_a_page_is_refused(tmp_path, fixture):
    """MkDocs copies it unchanged: opened on its own it runs its script with no policy."""
    root = _project(tmp_path)
    target = root / "docs" / DOCUMENTS[fixture]
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ATTACK / fixture, target)
    assert_refused(root, f"docs/{DOCUMENTS[fixture]}", command="check")
    assert_refused(root, f"docs/{DOCUMENTS[fixture]}", command="build")


def test_an_html_file_with_a_policy_of_its_own_is_refused(tmp_path):
    """A policy first in <head> is not enough: it must be the site's, or the page loads from other hosts."""
    root = _project(tmp_path)
    (root / "docs" / "notice").mkdir()
    shutil.copy(ATTACK / "docs-html-permissive-policy.html", root / "docs" / "notice" / "page.html")
    assert_refused(root, "docs/notice/page.html", command="check")
    assert_refused(root, "docs/notice/page.html", command="build")


@pytest.mark.parametrize("name", ["evil.svg", "evil.svgz", "evil.htm", "evil.shtml", "evil.xhtml", "evil.xht",
                                  "evil.xml", "evil.xsl", "evil.rss", "evil.atom", "evil.mht"])
def test_the_fence_refuses_every_document_type_it_did_not_write(tmp_path, name):
    """The second fence on its own, for a build that did not run check: every file a browser may
    open as a document of its own is read, not only `*.html`."""
    (tmp_path / name).write_bytes((ATTACK / "docs-svg-script.svg").read_bytes())
    assert any(name in problem for problem in csp.scan_site(tmp_path, parallel=False))


def test_the_fence_refuses_a_page_whose_first_policy_is_not_the_sites():
    text = (ATTACK / "docs-html-permissive-policy.html").read_text(encoding="utf-8")
    assert any("Content-Security-Policy" in p for p in csp.scan_page(text, "notice/page.html"))
    own = csp.apply("<!doctype html><html><head><title>x</title></head><body><p>x</p></body></html>")
    assert csp.scan_page(own, "x.html") == []


def test_documents_are_inert_once_refused_by_the_fence_in_chromium(tmp_path):
    """What the fence now refuses did run before: the fixtures are real attacks, in Chromium."""
    site = tmp_path / "site"
    site.mkdir()
    for fixture, name in DOCUMENTS.items():
        shutil.copy(ATTACK / fixture, site / Path(name).name)
    for name in DOCUMENTS.values():
        with pytest.raises(AssertionError):
            assert_inert(site, [Path(name).name])
        assert any(Path(name).name in p for p in csp.scan_site(site, parallel=False))


# -- theme files ---------------------------------------------------------------------------------

def test_a_file_under_docs_cannot_replace_materials_script_bundle(tmp_path):
    """MkDocs lets a docs/ file stand in for a theme file of the same path; every page loads the bundle."""
    root = _project(tmp_path)
    assets = _own_assets(root)
    target = assets / "javascripts" / Path(_bundle()).name
    target.parent.mkdir(parents=True)
    shutil.copy(ATTACK / "theme-bundle-override.js", target)
    where = "docs/" + _bundle()
    assert_refused(root, where, command="check")
    assert_refused(root, where, command="build")


def test_the_fence_refuses_a_bundle_that_is_not_materials(tmp_path):
    (tmp_path / Path(_bundle()).parent).mkdir(parents=True)
    shutil.copy(ATTACK / "theme-bundle-override.js", tmp_path / _bundle())
    assert any(_bundle() in p for p in csp.scan_site(tmp_path, parallel=False))


# -- front matter of hand-written pages -----------------------------------------------------------

@pytest.mark.parametrize(("fixture", "key"), [
    ("page-status-markup.md", "status"),
    ("page-icon-traversal.md", "icon"),
    ("page-template-unknown.md", "template"),
    ("page-hide-number.md", "hide"),
    ("page-title-list.md", "title"),
])
def test_a_hand_written_page_takes_only_the_front_matter_it_needs(tmp_path, fixture, key):
    """Material prints `status` into a class attribute unescaped and includes `icon` and
    `template` as template paths; a page may set title, description and hide (known parts) only."""
    root = _project(tmp_path)
    shutil.copy(ATTACK / fixture, root / "docs" / "notice.md")
    line = next(n for n, text in enumerate((ATTACK / fixture).read_text(encoding="utf-8").split("\n"), 1)
                if text.startswith(key + ":"))
    output = assert_refused(root, f"docs/notice.md:{line}", command="check")
    assert key in output
    assert_refused(root, f"docs/notice.md:{line}", command="build")


def test_a_page_status_in_the_nav_is_no_markup(tmp_path):
    """The guide is in the nav, where Material's navigation prints a page's status as a class:
    refused, and no page prints that navigation anyway (the tabs are the site's navigation:
    overrides/main.html's site_nav includes no partials/nav.html)."""
    root = _project(tmp_path)
    guide = _own_guide(root)
    text = guide.read_text(encoding="utf-8")
    status = (ATTACK / "page-status-markup.md").read_text(encoding="utf-8").split("\n")[2]
    guide.write_text(text.replace("---\n", "---\n" + status + "\n", 1), encoding="utf-8")
    assert_refused(root, "docs/guide/index.md:2", command="check")
    templates = [t.read_text(encoding="utf-8") for t in (ROOT / "overrides").rglob("*.html")]
    assert any("{% block site_nav %}" in t for t in templates)
    assert not any("partials/nav.html" in t or "partials/nav-item.html" in t for t in templates)


def test_hide_with_known_parts_is_accepted(tmp_path):
    root = _project(tmp_path)
    (root / "docs" / "notice.md").write_text("---\ntitle: お知らせ\ndescription: 説明\nhide: [toc, navigation]\n---\n\n"
                                             "# お知らせ\n\n本文です。\n", encoding="utf-8")
    result = run(root, "check")
    assert result.returncode == 0, result.stdout + result.stderr


# -- time ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["`" * 100_000, "".join("`" * n + "a" for n in range(400, 0, -1)),
                                  "`a" * 50_000])
def test_code_spans_take_linear_time(line):
    """A line of backticks took cubic time in the code-span patterns (2,000 backticks: minutes)."""
    from gijiroku.disclosure import markers
    from gijiroku.record import markup

    started = time.perf_counter()
    markers.find_markers(line, markdown=True)
    markers.scan_body(line, 1, "decisions/x.md", [], markdown=True)
    markup.check_markdown(line, 1)
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize(("line", "spans"), [
    ("`<!-- 非公表 -->`", ["<!-- 非公表 -->"]),
    ("a `b` c ``d`e`` f", ["b", "d`e"]),
    ("``a`", []),
    ("`a``b`", ["a``b"]),
    ("```", []),
    ("`` ` ``", [" ` "]),
])
def test_code_spans(line, spans):
    from gijiroku.record.text import code_spans

    assert [line[s:e] for s, e in code_spans(line)] == spans


def test_a_decision_with_a_line_of_backticks_is_checked_quickly(tmp_path):
    root = _project(tmp_path)
    path = root / "decisions" / "2023-04-05-example.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + "`" * 200_000 + "\n", encoding="utf-8")
    started = time.perf_counter()
    result = run(root, "check", timeout=120)
    assert "Traceback" not in result.stdout + result.stderr
    assert time.perf_counter() - started < 60
    build_site(root)


@pytest.mark.parametrize(("escape", "named"), [("\\u202eABC", "U+202E"), ("\\e[31m", "U+001B"), ("\\0", "U+0000"),
                                             ("\\L", "U+2028"), ("\\x85", "U+0085")])
@pytest.mark.parametrize("where", ["minutes/9.md", "committee.yml"])
def test_an_escape_in_a_quoted_yaml_value_cannot_bring_in_a_hiding_character(tmp_path, escape, named, where):
    """The raw text of a file is refused when it holds a control or a bidirectional character; a
    double-quoted YAML value spells one with an escape (title: "第9回\\u202e…"): check passed, the
    page printed the override, and an ESC in a title stopped the build with a traceback (the feed)."""
    root = _project(tmp_path)
    path = root / where
    text = path.read_text(encoding="utf-8")
    if where == "committee.yml":
        text = text.replace("name: 試験委員会", f'name: "試験委員会{escape}"', 1)
    else:
        text = text.replace("    title: 例示株式会社の報告について", f'    title: "例示株式会社の報告について{escape}"', 1)
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index(next(x for x in text.split("\n") if escape in x)) + 1
    for command in ("check", "build"):
        output = assert_refused(root, f"{where}:{line}", command=command)
        assert named in output
    assert not (root / "site" / "meetings").exists()


@pytest.mark.parametrize(("char", "named"), [("\u200b", "U+200B"), ("\u00ad", "U+00AD"), ("\ufeff", "U+FEFF"),
                                           ("\U000e0049", "U+E0049"), ("\u2060", "U+2060")])
def test_a_zero_width_character_is_refused_where_it_would_disguise_a_speaker(tmp_path, char, named):
    """○青木\u200b委員長 printed as 青木委員長 and was another speaker; a zero-width, soft-hyphen,
    word-joiner or tag character is invisible in the page and in the message that quotes it."""
    root = _project(tmp_path)
    path = root / "minutes" / "9.md"
    text = path.read_text(encoding="utf-8").replace("○青木委員長 開会します。", f"○青木{char}委員長 開会します。", 1)
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index(f"○青木{char}委員長 開会します。") + 1
    output = assert_refused(root, f"minutes/9.md:{line}", command="check")
    assert named in output and char not in output


@pytest.mark.parametrize(("char", "code"), [("\u202e", "U+202E"), ("\x1b", "U+001B"), ("\u200b", "U+200B")])
def test_a_hand_written_page_with_a_hiding_character_is_refused(tmp_path, char, code):
    """The pages under docs/ are the staff's too: an override in one was published as it was."""
    root = _project(tmp_path)
    (root / "docs" / "notes").mkdir()
    (root / "docs" / "notes" / "index.md").write_text(f"# お知らせ\n\n本文{char}です。\n", encoding="utf-8")
    for command in ("check", "build"):
        output = assert_refused(root, "docs/notes/index.md:3", command=command)
        assert code in output and char not in output


# -- symlinks ------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["check", "build"])
def test_a_symlink_under_docs_to_a_file_outside_the_project_is_refused(tmp_path, command):
    """MkDocs follows a link and publishes what it leads to: a file of the machine that builds."""
    root = _project(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("ビルド機械のファイル", encoding="utf-8")
    (root / "docs" / "host.txt").symlink_to(outside)
    output = assert_refused(root, "docs/host.txt", command=command, message="docs/ の外")
    assert "ビルド機械のファイル" not in output


@pytest.mark.parametrize("name", ["docs", "minutes", "committee.yml", "docs/agencies"])
def test_a_source_folder_or_committee_yml_that_is_a_link_is_refused_unread(tmp_path, name):
    """docs/ as a link would publish wherever it leads; a link for minutes/, committee.yml or a
    registry folder would have the build read (and quote in its messages) a file of the machine."""
    root = _project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    if name.endswith(".yml"):
        elsewhere.write_text("ビルド機械のファイル: [\n", encoding="utf-8")
        (root / name).unlink()
    else:
        shutil.move(root / name, elsewhere)
        (elsewhere / "stray.md").write_text("---\nビルド機械のファイル: [\n", encoding="utf-8")
    (root / name).symlink_to(elsewhere, target_is_directory=not name.endswith(".yml"))
    output = assert_refused(root, name, command="build", message="シンボリックリンク")
    assert "ビルド機械のファイル" not in output


@pytest.mark.parametrize("given", [False, True], ids=["site", "--site-dir"])
def test_a_site_folder_that_is_a_link_is_refused_and_what_it_leads_to_kept(tmp_path, given):
    """The build swaps a new site in for the old one: through a link committed as site/, it would
    empty whatever folder the link leads to."""
    root = _project(tmp_path)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("消えてはいけない", encoding="utf-8")
    (root / "site").symlink_to(victim, target_is_directory=True)
    result = run(root, "build", "--site-dir", str(root / "site")) if given else run(root, "build")
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "シンボリックリンク" in output and "Traceback" not in output, output[-2000:]
    assert sorted(p.name for p in victim.iterdir()) == ["precious.txt"]
    assert (root / "site").is_symlink() and not list(root.glob(".site.*")) and not list(tmp_path.glob(".victim.*"))


@pytest.mark.parametrize("name", ["leak.txt", "leak.MD", "leak"])
def test_a_link_to_a_page_under_a_name_mkdocs_copies_as_it_is_is_refused(tmp_path, name):
    """docs/leak.txt -> notes.md: MkDocs copies the page's source as it is, its withheld region
    with it; only the verifier stopped it, quoting the withheld text in its message."""
    root = _project(tmp_path)
    (root / "docs" / "notes.md").write_text("# 注記\n\n<!-- 非公表 -->\n秘密のカナリア文言です。\n<!-- /非公表 -->\n",
                                            encoding="utf-8")
    (root / "docs" / name).symlink_to("notes.md")
    output = assert_refused(root, f"docs/{name}", command="build")
    assert "秘密のカナリア" not in output


def test_a_name_or_link_target_with_controls_is_printed_by_code_point(tmp_path):
    """A link's target and a file's name are printed in a terminal and in CI logs: an ESC there
    could colour or hide the report, a line break forge a line of it."""
    root = _project(tmp_path)
    (root / "docs" / "esc.txt").symlink_to("/tmp/\x1b[8mhidden\x07")
    (root / "minutes" / "forged\n9.md: 問題はありません.txt").write_text("x", encoding="utf-8")
    for command in ("check", "build"):
        output = assert_refused(root, "docs/esc.txt", command=command)
        assert "\x1b" not in output and "\x07" not in output and "U+001B（ESC）[8mhidden" in output
        assert "\n9.md: 問題はありません" not in output and "forgedU+000A" in output
    shutil.rmtree(root / "site")  # assert_refused made one
    (root / "site").symlink_to(f"/tmp/\x1b[8m{tmp_path.name}", target_is_directory=True)
    result = run(root, "build")
    assert result.returncode == 1 and "\x1b" not in result.stderr and "U+001B（ESC）" in result.stderr, result.stderr


def test_links_out_of_docs_are_refused_and_links_inside_it_are_not(tmp_path):
    """A folder's link out of docs/ is refused and not walked; a link to the record's own source
    (which holds withheld text) is refused like any other; a dangling link is refused; a link from
    one page of docs/ to another is a page published twice, and is not refused."""
    root = _project(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "page.html").write_text("<script>x</script>", encoding="utf-8")
    (root / "docs" / "notes").mkdir()
    (root / "docs" / "notes" / "page.md").write_text("# 注記\n", encoding="utf-8")
    (root / "docs" / "notes" / "same.md").symlink_to("page.md")
    (root / "docs" / "shared").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (root / "docs" / "raw.md").symlink_to(root / "minutes" / "9.md")
    (root / "docs" / "gone.md").symlink_to(tmp_path / "missing.md")
    output = assert_refused(root, "docs/shared", command="check")
    assert "docs/raw.md" in output and "docs/gone.md" in output
    assert "docs/notes/same.md" not in output
    assert "docs/shared/page.html" not in output  # not walked: the link is refused, not what it leads to


def test_a_folder_link_out_of_docs_is_not_walked_by_any_reader(tmp_path):
    """A link to a folder of the machine (/usr, /) would have check walk it all, page by page,
    before refusing the link: neither the pages' reader nor the verifier's goes through it."""
    root = _project(tmp_path)
    (tmp_path / "elsewhere" / "deep").mkdir(parents=True)
    (tmp_path / "elsewhere" / "deep" / "page.md").write_text("# ビルド機械のファイル\n", encoding="utf-8")
    (root / "docs" / "shared").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert not [p for p in hand_written_pages(root) if "shared" in p.parts]
    assert not [p for p in published_sources(root) if "shared" in p.parts]
    assert_refused(root, "docs/shared", command="check")


@pytest.mark.parametrize("link, target", [("notes/up", ".."), ("notes/a/back", "../../notes")],
                         ids=["parent", "through-a-folder"])
def test_a_folder_link_back_into_itself_is_refused_once(tmp_path, link, target):
    """A link to a folder that holds it: MkDocs would publish docs/ inside itself forty times over,
    and check named every page of every copy (720 messages) and not the link."""
    root = _project(tmp_path)
    (root / "docs" / "notes" / "a").mkdir(parents=True)
    (root / "docs" / "notes" / "page.md").write_text("# 注記\n", encoding="utf-8")
    (root / "docs" / link).symlink_to(target, target_is_directory=True)
    output = assert_refused(root, f"docs/{link}", command="check", message="自分を含むフォルダ")
    assert output.count("docs/") < 5, output[-3000:]
    assert_refused(root, f"docs/{link}", command="build")


@pytest.mark.parametrize("given", ["minutes", "docs", ".", "..", "committee.yml", "overrides/partials"])
def test_a_site_folder_that_is_the_project_or_its_sources_is_refused_and_kept(tmp_path, given):
    """`--site-dir docs` (GitHub Pages' folder) or `--site-dir .` had the swap replace docs/, the
    meetings or the whole project with the built site, and delete what was there."""
    root = _project(tmp_path)
    (tmp_path / "beside.txt").write_text("消えてはいけない", encoding="utf-8")
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    result = run(root, "build", "--site-dir", given)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "出力先" in output and "Traceback" not in output, output[-2000:]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("where", ["beside", "inside"])
def test_a_site_folder_that_holds_files_of_its_own_is_refused_and_kept(tmp_path, where):
    """`--site-dir ~/Documents` or a folder of the project that is not one of its known parts: the
    swap replaced the folder with the site and deleted what it held. A folder given for the site
    holds nothing, or a site this tool built."""
    root = _project(tmp_path)
    folder = tmp_path / "Documents" if where == "beside" else root / "notes"
    (folder / "2024").mkdir(parents=True)
    (folder / "precious.txt").write_text("消えてはいけない", encoding="utf-8")
    result = run(root, "build", "--site-dir", str(folder))
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "出力先" in output and "precious.txt" in output, output[-2000:]
    assert "Traceback" not in output
    assert sorted(p.name for p in folder.iterdir()) == ["2024", "precious.txt"]
    assert not list(folder.parent.glob(f".{folder.name}.*"))


def test_a_site_folder_given_as_the_folder_a_linked_site_leads_to_is_refused_and_kept(tmp_path):
    """site/ committed as a link to a folder, and that folder given with --site-dir: it is the
    project's site/ once both are resolved, which is the site's whatever it holds."""
    root = _project(tmp_path)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("消えてはいけない", encoding="utf-8")
    (root / "site").symlink_to(victim, target_is_directory=True)
    result = run(root, "build", "--site-dir", str(victim))
    assert result.returncode == 1 and "precious.txt" in result.stderr, (result.stdout + result.stderr)[-2000:]
    assert sorted(p.name for p in victim.iterdir()) == ["precious.txt"]


def test_a_site_folder_is_not_replaced_when_it_holds_what_the_new_site_does_not(tmp_path):
    """A GitHub Pages checkout built into before: the swap deleted its .git, CNAME and .nojekyll,
    which no build writes. The new site is not swapped in, and nothing is lost."""
    root = _project(tmp_path)
    out = tmp_path / "pages"
    assert run(root, "build", "--site-dir", str(out)).returncode == 0
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (out / "CNAME").write_text("example.org\n", encoding="utf-8")
    (out / "meetings" / "notes.txt").write_text("手元の覚え書き", encoding="utf-8")
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    result = run(root, "build", "--site-dir", str(out))
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output[-2000:]
    assert ".git" in output and "CNAME" in output and "meetings/notes.txt" in output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert not list(tmp_path.glob(".pages.*"))


@pytest.mark.parametrize("where", ["under-a-file", "long-name"])
def test_a_site_folder_that_cannot_be_made_is_refused_with_a_message(tmp_path, where):
    """--site-dir under a file, or a name that leaves no room for the staging folder's (a name may
    have 255 bytes): MkDocs stopped with a traceback."""
    root = _project(tmp_path)
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    given = tmp_path / "afile" / "out" if where == "under-a-file" else tmp_path / ("長" * 84)  # 252 bytes: a name the folder may have, its staging folder not
    result = run(root, "build", "--site-dir", str(given))
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "出力先" in output and "Traceback" not in output, output[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "p"]


def test_a_site_folder_that_is_empty_or_holds_an_earlier_site_is_built_into(tmp_path):
    root = _project(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    for _ in range(2):  # empty, then the site of the first build
        result = run(root, "build", "--site-dir", str(out))
        assert result.returncode == 0, (result.stdout + result.stderr)[-2000:]
        assert (out / "index.html").is_file() and (out / "assets" / "theme.js").is_file()


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_symlink_under_overrides_that_leads_out_of_it_is_refused(tmp_path, command):
    """MkDocs copies every file of the theme's folder that is no template into the site, links
    followed: overrides/leak.txt -> a file of the machine published it as /leak.txt."""
    root = _project(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("ビルド機械のファイル", encoding="utf-8")
    (root / "overrides" / "partials" / "leak.txt").symlink_to(outside)
    (root / "overrides" / "gone.txt").symlink_to(tmp_path / "missing.txt")
    output = assert_refused(root, "overrides/partials/leak.txt", command=command, message="overrides/ の外")
    assert "overrides/gone.txt" in output and "ビルド機械のファイル" not in output
    assert not (root / "site" / "partials" / "leak.txt").exists()


@pytest.mark.parametrize("command", ["check", "build"])
def test_overrides_that_is_a_link_is_refused(tmp_path, command):
    """MkDocs lists every file of the theme's folder, links followed, and copies each that is no
    template into the site: overrides -> a folder of the machine published that folder's files."""
    root = _project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    shutil.move(root / "overrides", elsewhere)
    (elsewhere / "leak.txt").write_text("ビルド機械のファイル", encoding="utf-8")
    (root / "overrides").symlink_to(elsewhere, target_is_directory=True)
    output = assert_refused(root, "overrides", command=command, message="シンボリックリンク")
    assert "ビルド機械のファイル" not in output and "overrides/leak.txt" not in output
    assert not (root / "site" / "leak.txt").exists()


@pytest.mark.parametrize("name", ["docs", "overrides", "docs/commissioners"])
def test_a_linked_folder_is_refused_before_mkdocs_lists_any_file(tmp_path, monkeypatch, caplog, name):
    """MkDocs lists docs/ and the theme's folders, links followed, before the hook reads the record:
    docs -> / or overrides -> /usr had it walk the machine's disk before the refusal. The hook
    refuses in on_config, the first event, and MkDocs lists nothing."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    root = _project(tmp_path)
    shutil.move(root / name, tmp_path / "elsewhere")
    (root / name).symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    listed = []
    monkeypatch.setattr(mkdocs_build, "get_files", lambda config: listed.append(config) or [])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    monkeypatch.chdir(root)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "out"))
    with pytest.raises(Abort):
        mkdocs_build.build(config)
    assert f"「{name}」がシンボリックリンク" in caplog.text
    assert listed == [] and not (tmp_path / "out").exists()


def test_a_sources_folder_that_is_a_link_is_refused_unread(tmp_path):
    """check compares each meeting with sources/<n>.txt and quotes where they differ: through a
    link, that quoted a file of the machine that builds."""
    root = _project(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "9.txt").write_text("ビルド機械のファイル\n", encoding="utf-8")
    (root / "sources").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    output = assert_refused(root, "sources", command="check", message="シンボリックリンク")
    assert "ビルド機械のファイル" not in output


def test_check_refuses_exactly_the_documents_mkdocs_copies_from_overrides(tmp_path):
    """G613 names the files under overrides/ that MkDocs copies into the site as they are and a
    browser opens as a document: the same set as MkDocs' own listing of the theme's files, which
    leaves out templates, sitemap.XML in any case, readme files, locales/, dot folders and what
    lies behind a folder's link. (A first version refused some that MkDocs never copies.)"""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from gijiroku.record.docs_files import is_document, override_link_problems

    root = _project(tmp_path)
    overrides = root / "overrides"
    for rel in ("assets/logo.svg", "assets/LOGO.SVG", "sitemap.XML", "partials/sitemap.xml", "assets/README.svg",
                "locales/i.svg", ".icons/x/y.svg", "assets/.hidden/z.svg", "a.htm", "b.Html", "c.xml.gz", "d.xhtml",
                "real/e.svg", "f.rss"):
        (overrides / rel).parent.mkdir(parents=True, exist_ok=True)
        (overrides / rel).write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (overrides / "assets" / "linked").symlink_to(overrides / "real", target_is_directory=True)
    refused = {p.path.removeprefix("overrides/") for p in override_link_problems(root) if p.code == "G613"}
    config = load_config(str(root / "mkdocs.yml"))
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    copied = {f.src_uri for f in files
              if Path(f.abs_src_path).is_relative_to(overrides) and is_document(f.src_uri)}
    assert refused == copied
    assert refused >= {"assets/logo.svg", "assets/LOGO.SVG", "partials/sitemap.xml", "a.htm", "d.xhtml", "real/e.svg"}
