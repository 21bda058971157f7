"""Hostile inputs, class 4 of issue 11: the disclosure verifier's blind spots.

The verifier must (a) read the sources without honouring a construct the parser does not (a
line of three backticks in a speech hid every later withheld region), (b) match a withheld
turn without its `○label` (a short turn was never matched), (c) read every output file or
refuse it, and (d) undo every encoding a page can carry (percent, JSON, entities, CSS, base64,
data: URLs, reversed text, ruby). Leaks are injected on purpose: a file under docs/ (MkDocs
copies it to the site) for a real build, or a file written into a copy of a built site for a
call to `verify_site`. Fixtures: tests/fixtures/hostile/verifier/.
"""

from __future__ import annotations

import base64
import bz2
import gzip
import html
import json
import lzma
import shutil
import zipfile
import zlib
from pathlib import Path
from urllib.parse import quote

import images
import pytest
from hostile import assert_absent, assert_refused, build_site, readings, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXED_EPOCH, FIXTURES, build_on_fixed_date, make_project, write
from gijiroku.disclosure import readers, secrets, verify
from gijiroku.disclosure.markers import scan_body
from gijiroku.disclosure.public import build_date, public_record
from gijiroku.record.loader import load_record

HERE = FIXTURES / "hostile" / "verifier"
BUILD_DAY = build_date({"SOURCE_DATE_EPOCH": FIXED_EPOCH})
PASSAGE = "囲み符号の後ろに隠れた非公表の文、合言葉は青い梟×赤い鷹です。"  # minutes/11.md:25, withheld
WHERE = "minutes/11.md:25"
SHORT = "秘密です"  # minutes/12.md:21, a withheld turn of four characters
MEETINGS = {11: "fence-in-speech", 12: "short-turn", 13: "too-short-turn"}


def hostile_project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "p")
    for number, case in MEETINGS.items():
        shutil.copy(HERE / f"{case}.md", root / "minutes" / f"{number}.md")
    return root


def window_with(passage: str, char: str) -> str:
    """A window of the passage (as the verifier cuts them) that contains `char`: a leak of just
    these characters is found only if `char` is read right."""
    folded = verify.fold(passage)
    windows = verify._windows(passage)
    return next(w for w in windows if char in w and w in folded)


# --- (a) and (b): the sources read independently ----------------------------------------------------

def test_the_fixtures_pass_check_and_the_parser_withholds_them(tmp_path):
    """The control: the sources are valid, and a built site holds neither withheld passage."""
    root = hostile_project(tmp_path)
    result = run(root, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    site = build_site(root)
    assert_absent(site, PASSAGE, "青い梟×赤い鷹")
    page = (site / "meetings" / "12" / "index.html").read_text(encoding="utf-8")
    assert SHORT not in page and "（内容について非公表）" in page


def test_a_backtick_fence_in_a_speech_hides_no_later_region_from_the_verifier(tmp_path):
    root = hostile_project(tmp_path)
    write(root / "docs" / "notes" / "leak.txt", f"写し: {PASSAGE[5:19]}\n")
    output = assert_refused(root, WHERE)
    assert f"notes/leak.txt: {WHERE} の非公表の本文が出力に含まれています" in output


def test_a_short_withheld_turn_is_matched_without_its_label(tmp_path):
    root = hostile_project(tmp_path)
    write(root / "docs" / "notes" / "short.txt", f"メモ {SHORT}\n")
    output = assert_refused(root, "minutes/12.md:21")
    assert f"notes/short.txt: minutes/12.md:21 の非公表の本文が出力に含まれています（「{SHORT}」）" in output


def test_check_warns_on_a_withheld_passage_too_short_to_verify(tmp_path):
    root = hostile_project(tmp_path)
    result = run(root, "check")
    assert result.returncode == 0  # a warning is no error: the passage is still withheld
    assert result.stdout == "問題はありません。\n"  # warnings go to standard error
    assert result.stderr.startswith("警告 minutes/13.md:21: 非公表の文「秘密」は 2 文字しかなく、漏えい検証で照合できません")
    assert "minutes/12.md" not in result.stdout  # four characters are verified
    assert "1 件の警告があります" in result.stderr


def test_passages_drop_the_label_and_markdown():
    assert secrets.passages("○丹野委員長 秘密です") == ["秘密です"]
    assert secrets.passages("- **重要**な[文書](https://example.jp/a) | 表の欄 |") == ["重要な", "文書", "https://example.jp/a", "表の欄"]
    assert secrets.passages("（内容について非公表）") == []


LINES = [
    "<!-- 非公表 -->", "<!-- /非公表 -->", "```", "~~~", "本文です。", "○井上委員長 発言です。", "",
    " <!-- 非公表 -->", "<!-- 非公表-->", "<!--非公表-->", "＜!-- 非公表 --＞", "＜！－－ 非公開 －－＞",
    "&lt;!-- 非公表 --&gt;", "&lt;!-- /非公表 --&gt;", "<!-- 非公式 -->", "<!-- 表 -->", "<!- 非公表 ->",
    "< ! - - 非 公 表 - - >", "<!-- / 非公表 -->", "文＜!-- 非公表 --＞秘＜!-- /非公表 --＞文",
    "<!-- 非公開 -->", "<!-- /非開示 -->", "（内容について非公表）", "## 見出し",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LINES) | st.text(alphabet="あ秘<>!-/ 非公表`", max_size=12), max_size=14),
       st.booleans())
def test_the_verifier_withholds_at_least_what_the_parser_withholds(lines, markdown):
    """Whatever the body, every line the parser (`scan_body`, either mode) withholds is
    withheld by the verifier's own reading too, for every body the parser accepts (a body with
    a marker problem is never published: the build refuses the whole site)."""
    body = "\n".join(f"{line}{i}" if line and not line.startswith(("<", "＜", "&", "`", "~", " ")) else line
                     for i, line in enumerate(lines))
    problems: list = []
    parsed = scan_body(body, 1, "x.md", problems, markdown=markdown)
    if problems:
        return
    ours = {number for number, _ in secrets.withheld_lines(body)}
    for line in parsed:
        if line.withheld and line.marker is None and secrets.passages(_without_markers(line.text)):
            assert line.number in ours, (body, line)


def _without_markers(text: str) -> str:
    """A line with its marker-like spans cut out (a malformed marker line is withheld by the
    parser, and holds nothing to withhold but itself)."""
    folded = secrets._fold_line(text)
    marks = secrets._markers(folded)
    return secrets._strip_spans(folded, marks) if marks else text


# --- (c): every output file read or refused ----------------------------------------------------------

REFUSED = {  # fixture file -> what the refusal names
    "canary.pdf": "docs/files/canary.pdf（出力 files/canary.pdf）: PDFは読めない",
    "canary.docx": "docs/files/canary.docx（出力 files/canary.docx）: ZIP",
    "canary-shift_jis.txt": "docs/files/canary-shift_jis.txt（出力 files/canary-shift_jis.txt）: UTF-8 ではないテキスト",
    "canary-utf16.txt": "docs/files/canary-utf16.txt（出力 files/canary-utf16.txt）: UTF-8 ではないテキスト",
    "canary-utf16be-nobom.txt": "docs/files/canary-utf16be-nobom.txt（出力 files/canary-utf16be-nobom.txt）: UTF-8 ではない",
    "canary-euc_jp.txt": "docs/files/canary-euc_jp.txt（出力 files/canary-euc_jp.txt）: UTF-8 ではないテキスト",
    "canary-iso2022jp.txt": "docs/files/canary-iso2022jp.txt（出力 files/canary-iso2022jp.txt）: 制御文字（U+001B）",
    # decompressed, then read: refused as the leak they hold
    "canary.txt.bz2": f"files/canary.txt.bz2: {WHERE} の非公表の本文",
    "canary.txt.xz": f"files/canary.txt.xz: {WHERE} の非公表の本文",
    "canary.txt.gz.gz": f"files/canary.txt.gz.gz: {WHERE} の非公表の本文",
}


ENCODINGS = {"canary-shift_jis.txt": "shift_jis", "canary-utf16.txt": "utf-16", "canary-utf16be-nobom.txt": "utf-16-be",
             "canary-euc_jp.txt": "euc_jp", "canary-iso2022jp.txt": "iso2022_jp"}


def test_every_canary_file_holds_the_passage():
    """The fixtures are what they claim: each holds the withheld passage, read by a decoder
    independent of the verifier."""
    for name in REFUSED:
        data = (HERE / name).read_bytes()
        if name.endswith(".pdf"):
            start = data.index(b"stream\n") + len(b"stream\n")
            text = zlib.decompress(data[start:data.index(b"\nendstream")]).decode("utf-8")
            assert PASSAGE.encode("utf-8") not in data
        elif name.endswith(".docx"):
            text = zipfile.ZipFile(HERE / name).read("word/document.xml").decode("utf-8")
            assert PASSAGE.encode("utf-8") not in data
        elif name in ENCODINGS:
            text = data.decode(ENCODINGS[name])
            assert PASSAGE not in data.decode("utf-8", errors="ignore")
        else:
            text = "\n".join(readings(HERE / name))
            assert PASSAGE not in data.decode("utf-8", errors="ignore")
        assert PASSAGE in text, name


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_an_unreadable_or_leaking_file_under_docs_is_refused(tmp_path, name):
    root = hostile_project(tmp_path)
    (root / "docs" / "files").mkdir()
    shutil.copy(HERE / name, root / "docs" / "files" / name)
    assert_refused(root, REFUSED[name])


def test_a_readable_compressed_file_and_a_reviewed_image_are_published(tmp_path):
    root = hostile_project(tmp_path)
    (root / "docs" / "files").mkdir()
    shutil.copy(HERE / "pixel.png", root / "docs" / "files" / "pixel.png")
    assert_refused(root, "docs/files/pixel.png（出力 files/pixel.png）: PNG 画像は読めない")
    committee = root / "committee.yml"
    committee.write_text(committee.read_text(encoding="utf-8") + "reviewed_file_types: [png]\n", encoding="utf-8")
    shutil.copy(HERE / "clean.txt.bz2", root / "docs" / "files" / "clean.txt.bz2")
    site = build_site(root)
    assert (site / "files" / "pixel.png").read_bytes() == (HERE / "pixel.png").read_bytes()
    assert bz2.decompress((site / "files" / "clean.txt.bz2").read_bytes()).decode() == "公開してよいメモです。\n"


def test_a_reviewed_image_with_a_withheld_passage_in_its_metadata_is_refused(tmp_path):
    """A person reviewed the picture; the passage in its iTXt chunk is no part of it (an attack)."""
    root = hostile_project(tmp_path)
    (root / "docs" / "files").mkdir()
    chunk = b"Comment\x00\x00\x00\x00\x00" + PASSAGE.encode()
    (root / "docs" / "files" / "figure.png").write_bytes(images.png((b"iTXt", chunk)))
    committee = root / "committee.yml"
    committee.write_text(committee.read_text(encoding="utf-8") + "reviewed_file_types: [png]\n", encoding="utf-8")
    output = assert_refused(root, "docs/files/figure.png（出力 files/figure.png）")
    assert "PNG の iTXt" in output and "exiftool" in output


def test_the_toolchain_binaries_are_recognised_byte_for_byte():
    wasm = b"\x00asm\x01\x00\x00\x00"  # no WebAssembly is the toolchain's any more
    with pytest.raises(readers.Refused, match="WebAssembly"):
        readers.file_text(gzip.compress(wasm), "pagefind/wasm.unknown.pagefind", frozenset())
    theme = readers._package_dir("material") / "templates" / "assets" / "images" / "favicon.png"
    assert readers.file_text(theme.read_bytes(), "assets/images/favicon.png", frozenset()) is None
    with pytest.raises(readers.Refused, match="PNG"):  # the same path, other bytes
        readers.file_text((HERE / "pixel.png").read_bytes(), "assets/images/favicon.png", frozenset())


# --- (d): encodings a page can carry ---------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = hostile_project(tmp_path_factory.mktemp("verifier"))
    build_on_fixed_date(root)
    return root


def leaks_in_copy(built: Path, tmp_path: Path, inject) -> list[tuple[str, str, int]]:
    """Copy the built site, let `inject(site)` write into it, and verify the copy."""
    site = tmp_path / "site"
    shutil.copytree(built / "site", site)
    for name in ("minutes", "decisions", "docs", "committee.yml"):
        (tmp_path / name).symlink_to(built / name)
    inject(site)
    record, _ = load_record(built)
    leaks, _ = verify.verify_site(tmp_path, site, record, public_record(record, BUILD_DAY), BUILD_DAY,
                                  verify.template_text())
    return [(leak.output, leak.secret.path, leak.secret.line) if isinstance(leak, verify.Leak)
            else (leak.output, "読めない", leak.kind) for leak in leaks]


EXCERPT = PASSAGE[3:17]  # 14 characters: holds a whole window wherever it is cut
CROSS = window_with(PASSAGE, "×")  # a window read only if × is


def _entities(text: str, hexadecimal: bool = False) -> str:
    return "".join(f"&#x{ord(c):x};" if hexadecimal else f"&#{ord(c)};" for c in text)


ENCODED = {  # case -> (file under the site, its content)
    "percent": ("leak.txt", quote(EXCERPT)),
    "json-escape": ("leak.json", json.dumps({"t": EXCERPT})),
    "json-surrogates": ("leak.json", json.dumps({"t": EXCERPT.replace("の", "𠮷")}) + json.dumps(EXCERPT)),
    "numeric-entities": ("leak.html", f"<p>{_entities(EXCERPT)}</p>"),
    "hex-entities": ("leak.html", f"<p>{_entities(EXCERPT, hexadecimal=True)}</p>"),
    "named-entity": ("leak.html", f"<p>{html.escape(CROSS).replace('×', '&times;')}</p>"),
    "percent-of-entities": ("leak.txt", quote(_entities(EXCERPT))),
    "entity-of-entities": ("leak.html", "<p>" + _entities(EXCERPT).replace("&", "&amp;") + "</p>"),
    "percent-of-json": ("leak.txt", quote(json.dumps(EXCERPT))),
    "data-url": ("leak.html", f'<a href="data:text/plain;base64,{base64.b64encode(EXCERPT.encode()).decode()}">x</a>'),
    "data-url-gzip": ("leak.html", '<img src="data:application/gzip;base64,'
                      f'{base64.b64encode(gzip.compress(EXCERPT.encode())).decode()}">'),
    "base64-run": ("leak.json", json.dumps({"blob": base64.b64encode(EXCERPT.encode()).decode()})),
    "base64-urlsafe": ("leak.js", f'const b = "{base64.urlsafe_b64encode(EXCERPT.encode()).decode().rstrip("=")}";'),
    "reversed-bdo": ("leak.html", f'<bdo dir="rtl">{EXCERPT[::-1]}</bdo>'),
    "reversed-rlo": ("leak.txt", "\u202e" + EXCERPT[::-1] + "\u202c"),
    "ruby": ("leak.html", "<ruby>" + "".join(f"{c}<rp>(</rp><rt>ひ</rt><rp>)</rp>" for c in EXCERPT) + "</ruby>"),
    "css-content": ("leak.css", 'p::after{content:"' + "".join(f"\\{ord(c):x} " for c in EXCERPT) + '"}'),
    "css-in-style-attribute": ("leak.html", '<p style="--x:\'' + "".join(f"\\{ord(c):06x}" for c in EXCERPT) + "'\"></p>"),
    "bidi-controls": ("leak.txt", "\u2066".join(EXCERPT)),
    "variation-selectors": ("leak.txt", "\ufe00".join(EXCERPT)),
    "double-gzip": ("leak.txt.gz", gzip.compress(gzip.compress(EXCERPT.encode()))),
}


@pytest.mark.parametrize("case", sorted(ENCODED))
def test_an_encoded_leak_is_caught(built, tmp_path, case):
    name, content = ENCODED[case]

    def inject(site):
        target = site / name
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    assert leaks_in_copy(built, tmp_path, inject) == [(name, "minutes/11.md", 25)]


def test_an_index_chunk_written_with_a_withheld_passage_is_found(built, tmp_path):
    """A chunk of an indexer gone wrong, beside the real ones (listed nowhere): read back in full."""
    from gijiroku.search import postings, reader, tokens

    def inject(site):
        folder = reader.index_dir(site)
        facets = json.loads(gzip.decompress((folder / "facets.json.gz").read_bytes()))
        pages = [[] for _ in facets["index"]["pages"]]
        pages[-1] = [tokens.search_chars(EXCERPT)]
        extra = postings.build(pages)
        facets["index"]["chars"] = extra.chars  # the table the forged chunk is written with
        (folder / "facets.json.gz").write_bytes(gzip.compress(json.dumps(facets, ensure_ascii=False).encode()))
        for old in (folder / reader.CHUNKS).iterdir():
            old.unlink()
        for chunk in extra.chunks:
            (folder / reader.CHUNKS / chunk.name).write_bytes(chunk.data)

    found = leaks_in_copy(built, tmp_path, inject)
    assert found and {(output.split("（")[0], source) for output, source, _ in found} == {("search/index", "minutes/11.md")}


def test_a_broken_index_chunk_is_refused(built, tmp_path):
    def inject(site):
        chunk = sorted((site / "search" / "index").glob("*.bin.gz"))[0]
        good = gzip.decompress(chunk.read_bytes())
        chunk.write_bytes(gzip.compress(good + EXCERPT.encode("shift_jis")))  # a chunk, then bytes unseen

    found = leaks_in_copy(built, tmp_path, inject)
    assert [(output, what) for output, what, _ in found] == [("search/index", "読めない")]
    assert found[0][2] == "読めない検索索引（ValueError）"


def test_compressed_files_nest_to_a_limit():
    data = "公開".encode()
    for _ in range(readers.NESTING):
        data = gzip.compress(data)
    assert readers.decompress(data) == ("公開".encode(), readers.NESTING)
    with pytest.raises(readers.Refused, match="重を超えて"):
        readers.decompress(bz2.compress(data))
    assert readers.decompress(lzma.compress(b"x")) == (b"x", 1)


@pytest.mark.parametrize("marker", ["ᐸ!-- 非公表 --ᐳ", "⟨!-- 非公表 --⟩", "%3C!-- 非公表 --%3E", "%253C!-- 非公表 --%253E"])
def test_the_verifier_reads_look_alike_brackets_and_escapes_as_the_parser_does(marker):
    """Look-alikes the parser refuses and withholds (found by the attack on the merged work):
    the verifier's own reading opens a region at them too."""
    body = f"{marker}\n秘密の文です。\n<!-- /非公表 -->\n"
    problems: list = []
    parsed = scan_body(body, 1, "x.md", problems)
    assert problems and [line.number for line in parsed if line.withheld and line.text == "秘密の文です。"] == [2]
    assert secrets.withheld_lines(body) == [(2, "秘密の文です。")]
