"""`gijiroku import` from the PDF itself: its text layer, laid out as the importer reads it.

The extractor is pypdf (pure Python, no dependencies). Chosen by test (tests/test_pdf.py): on
PDFs printed with Japanese fonts from the seeds' text, pypdf and pdfminer.six both give back
text that imports to the same meeting file as the seed itself; poppler's `pdftotext` drops the
space at the end of a paragraph's last line, which is how the importer tells a paragraph end
from a line wrap, and pdfminer.six brings two more packages (cryptography among them).

What comes out is normalised to the shape of the seeds: every printed line followed by one blank
line (so that read.py sees the PDF's double spacing and no page-break artefact), page breaks
dropped, radical code points turned back into ideographs (record/radicals.py) and look-alike
punctuation into what was printed (LOOKALIKES).
"""

from __future__ import annotations

import io
import logging
import time

from ..record.radicals import RADICAL, to_ideographs
from .read import INDENT, NotMinutes

MAX_PAGES = 1000
# pypdf bounds the work of one page's content stream (about 3 s at its limit), not of the file:
# a page tree that shows one such stream on every page would take an hour. The Commission's
# longest 議事録 reads in a few seconds.
MAX_SECONDS = 120
# Punctuation that a CJK font draws with the glyph of another character, so that the text layer
# gives the other one back: Noto Sans CJK's katakana middle dot ・ comes out as U+2027 HYPHENATION
# POINT, which no Japanese record prints.
LOOKALIKES = str.maketrans({"\u2027": "\u30fb"})  # the longest 議事録 has a few dozen pages; far above that is not minutes


def is_pdf(raw: bytes) -> bool:
    """Whether the bytes are a PDF file (its header may follow up to 1 KB of other bytes)."""
    return b"%PDF-" in raw[:1024]


def extract_pdf_text(raw: bytes, seconds: float = MAX_SECONDS) -> tuple[str, int]:
    """The printed lines of a PDF, one a line with a blank line after each, and how many radical
    code points were turned into ideographs; reading stops after about `seconds`. Raises
    NotMinutes with a Japanese message."""
    from pypdf import PdfReader

    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)  # pypdf warns in English about harmless oddities of a file
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise NotMinutes("PDF にパスワードがかかっていて読めません。公開されている PDF をそのまま渡してください。")
        if len(reader.pages) > MAX_PAGES:
            raise NotMinutes(f"PDF のページが多すぎます（{len(reader.pages)} ページ。上限は {MAX_PAGES}）。"
                             "一回分の議事録の PDF か確かめてください。")
        deadline = time.monotonic() + seconds
        pages = []
        for page in reader.pages:
            if time.monotonic() > deadline:
                raise NotMinutes(f"PDF の文字を読むのに時間がかかりすぎます（{seconds:g} 秒で {len(pages)} ページ。"
                                 f"全体は {len(reader.pages)} ページ）。一回分の議事録の PDF か確かめてください。"
                                 "委員会のサイトの PDF なら、PDF から写したテキストを渡してください。")
            pages.append(page.extract_text() or "")
    except NotMinutes:
        raise
    except Exception as err:  # a damaged or hostile file: pypdf raises many kinds of error
        detail = " ".join(str(err).split())[:120]
        raise NotMinutes(f"PDF を読めません（{type(err).__name__}: {detail}）。"
                         "委員会のサイトから PDF をもう一度保存するか、PDF から写したテキストを渡してください。") from None
    finally:
        logger.setLevel(level)
    lines = [line.rstrip("\r") for page in pages for line in page.split("\n")]
    text = "".join(line + "\n\n" for line in lines if line.strip(INDENT))
    if not text:
        raise NotMinutes("PDF に文字がありません（紙を読み取った画像だけの PDF かもしれません）。"
                         "文字を選択できる PDF か、そのテキストを渡してください。")
    folded = to_ideographs(text.translate(LOOKALIKES))
    return folded, len(RADICAL.findall(text)) - len(RADICAL.findall(folded))
