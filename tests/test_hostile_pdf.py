"""Hostile PDFs given to `gijiroku import`: each is refused with a Japanese message, quickly,
never with a traceback or a hang. The files are written here byte by byte (a PDF is text with
a table of offsets), so that each holds exactly the one hostile feature it is named for."""

from __future__ import annotations

import time
import zlib

import pytest

from gijiroku.authoring.pdf import extract_pdf_text
from gijiroku.authoring.read import NotMinutes
from gijiroku.cli import main

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (1 0 obj is the catalogue), with a correct cross-reference table."""
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)


def stream(data: bytes, flate: bool = False) -> bytes:
    if flate:
        data = zlib.compress(data, 9)
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(data), b" /Filter /FlateDecode" if flate else b"", data)


def one_page(content: bytes, catalogue: bytes = b"<< /Type /Catalog /Pages 2 0 R >>") -> bytes:
    return pdf([catalogue, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE, content, FONT])


def pages_sharing(content: bytes, count: int) -> bytes:
    """`count` pages that all show the one content stream 4 0 R: a small file, much work."""
    kids = b" ".join(b"%d 0 R" % (6 + i) for i in range(count))
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
                b"null", content, FONT, *([PAGE] * count)])


def _bomb() -> bytes:
    squeeze = zlib.compressobj(9)
    chunk = b"BT /F1 9 Tf (A) Tj ET\n" * 50_000
    data = b"".join(squeeze.compress(chunk) for _ in range(300)) + squeeze.flush()  # 330 MB inflated
    return one_page(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data))


HOSTILE = {
    "stream_bomb": _bomb,
    "cyclic_page_tree": lambda: pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                                     PAGE, stream(b"BT ET"), FONT]),
    "two_million_kids": lambda: pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                     b"<< /Type /Pages /Kids [" + b"3 0 R " * 2_000_000 + b"] /Count 2000000 >>",
                                     PAGE, stream(b"BT /F1 9 Tf (x) Tj ET"), FONT]),
    "deep_nesting": lambda: one_page(stream(b"BT /F1 9 Tf 72 700 Td (x) Tj ET"),
                                     b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 200_000 + b"]" * 200_000 + b" >>"),
    "deep_nesting_in_content": lambda: one_page(stream(b"BT /F1 9 Tf " + b"[" * 200_000 + b"(x)" + b"]" * 200_000 + b" TJ ET")),
    "length_refers_to_itself": lambda: one_page(b"<< /Length 4 0 R >>\nstream\nBT ET\nendstream"),
    "truncated": lambda: one_page(stream(b"BT /F1 9 Tf 72 700 Td (hello) Tj ET"))[:200],
    "encrypted_with_a_password": lambda: pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                              PAGE, stream(b"BT ET"), FONT]).replace(
        b"/Root 1 0 R >>", b"/Root 1 0 R /Encrypt << /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >> "
        b"/ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] >>" % (b"ab" * 32, b"cd" * 32)),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_pdf_is_refused_in_japanese_within_seconds(name, tmp_path, capsys):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(HOSTILE[name]())
    start = time.monotonic()
    status = main(["--root", str(tmp_path), "import", str(path)])
    took = time.monotonic() - start
    err = capsys.readouterr().err
    assert status == 1 and err.startswith("gijiroku import: ") and "予期しない誤り" not in err, err[:300]
    assert "PDF" in err and took < 30, (took, err[:300])


def test_pages_that_share_one_heavy_content_stream_stop_at_the_time_limit():
    heavy = stream(b"BT /F1 9 Tf 72 700 Td (a) Tj ET\n" * 30_000, flate=True)  # well under pypdf's budget per stream
    raw = pages_sharing(heavy, 200)
    assert len(raw) < 100_000  # a small file
    start = time.monotonic()
    with pytest.raises(NotMinutes, match=r"PDF の文字を読むのに時間がかかりすぎます（2 秒で \d+ ページ。全体は 200 ページ）"):
        extract_pdf_text(raw, seconds=2)
    assert time.monotonic() - start < 15
