"""Read the input of `gijiroku import`: a file's bytes (a PDF, authoring/pdf.py, or its text) →
text → the lines of the PDF.

The first stage of the importer (authoring/importer.py): the encodings staff's tools write, and
the artefacts that extracting text from a PDF leaves (double spacing, page numbers, the extra space
at a page break), so that later stages see the lines as printed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..record.problems import printable
from ..record.radicals import RADICAL, to_ideographs
from ..record.text import PRINTED_SPACES


class NotMinutes(Exception):
    """The input cannot be read as minutes; the message says why, in Japanese."""


@dataclass
class Notice:
    """Something the reviewer must look at: shown on standard error, never written into the file."""

    line: int | None  # 1-based line of the input, when there is one
    message: str
    level: str = "警告"  # お知らせ: what the importer found, nothing to correct

    def format(self) -> str:
        """One line for standard error: 警告: 入力 N 行目: …"""
        where = f"入力 {self.line} 行目: " if self.line else ""
        # an invisible character in a quoted label (丹野\u200b委員長) named, as check's messages name it
        return printable(f"{self.level}: {where}{self.message}")


def decode_input(raw: bytes) -> str:
    """Decode the bytes of a text file: UTF-8 (BOM or not), UTF-16 with a BOM, or Shift_JIS."""
    if not raw.strip():
        raise NotMinutes("入力が空です。PDF から写した議事録のテキストを渡してください。")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" in raw:
        raise NotMinutes("入力はテキストでも PDF でもないファイルのようです。"
                         "議事録の PDF か、PDF から写したテキスト（.txt）を渡してください。")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        broken = err
    # A UTF-8 text with a few broken bytes (a bad copy) is no Shift_JIS text: read as one, it became
    # mojibake the importer could not place (found by a clerk's attack). Where it breaks is said.
    replaced = raw.decode("utf-8", errors="replace")
    if replaced.count("\ufffd") <= max(3, sum(1 for ch in replaced if ord(ch) > 0x7F) // 50):
        line = raw[:broken.start].count(b"\n") + 1
        raise NotMinutes(f"入力の文字コードを読めません（{line} 行目、{broken.start + 1} バイト目で UTF-8 として読めないバイト"
                         f" {raw[broken.start:broken.end].hex(' ')}）。UTF-8（または Shift_JIS）のテキストにしてください。")
    try:
        return raw.decode("cp932")
    except UnicodeDecodeError:
        pass
    raise NotMinutes("入力の文字コードを読めません。UTF-8（または Shift_JIS）のテキストにしてください。")


# Characters YAML and the page cannot carry, and that no printed record contains.
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029\x0b]")
INDENT = " \u3000\t"  # what the PDF's lines are indented with
# A page number printed between dashes (- 3 -, －３－) is layout, not the record's wording.
PAGE_NUMBER = re.compile(r"^[ \u3000]*[-－―‐][ \u3000]*[0-9０-９]{1,3}[ \u3000]*[-－―‐][ \u3000]*$")
# A line of digits alone may be a bare page number, or the end of a sentence: kept, and flagged;
# so is a line like the other ways a page is numbered (5 / 20, ページ 5, P.5, 5頁), which joined the
# sentence around it unflagged (…今5 / 20回の計画…, found by a clerk's attack).
_N = "[0-9０-９]{1,3}"
PAGE_NUMBER_LIKE = re.compile(rf"^(?:{_N}|{_N}[ \u3000]*[/／][ \u3000]*{_N}|(?:[PpＰｐ][.．]?|ページ)[ \u3000]*{_N}"
                         rf"|{_N}[ \u3000]*(?:ページ|頁))$")


@dataclass
class Line:
    """One line of the PDF as extracted."""

    number: int  # 1-based line of the input
    text: str  # without indent and trailing whitespace
    indent: int  # leading spaces, after removing the page-break artefact
    trailing: bool  # had trailing whitespace
    width: float  # printed width in full-width characters, indent included
    hard_break: bool = False  # blank line(s) before it that mean a break, not PDF spacing


def char_width(ch: str) -> float:
    """Printed width in full-width characters. A space counts as full: extraction turns the
    record's full-width spaces (after a speaker label, inside titles) into ASCII ones."""
    return 1.0 if ch == " " or unicodedata.east_asian_width(ch) in ("F", "W", "A") else 0.5


def text_width(text: str) -> float:
    """Printed width of the text in full-width characters."""
    return sum(char_width(ch) for ch in text)


def read_lines(text: str) -> list[Line]:
    """The PDF's lines, with the artefacts of its extraction accounted for.

    Text extracted from these PDFs puts a blank line after every line ("double-spaced"). Where a
    page ends, two lines are separated by a single newline instead, and the new page's first line
    carries one extra leading space: that space is removed here so that it is not taken for a
    paragraph indent. In single-spaced input a blank line is a paragraph break, and a form feed
    starts a page.
    """
    text = to_ideographs(_NOT_PRINTABLE.sub("", _LINE_BREAKS.sub("\n", text)))
    raw = text.split("\n")
    nonblank = [i for i, s in enumerate(raw) if s.strip(INDENT + "\f")]
    followed_by_blank = sum(1 for i in nonblank if i + 1 < len(raw) and not raw[i + 1].strip(INDENT + "\f"))
    double = len(nonblank) >= 4 and followed_by_blank >= 0.6 * len(nonblank)
    lines: list[Line] = []
    blanks = 0
    held: int | None = None  # the blank lines before a page break, which those after it do not add to
    page_start = True
    for number, s in enumerate(raw, start=1):
        if "\f" in s:
            s = s.replace("\f", "")
            page_start = True
            if not s.strip(INDENT):  # pdftotext's page break: no blank line of the record
                held = blanks if held is None else held
                continue
        if PAGE_NUMBER.match(s):
            held = blanks if held is None else held
            page_start = True
            continue
        if not s.strip(INDENT):
            blanks += 1
            continue
        if held is not None:  # a sentence that runs on over a page break is one paragraph (found by a clerk's attack)
            blanks, held = held, None
        if double and (page_start or (blanks == 0 and lines)) and s.startswith(" "):
            s = s[1:]  # the page-break artefact
        stripped = s.lstrip(INDENT)
        indent = len(s) - len(stripped)
        body = stripped.rstrip(INDENT)
        hard = bool(lines) and (blanks >= 2 if double else blanks >= 1)
        lines.append(Line(number, body, indent, len(body) < len(stripped),
                          indent + text_width(body), hard))
        blanks = 0
        page_start = False
    return lines


MAX_INPUT_BYTES = 50_000_000  # a 議事録 PDF is well under 5 MB; its text under 200 kB
# What a source file may not hold (record/source.py refuses them): removed from the text written
# to sources/, as from the lines the importer reads.
_NOT_IN_SOURCE = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def source_text(text: str) -> str:
    """The input as the importer reads it: LF line ends, no control or direction characters but
    the form feeds (page breaks, which read_lines reads as such: Input.source drops them), a
    no-break or typographic space a space, radical code points turned into ideographs, ending
    in a newline."""
    text = _LINE_BREAKS.sub("\n", text).translate(PRINTED_SPACES)
    text = _NOT_IN_SOURCE.sub("", _NOT_PRINTABLE.sub("", text))
    text = to_ideographs(text)
    return text if text.endswith("\n") else text + "\n"


@dataclass
class Input:
    """What `gijiroku import` read: the text and where it came from."""

    text: str  # as the importer reads it, form feeds included
    pdf: bool = False
    radicals: int = 0  # radical code points turned into ideographs

    @property
    def source(self) -> str:
        """The text as the source file beside the meeting holds it: a form feed (a page break, not
        a line of the record) removed, not made a line break, so that a sentence that runs over it
        stays one paragraph in the meeting and each line keeps its number (found by a clerk's attack)."""
        return self.text.replace("\f", "")


def read_input(path: str, stdin=None) -> Input:
    """The text of the input file ("-" for standard input), a 議事録 PDF or its text;
    NotMinutes with a message when unreadable."""
    if path == "-":
        if stdin is None:
            import sys

            stdin = sys.stdin.buffer
        raw = stdin.read(MAX_INPUT_BYTES + 1)
    else:
        p = Path(path)
        if p.is_dir():
            raise NotMinutes(f"「{path}」はフォルダです。議事録の PDF かテキストファイルを指定してください。")
        if not p.exists():
            raise NotMinutes(f"ファイル「{path}」が見つかりません。パスを確かめてください。")
        try:
            with p.open("rb") as handle:
                raw = handle.read(MAX_INPUT_BYTES + 1)
        except OSError as err:
            raise NotMinutes(f"ファイル「{path}」を読めません（{err.strerror}）。") from None
    if len(raw) > MAX_INPUT_BYTES:
        raise NotMinutes(f"入力が大きすぎます（上限は {MAX_INPUT_BYTES // 1_000_000} MB）。一回分の議事録か確かめてください。")
    from .pdf import extract_pdf_text, is_pdf

    if is_pdf(raw):
        text, radicals = extract_pdf_text(raw)
        return Input(source_text(text), pdf=True, radicals=radicals)
    decoded = decode_input(raw)
    return Input(source_text(decoded), radicals=len(RADICAL.findall(decoded)) - len(RADICAL.findall(to_ideographs(decoded))))
