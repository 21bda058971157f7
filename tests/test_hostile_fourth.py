"""Fourth attack (stop 37): the third attack's fixes attacked again; each test failed before its fix."""

from __future__ import annotations

import pytest
from hostile import assert_refused

# -- markup: an outside image whose URL only looks local to check ----------------------------------

OUTSIDE_IMAGES = [
    "![a](< https://evil.example/i.png>)",      # Python-Markdown strips the <…>'s spaces
    "![a](<\thttps://evil.example/i.png>)",
    "![a](ht&#9;tps://evil.example/i.png)",     # a browser drops a tab inside a URL
    "![a](&#32;//evil.example/i.png)",          # ... and a space before it
]


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize("line", OUTSIDE_IMAGES)
def test_an_outside_image_that_looks_local_to_check_is_refused(tmp_path, command, line):
    from conftest import make_project, write

    root = make_project(tmp_path / "p")
    write(root / "docs" / "notes" / "index.md", f"# お知らせ\n\n{line}\n")
    assert_refused(root, "docs/notes/index.md:3", command=command)


# -- markup: an attribute list after a code span whose closing backtick follows a backslash -------------

@pytest.mark.parametrize("command", ["check", "build"])
def test_an_attribute_list_after_a_code_span_ending_in_a_backslash_is_refused(tmp_path, command):
    """Inside a code span a backslash escapes nothing: `a\\` is a span and `{: style=…}` right after
    it is attr_list's, on the <code>. `_page_lines` reads `\\`` as an escaped backtick, so the
    span is paired with the line's last backtick and everything up to it is blanked; the fence
    reads no style."""
    from conftest import make_project, write

    root = make_project(tmp_path / "p")
    line = '`a\\`{: style="position:fixed;inset:0;background:url(https://evil.example/i.png)"}`'
    write(root / "docs" / "notes" / "index.md", f"# お知らせ\n\n{line}\n")
    assert_refused(root, "docs/notes/index.md:3", command=command)


# -- a reviewed image: a passage in its bytes that `as_text` does not read ---------------------------

def _palette_png_of_transparent_pixels(indices: bytes) -> bytes:
    """A 1-row PNG of `indices` (one byte a pixel) into a palette whose 256 entries are all fully
    transparent (tRNS): Chromium shows nothing, the IDAT stream inflates to a 0 then the bytes."""
    import zlib

    from test_hostile_third import _chunk

    header = len(indices).to_bytes(4, "big") + (1).to_bytes(4, "big") + bytes([8, 3, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"PLTE", bytes(768))
            + _chunk(b"tRNS", bytes(256)) + _chunk(b"IDAT", zlib.compress(b"\x00" + indices)) + _chunk(b"IEND", b""))


def _images() -> dict[str, bytes]:
    import base64
    from urllib.parse import quote

    from test_hostile_third import JPEG, SECRET
    from test_hostile_verifier import PASSAGE

    def after_scan(data: bytes) -> bytes:  # as the third attack's scan.jpg: bytes after the last MCU, before EOI
        return JPEG[:-2] + data + JPEG[-2:]

    return {
        "base64.jpg": after_scan(base64.b64encode(SECRET)),  # a text file's base64 runs are decoded, an image's not
        "percent.jpg": after_scan(quote(PASSAGE).encode()),  # ... its percent-escapes, its entities
        "entities.jpg": after_scan("".join(f"&#{ord(c)};" for c in PASSAGE).encode()),
        "iso-2022-jp.jpg": after_scan(PASSAGE.encode("iso2022_jp")),  # Japanese mail's encoding, 7 bits
        "utf-32.jpg": after_scan(PASSAGE.encode("utf-32-le")),
        "pixels.png": _palette_png_of_transparent_pixels(SECRET * 4),  # the (invisible) pixels, deflated (not stored)
    }


@pytest.mark.parametrize("name", ["base64.jpg", "percent.jpg", "entities.jpg", "iso-2022-jp.jpg", "utf-32.jpg",
                                  "pixels.png"])
def test_a_reviewed_image_holding_an_encoded_passage_is_refused(tmp_path, name):
    from test_hostile_verifier import hostile_project

    root = hostile_project(tmp_path)
    (root / "docs" / "files").mkdir()
    (root / "docs" / "files" / name).write_bytes(_images()[name])
    committee = root / "committee.yml"
    committee.write_text(committee.read_text(encoding="utf-8") + "reviewed_file_types: [png, jpg, gif, webp]\n",
                         encoding="utf-8")
    assert_refused(root, f"files/{name}")


# -- verify._in_name: base64 of a passage cut into words `_maybe_encoded` does not decode ------------------

def _cut_base64(passage: str, sep: str) -> str:
    import base64

    run = base64.urlsafe_b64encode(passage.encode()).decode().rstrip("=")
    return sep.join(run[i:i + 12] for i in range(0, len(run), 12))  # words of 12: each 3 characters, whole


@pytest.mark.parametrize("sep", ["/", "."])
def test_a_file_named_with_a_passage_in_base64_cut_into_short_words_is_refused(tmp_path, sep):
    """The third attack's name in base64, cut every 12 characters by a folder (or a dot): no word has
    16 characters, so `_maybe_encoded` says no (before 77c220f the folders' names read together,
    `rel.replace("/", "")`, were decoded too, and the "/" case was refused); each word decoded
    alone is 3 characters, less than a window. Joined again it is the passage."""
    from test_hostile_verifier import hostile_project

    root = hostile_project(tmp_path)
    path = root / "docs" / (_cut_base64("合言葉は青い梟×赤い鷹です", sep) + ".txt")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("公開のメモ\n", encoding="utf-8")
    assert_refused(root, "minutes/11.md:25")


def test_a_file_named_with_a_passage_between_tags_is_refused(tmp_path):
    """`text_of` reads text with its tags removed (`_ELEMENT`), and before 77c220f every name was
    read by it; `_maybe_encoded` now lets a name through undecoded unless it holds %, & or \\ or
    a long mixed-case word, and the name's own fold finds no window between the tags."""
    from test_hostile_verifier import hostile_project

    root = hostile_project(tmp_path)
    passage = "合言葉は青い梟×赤い鷹です"
    name = "<br>".join(passage[i:i + 4] for i in range(0, len(passage), 4)) + ".txt"
    path = root / "docs" / "files" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("公開のメモ\n", encoding="utf-8")
    assert_refused(root, "minutes/11.md:25")


# -- dates: a file whose path git prints quoted -------------------------------------------------------------

def test_a_region_replaced_by_its_placeholder_in_a_page_of_a_japanese_name_moves_no_date(tmp_path):
    """`_ever_marked` takes the paths `git log --name-only` prints; git quotes a path with a
    non-ASCII character ("docs/notes/\\343\\201\\212….md", core.quotePath), so a page named in
    Japanese that held a region in an earlier commit is not found: its region replaced by the
    placeholder line it is published as (the same page) moves its lastmod to that commit."""

    from test_following import _first_commit, _git, _real_project, build_on, lastmods

    from conftest import write

    root = _real_project(tmp_path)
    text = "# お知らせ\n\n公開の文です。\n"
    page = write(root / "docs" / "notes" / "お知らせ.md", text + "\n<!-- 非公表 -->\n伏せるお知らせの文です。\n<!-- /非公表 -->\n")
    _first_commit(root)
    before = build_on(root, tmp_path / "a", "1924992000")
    page.write_text(text + "\n（内容について非公表）\n", encoding="utf-8")
    _git(root, "commit", "-q", "-am", "withheld text removed", when="2024-04-01T10:00:00+09:00")
    after = build_on(root, tmp_path / "b", "1924992000")
    html = next(p for p in (before / "notes").rglob("index.html")).relative_to(before)
    assert (before / html).read_bytes() == (after / html).read_bytes()  # the same public page
    from urllib.parse import quote

    url = quote(html.parent.as_posix()) + "/"  # the sitemap's <loc> is percent-encoded
    assert lastmods(after)[url] == lastmods(before)[url] == "2024-03-01T10:00:00+09:00"


# -- markup: a link's URL on the line after `](<` ------------------------------------------------------------

@pytest.mark.parametrize("lines", ["[押す](<\njavascript:alert(1)>)", "[押す]( <\n  javascript:alert(1)>)"])
@pytest.mark.parametrize("page", [True, False])
def test_a_link_whose_url_is_on_the_line_after_its_angle_bracket_is_refused_at_that_line(lines, page):
    """Python-Markdown reads `(<…>)` across the line's end and strips the spaces and the newline:
    <a href="javascript:alert(1)">. `_SPLIT_URL` allows only spaces between `](` and the line's
    end, `_INLINE_LINK` reads an empty URL, `_TAG` sees no tag in a `<` that ends its line: check
    passes (a page's build is then refused by the fence without the source's line, a body's link
    silently becomes text)."""
    from gijiroku.record import markup

    problems = markup.check_markdown(f"# 題\n\n{lines}\n", 1, page=page)
    assert [(n, code) for n, code, _ in problems] == [(4, "G313")]


def test_check_refuses_a_page_with_a_javascript_link_after_its_angle_bracket(tmp_path):
    from conftest import make_project, write

    root = make_project(tmp_path / "p")
    write(root / "docs" / "notes" / "index.md", "# お知らせ\n\n[押す](<\njavascript:alert(1)>)\n")
    assert_refused(root, "docs/notes/index.md:4", command="check")


# -- time: `_PAGE_IMAGE` is quadratic on `![a](` followed by spaces ---------------------------------------------

@pytest.mark.parametrize(("line", "page"), [("![a](" + " " * 30_000, True), ("![a](" + "\t" * 30_000, True),
                                         ("a](" + " " * 200_000, False), ("[x]:" + "\t" * 200_000, False)])
def test_page_image_check_takes_linear_time(line, page):
    """`\\(\\s*` , an empty URL, `(?:\\s+…)?` and `\\s*\\)` share a run of spaces: every split of it is
    tried, so `![a](` and 30,000 spaces take 6 s, 100,000 over a minute (`gijiroku check` of a hand-written page whose
    line is `![a](` and 40,000 spaces: 11.7 s; a page has no size limit). `_SPLIT_URL` did the same after any
    `](` or `]:`, in a body too (30,000 spaces: 0.5 s, 200,000: 22 s). Same bound as the third attack's."""
    import time

    from gijiroku.record import markup

    started = time.perf_counter()
    markup.check_markdown(line, 1, page=page)
    assert time.perf_counter() - started < 2
