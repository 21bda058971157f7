"""Unit tests of hooks/gijiroku/disclosure/readers.py: every output file is read by its bytes or
refused, and what is read is the text a reader or an indexer could recover from it.

Written for the mutants of readers.py that `make mutation` found alive: each test asserts what
the verifier relies on (a file read, a file refused with the message staff see, a passage found
through an encoding), with real files where the toolchain writes them (the Material theme's assets).
"""

from __future__ import annotations

import base64
import bz2
import gzip
import html
import io
import json
import lzma
import zlib
from urllib.parse import quote

import images
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gijiroku.disclosure import readers

NONE: frozenset[str] = frozenset()
SECRET = "非公表の合言葉は青い梟です。"


def refusal(data: bytes, rel: str = "files/x", reviewed: frozenset[str] = NONE, index_chunks: bool = False) -> str:
    """The message of the refusal of an output file (the test fails if it is read)."""
    with pytest.raises(readers.Refused) as refused:
        readers.file_text(data, rel, reviewed, index_chunks)
    return str(refused.value)


def b64(text: str | bytes) -> str:
    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


def spaced(run: str) -> str:
    """A base64 payload broken by spaces (as a data: URL may be), into pieces too short to be runs."""
    return " ".join(run[i:i + 8] for i in range(0, len(run), 8))


# --- types by their bytes ----------------------------------------------------------------------------

PAD = b"\x00" * 16
PNG = images.png()  # a whole PNG image
KNOWN = [  # (the first bytes of a file, its type as committee.yml writes it, what staff read)
    (b"\x89PNG\r\n\x1a\n", "png", "PNG 画像"),
    (b"\xff\xd8\xff\xe0", "jpg", "JPEG 画像"),
    (b"GIF87a", "gif", "GIF 画像"),
    (b"GIF89a", "gif", "GIF 画像"),
    (b"\x00\x00\x01\x00", "ico", "ICO アイコン"),
    (b"BM", "bmp", "BMP 画像"),
    (b"II*\x00", "tiff", "TIFF 画像"),
    (b"MM\x00*", "tiff", "TIFF 画像"),
    (b"%PDF-1.7", "pdf", "PDF"),
    (b"PK\x03\x04", "zip", "ZIP（DOCX・XLSX など Office 文書を含む）"),
    (b"PK\x05\x06", "zip", "ZIP（DOCX・XLSX など Office 文書を含む）"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "旧形式の Office 文書（DOC・XLS など）"),
    (b"{\\rtf1", "rtf", "RTF 文書"),
    (b"\x00asm\x01\x00\x00\x00", "wasm", "WebAssembly"),
    (b"wOFF", "woff", "WOFF フォント"),
    (b"wOF2", "woff2", "WOFF2 フォント"),
    (b"\x00\x01\x00\x00", "ttf", "TrueType フォント"),
    (b"OTTO", "otf", "OpenType フォント"),
    (b"7z\xbc\xaf\x27\x1c", "7z", "7-Zip 書庫"),
    (b"Rar!\x1a\x07", "rar", "RAR 書庫"),
    (b"\x28\xb5\x2f\xfd", "zst", "Zstandard 圧縮"),
    (b"\x04\x22\x4d\x18", "lz4", "LZ4 圧縮"),
    (b"ID3", "mp3", "MP3 音声"),
    (b"OggS", "ogg", "Ogg 音声"),
    (b"\x1aE\xdf\xa3", "webm", "WebM 動画"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp", "WebP 画像"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", "wav", "WAV 音声"),
    (b"\x00\x00\x00\x1cftypavif", "avif", "AVIF 画像"),
    (b"\x00\x00\x00\x1cftypavis", "avif", "AVIF 画像"),
    (b"\x00\x00\x00\x18ftypheic", "heic", "HEIC 画像"),
    (b"\x00\x00\x00\x18ftypheix", "heic", "HEIC 画像"),
    (b"\x00\x00\x00\x18ftypmif1", "heic", "HEIC 画像"),
    (b"\x00\x00\x00\x18ftypisom", "mp4", "MP4 動画"),
]


@pytest.mark.parametrize("head, name, what", KNOWN, ids=[f"{n}-{i}" for i, (_, n, _) in enumerate(KNOWN)])
def test_a_binary_file_is_refused_naming_its_type_unless_the_type_was_reviewed(head, name, what):
    """Only an image whose every part the verifier walks is passed when reviewed (a PNG, JPEG,
    GIF, WebP or ICO holding nothing but its picture); any other type is refused even so."""
    whole = {"png": images.png, "jpg": images.jpeg, "webp": images.webp, "gif": lambda: head + images.gif()[6:],
             "ico": images.ico}
    data = whole[name]() if name in whole else head + PAD
    assert readers.binary_type(data) == (name, what)
    assert refusal(data) == what
    assert refusal(gzip.compress(data), "files/x.gz") == what  # the type inside the compression
    if name in readers.WALKED:
        # passed, its bytes read as text (bytes no viewer shows: pictures.as_text)
        assert readers.as_text(data, name) in readers.file_text(data, "files/x", frozenset({name}))
        assert readers.as_text(data, name) in readers.file_text(gzip.compress(data), "files/x.gz", frozenset({name}))
    else:  # a TIFF's tags, a PDF's text, a font's names: nothing shows that it holds no withheld text
        message = refusal(data, reviewed=frozenset({name}))
        assert message.startswith(what) and "reviewed_file_types" in message and "png・jpg" in message
        assert refusal(gzip.compress(data), "files/x.gz", frozenset({name})) == message
    others = frozenset({"png", "jpg", "pdf", "zip"} - {name})
    assert refusal(data, reviewed=others) == what  # only the type named is skipped


@pytest.mark.parametrize("data", [
    b"", b"B", b"RIFF\x24\x00\x00\x00AVI LIST", b"RIFX\x24\x00\x00\x00WEBPVP8 ", b"RIFF\x24\x00\x00\x00\x00WEBP",
    b"\x00\x00\x00\x00\x00ftypavif", b"\x00\x00\x00\x00fty", b"ftypavif" + PAD, b"plain text",
])
def test_bytes_of_no_known_format_have_no_binary_type(data):
    assert readers.binary_type(data) is None


def test_webp_and_wav_are_told_apart_by_their_form_type():
    assert readers.binary_type(b"RIFF\x00\x00\x00\x00WAVE") == ("wav", "WAV 音声")
    assert readers.binary_type(b"RIFF\x00\x00\x00\x00WEBP") == ("webp", "WebP 画像")


# --- compression ---------------------------------------------------------------------------------------

def test_plain_bytes_are_not_decompressed():
    assert readers.decompress("公開".encode()) == ("公開".encode(), 0)


def test_gzip_bzip2_and_xz_nest_in_any_order_up_to_the_limit():
    data = SECRET.encode()
    for layer in [gzip.compress, bz2.compress, lzma.compress, gzip.compress, bz2.compress, lzma.compress, gzip.compress, bz2.compress]:
        data = layer(data)
    assert readers.decompress(data) == (SECRET.encode(), readers.NESTING)
    assert readers.file_text(data, "files/x.bz2", NONE) == SECRET
    for layer in (gzip.compress, bz2.compress, lzma.compress):
        assert refusal(layer(data)) == f"{readers.NESTING} 重を超えて圧縮されたファイル"


GOOD_GZIP = gzip.compress(SECRET.encode() * 8)
BROKEN = {  # compressed file -> the refusal
    "gzip cut short": (GOOD_GZIP[:-10], "壊れた圧縮ファイル（EOFError）"),
    "gzip with a wrong checksum": (GOOD_GZIP[:-8] + b"\x00\x00\x00\x00" + GOOD_GZIP[-4:], "壊れた圧縮ファイル（error）"),
    "gzip with a wrong length": (GOOD_GZIP[:-4] + b"\x01\x00\x00\x00", "壊れた圧縮ファイル（error）"),
    "gzip and then bytes that are no member": (GOOD_GZIP + b"\x00\x00junk", "壊れた圧縮ファイル（BadGzipFile）"),
    "a second gzip member cut short": (GOOD_GZIP + GOOD_GZIP[:-3], "壊れた圧縮ファイル（EOFError）"),
    "gzip with a broken deflate stream": (GOOD_GZIP[:10] + b"\xff" * 20 + GOOD_GZIP[30:], "壊れた圧縮ファイル（error）"),
    "gzip magic alone": (b"\x1f\x8b", "壊れた圧縮ファイル（EOFError）"),
    "bzip2 of junk": (b"BZh9" + b"\x00" * 30, "壊れた圧縮ファイル（OSError）"),
    "bzip2 cut short": (bz2.compress(b"abc")[:-5], "壊れた圧縮ファイル（EOFError）"),
    "xz of junk": (b"\xfd7zXZ\x00" + b"\x00" * 40, "壊れた圧縮ファイル（LZMAError）"),
    "xz cut short": (lzma.compress(b"abc" * 100)[:-10], "壊れた圧縮ファイル（EOFError）"),
    "broken inside a good layer": (gzip.compress(GOOD_GZIP[:-10]), "壊れた圧縮ファイル（EOFError）"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_compressed_file_is_refused_with_the_error_named(case):
    data, message = BROKEN[case]
    assert refusal(data) == message


def gzip_file(data: bytes) -> bytes | None:
    """What Python's `gzip.GzipFile` reads from `data`; None where it fails."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            return stream.read()
    except (OSError, EOFError, zlib.error):
        return None


def ours(data: bytes) -> bytes | None:
    """What the verifier reads from `data` as gzip; None where it refuses it."""
    try:
        return readers._gunzip(data)
    except (OSError, EOFError, zlib.error, readers.Refused):
        return None


MEMBER = gzip.compress(SECRET.encode(), mtime=0)


@pytest.mark.parametrize("data", [
    MEMBER + gzip.compress(b"second member", mtime=0),  # both members read, as GzipFile and gzip(1) do
    MEMBER + b"\x00" * 5,  # zero bytes after a member: padding
    MEMBER + b"\x00" * 3 + MEMBER,
    gzip.compress(b"", mtime=0),
    MEMBER + b"\x00\x00\x01",  # a byte that starts no member: refused
    MEMBER + b"\x1f",
    MEMBER + b"\x1f\x8b",
    MEMBER[:-1],
    MEMBER[:10],
], ids=lambda data: data.hex()[-12:])
def test_gzip_is_read_exactly_as_python_s_gzip_file_reads_it(data):
    """The verifier inflates gzip itself, one call per member (`readers._gunzip`): it reads what
    GzipFile reads, every member, and refuses what GzipFile cannot read."""
    assert ours(data) == gzip_file(data)
    assert ours(data) is None or SECRET.encode() in ours(data) or data == gzip.compress(b"", mtime=0)


@settings(max_examples=300, deadline=None)
@given(members=st.lists(st.tuples(st.binary(max_size=300), st.integers(0, 3)), min_size=1, max_size=3),
       cut=st.integers(0, 2000), flip=st.tuples(st.integers(0, 2000), st.integers(1, 255)), tail=st.binary(max_size=4))
def test_any_gzip_file_damaged_or_not_is_read_as_gzip_file_reads_it(members, cut, flip, tail):
    """Whatever the verifier reads from a gzip file is what GzipFile reads from it. It may refuse
    more (zlib refuses reserved header flags and a wrong header checksum, which GzipFile skips):
    a refused file stops the build, the safe side."""
    data = b"".join(gzip.compress(body, mtime=0) + b"\x00" * padding for body, padding in members)
    assert ours(data) == gzip_file(data) == b"".join(body for body, _ in members)
    for damaged in (data[:cut], data + tail,
                    data[:flip[0] % len(data)] + bytes([data[flip[0] % len(data)] ^ flip[1]]) + data[flip[0] % len(data) + 1:]):
        assert ours(damaged) is None or ours(damaged) == gzip_file(damaged)


def test_a_gzip_header_with_reserved_flags_is_refused():
    flagged = MEMBER[:3] + bytes([MEMBER[3] | 0x20]) + MEMBER[4:]
    assert gzip_file(flagged) == SECRET.encode()  # Python's GzipFile ignores the reserved bits
    assert refusal(flagged) == "壊れた圧縮ファイル（error）"


def test_a_file_that_decompresses_beyond_the_limit_is_refused(monkeypatch):
    """Decompression stops one byte past the limit: a bomb is never read whole."""
    monkeypatch.setattr(readers, "LIMIT", 3_000_000)
    at_limit = b"a" * 3_000_000
    assert readers.decompress(gzip.compress(at_limit)) == (at_limit, 1)
    for layer in (gzip.compress, bz2.compress, lzma.compress):
        assert refusal(layer(at_limit + b"a")) == "展開すると 3 MB を超えるファイル"
    assert refusal(gzip.compress(gzip.compress(at_limit + b"a"))) == "展開すると 3 MB を超えるファイル"


def test_the_real_limit_is_named_in_megabytes():
    assert readers.LIMIT == 256_000_000

    class Endless:
        def read(self, size):
            return b"\x00" * size

    with pytest.raises(readers.Refused, match="^展開すると 256 MB を超えるファイル$"):
        readers._read_limited(Endless())


# --- text -----------------------------------------------------------------------------------------------

def test_utf8_text_with_tabs_line_feeds_carriage_returns_and_form_feeds_is_read():
    text = f"一行目\t{SECRET}\r\n二行目\f\n"
    assert readers.strict_text(text.encode()) == text
    assert readers.file_text(text.encode(), "files/x.txt", NONE) == text


@pytest.mark.parametrize("encoding", ["shift_jis", "euc_jp", "utf-16", "cp932"])
def test_text_in_another_encoding_is_refused(encoding):
    assert refusal(SECRET.encode(encoding), "files/x.txt") == (
        "UTF-8 ではないテキスト（Shift_JIS・EUC-JP・UTF-16 など）か、不明な形式のファイル")


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x0e", "\x1b", "\x1f", "\x7f"])
def test_text_with_a_control_character_is_refused_naming_it(char):
    assert refusal(f"公開{char}{SECRET}".encode(), "files/x.txt") == (
        f"制御文字（U+{ord(char):04X}）を含むファイル（UTF-16 や ISO-2022-JP のテキスト、バイナリなど）")


def test_iso_2022_jp_is_refused_by_its_escape_character():
    assert refusal(SECRET.encode("iso2022_jp"), "files/x.txt").startswith("制御文字（U+001B）")


# --- files the toolchain writes --------------------------------------------------------------------------

THEME = readers._package_dir("material") / "templates"


def test_packages_are_found_and_a_module_or_a_missing_name_is_none():
    assert (readers._package_dir("material") / "templates" / "assets" / "images" / "favicon.png").is_file()
    assert readers._package_dir("base64") is None  # a module, not a package
    assert readers._package_dir("gijiroku_no_such_package") is None


@pytest.mark.parametrize("rel", ["assets/images/favicon.png", "assets/javascripts/workers/search.*.min.js",
                                 "assets/stylesheets/main.*.min.css"])
def test_the_themes_own_assets_are_not_read(rel):
    (path,) = THEME.glob(rel) if "*" in rel else [THEME / rel]
    rel = path.relative_to(THEME).as_posix()
    data = path.read_bytes()
    assert readers.shipped_by_toolchain(rel, data)
    assert readers.file_text(data, rel, NONE) is None


def test_a_file_at_a_theme_path_with_other_bytes_is_read_or_refused():
    favicon = (THEME / "assets" / "images" / "favicon.png").read_bytes()
    assert not readers.shipped_by_toolchain("assets/images/favicon.png", favicon + b"\x00")
    assert refusal(favicon + b"\x00", "assets/images/favicon.png") == "PNG 画像"
    (script,) = THEME.glob("assets/javascripts/bundle.*.min.js")
    rel = script.relative_to(THEME).as_posix()
    edited = script.read_bytes() + f"//{SECRET}".encode()
    assert SECRET in readers.file_text(edited, rel, NONE)


def test_the_themes_bytes_elsewhere_or_under_a_folder_name_are_no_pass():
    favicon = (THEME / "assets" / "images" / "favicon.png").read_bytes()
    assert refusal(favicon, "images/favicon.png") == "PNG 画像"  # not the theme's path
    assert not readers.shipped_by_toolchain("assets/images", favicon)  # a folder of the theme
    assert not readers.shipped_by_toolchain("assets/images/no-such.png", favicon)
    page = (THEME / "404.html").read_bytes()  # a template of the theme, not an asset
    assert readers.shipped_by_toolchain("404.html", page)
    assert readers.file_text(page, "404.html", NONE) is not None  # outside assets/: read


CHUNK = gzip.compress(b"GKIX1" + bytes([1, 1, 1, 0, 0, 0, 0, 1, 0, 0]), mtime=0)  # search/postings.py


def test_an_index_chunk_is_left_to_the_index_check_in_the_index_folder_only():
    """The index check (verify.scan_search_index) reads every file of search/index/ in full and
    refuses what is not exactly a chunk; the file scan leaves those files to it, and only those."""
    assert readers.file_text(CHUNK, "search/index/0123456789ab.bin.gz", NONE, index_chunks=True) is None
    hidden = gzip.compress(b"GKIX1" + SECRET.encode(), mtime=0)  # not a chunk: the index check refuses it
    assert readers.file_text(hidden, "search/index/x.bin.gz", NONE, index_chunks=True) is None
    for rel in ("search/index/sub/x.bin.gz", "search/x.bin.gz", "index/x.bin.gz", "assets/search/index/x.bin.gz"):
        with pytest.raises(readers.Refused):
            readers.file_text(CHUNK, rel, NONE, index_chunks=True)
    with pytest.raises(readers.Refused):  # no index check in this build: nothing is left to it
        readers.file_text(CHUNK, "search/index/x.bin.gz", NONE, index_chunks=False)
    with pytest.raises(readers.Refused):  # nor unless a caller says that the check runs
        readers.file_text(CHUNK, "search/index/x.bin.gz", NONE)
    with pytest.raises(readers.Refused):  # a chunk is never written uncompressed
        readers.file_text(gzip.decompress(CHUNK), "search/index/x.bin.gz", NONE, index_chunks=True)
    text = gzip.compress(SECRET.encode(), mtime=0)  # text in the folder is read as text
    assert SECRET in readers.file_text(text, "search/index/x.bin.gz", NONE, index_chunks=True)


# --- from markup and escapes to text ---------------------------------------------------------------------

def parts(text: str, rel: str) -> list[str]:
    return readers.text_of(text, rel, NONE).split("\x00")


def test_markup_is_read_as_its_text_nodes_attribute_values_and_comments():
    page = "<p class=note title='題'>本<b>文</b></p><!-- 注記 --><img alt=\"代替\">"
    assert parts(page, "a/index.html") == ["本文", "代替", " 注記 ", "note", "題"]
    assert parts(page, "a/index.html.gz") == parts(page, "a/index.html")
    assert parts(page, "a/feed.xml.gz") == parts(page, "a/index.html")
    # not markup by its name: read as written, and once more without what has the shape of a tag
    assert parts(page, "a/page.txt") == [page, "本文<!-- 注記 -->"]
    assert parts(page, "a/page.txt.gz") == [page, "本文<!-- 注記 -->"]


@pytest.mark.parametrize("suffix", [".html", ".htm", ".xml", ".svg", ".xhtml", ".xsl", ".svg.gz", ".xsl.gz"])
def test_a_passage_split_by_tags_is_joined_in_every_kind_of_markup(suffix):
    assert SECRET in readers.text_of(f"<p>{SECRET[:4]}<b>{SECRET[4:]}</b></p>", "x" + suffix, NONE)


def test_ruby_annotations_are_dropped_from_a_second_reading():
    page = "<ruby>青<rp>(</rp><rt>あお</rt><rp>)</rp>い<RT>い</RT>梟<rt class=x>ふくろう</rt ></ruby>"
    assert parts(page, "x.html")[0] == "青(あお)いい梟ふくろう"
    assert parts(page, "x.html")[-1] == "青い梟"
    assert parts("<p>青い梟</p>", "x.html") == ["青い梟"]  # no ruby, no second reading


def test_escaped_markup_is_unescaped_before_its_tags_are_removed():
    escaped = "\\u003cp\\u003e青い\\u003cb\\u003e梟\\u003c/b\\u003eです\\u003c/p\\u003e"
    assert parts(escaped, "x.html") == ["青い梟です"]
    assert parts(escaped.replace("\\u", "\\U"), "x.html") == ["青い梟です"]
    assert parts(escaped, "x.json") == ["<p>青い<b>梟</b>です</p>", "青い梟です"]


def test_css_escapes_are_undone_in_stylesheets_and_markup_only():
    escaped = "".join(f"\\{ord(c):x} " for c in "青い梟")
    assert parts(f'p::after{{content:"{escaped}"}}', "x.css") == ['p::after{content:"青い梟"}']
    assert parts(f'p::after{{content:"{escaped}"}}', "x.css.gz") == ['p::after{content:"青い梟"}']
    assert parts(f"<p style='content:\"{escaped}\"'></p>", "x.html")[-1] == 'content:"青い梟"'
    assert parts(f"path\\{escaped}", "x.txt") == [f"path\\{escaped}"]  # a backslash in text is no escape


@pytest.mark.parametrize("escaped, char", [
    ("\\0 ", "\\0 "), ("\\1", "\x01"), ("\\D7FF", "\ud7ff"), ("\\D800", "\\D800"), ("\\DFFF", "\\DFFF"),
    ("\\E000", "\ue000"), ("\\10FFFF", "\U0010ffff"), ("\\110000", "\\110000"), ("\\9ad8\t", "高"),
])
def test_a_css_escape_is_undone_only_for_a_character(escaped, char):
    assert readers.unescape(f"[{escaped}]", css=True) == f"[{char}]"
    assert readers.unescape(f"[{escaped}]") == f"[{escaped}]"


@pytest.mark.parametrize("escaped, text", [
    ("\\u9752\\u3044", "青い"), ("\\U9752", "青"), ("\\ud842\\udfb7", "𠮷"), ("\\uD842\\uDFB7", "𠮷"),
    ("\\ud83d\\ude00", "😀"), ("\\udbff\\udfff", "\U0010ffff"), ("\\ud800\\udc00", "\U00010000"),
    ("\\u{20BB7}", "𠮷"), ("\\u{10FFFF}", "\U0010ffff"), ("\\u{110000}", "\\u{110000}"), ("\\u{9}", "\t"),
])
def test_json_and_javascript_escapes_are_undone(escaped, text):
    assert readers.unescape(escaped) == text
    assert parts(escaped, "x.js") == [text]


def test_entities_and_percent_escapes_are_undone_but_a_lone_sign_stays():
    assert readers.unescape("&#38738;&#x3044;&times;") == "青い×"
    assert readers.unescape("%E9%9D%92%E3%81%84 100% 確か") == "青い 100% 確か"
    assert readers.unescape("AT&T 100%") == "AT&T 100%"


def test_nested_encodings_are_undone_up_to_four_rounds():
    text = "青い梟"
    for _ in range(readers.ROUNDS):
        text = quote(text)
    assert readers.unescape(text) == "青い梟"
    assert readers.unescape(quote(text)) == quote("青い梟")  # a fifth percent-encoding stays once
    assert readers.unescape(quote("&#38738;い梟")) == "青い梟"  # percent, then an entity
    assert readers.unescape(quote("\\u9752い梟")) == "青い梟"  # percent, then a JSON escape
    css = quote("\\9752 い梟")
    assert readers.unescape(css, css=True) == "青い梟" and readers.unescape(css) == "\\9752 い梟"


SVG = '<svg xmlns="http://www.w3.org/2000/svg"><text>青い<tspan>梟</tspan>です</text></svg>'  # shows 青い梟です
REVEALED = {  # case -> (file, its text): markup that only a decoding reveals, shown by a browser (img-src data:)
    "base64 data URL in a stylesheet": ("x.css", f"p{{background:url(data:image/svg+xml;base64,{b64(SVG)})}}"),
    "spaced base64 data URL in a page": ("x.html", f'<img src="data:image/svg+xml;base64,{spaced(b64(SVG))}">'),
    "percent-encoded data URL in a stylesheet": ("x.css", f'p{{background:url("data:image/svg+xml,{quote(SVG)}")}}'),
    "percent-encoded data URL in a page": ("x.html", f'<img src="data:image/svg+xml,{quote(SVG)}">'),
    "entity-escaped data URL in a page": ("x.html", f"<img src='data:image/svg+xml,{html.escape(SVG)}'>"),
    "JSON-escaped markup in a script": ("x.js", "el.innerHTML = " + json.dumps(SVG).replace("<", "\\u003c")),
}


@pytest.mark.parametrize("case", sorted(REVEALED))
def test_markup_revealed_by_a_decoding_is_read_without_its_tags(case):
    rel, text = REVEALED[case]
    assert "青い梟です" in readers.file_text(text.encode(), rel, NONE)


def test_comparisons_in_a_script_are_no_tags():
    script = "for (i = 0; i<n; i++) if (m > 0 && x<-1 && a<=b) y = a < b ? c : d >> 1"
    assert parts(script, "x.js") == [script]


# --- data: URLs and base64 -------------------------------------------------------------------------------

def test_a_data_url_is_read_as_a_file_of_its_own():
    page = f'<a href="data:text/plain;base64,{b64(SECRET)}">x</a>'
    assert parts(page, "x.html")[-1] == SECRET
    gz = f'<img src="data:application/gzip;base64,{b64(gzip.compress(SECRET.encode()))}">'
    assert parts(gz, "x.html")[-1] == SECRET
    assert readers.text_of(f"data:text/plain;base64,{spaced(b64(SECRET))}", "x.txt", NONE).split("\x00")[-1] == SECRET


def test_a_data_url_of_a_type_not_reviewed_is_refused_and_a_reviewed_one_skipped():
    png = PNG
    page = f'<img src="data:image/png;base64,{b64(png)}">'
    with pytest.raises(readers.Refused, match="^PNG 画像$"):
        readers.text_of(page, "x.html", NONE)
    assert f"data:image/png;base64,{b64(png)}" in readers.text_of(page, "x.html", frozenset({"png"})).split("\x00")
    pdf = f'<a href="data:application/pdf;base64,{b64(b"%PDF-1.7" + PAD)}">x</a>'
    with pytest.raises(readers.Refused, match="^PDF$"):
        readers.text_of(pdf, "x.html", frozenset({"png"}))


def test_a_base64_run_is_decoded_and_appended_after_a_nul():
    run = b64(SECRET)
    assert readers.text_of(f"blob {run};", "x.txt", NONE) == f"blob {run};\x00{SECRET}"
    urlsafe = base64.urlsafe_b64encode(SECRET.encode()).decode().rstrip("=")
    assert readers.text_of(urlsafe, "x.js", NONE) == f"{urlsafe}\x00{SECRET}"
    zipped = b64(gzip.compress(SECRET.encode()))
    assert readers.text_of(zipped, "x.txt", NONE) == f"{zipped}\x00{SECRET}"


@pytest.mark.parametrize("size", range(16, 25))
def test_a_base64_run_cut_at_any_length_is_decoded(size):
    """Padding is restored, and a single stray character past a group of four (no byte) dropped."""
    text = "The owl is blue; the hawk is red."
    run = b64(text)[:size]
    whole = size - 1 if size % 4 == 1 else size
    assert readers.text_of(f" {run} ", "x.txt", NONE) == f" {run} \x00{text[: whole * 3 // 4]}"


@pytest.mark.parametrize("run", ["azs2entrekxoek4h", "T2FYNHZGI2Q1VXRL"])
def test_a_run_in_one_case_is_a_word_or_a_path_not_base64(run):
    """Both decode to printable text, yet base64 of text mixes cases: they are not read."""
    assert base64.b64decode(run).decode().isprintable()
    assert readers.text_of(f"({run})", "x.txt", NONE) == f"({run})"


def test_base64_is_read_two_levels_deep_and_no_deeper():
    once, twice = b64(SECRET), b64(b64(SECRET))
    thrice = b64(twice)
    assert readers.text_of(twice, "x.txt", NONE) == f"{twice}\x00{once}\x00{SECRET}"
    assert readers.text_of(thrice, "x.txt", NONE) == f"{thrice}\x00{twice}\x00{once}"
    assert readers.embedded(once, "x.txt", NONE, depth=2) == ""
    assert readers.embedded(once, "x.txt", NONE, depth=1) == f"\x00{SECRET}"


def test_runs_that_decode_to_no_text_are_skipped_and_the_runs_after_them_read():
    junk = b64(bytes(range(0x80, 0x98)))  # continuation bytes: no text starts so
    control = b64(b"\x01\x02\x03" * 6)  # control characters
    broken = b64(b"\x1f\x8b" + bytes(20))  # gzip magic, broken body
    word = "azs2entrekxoek4h"  # one case: a word
    for run in (junk, control, broken, word):
        assert readers.text_of(f" {run} ", "x.txt", NONE) == f" {run} "
        assert readers.text_of(f" {run} {b64(SECRET)} ", "x.txt", NONE) == f" {run} {b64(SECRET)} \x00{SECRET}"


def test_each_decoded_run_and_data_url_is_appended_after_its_own_nul():
    page = f'<a href="data:text/plain;base64,{b64("一つ目の文")}">{b64("二つ目の文")}</a>'
    assert readers.embedded(readers.text_of(page, "x.txt", NONE).split("\x00")[0], "x.txt", NONE) == (
        "\x00一つ目の文\x00一つ目の文\x00二つ目の文")  # the data URL, then each base64 run


def test_a_data_url_cut_short_does_not_stop_the_reading_of_the_next():
    broken = "data:text/plain;base64,5ZCI6KiA\u30006JGJ44Gv"  # a full-width space ends the payload
    page = f'<img src="{broken}"><a href="data:text/plain;base64,{spaced(b64(SECRET))}">'
    assert readers.text_of(page, "x.html", NONE).split("\x00")[-1] == SECRET


def test_embedded_reads_two_levels_deep_by_default():
    assert readers.embedded(b64(b64(SECRET)), "x.txt", NONE) == f"\x00{b64(SECRET)}\x00{SECRET}"


def test_a_data_url_inside_base64_is_refused_or_skipped_like_any_other():
    png = f'data:image/png;base64,{b64(PNG)}'
    run = b64(f"<img src='{png}'>")
    with pytest.raises(readers.Refused, match="^PNG 画像$"):
        readers.file_text(run.encode(), "x.txt", NONE)
    read = readers.file_text(run.encode(), "x.txt", frozenset({"png"}))
    assert read.startswith(f"{run}\x00<img src='{png}'>\x00") and readers.as_text(PNG, "png") in read


def test_a_data_url_in_a_file_is_refused_or_skipped_by_the_reviewed_types():
    page = f'<img src="data:image/png;base64,{b64(PNG)}" alt="画像">'.encode()
    with pytest.raises(readers.Refused, match="^PNG 画像$"):
        readers.file_text(page, "x.html", NONE)
    assert {f"data:image/png;base64,{b64(PNG)}", "画像"} <= set(readers.file_text(page, "x.html", frozenset({"png"})).split("\x00"))


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress], ids=["gzip", "bzip2", "xz"])
def test_a_base64_run_of_compressed_text_is_read_whatever_the_compression(compress):
    """xz starts with 0xFD, a byte that starts no UTF-8 text: the run is a compressed file all the same."""
    run = b64(compress(SECRET.encode()))
    assert readers.text_of(f" {run} ", "x.txt", NONE) == f" {run} \x00{SECRET}"






@pytest.mark.parametrize("space", [" ", "\t", "\n", "\f", "\r\n"], ids=["space", "tab", "lf", "ff", "crlf"])
def test_a_data_url_broken_by_any_ascii_whitespace_is_read(space):
    """Browsers drop ASCII whitespace (space, tab, LF, FF, CR) inside a base64 payload."""
    run = b64(SECRET)
    for size in range(3, 16):  # pieces too short to be base64 runs of their own
        page = f'<img src="data:text/plain;base64,{space.join(run[i:i + size] for i in range(0, len(run), size))}">'
        assert readers.text_of(page, "x.html", NONE).split("\x00")[-1] == SECRET, size


# --- the output files, listed ------------------------------------------------------------------------------

def test_output_files_are_what_rglob_finds_in_the_order_of_their_paths_parts(tmp_path):
    """One scandir walk (b840461) lists what `sorted(rglob)` with `is_file` did: a link to a file as
    that file, no linked folder entered, no broken link; sorted as paths (a/b before a-c, which
    sort the other way round as strings)."""
    site, outside = tmp_path / "site", tmp_path / "outside"
    contents = {"a-c": b"1", "a/b": b"22", "a/c/d.txt": b"333", "a.txt": b"4444", "b/x/y/z.html": b"55555",
                ".nojekyll": b"", "A": b"7", "outside/file.txt": b"0123456789a", "outside/folder/inner.txt": b"x"}
    for rel, data in contents.items():
        path = (tmp_path if rel.startswith("outside/") else site) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (site / "link.txt").symlink_to(outside / "file.txt")
    (site / "a" / "linked").symlink_to(outside / "folder", target_is_directory=True)
    (site / "b" / "broken.html").symlink_to(tmp_path / "missing.html")
    found = readers.output_files(site)
    expected = [p.relative_to(site).as_posix() for p in sorted(p for p in site.rglob("*") if p.is_file())]
    assert [rel for rel, _ in found] == expected == [
        ".nojekyll", "A", "a/b", "a/c/d.txt", "a-c", "a.txt", "b/x/y/z.html", "link.txt"]
    assert sorted(expected) != expected  # as strings, a-c and a.txt come before a/b
    assert {rel: stat.st_size for rel, stat in found} == {
        rel: len(contents.get(rel, b"")) for rel in expected} | {"link.txt": 11}  # the linked file's size
    assert all(stat.st_mtime == (site / rel).stat().st_mtime for rel, stat in found)
    assert readers.output_files(tmp_path / "outside" / "folder") == [
        ("inner.txt", (outside / "folder" / "inner.txt").stat())]


def test_the_verifiers_messages_print_a_names_controls_by_code_point():
    """An output file's name comes from a source's: an ESC or a line break in it is written by its
    code point, so that it can neither colour a terminal or CI log nor forge a line of the report."""
    from gijiroku.disclosure.secrets import Secret
    from gijiroku.disclosure.verify import Leak

    unreadable = readers.Unreadable("a\x1b[8m.bin", "画像", source="docs/a\x1b[8m.bin").format()
    leak = Leak("b\n9.md: 問題なし.html", Secret("秘密", "minutes/9.md", 4, "非公表"), "秘密").format()
    for text in (unreadable, leak):
        assert "\x1b" not in text and "\n9.md" not in text, text
    assert "aU+001B（ESC）[8m.bin" in unreadable and "bU+000A" in leak


def gzip_member(body: bytes, flags: int, name: bytes = b"", comment: bytes = b"", extra: bytes = b"") -> bytes:
    """A gzip member with the header fields given (RFC 1952), as gzip(1) or another tool writes them."""
    header = b"\x1f\x8b\x08" + bytes([flags]) + b"\x00\x00\x00\x00\x00\xff"
    if flags & 0x04:
        header += len(extra).to_bytes(2, "little") + extra
    if flags & 0x08:
        header += name + b"\x00"
    if flags & 0x10:
        header += comment + b"\x00"
    deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    trailer = zlib.crc32(body).to_bytes(4, "little") + len(body).to_bytes(4, "little")
    return header + deflate.compress(body) + deflate.flush() + trailer


@pytest.mark.parametrize("member", [
    gzip_member(b"ok", 0x08, name=SECRET.encode()),  # the original file's name: what `file` and gunzip -N show
    gzip_member(b"ok", 0x10, comment=SECRET.encode()),
    gzip_member(b"ok", 0x04, extra=b"AB" + len(SECRET.encode()).to_bytes(2, "little") + SECRET.encode()),
    gzip_member(b"ok", 0x18, name=b"a.txt", comment=SECRET.encode()),
    gzip.compress(b"first", mtime=0) + gzip_member(b"ok", 0x08, name="資料.txt".encode()),  # in a later member too
], ids=["name", "comment", "extra", "name-and-comment", "second-member"])
def test_text_in_a_gzip_header_is_never_published_unread(member):
    """The verifier reads a gzip file's content; a header's name, comment or extra fields are text
    no check would read (found by an attack: a withheld passage as the name of a .gz under docs/)."""
    assert gzip_file(member) is not None  # Python reads the content and skips the header's text
    assert "gzip -n" in refusal(member)


def test_a_gzip_file_with_a_plain_name_is_read():
    """gzip(1) writes the original name (data.csv), and MkDocs the sitemap's: read as any."""
    for member in (gzip_member(SECRET.encode(), 0x08, name=b"data-2024_v1.csv"), gzip_member(b"x", 0x08, name=b"sitemap.xml")):
        assert ours(member) == gzip_file(member)
    assert readers.decompress(gzip_member(SECRET.encode(), 0x08, name=b"a.csv")) == (SECRET.encode(), 1)


HIDDEN_TEXT = SECRET.encode()


def png_with_idat(idat: bytes) -> bytes:
    """The 1×1 grey PNG of tests/images.py with `idat` as its image data."""
    whole = images.png()
    start = whole.index(b"IDAT") - 4
    end = start + 12 + int.from_bytes(whole[start:start + 4], "big")
    chunk = len(idat).to_bytes(4, "big") + b"IDAT" + idat + zlib.crc32(b"IDAT" + idat).to_bytes(4, "big")
    return whole[:start] + chunk + whole[end:]


@pytest.mark.parametrize("data, name, part", [
    (images.png((b"tEXt", b"Comment\x00" + HIDDEN_TEXT)), "png", "PNG の tEXt"),
    (images.png((b"iTXt", b"Comment\x00\x00\x00\x00\x00" + HIDDEN_TEXT)), "png", "PNG の iTXt"),
    (images.png((b"zTXt", b"Comment\x00\x00" + zlib.compress(HIDDEN_TEXT))), "png", "PNG の zTXt"),
    (images.png((b"eXIf", b"MM\x00*" + HIDDEN_TEXT)), "png", "PNG の eXIf"),
    (images.jpeg((0xFE, HIDDEN_TEXT)), "jpg", "JPEG のコメント"),
    (images.jpeg((0xE1, b"Exif\x00\x00MM\x00*" + HIDDEN_TEXT)), "jpg", "JPEG のExif・XMP"),
    (images.jpeg((0xED, b"Photoshop 3.0\x00" + HIDDEN_TEXT)), "jpg", "JPEG のIPTC"),
    (images.gif((0xFE, HIDDEN_TEXT[:255])), "gif", "GIF のコメント"),
    (images.gif((0xFF, b"XMP DataXMP")), "gif", "GIF のアプリケーション拡張"),
    (images.webp((b"EXIF", HIDDEN_TEXT)), "webp", "WebP の EXIF"),
    (images.webp((b"XMP ", HIDDEN_TEXT)), "webp", "WebP の XMP"),
    (images.png()[:40], "png", "読み取れない構造"),
    # bytes after the picture's end (found by an attack: `cat passage.txt >> figure.png` looks the same)
    (images.png() + HIDDEN_TEXT, "png", "PNG の画像の終わりの後ろのデータ"),
    (images.jpeg() + HIDDEN_TEXT, "jpg", "JPEG の画像の終わりの後ろのデータ"),
    (images.gif() + HIDDEN_TEXT, "gif", "GIF の画像の終わりの後ろのデータ"),
    (images.webp() + HIDDEN_TEXT, "webp", "WebP の画像の終わりの後ろのデータ"),
    (images.ico() + HIDDEN_TEXT, "ico", "ICO の画像の終わりの後ろのデータ"),
    (images.jpeg()[:-2] + HIDDEN_TEXT, "jpg", "読み取れない構造"),  # no end of image
    # a part of a name of one's own, or one that holds a name or a description (an ICC profile)
    (images.png((b"prVt", HIDDEN_TEXT)), "png", "PNG の prVt"),
    (images.png((b"iCCP", b"Photoshop ICC\x00\x00" + zlib.compress(HIDDEN_TEXT))), "png", "PNG の iCCP"),
    (images.png((b"sPLT", HIDDEN_TEXT + b"\x00\x08")), "png", "PNG の sPLT"),
    (images.jpeg((0xE2, b"ICC_PROFILE\x00\x01\x01" + HIDDEN_TEXT)), "jpg", "JPEG のICC プロファイル"),
    (images.jpeg((0xEC, b"Ducky\x00" + HIDDEN_TEXT)), "jpg", "JPEG のセグメント（FFEC）"),
    (b"\xff\xd8\xff\xe0\x00\x13JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x01\x01\x80\x80\x80" + images.jpeg()[20:], "jpg",
     "JPEG のサムネイル"),
    (images.webp((b"ICCP", HIDDEN_TEXT)), "webp", "WebP の ICCP"),
    (images.webp((b"zzZ\x01", HIDDEN_TEXT)), "webp", "WebP の zzZ\\x01"),
    # found by a second attack: text in a chunk the list allows, after the image data's stream or
    # as rows past its height, in JFIF's segment, in GIF extensions the walk passed
    (images.png((b"tIME", HIDDEN_TEXT)), "png", "PNG の tIME の大きさ"),
    (png_with_idat(zlib.compress(b"\x00\x80") + HIDDEN_TEXT), "png", "PNG の画像データの後ろのデータ"),
    (png_with_idat(zlib.compress(b"\x00\x80" + HIDDEN_TEXT)), "png", "PNG の画像データの後ろのデータ"),
    (b"\xff\xd8\xff\xe0" + (16 + len(HIDDEN_TEXT)).to_bytes(2, "big") + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
     + HIDDEN_TEXT + images.jpeg()[20:], "jpg", "JPEG のサムネイル"),
    (images.gif((0x01, HIDDEN_TEXT[:200])), "gif", "GIF のテキスト拡張"),
    (images.gif((0xF9, b"\x00\x00\x00\x00" + HIDDEN_TEXT[:100])), "gif", "GIF の拡張の大きさ"),
    # an icon: its PNG walked as one, nothing between its pictures, a bitmap of its own size only
    (images.ico(images.png((b"tEXt", b"Comment\x00" + HIDDEN_TEXT))), "ico", "ICO のPNG の tEXt"),
    (images.ico(images.bitmap(), images.png() + HIDDEN_TEXT), "ico", "ICO のPNG の画像の終わりの後ろのデータ"),
    (images.ico(images.bitmap() + HIDDEN_TEXT), "ico", "読み取れない構造"),
    (images.ico()[:18] + (22 + len(HIDDEN_TEXT)).to_bytes(4, "little") + HIDDEN_TEXT + images.png(), "ico",
     "ICO の画像の前や間のデータ"),  # the picture placed after a gap
], ids=lambda value: value if isinstance(value, str) else "")
def test_a_reviewed_image_with_text_nobody_sees_in_it_is_refused(data, name, part):
    """A person who reviewed an image saw its picture, not its comment, Exif, XMP or IPTC (found
    by an attack: a withheld passage in a PNG's iTXt was published): such an image is refused,
    naming the part, and one without any is still passed."""
    assert readers.image_metadata(data, name) == part
    message = refusal(data, reviewed=frozenset({name}))
    assert part in message and "exiftool" in message
    assert refusal(gzip.compress(data), "files/x.gz", frozenset({name})) == message  # inside compression too


@pytest.mark.parametrize("data, name", [
    (images.png((b"gAMA", b"\x00\x00\xb1\x8f")), "png"), (images.jpeg((0xDB, b"\x00" * 65)), "jpg"),
    (images.gif((0xF9, b"\x00\x00\x00\x00"), (0xFF, b"NETSCAPE2.0")), "gif"), (images.webp(), "webp"),
    (images.ico(), "ico"), (images.ico(images.bitmap(), images.png()), "ico"),
    (images.jpeg((0xDA, b"\x01\x01\x00\x00\x3f\x00")), "jpg"),  # two scans, a progressive JPEG's way
])
def test_a_reviewed_image_without_such_text_is_passed(data, name):
    assert readers.image_metadata(data, name) == ""
    assert readers.as_text(data, name) in readers.file_text(data, "files/x", frozenset({name}))
