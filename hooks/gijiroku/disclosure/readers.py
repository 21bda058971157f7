"""Every output file read as text, or refused: the verifier's file decoding.

A file's type is decided by its bytes, never by its name alone. Compressed files (gzip, bzip2,
xz), nested to any depth up to `NESTING`, are decompressed. What remains must be one of:

- text: strict UTF-8 with no control characters but tab, line feed, carriage return and form
  feed (so Shift_JIS, EUC-JP, UTF-16 and ISO-2022-JP text are refused, not read as noise);
- a chunk of the site's search index (gzip, `GKIX1`, numbers only: `search/postings.py`), left
  to the search-index check, which reads every chunk in full, when it sits in the index's
  folder and that check runs (anywhere else it is refused as bytes that are not text);
- a file that the installed Material theme ships byte for byte at the same path (its scripts,
  stylesheets and favicon): nothing in it comes from the sources, so it is not read;
- a type that committee.yml lists under `reviewed_file_types` (images a person has looked at),
  if it is a PNG, JPEG, GIF, WebP or ICO holding nothing but its picture (`pictures.py`).

Anything else (PDF, ZIP and Office documents, images not listed, unknown bytes) is refused with
the file named: a compressed PDF stream or a DOCX cannot be proven free of withheld text here.

Text is then made readable as a reader or an indexer would recover it (`text_of`): markup
reduced to its text nodes, attribute values and comments (and once more without ruby
annotations), then HTML entities, JSON and CSS escapes and percent-encoding undone until
nothing changes; text that then has the shape of tags (markup a decoding revealed, an SVG in a
`data:` URL) is read once more without them, and the payloads of `data:` URLs and of base64
runs decoded and appended.
"""

from __future__ import annotations

import base64
import binascii
import bz2
import contextlib
import gzip
import html
import importlib.util
import io
import lzma
import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ..record.problems import printable
from .pictures import WALKED, as_text, image_metadata  # noqa: F401 - image_metadata is part of this API

NESTING = 8  # compression inside compression, as deep as anyone would bother
LIMIT = 256_000_000  # bytes a decompressed file may reach; a bigger one is refused, not read

INDEX_SIGNATURE = b"GKIX1"  # search/postings.py MAGIC (not imported: the verifier stays apart from search)
INDEX_FOLDER = "search/index/"  # search/reader.py DATA / CHUNKS


@dataclass(frozen=True)
class Unreadable:
    """An output file the verifier cannot read, so cannot prove clean."""

    output: str  # file under the site, relative
    kind: str  # what it is, in Japanese
    source: str | None = None  # the docs/ file MkDocs copied it from, when there is one

    def format(self) -> str:
        where = printable(f"{self.source}（出力 {self.output}）" if self.source else self.output)
        return (f"{where}: {self.kind}は読めないため、非公表の本文が含まれていないことを確かめられません。"
                "\n    対処: このファイルを docs/ から除くか、UTF-8 のテキストにしてください。人が中身を確かめた"
                f"画像（{'・'.join(WALKED)}）なら、committee.yml の reviewed_file_types に加えてください。")


class Refused(Exception):
    """Raised while reading a file that must be refused; the message says what it is."""


# -- types by their bytes ----------------------------------------------------------------------

def _ftyp(data: bytes) -> str | None:
    if data[4:8] != b"ftyp":
        return None
    brand = data[8:12]
    return "avif" if brand in (b"avif", b"avis") else "heic" if brand.startswith(b"hei") or brand == b"mif1" else "mp4"


_MAGIC = [  # (prefix, type name as committee.yml writes it, what it is in a message)
    (b"\x89PNG\r\n\x1a\n", "png", "PNG 画像"),
    (b"\xff\xd8\xff", "jpg", "JPEG 画像"),
    (b"GIF87a", "gif", "GIF 画像"),
    (b"GIF89a", "gif", "GIF 画像"),
    (b"\x00\x00\x01\x00", "ico", "ICO アイコン"),
    (b"BM", "bmp", "BMP 画像"),
    (b"II*\x00", "tiff", "TIFF 画像"),
    (b"MM\x00*", "tiff", "TIFF 画像"),
    (b"%PDF", "pdf", "PDF"),
    (b"PK\x03\x04", "zip", "ZIP（DOCX・XLSX など Office 文書を含む）"),
    (b"PK\x05\x06", "zip", "ZIP（DOCX・XLSX など Office 文書を含む）"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "旧形式の Office 文書（DOC・XLS など）"),
    (b"{\\rtf", "rtf", "RTF 文書"),
    (b"\x00asm", "wasm", "WebAssembly"),
    (b"wOFF", "woff", "WOFF フォント"),
    (b"wOF2", "woff2", "WOFF2 フォント"),
    (b"\x00\x01\x00\x00", "ttf", "TrueType フォント"),
    (b"OTTO", "otf", "OpenType フォント"),
    (b"7z\xbc\xaf\x27\x1c", "7z", "7-Zip 書庫"),
    (b"Rar!", "rar", "RAR 書庫"),
    (b"\x28\xb5\x2f\xfd", "zst", "Zstandard 圧縮"),
    (b"\x04\x22\x4d\x18", "lz4", "LZ4 圧縮"),
    (b"ID3", "mp3", "MP3 音声"),
    (b"OggS", "ogg", "Ogg 音声"),
    (b"\x1aE\xdf\xa3", "webm", "WebM 動画"),
]
_NAMES = {"avif": "AVIF 画像", "heic": "HEIC 画像", "mp4": "MP4 動画", "webp": "WebP 画像", "wav": "WAV 音声"}


def binary_type(data: bytes) -> tuple[str, str] | None:
    """(type name, what it is) of a known binary format, from its first bytes; None if none."""
    for prefix, name, what in _MAGIC:
        if data.startswith(prefix):
            return name, what
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE"):
        name = "webp" if data[8:12] == b"WEBP" else "wav"
        return name, _NAMES[name]
    if (name := _ftyp(data)) is not None:
        return name, _NAMES[name]
    return None


def _read_limited(stream) -> bytes:
    return _limited(stream.read(LIMIT + 1))


def _limited(data: bytes) -> bytes:
    if len(data) > LIMIT:
        raise Refused(f"展開すると {LIMIT // 1_000_000} MB を超えるファイル")
    return data


def _gunzip(data: bytes) -> bytes:
    """What `gzip.GzipFile` reads from `data` (every member, the zero bytes between them skipped,
    each member's header, checksum and length checked), never more than LIMIT + 1 bytes, in one
    call per member: GzipFile reads through three layers of buffered streams, which took three
    quarters of the verifier's time on the search index's 14,000 small files at 1000 meetings
    (0.76 s against 0.21)."""
    out, size = [], 0
    while data:
        _gzip_header_holds_no_text(data)
        inflate = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # one gzip member, its trailer checked
        out.append(inflate.decompress(data, LIMIT + 1 - size))
        size += len(out[-1])
        if size > LIMIT:
            break
        if not inflate.eof:  # cut short (the output is cut at LIMIT + 1 only, above)
            raise EOFError("Compressed file ended before the end-of-stream marker was reached")
        data = inflate.unused_data.lstrip(b"\x00")  # the next member, as GzipFile reads on
        if data and not data.startswith(b"\x1f\x8b"):
            raise gzip.BadGzipFile("Not a gzipped file")
    return _limited(b"".join(out))


_FEXTRA, _FNAME, _FCOMMENT = 0x04, 0x08, 0x10
_PLAIN_NAME = re.compile(rb"[A-Za-z0-9._-]{1,255}")


def _gzip_header_holds_no_text(member: bytes) -> None:
    """A gzip member's header may hold text that no reader of its content sees: a comment, extra
    fields, the original file's name. The verifier reads only the content, so a member with a
    comment or extra fields is refused, and one with a name unless it is a plain file name
    (letters, digits, `.`, `_`, `-`: what `gzip` writes for sitemap.xml or data.csv; a name in
    Japanese could be a withheld passage)."""
    flags = member[3] if len(member) > 3 else 0
    if flags & (_FEXTRA | _FCOMMENT):
        raise Refused("ヘッダーにコメントか追加フィールドのある gzip ファイル（gzip -n で圧縮し直してください）")
    if flags & _FNAME:
        end = member.find(b"\x00", 10)
        if end < 0 or not _PLAIN_NAME.fullmatch(member[10:end]):
            raise Refused("ヘッダーに英数字以外の元のファイル名がある gzip ファイル（gzip -n で圧縮し直してください）")


def _reader(opener):
    """A decompressor that reads a file object of `opener` up to the limit."""
    def read(data: bytes) -> bytes:
        with opener(io.BytesIO(data)) as stream:
            return _read_limited(stream)
    return read


_COMPRESSED = [(b"\x1f\x8b", _gunzip), (b"BZh", _reader(bz2.BZ2File)), (b"\xfd7zXZ\x00", _reader(lzma.LZMAFile))]


def decompress(data: bytes) -> tuple[bytes, int]:
    """The bytes inside any nesting of gzip, bzip2 and xz, and how many layers there were."""
    for depth in range(NESTING + 1):
        inflate = next((d for magic, d in _COMPRESSED if data.startswith(magic)), None)
        if inflate is None:
            return data, depth
        try:
            data = inflate(data)
        except (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError) as err:
            raise Refused(f"壊れた圧縮ファイル（{type(err).__name__}）") from None
    raise Refused(f"{NESTING} 重を超えて圧縮されたファイル")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def strict_text(data: bytes) -> str:
    """The bytes as UTF-8 text, or Refused: another encoding is not read as noise."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("UTF-8 ではないテキスト（Shift_JIS・EUC-JP・UTF-16 など）か、不明な形式のファイル") from None
    if m := _CONTROL.search(text):
        raise Refused(f"制御文字（U+{ord(m.group(0)):04X}）を含むファイル（UTF-16 や ISO-2022-JP のテキスト、バイナリなど）")
    return text


# -- files the toolchain writes ----------------------------------------------------------------

def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def shipped_by_toolchain(rel: str, data: bytes) -> bool:
    """Whether an output file is byte for byte one that the installed Material theme ships at
    the same path."""
    theme = _package_dir("material")
    shipped = theme / "templates" / rel if theme else None
    return bool(shipped and shipped.is_file() and shipped.read_bytes() == data)


# -- from bytes to text ------------------------------------------------------------------------

def file_text(data: bytes, rel: str, reviewed: frozenset[str], index_chunks: bool = False) -> str | None:
    """The text of an output file's bytes (`rel` its path under the site), None for a file that
    holds no text to read (a toolchain binary), or Refused; a reviewed image's is its bytes
    decoded (`pictures.as_text`). `index_chunks`
    says that the search-index check decodes the index chunks in full."""
    if rel.startswith("assets/") and shipped_by_toolchain(rel, data):
        return None  # the theme's own file, unchanged: it holds nothing from the sources
    inner, layers = decompress(data)
    if index_chunks and layers and inner.startswith(INDEX_SIGNATURE) and rel.startswith(INDEX_FOLDER) \
            and "/" not in rel[len(INDEX_FOLDER):]:
        return None  # numbers only; verify.scan_search_index reads every file of the folder in full
    kind = binary_type(inner)
    if kind is not None:
        if kind[0] in reviewed and kind[0] not in WALKED:  # no way to show it holds no text nobody sees
            raise Refused(f"{kind[1]}（committee.yml の reviewed_file_types に挙げても、画面に出ない文字を確かめられない"
                          f"種類は公開しません。{'・'.join(WALKED)} の画像に変換してください）")
        if kind[0] in reviewed:  # (the theme's own binaries are all under assets/, passed above)
            hidden = image_metadata(inner, kind[0])
            if hidden:  # a person looked at the picture, not at this
                raise Refused(f"文字を持てるメタデータ（{hidden}）のある{kind[1]}（人が確かめた種類でも、画面に出ない"
                              "メタデータは確かめられないため公開しません。exiftool -all= などで除いてください）")
            # bytes no viewer shows within the parts it walked (pictures.as_text), read as any text is
            return _image_text(as_text(inner, kind[0]), rel, reviewed)
        raise Refused(kind[1])
    return text_of(strict_text(inner), rel, reviewed)


_MARKUP = (".html", ".htm", ".xml", ".svg", ".xhtml", ".xsl")
_TAG = re.compile(r"<[^<>]*>")
# A tag by its shape, for text that is not markup by its name: `a<b || c>d` in a script is none.
_ELEMENT = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
_RUBY = re.compile(r"<(rt|rp)\b[^<>]*>.*?</\1\s*>", re.S | re.I)
_RUBY_TAG = re.compile(r"<r[tp]\b", re.I)
_ATTR_DOUBLE = re.compile(r'=\s*"([^"]*)"')
_ATTR_OTHER = re.compile(r"=\s*(?:'([^']*)'|([^\s\"'>]+))")
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_JSON_ESCAPE = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})|\\u([0-9a-f]{4})|\\u\{([0-9a-f]{1,6})\}", re.I)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n]?")
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# The payload may be broken by ASCII whitespace, which browsers drop before they decode it.
_DATA_URL = re.compile(r"data:[^,\s\"'<>]{0,100}?;base64,([A-Za-z0-9+/= \t\n\f\r]+)", re.I)
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
ROUNDS = 4  # decodings applied in turn until nothing changes: an entity inside a percent-escape …


def _json_char(m: re.Match) -> str:
    if m.group(1):
        high, low = int(m.group(1), 16), int(m.group(2), 16)
        return chr(0x10000 + (high - 0xD800) * 0x400 + (low - 0xDC00))
    code = int(m.group(3) or m.group(4), 16)
    return chr(code) if code <= 0x10FFFF else m.group(0)


def _css_char(m: re.Match) -> str:
    code = int(m.group(1), 16)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)


def unescape(text: str, css: bool = False) -> str:
    """Entities (named, numeric), JSON/JavaScript \\u escapes, CSS escapes (`css`) and
    percent-encoded UTF-8 undone, again and again until nothing changes (nested encodings)."""
    for _ in range(ROUNDS):
        before = text
        if "\\u" in text or "\\U" in text:
            text = _JSON_ESCAPE.sub(_json_char, text)
        if css and "\\" in text:
            text = _CSS_ESCAPE.sub(_css_char, text)
        if "&" in text:
            text = html.unescape(text)
        if "%" in text:  # only the runs of escapes, so a lone % in prose stays
            text = _PERCENT.sub(lambda m: unquote(m.group(0)), text)
        if text == before:
            break
    return text


def text_of(text: str, rel: str, reviewed: frozenset[str], depth: int = 0) -> str:
    """A file's text as a reader or a search engine could recover it (see the module doc)."""
    name = rel[:-3] if rel.endswith(".gz") else rel
    markup = name.endswith(_MARKUP)
    if "\\u" in text or "\\U" in text:  # before markup: an escaped tag must not be taken for one
        text = _JSON_ESCAPE.sub(_json_char, text)
    parts = [text]
    if markup:
        parts = [_TAG.sub("", text), *_ATTR_DOUBLE.findall(text), *_COMMENT.findall(text)]
        parts.extend("".join(groups) for groups in _ATTR_OTHER.findall(text))
        if _RUBY_TAG.search(text):  # ruby: the base text without its annotations, joined
            parts.append(_TAG.sub("", _RUBY.sub("", text)))
    text = unescape("\x00".join(parts), css=markup or name.endswith(".css"))
    if _ELEMENT.search(text):  # markup a decoding revealed (an SVG in a data: URL, HTML in a string)
        text += "\x00" + _ELEMENT.sub("", text)
    return text + embedded(text, rel, reviewed, depth)


def embedded(text: str, rel: str, reviewed: frozenset[str], depth: int = 0) -> str:
    """The text inside `data:` URLs and base64 runs of `text`, each after a NUL."""
    if depth >= 2:  # base64 inside base64 inside a file: deep enough
        return ""
    out = []
    for m in _DATA_URL.finditer(text):
        payload = _b64(m.group(1))
        if payload is None:
            continue
        inner = file_text(payload, rel + "#data", reviewed)  # refused like a file of its own
        if inner:
            out.append(inner)
    for m in _BASE64.finditer(text):
        run = m.group(0)
        if run.islower() or run.isupper():  # a path or a word; base64 of anything mixes cases
            continue
        payload = _b64(run)
        if payload is None or payload[:1] in _NOT_A_START:
            continue
        try:
            inner, _ = decompress(payload)
            decoded = strict_text(inner)
        except Refused:
            continue  # most runs of letters are not base64 at all
        out.append(text_of(decoded, rel, reviewed, depth + 1))
    return "".join("\x00" + o for o in out)


def _image_text(text: str, rel: str, reviewed: frozenset[str]) -> str:
    """An image's bytes as text (`pictures.as_text`) read as a file's text, and each base64 run in it
    decoded from its second, third and fourth letter too: in binary bytes a run may start with a
    letter that is not its own (a fourth attack's passage in base64 after a JPEG's scan)."""
    out = [text_of(text, rel, reviewed)]
    for m in _BASE64.finditer(text):
        for skip in (1, 2, 3):
            payload = _b64(m.group(0)[skip:])
            if payload is not None:
                with contextlib.suppress(Refused):
                    out.append(text_of(strict_text(decompress(payload)[0]), rel, reviewed, 1))
    return "\x00".join(out)


_B64_JUNK = str.maketrans("-_", "+/", " \t\n\f\r=")
# Bytes that start no UTF-8 text and no compressed file: a continuation byte or an invalid one,
# but not the first byte of a compressed file's magic (xz starts with 0xFD).
_NOT_A_START = frozenset(bytes([b]) for b in (*range(0x80, 0xC2), *range(0xF5, 0x100))) - {m[:1] for m, _ in _COMPRESSED}


def _b64(run: str) -> bytes | None:
    run = run.translate(_B64_JUNK)
    run = run[: len(run) - len(run) % 4] if len(run) % 4 == 1 else run + "=" * (-len(run) % 4)
    try:
        return base64.b64decode(run)
    except (binascii.Error, ValueError):
        return None


def output_files(site_dir: Path) -> list[tuple[str, os.stat_result]]:
    """Every file under `site_dir`: its path under it (with `/`) and its stat, in the order of
    the paths' parts (as `Path`s sort). As `Path.rglob` with `is_file`: a symlink counts as what
    it points to, and a linked folder is not entered. One `scandir` per folder: at 1000 meetings
    a tenth of `rglob`'s time, which a serve rebuild pays twice (csp.site_problems, `scan`)."""
    found: list[tuple[str, os.stat_result]] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    if not entry.is_symlink():
                        walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file():
                    found.append((prefix + entry.name, entry.stat()))

    walk(str(site_dir), "")
    found.sort(key=lambda f: f[0].split("/"))
    return found
