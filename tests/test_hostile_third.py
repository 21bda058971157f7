"""Third attack (a hostile contributor, stop 37): what leaked, crashed or published what must not
be, each fixed (every test here failed before its fix)."""

from __future__ import annotations

import base64
import zlib

import images
import pytest
from hostile import assert_refused
from test_hostile_verifier import PASSAGE, hostile_project

SECRET = PASSAGE.encode()  # minutes/11.md:25, withheld

# A real 8×8 baseline JPEG (JFIF, DQT, SOF0, DHT, SOS), as Chromium's canvas writes it, its ICC profile removed.
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYU"
    "GBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAIAAgD"
    "ASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABwj/xAAUEQEA"
    "AAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCWADpZb//Z")


def _chunk(name: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + name + data + zlib.crc32(name + data).to_bytes(4, "big")


def _pad(data: bytes, n: int) -> bytes:
    return data + b"\x00" * (-len(data) % n)


def _rgb_png_with_suggested_palette(palette: bytes) -> bytes:
    """A 1×1 truecolour PNG with a PLTE chunk (a suggested palette, valid for colour type 2 and
    shown by no viewer): its 768 bytes may be any bytes."""
    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"PLTE", _pad(palette, 3))
            + _chunk(b"IDAT", zlib.compress(b"\x00\x80\x80\x80")) + _chunk(b"IEND", b""))


IMAGES = {  # name -> bytes holding the withheld passage in UTF-8 where no viewer shows it; each displays in Chromium
    "palette.png": _rgb_png_with_suggested_palette(SECRET),
    "histogram.png": images.png((b"hIST", _pad(SECRET, 2))),  # hIST of any even size
    "transparency.png": images.png((b"tRNS", SECRET)),  # tRNS of up to 256 bytes for a grey image (2 are allowed)
    "scan.jpg": JPEG[:-2] + SECRET + JPEG[-2:],  # bytes after the last MCU, before EOI (UTF-8 has no 0xFF)
    "subblock.gif": images.gif()[:-2] + bytes([len(SECRET)]) + SECRET + b"\x00\x3b",  # LZW data after its end code
    "frame.webp": images.webp((b"ANMF", SECRET)),  # an ANMF (or VP8X, ALPH) chunk is not walked inside
}


@pytest.mark.parametrize("name", sorted(IMAGES))
def test_a_reviewed_image_holding_a_passage_where_no_viewer_shows_it_is_refused(tmp_path, name):
    root = hostile_project(tmp_path)
    (root / "docs" / "files").mkdir()
    (root / "docs" / "files" / name).write_bytes(IMAGES[name])
    committee = root / "committee.yml"
    committee.write_text(committee.read_text(encoding="utf-8") + "reviewed_file_types: [png, jpg, gif, webp]\n",
                         encoding="utf-8")
    assert_refused(root, f"files/{name}")  # the output file, named by the verifier


# -- dates: a commit that changes only withheld text of a registry profile or a hand-written page ----

def test_a_withheld_only_edit_of_a_profile_or_a_hand_written_page_moves_no_date(tmp_path):
    """public_dates read meeting and document files only: a commit that changed only a 非公表
    region of an agency's profile or of a hand-written page moved the sitemap's lastmod of the
    agency's page, of every list page (all_sources) and of the hand-written page."""
    from test_following import _first_commit, _git, _real_project, build_on, lastmods

    from conftest import write

    root = _real_project(tmp_path)
    region = "\n<!-- 非公表 -->\n{}\n<!-- /非公表 -->\n"
    profile = root / "docs" / "agencies" / "digital-agency.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\n公開の紹介文です。\n" + region.format("伏せる紹介の一稿目です。"),
                       encoding="utf-8")
    page = write(root / "docs" / "notes" / "index.md", "# お知らせ\n\n公開の文です。\n" + region.format("伏せるお知らせの一稿目です。"))
    _first_commit(root)
    for path in (profile, page):
        path.write_text(path.read_text(encoding="utf-8").replace("一稿目", "二稿目"), encoding="utf-8")
    _git(root, "commit", "-q", "-am", "withheld only", when="2024-04-01T10:00:00+09:00")
    mods = lastmods(build_on(root, tmp_path / "a", "1735657200"))
    pages = ("agencies/digital-agency/", "notes/", "")  # "": the home page lists every agency
    assert {p: mods[p] for p in pages} == dict.fromkeys(pages, "2024-03-01T10:00:00+09:00")


# -- verify._in_name: a name is read with one percent-decoding and no base64, a file's text with four and base64 --

def _named(passage: str) -> dict[str, str]:
    import base64
    from urllib.parse import quote

    return {"base64": base64.urlsafe_b64encode(passage.encode()).decode().rstrip("=") + ".txt",
            "percent-twice": quote(quote(passage)) + ".txt"}


@pytest.mark.parametrize("how", ["base64", "percent-twice"])
def test_a_file_named_with_an_encoded_passage_is_refused_as_its_text_would_be(tmp_path, how):
    """The same string as a file's text was refused; as the file's name under docs/, base64 or
    percent-encoded twice, it was published."""
    root = hostile_project(tmp_path)
    (root / "docs" / "files").mkdir()
    (root / "docs" / "files" / _named("合言葉は青い梟×赤い鷹です")[how]).write_text("公開のメモ\n", encoding="utf-8")
    assert_refused(root, "minutes/11.md:25")


def test_a_withheld_region_replaced_by_its_placeholder_line_moves_no_date(tmp_path):
    """A region replaced by the placeholder line it is published as (（内容について非公表）, which a
    source may hold as it is) publishes the same page, but the file held no `<!--` any more: it
    was dated by that commit, and the sitemap told that withheld content changed on that day."""
    from test_following import _first_commit, _git, _real_project, build_on, lastmods

    root = _real_project(tmp_path)
    document = root / "decisions" / "2023-04-05-example.md"
    text = document.read_text(encoding="utf-8")
    document.write_text(text + "\n<!-- 非公表 -->\n伏せる文です。\n<!-- /非公表 -->\n", encoding="utf-8")
    _first_commit(root)
    before = build_on(root, tmp_path / "a", "1924992000")
    document.write_text(text + "\n（内容について非公表）\n", encoding="utf-8")
    _git(root, "commit", "-q", "-am", "withheld text removed", when="2024-04-01T10:00:00+09:00")
    after = build_on(root, tmp_path / "b", "1924992000")
    page = "decisions/2023-04-05-example/index.html"
    assert (before / page).read_bytes() == (after / page).read_bytes()  # the same public page
    assert lastmods(after)["decisions/2023-04-05-example/"] == "2024-03-01T10:00:00+09:00"


# -- crash: a PNG whose header gives a picture too big for zlib's max_length ------------------------

def test_a_reviewed_png_of_an_absurd_size_is_refused_without_a_traceback(tmp_path):
    """IHDR 4294967295×4294967295, 16-bit RGBA: `_png_pixels_whole` asked zlib for about 2**68
    bytes, zlib raised OverflowError, which `image_metadata` did not catch: the build printed a
    traceback."""
    header = (0xFFFFFFFF).to_bytes(4, "big") * 2 + bytes([16, 6, 0, 0, 0])
    data = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(bytes(10)))
            + _chunk(b"IEND", b""))
    root = hostile_project(tmp_path)
    (root / "docs" / "files").mkdir()
    (root / "docs" / "files" / "big.png").write_bytes(data)
    committee = root / "committee.yml"
    committee.write_text(committee.read_text(encoding="utf-8") + "reviewed_file_types: [png]\n", encoding="utf-8")
    assert_refused(root, "docs/files/big.png")


# -- time: markup.check_markdown is quadratic on a line of `{` (any body) or of `![` (a page) ---------

@pytest.mark.parametrize(("line", "page"), [("{" * 100_000, False), ("{" * 100_000, True), ("![" * 100_000, True),
                                             ("# x" + " " * 100_000 + "y", True), ("{\\{" * 50_000, False),
                                             ("![a](" * 50_000, True), ("](" * 100_000, False)])
def test_markup_check_takes_linear_time(line, page):
    """`_ATTR_LIST` and `_PAGE_IMAGE` scanned to the line's end from every `{` / `![`: 100,000
    braces took 13 s, a decision of 2 MB (MAX_SOURCE_BYTES) about an hour and a half of `gijiroku
    check` and of the build. The same bound as test_hostile_attack.test_code_spans_take_linear_time."""
    import time

    from gijiroku.record import markup

    started = time.perf_counter()
    markup.check_markdown(line, 1, page=page)
    assert time.perf_counter() - started < 2


# -- markup: an outside image in a hand-written page, hidden by a local one nested in its alt text ------

@pytest.mark.parametrize("command", ["check", "build"])
def test_an_outside_image_behind_a_nested_local_one_is_refused(tmp_path, command):
    """`_PAGE_IMAGE` took `![a [b](x.jpg)` for a local image and removed it; what was left,
    `](https://evil.example/i.png)`, was an allowed link. Python-Markdown reads the whole as one
    image: the page was published with <img alt="a b" src="https://evil.example/i.png"> (only the
    policy's img-src stopped Chromium from loading it; neither check nor the fence refused it)."""
    from conftest import make_project, write

    root = make_project(tmp_path / "p")
    write(root / "docs" / "notes" / "index.md", "# お知らせ\n\n![a [b](x.jpg)](https://evil.example/i.png)\n")
    assert_refused(root, "docs/notes/index.md:3", command=command)
