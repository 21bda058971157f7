"""What a reviewed image holds besides its picture (`readers.file_text`, committee.yml's
`reviewed_file_types`).

A person who reviewed an image saw its picture: not a comment, Exif, XMP, IPTC or an ICC profile,
nor bytes after the image's end (`cat secret.txt >> photo.png` leaves a picture that looks the
same). The verifier walks every part of the types in `WALKED` and names the first part it finds
that is not one of the few that only describe the picture (a PNG's chunks, a JPEG's segments and
a WebP's chunks are taken from short lists; a chunk of a name of one's own can hold anything); any other type
(TIFF, BMP, PDF, Office files, fonts, audio, video) cannot be walked so, and is refused even when
committee.yml lists it. A structure that cannot be walked to its end counts as such a part: what
cannot be walked cannot be shown to hold none.

Some parts that describe a picture hold bytes no viewer shows either: a truecolour PNG's
suggested palette, bytes between a JPEG's last scan and its end, a GIF's data blocks after the
end of its picture, a WebP frame's chunk. A walked image is therefore also read as text
(`as_text`): its bytes decoded in each encoding a passage could be written in, so that the
verifier finds a passage written into any part of it (found by a third attack, which hid one in
each of these six places).
"""

from __future__ import annotations

import re
import zlib

from ..record.registry import REVIEWABLE_TYPES

WALKED = REVIEWABLE_TYPES  # the types a committee may list as reviewed

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The chunks of a PNG that describe its picture and hold no text (an animated PNG's too); iCCP
# (a profile, with its name and description) and sPLT (a named palette) are not among them.
_PNG_PICTURE = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD", b"hIST",
                b"pHYs", b"tIME", b"cICP", b"mDCv", b"cLLi"}
# Their sizes: a chunk of another size holds more than it describes (a passage as a tIME chunk was
# passed, found by a second attack). None: any size its own rule allows (checked below).
_PNG_SIZE = {b"IHDR": (13,), b"IEND": (0,), b"gAMA": (4,), b"cHRM": (32,), b"sRGB": (1,), b"pHYs": (9,),
             b"tIME": (7,), b"cICP": (4,), b"mDCv": (24,), b"cLLi": (8,), b"bKGD": (1, 2, 6), b"sBIT": (1, 2, 3, 4)}
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # by colour type
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
_JPEG_TEXT = {0xE1: "Exif・XMP", 0xE2: "ICC プロファイル", 0xED: "IPTC", 0xFE: "コメント"}  # APP1, APP2, APP13, COM
# A JPEG's segments that describe its picture: frames, tables, the restart interval, the line count,
# Adobe's colour transform (APP14); JFIF's (APP0) only without a thumbnail.
_JPEG_PICTURE = {*range(0xC0, 0xD0), 0xDB, 0xDC, 0xDD, 0xEE}
_WEBP_PICTURE = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"}
_WEBP_FRAME = {b"VP8 ", b"VP8L", b"ALPH"}  # what an animation frame (ANMF) holds after its header
_WEBP_SIZE = {b"VP8X": 10, b"ANIM": 6}
# In a JPEG's entropy-coded data a 0xFF byte is followed by 0x00 (a stuffed byte) or a restart
# marker (0xD0 to 0xD7); any other byte after it is the marker that ends the data.
_JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
TRAILING = "画像の終わりの後ろのデータ"


# Encodings a passage could be written into an image's bytes in, each with the offsets a character
# of it can start at (a passage at an odd offset is read from the second byte): UTF-8, ISO-2022-JP
# (its escapes say where), those of two bytes a character and UTF-32 (a fourth attack wrote one in
# ISO-2022-JP and one in UTF-32).
_ENCODINGS = (("utf-8", 1), ("iso-2022-jp", 1), ("utf-16-le", 2), ("utf-16-be", 2), ("cp932", 2), ("euc-jp", 2),
              ("utf-32-le", 4), ("utf-32-be", 4))
MAX_PIXEL_BYTES = 256_000_000  # a PNG's rows larger than this are not inflated (readers.LIMIT)


def as_text(data: bytes, kind: str = "") -> str:
    """A walked image's bytes as the text the verifier reads: decoded in each of `_ENCODINGS`,
    what is not a character dropped (a passage between binary bytes stays whole); a PNG's rows
    too, inflated (a fourth attack wrote a passage as the rows of a picture that shows nothing).
    The verifier then undoes escapes and base64 in it as in any file's text (`readers.text_of`)."""
    parts = [data[at:].decode(codec, "ignore") for codec, offsets in _ENCODINGS for at in range(offsets)]
    if kind == "png" and (rows := _png_rows(data)):
        parts.append(as_text(rows))
    return "\n".join(parts)


def _png_rows(data: bytes) -> bytes:
    """A PNG's image data inflated, at most MAX_PIXEL_BYTES (b"" if it cannot be)."""
    stream = b"".join(body for name, body, _, _ in _png_chunks(data) if name == b"IDAT")
    try:
        return zlib.decompressobj().decompress(stream, MAX_PIXEL_BYTES)
    except zlib.error:
        return b""


def _png_chunks(data: bytes):
    """Each chunk of a PNG in order: its name, its body (as much of it as the file holds), the
    length its header gives, and where it ends."""
    at = len(_PNG_SIGNATURE)
    while at + 8 <= len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        yield data[at + 4:at + 8], data[at + 8:at + 8 + length], length, at + 12 + length
        at += 12 + length


def image_metadata(data: bytes, kind: str) -> str:
    """The first part of a PNG, JPEG, GIF, WebP or ICO image that can hold text nobody sees in
    the picture (a comment, Exif, XMP, IPTC, a profile, a part of a name of its own, bytes after
    the image's end), named; "" when it has none (or is another type)."""
    walk = {"png": _png, "jpg": _jpeg, "gif": _gif, "webp": _webp, "ico": _ico}.get(kind)
    if walk is None:
        return ""
    try:
        return walk(data)
    except (IndexError, ValueError, OverflowError, MemoryError):  # an absurd size too (a third attack)
        return "読み取れない構造"


def _png(data: bytes) -> str:
    header, pixels, palette = b"", [], 0
    for name, body, length, end in _png_chunks(data):
        if name not in _PNG_PICTURE:
            return f"PNG の {_name(name)}"
        if len(body) != length or length not in _PNG_SIZE.get(name, (length,)) or not _png_fits(name, length, header, palette):
            return f"PNG の {_name(name)} の大きさ"
        header = body if name == b"IHDR" else header
        palette = length // 3 if name == b"PLTE" else palette
        if name == b"IDAT":
            pixels.append(body)
        if name == b"IEND":
            if end != len(data):
                return f"PNG の{TRAILING}"
            return "" if _png_pixels_whole(header, b"".join(pixels)) else "PNG の画像データの後ろのデータ"
    raise ValueError("no IEND")


def _png_fits(name: bytes, length: int, header: bytes, palette: int) -> bool:
    """Whether a palette, its transparency or its histogram is the size the picture uses: a
    palette only where the pixels index it (in a truecolour image it is a suggestion no viewer
    shows), at most an entry per index; a transparency of one grey or one colour, or at most an
    entry per palette entry; a histogram of exactly one count per entry (a third attack hid a
    passage in each of them)."""
    colour, depth = (header[9], header[8]) if len(header) == 13 else (None, 0)
    if name == b"PLTE":
        return colour == 3 and length and not length % 3 and length <= 3 * min(1 << depth, 256)
    if name == b"tRNS":
        return {0: length == 2, 2: length == 6, 3: 0 < length <= palette}.get(colour, False)
    if name == b"hIST":
        return palette and length == 2 * palette
    return True


def _png_pixels_whole(header: bytes, stream: bytes) -> bool:
    """Whether the image data is one zlib stream, ended at its end, of exactly the rows the header
    gives: bytes after the stream, or rows past the picture's height, are shown by no viewer."""
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    depth, colour, interlaced = header[8], header[9], header[12]
    bits = depth * _CHANNELS.get(colour, 0)
    passes = _ADAM7 if interlaced else ((0, 0, 1, 1),)
    expected = 0
    for x0, y0, dx, dy in passes:
        cols, rows = (width - x0 + dx - 1) // dx if width > x0 else 0, (height - y0 + dy - 1) // dy if height > y0 else 0
        if cols and rows:
            expected += rows * (1 + (cols * bits + 7) // 8)
    if expected > MAX_PIXEL_BYTES:
        raise ValueError("a picture too large to read")
    unpack = zlib.decompressobj()
    try:
        raw = unpack.decompress(stream, expected + 1)
    except zlib.error:
        return False
    return unpack.eof and not unpack.unused_data and not unpack.unconsumed_tail and len(raw) == expected


def _jpeg(data: bytes) -> str:
    at = 2
    while at + 2 <= len(data):
        if data[at] != 0xFF:
            raise ValueError("not a marker")
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xD9:  # end of image
            return "" if at + 2 == len(data) else f"JPEG の{TRAILING}"
        if 0xD0 <= marker <= 0xD7:  # a restart marker has no length
            at += 2
            continue
        length = int.from_bytes(data[at + 2:at + 4], "big")
        # JFIF's segment is 16 bytes without a thumbnail, Adobe's 14: a longer one holds more (a second attack)
        thumbnail = marker == 0xE0 and (data[at + 4:at + 9] != b"JFIF\x00" or data[at + 16] or data[at + 17] or length != 16)
        if marker == 0xEE and length != 14:
            return "JPEG の Adobe セグメントの大きさ"
        if marker not in _JPEG_PICTURE and marker != 0xDA and (marker != 0xE0 or thumbnail):
            return f"JPEG の{_JPEG_TEXT.get(marker) or ('サムネイル' if marker == 0xE0 else f'セグメント（FF{marker:02X}）')}"
        at += 2 + length
        if marker == 0xDA:  # start of scan: its entropy-coded data runs to the next marker
            found = _JPEG_MARKER.search(data, at)
            if found is None:
                raise ValueError("no end of scan")
            at = found.start()
    raise ValueError("no end of image")


def _gif(data: bytes) -> str:
    flags = data[10]
    at = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    while True:
        block = data[at]
        if block == 0x3B:  # trailer
            return "" if at + 1 == len(data) else f"GIF の{TRAILING}"
        if block == 0x21:  # extension: a comment, text drawn over the picture, an application's data
            label = data[at + 1]
            if label == 0xFE:
                return "GIF のコメント"
            if label == 0x01:
                return "GIF のテキスト拡張"
            if label == 0xFF and data[at + 3:at + 14] != b"NETSCAPE2.0":
                return "GIF のアプリケーション拡張"
            # the loop count (11 bytes of name, one block of 3) and the frame's control (one block of 4),
            # nothing more: extra blocks after them held a passage (found by a second attack)
            if label == 0xF9 and data[at + 2] == 4 and data[at + 7] == 0:
                at += 8
            elif label == 0xFF and data[at + 2] == 11 and data[at + 14] == 0:  # the name alone
                at += 15
            elif label == 0xFF and data[at + 2] == 11 and data[at + 14] == 3 and data[at + 18] == 0:
                at += 19
            else:
                return "GIF の拡張の大きさ" if label in (0xF9, 0xFF) else "GIF の拡張"
            continue
        elif block == 0x2C:  # an image: its descriptor, colour table, code size, then data blocks
            local = data[at + 9]
            at += 10 + (3 << ((local & 7) + 1) if local & 0x80 else 0) + 1
        else:
            raise ValueError("unknown block")
        while data[at]:  # sub-blocks
            at += 1 + data[at]
        at += 1


def _webp(data: bytes) -> str:
    if int.from_bytes(data[4:8], "little") + 8 != len(data):  # the RIFF size: the file ends where it says
        return f"WebP の{TRAILING}"
    return _webp_chunks(data, 12, len(data), _WEBP_PICTURE)


def _webp_chunks(data: bytes, at: int, end: int, allowed: set[bytes]) -> str:
    """The chunks from `at` to `end`: of the names allowed, the sizes of those whose size is fixed;
    an animation frame's own chunks (after its 16 bytes of place and timing) walked the same way."""
    while at + 8 <= end:
        name, size = data[at:at + 4], int.from_bytes(data[at + 4:at + 8], "little")
        if name not in allowed:
            return f"WebP の {_name(name).strip()}"
        if size != _WEBP_SIZE.get(name, size) or at + 8 + size > end:
            return f"WebP の {_name(name).strip()} の大きさ"
        if name == b"ANMF" and (found := _webp_chunks(data, at + 24, at + 8 + size, _WEBP_FRAME)):
            return found
        at += 8 + size + (size & 1)  # a chunk of odd size is padded to an even one
    if at != end:
        raise ValueError("a chunk past the end")
    return ""


def _ico(data: bytes) -> str:
    """An icon: its directory, then its images one after the other (each a PNG, walked as one, or
    a bitmap of exactly the size its header gives), nothing between or after them."""
    if data[2:4] not in (b"\x01\x00", b"\x02\x00"):
        raise ValueError("not an icon")
    count = int.from_bytes(data[4:6], "little")
    at = 6 + 16 * count
    entries = sorted((int.from_bytes(data[e + 12:e + 16], "little"), int.from_bytes(data[e + 8:e + 12], "little"))
                     for e in range(6, at, 16))
    if not entries:
        raise ValueError("no image")
    for offset, size in entries:
        if offset != at:
            return "ICO の画像の前や間のデータ" if offset > at else "読み取れない構造"
        image = data[offset:offset + size]
        if len(image) != size:
            raise ValueError("an image past the end")
        if image.startswith(_PNG_SIGNATURE):
            if found := _png(image):
                return f"ICO の{found}"
        elif _bitmap_size(image) != size:
            raise ValueError("a bitmap of another size")
        at += size
    return "" if at == len(data) else f"ICO の{TRAILING}"


def _bitmap_size(image: bytes) -> int:
    """The bytes an icon's bitmap takes: its 40-byte header, its palette, its colours and its mask."""
    if int.from_bytes(image[0:4], "little") != 40:
        raise ValueError("a bitmap header of another kind")
    width, height = int.from_bytes(image[4:8], "little"), int.from_bytes(image[8:12], "little") // 2
    bits, used = int.from_bytes(image[14:16], "little"), int.from_bytes(image[32:36], "little")
    palette = 4 * (used or (1 << bits if bits <= 8 else 0))
    row = lambda depth: (width * depth + 31) // 32 * 4  # noqa: E731 - rows are padded to 4 bytes
    return 40 + palette + (row(bits) + row(1)) * height


def _name(name: bytes) -> str:
    """A chunk's four-letter name as a message prints it (any byte that is no letter as \\xNN)."""
    return "".join(chr(b) if 0x20 <= b < 0x7F else f"\\x{b:02x}" for b in name)
