"""Small images whose structure is whole (the verifier walks a reviewed image's parts to find
text nobody sees in the picture: readers.image_metadata), with any extra parts given."""

from __future__ import annotations

import zlib


def _png_chunk(name: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + name + data + zlib.crc32(name + data).to_bytes(4, "big")


def png(*chunks: tuple[bytes, bytes]) -> bytes:
    """A 1×1 grey PNG with `chunks` ((type, data)) before its image data."""
    header = _png_chunk(b"IHDR", (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0]))
    extra = b"".join(_png_chunk(name, data) for name, data in chunks)
    return b"\x89PNG\r\n\x1a\n" + header + extra + _png_chunk(b"IDAT", zlib.compress(b"\x00\x80")) + _png_chunk(b"IEND", b"")


def jpeg(*segments: tuple[int, bytes]) -> bytes:
    """A JPEG's frame of segments: JFIF, `segments` ((marker, data)), then the scan."""
    def segment(marker: int, data: bytes) -> bytes:
        return bytes([0xFF, marker]) + (len(data) + 2).to_bytes(2, "big") + data
    parts = [segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"), *(segment(m, d) for m, d in segments),
             segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")]
    return b"\xff\xd8" + b"".join(parts) + b"\x12\x34\xff\xd9"


def gif(*extensions: tuple[int, bytes]) -> bytes:
    """A 1×1 GIF89a with a global colour table, `extensions` ((label, data)) before its image."""
    head = b"GIF89a" + (1).to_bytes(2, "little") * 2 + bytes([0x80, 0, 0]) + b"\x00\x00\x00\xff\xff\xff"
    blocks = b"".join(b"\x21" + bytes([label]) + bytes([len(data)]) + data + b"\x00" for label, data in extensions)
    image = b"\x2c" + b"\x00\x00\x00\x00" + (1).to_bytes(2, "little") * 2 + b"\x00" + b"\x02\x02\x44\x01\x00"
    return head + blocks + image + b"\x3b"


def webp(*chunks: tuple[bytes, bytes]) -> bytes:
    """A WebP file of a VP8L chunk and `chunks` ((fourcc, data))."""
    def chunk(name: bytes, data: bytes) -> bytes:
        return name + len(data).to_bytes(4, "little") + data + (b"\x00" if len(data) % 2 else b"")
    body = b"WEBP" + chunk(b"VP8L", b"\x2f\x00\x00\x00\x00") + b"".join(chunk(n, d) for n, d in chunks)
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def bitmap() -> bytes:
    """An icon's 1×1 bitmap of 32 bits: its 40-byte header (twice the height: colours and mask), a
    pixel and a row of mask."""
    header = (40).to_bytes(4, "little") + (1).to_bytes(4, "little") + (2).to_bytes(4, "little") + \
        (1).to_bytes(2, "little") + (32).to_bytes(2, "little") + bytes(24)
    return header + b"\x80\x80\x80\xff" + bytes(4)


def ico(*pictures: bytes) -> bytes:
    """An icon of `pictures` (each a PNG or a `bitmap`; one PNG if none), one after the other."""
    pictures = pictures or (png(),)
    at = 6 + 16 * len(pictures)
    entries = b""
    for picture in pictures:
        entries += bytes([1, 1, 0, 0]) + (1).to_bytes(2, "little") + (32).to_bytes(2, "little") + \
            len(picture).to_bytes(4, "little") + at.to_bytes(4, "little")
        at += len(picture)
    return b"\x00\x00\x01\x00" + len(pictures).to_bytes(2, "little") + entries + b"".join(pictures)
