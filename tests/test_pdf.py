"""`gijiroku import` from the PDF itself, and the radical code points that Japanese PDFs give back.

The PDFs in tests/fixtures/pdf/ are the first two pages of the seeds 244 and 136, printed with a
Japanese font by headless Chromium (tests/fixtures/pdf/make_pdfs.py): their text layer gives
丹野委員⻑ and ⽇時, as the Commission's PDFs do in a viewer.
"""

from __future__ import annotations

import io
import shutil
import sys
import unicodedata
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SEEDS
from gijiroku.authoring.importer import import_minutes
from gijiroku.authoring.pdf import extract_pdf_text, is_pdf
from gijiroku.authoring.read import NotMinutes, read_input, read_lines
from gijiroku.check import check
from gijiroku.cli import main
from gijiroku.record.problems import Problem
from gijiroku.record.radicals import RADICAL, SUPPLEMENT, ideograph_for, radical_problems, to_ideographs
from gijiroku.record.registry import load_committee, load_registry

PDFS = FIXTURES / "pdf"
sys.path.insert(0, str(PDFS))
from make_pdfs import MADE, print_pdf, seed_pages, seed_text  # noqa: E402

problems: list[Problem] = []
REGISTRY = load_registry(ROOT, load_committee(ROOT, problems), problems)
CASES = [(PDFS / name, SEEDS / seed, count) for seed, count, name in MADE]


def excerpt(seed: Path, count: int) -> str:
    """The seed's text of the pages the PDF holds, as a text file gives it to the importer."""
    return seed_text(seed_pages(seed.read_text(encoding="utf-8"))[:count])


def test_the_excerpt_of_every_page_is_the_seed_itself():
    """seed_text undoes seed_pages: the whole seed imports the same through them."""
    for _, seed, _ in CASES:
        whole = seed.read_text(encoding="utf-8")
        again = seed_text(seed_pages(whole))
        assert import_minutes(again, REGISTRY).text == import_minutes(whole, REGISTRY).text


@pytest.mark.parametrize("pdf,seed,count", CASES, ids=[c[0].name for c in CASES])
def test_the_pdf_imports_to_the_file_its_text_imports_to(pdf, seed, count):
    found = read_input(str(pdf))
    assert found.pdf and found.radicals > 0
    from_pdf = import_minutes(found.text, REGISTRY, number=int(pdf.name[:3]))
    from_text = import_minutes(excerpt(seed, count), REGISTRY, number=int(pdf.name[:3]))
    assert from_pdf.text == from_text.text
    assert [n.format() for n in from_pdf.notices] == [n.format() for n in from_text.notices]


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium (make chromium)")
@pytest.mark.parametrize("seed", ["000_ba22dd514cf4d661.txt", "003_673e9350a45522c7.txt"])
def test_a_whole_seed_printed_to_pdf_imports_to_the_file_the_seed_imports_to(seed, tmp_path):
    """Every page (11 and 8): page breaks inside paragraphs, 非公表 items, the closing."""
    pdf = tmp_path / "seed.pdf"
    print_pdf(seed_pages((SEEDS / seed).read_text(encoding="utf-8")), pdf)
    found = read_input(str(pdf))
    assert found.pdf and found.radicals > 100
    assert import_minutes(found.text, REGISTRY).text == import_minutes((SEEDS / seed).read_text(encoding="utf-8"), REGISTRY).text


def test_the_pdf_text_layer_has_radicals_and_the_import_has_none():
    from pypdf import PdfReader

    raw = "".join(page.extract_text() for page in PdfReader(str(CASES[0][0])).pages)
    assert "丹野委員⻑" in raw and "⽇時" in raw and "\u2027" in raw  # what Chromium's PDF gives back
    text, radicals = extract_pdf_text(CASES[0][0].read_bytes())
    assert not RADICAL.search(text) and "\u2027" not in text
    assert "丹野委員長" in text and "日時" in text and "・" in text
    assert radicals == len(RADICAL.findall(raw))


def test_the_pdf_text_is_laid_out_as_the_seeds():
    """A blank line after every printed line, the paragraph-end spaces kept, no page break."""
    text, _ = extract_pdf_text(CASES[0][0].read_bytes())
    lines = text.split("\n")
    assert all(line == "" for line in lines[1::2]) and "\f" not in text
    assert lines[0] == " 日時：令和５年５月３１日（水）１４：４０〜 "  # the font draws ～ and 〜 alike
    assert [(line.text, line.indent, line.trailing) for line in read_lines(text)[:2]] == [
        ("日時：令和５年５月３１日（水）１４：４０〜", 0, True), ("場所：個人情報保護委員会 委員会室", 0, True)]


def test_import_of_a_pdf_writes_the_meeting_and_its_source(tmp_path, capsys):
    root = tmp_path / "p"
    root.mkdir()
    for name in ("committee.yml", "docs/commissioners", "docs/agencies", "decisions"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, root / name)
    pdf = CASES[0][0]
    out = root / "minutes" / "244.md"
    assert main(["--root", str(root), "import", str(pdf), "-o", str(out), "--number", "244"]) == 0
    err = capsys.readouterr().err.splitlines()
    source = root / "sources" / "244.txt"
    assert err[0].startswith("警告: 部首の文字 ") and err[0].endswith(" 個を漢字に直しました（⻑ → 長 など。PDF から写すと混じります）。")
    assert err[-1] == f"{out} と出典 {source} に書きました。内容を確かめ、gijiroku check を実行してください。"
    assert source.read_text(encoding="utf-8") == read_input(str(pdf)).text
    assert out.read_text(encoding="utf-8") == import_minutes(source.read_text(encoding="utf-8"), REGISTRY, number=244).text
    # the excerpt ends mid-item: check reports only what the two pages lack, never the source
    _, found = check(root)
    assert [p for p in found if p.path.startswith("sources/") or p.code == "G350"] == []


def test_import_never_overwrites_a_different_source_without_force(tmp_path, capsys):
    out = tmp_path / "minutes" / "244.md"
    source = tmp_path / "sources" / "244.txt"
    source.parent.mkdir(parents=True)
    source.write_text("手で置いた出典\n", encoding="utf-8")
    args = ["--root", str(ROOT), "import", str(SEEDS / "000_ba22dd514cf4d661.txt"), "-o", str(out)]
    assert main(args) == 1
    assert capsys.readouterr().err.endswith(f"gijiroku: 出典「{source}」は既にあります。上書きするときは --force を付けてください。\n")
    assert not out.exists() and source.read_text(encoding="utf-8") == "手で置いた出典\n"
    assert main(args + ["--no-source"]) == 0 and source.read_text(encoding="utf-8") == "手で置いた出典\n"
    out.unlink()
    assert main(args + ["--force"]) == 0
    assert source.read_text(encoding="utf-8") == (SEEDS / "000_ba22dd514cf4d661.txt").read_text(encoding="utf-8")


def test_to_stdout_no_source_is_written(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["--root", str(ROOT), "import", str(CASES[1][0])]) == 0
    assert capsys.readouterr().out.startswith("---\n")
    assert list(tmp_path.iterdir()) == []


def _pdf(make) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    make(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("raw,message", [
    (_pdf(lambda w: None), "PDF に文字がありません（紙を読み取った画像だけの PDF かもしれません）。"
                           "文字を選択できる PDF か、そのテキストを渡してください。"),
    (_pdf(lambda w: w.encrypt("secret", algorithm="RC4-128")),
     "PDF にパスワードがかかっていて読めません。公開されている PDF をそのまま渡してください。"),
    (b"%PDF-1.7\n\x00\x01\x02binary", "PDF を読めません（"),
    (CASES[0][0].read_bytes()[:5000], "PDF を読めません（"),
])
def test_a_pdf_that_cannot_be_read_is_refused_with_a_message(raw, message, tmp_path, capsys):
    path = tmp_path / "in.pdf"
    path.write_bytes(raw)
    assert main(["--root", str(ROOT), "import", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"gijiroku import: {message}") and "Traceback" not in err
    assert not list(tmp_path.glob("sources"))


def test_is_pdf():
    assert is_pdf(b"%PDF-1.4\n") and is_pdf(b"\x00" * 100 + b"%PDF-1.4")
    assert not is_pdf(b"\x00" * 1100 + b"%PDF-1.4") and not is_pdf("日時：令和５年".encode())
    with pytest.raises(NotMinutes):
        read_input("-", io.BytesIO(b"x" * 50_000_001))


# --- the radicals ---------------------------------------------------------------------------


def test_every_supplement_entry_maps_to_a_cjk_unified_ideograph():
    assert len(SUPPLEMENT) == 114  # U+2E81..U+2EF3 less the unassigned U+2E9A
    for radical, ideograph in SUPPLEMENT.items():
        assert 0x2E80 <= radical <= 0x2EFF and unicodedata.name(chr(radical)).startswith("CJK RADICAL ")
        assert unicodedata.name(chr(ideograph)).startswith("CJK UNIFIED IDEOGRAPH-"), hex(radical)


def test_every_kangxi_radical_maps_to_a_cjk_unified_ideograph():
    for code in range(0x2F00, 0x2FD6):
        assert unicodedata.name(ideograph_for(chr(code))).startswith("CJK UNIFIED IDEOGRAPH-"), hex(code)


def test_the_supplement_agrees_with_nfkc_where_nfkc_maps():
    for radical, ideograph in SUPPLEMENT.items():
        folded = unicodedata.normalize("NFKC", chr(radical))
        assert folded in (chr(radical), chr(ideograph))


@pytest.mark.parametrize("text,expected", [
    ("丹野委員⻑", "丹野委員長"), ("⽇時", "日時"), ("個⼈情報", "個人情報"), ("官⺠データ", "官民データ"),
    ("⻘⻯", "青竜"), ("⺀ U+2E80 has none", "⺀ U+2E80 has none"), ("\u2e9a\u2ef4\u2fd6", "\u2e9a\u2ef4\u2fd6"),
    ("日本語のまま", "日本語のまま"),
])
def test_to_ideographs(text, expected):
    assert to_ideographs(text) == expected


def test_radicals_are_refused_with_the_character_and_what_to_write():
    found = radical_problems("一行目\n丹野委員⻑ ⽇時は⽇曜\n⺀\n", "minutes/1.md")
    assert [(p.code, p.line) for p in found] == [("G183", 2), ("G184", 3)]
    assert found[0].message == "部首の文字 ⻑（U+2ED1）、⽇（U+2F47）が含まれています。"
    assert found[0].hint.startswith("⻑ → 長、⽇ → 日 のように、漢字に書き直してください")
    many = radical_problems("⽇\n" * 30, "sources/1.txt")
    assert [p.code for p in many] == ["G183"] * 20 + ["G185"] and many[-1].line == 21
