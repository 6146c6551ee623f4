"""Remove what a picture file says about where, when and with what it was taken.

EXIF (GPS position, camera and lens serial numbers, owner name), XMP (descriptions,
people, edit history), IPTC/Photoshop blocks and free-text comments can name or locate a
source. A reader's copy needs none of them: only the pixels, how to show them (the ICC
colour profile) and for animations their timing.

The files are rewritten without decoding: whole metadata blocks are dropped and every
other byte is kept, so a JPEG is not compressed a second time. Each container keeps an
allow-list of the blocks a decoder needs; anything else, including blocks this module
does not know, is dropped. Orientation lives in EXIF, so it is dropped too: callers apply
it to the pixels first (Wagtail's renditions do, through Willow's ``auto_orient``).

References: JPEG markers, ITU-T T.81 table B.1 and the ICC's "ICC.1:2022" annex B
(``ICC_PROFILE`` in APP2); PNG, W3C PNG 3rd edition section 5; WebP,
https://developers.google.com/speed/webp/docs/riff_container.
"""

from __future__ import annotations

import struct


class MetadataStripError(ValueError):
    """The bytes are not a JPEG, PNG or WebP file, or not a well-formed one."""


def strip_metadata(data: bytes) -> bytes:
    """Return ``data`` without EXIF, XMP, IPTC and comments; pixels and ICC profile kept.

    Raises MetadataStripError for any other format (fail closed: a format this module
    cannot clean is never passed through unchanged) and for malformed files.
    """
    if data.startswith(b"\xff\xd8"):
        return _strip_jpeg(data)
    if data.startswith(PNG_SIGNATURE):
        return _strip_png(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _strip_webp(data)
    raise MetadataStripError("not a JPEG, PNG or WebP file")


# --- JPEG ---------------------------------------------------------------------------

# Markers that stand alone, without a length: TEM and RST0-7 (T.81 table B.1).
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}
_SOS, _EOI, _APP0, _APP2, _APP14, _COM = 0xDA, 0xD9, 0xE0, 0xE2, 0xEE, 0xFE


def _keep_jpeg_segment(marker: int, payload: bytes) -> bool:
    if marker == _COM:
        return False
    if not 0xE0 <= marker <= 0xEF:
        return True  # tables, frame and scan headers: needed to decode
    if marker == _APP0:
        return payload.startswith(b"JFIF\x00")  # not JFXX, which carries a thumbnail
    if marker == _APP2:
        return payload.startswith(b"ICC_PROFILE\x00")  # not FlashPix or MPF
    # Adobe's APP14 says whether the colour channels are transformed (YCCK vs CMYK).
    # Everything else in APPn (EXIF and XMP in APP1, IPTC in APP13) is metadata.
    return marker == _APP14


def _strip_jpeg(data: bytes) -> bytes:
    out = bytearray(data[:2])
    pos = 2
    while pos < len(data):
        if data[pos] != 0xFF:
            raise MetadataStripError("JPEG: expected a marker")
        while pos < len(data) and data[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos >= len(data):
            raise MetadataStripError("JPEG: ends inside a marker")
        marker = data[pos]
        pos += 1
        if marker == _EOI:
            out += b"\xff\xd9"
            return bytes(out)
        if marker in _JPEG_STANDALONE:
            out += bytes((0xFF, marker))
            continue
        if pos + 2 > len(data):
            raise MetadataStripError("JPEG: ends inside a segment length")
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        end = pos + length
        if length < 2 or end > len(data):
            raise MetadataStripError("JPEG: segment runs past the end")
        if _keep_jpeg_segment(marker, data[pos + 2 : end]):
            out += bytes((0xFF, marker)) + data[pos:end]
        pos = end
        if marker == _SOS:
            scan_end = _entropy_end(data, pos)
            out += data[pos:scan_end]
            pos = scan_end
    raise MetadataStripError("JPEG: no end-of-image marker")


def _entropy_end(data: bytes, pos: int) -> int:
    """Where the entropy-coded data after a scan header ends: at the first marker that is
    neither a stuffed 0xFF (FF 00) nor a restart marker (FF D0-D7)."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            raise MetadataStripError("JPEG: scan data runs past the end")
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            pos += 2
        elif following == 0xFF:
            pos += 1  # a fill byte before the marker
        else:
            return pos


# --- PNG ----------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Chunks that change how the pixels look or move (PNG 3rd edition, 5.6, and APNG).
# Dropped: tEXt, zTXt, iTXt (comments, XMP), eXIf, tIME, and any private chunk.
_PNG_KEEP = {
    *(b"IHDR", b"PLTE", b"IDAT", b"IEND"),
    *(b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP", b"mDCV", b"cLLI"),
    *(b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT"),
}


def _strip_png(data: bytes) -> bytes:
    out = bytearray(PNG_SIGNATURE)
    pos = len(PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length  # length, type, data, CRC
        if end > len(data):
            raise MetadataStripError("PNG: chunk runs past the end")
        if kind in _PNG_KEEP:
            out += data[pos:end]
        pos = end
        if kind == b"IEND":
            return bytes(out)
    raise MetadataStripError("PNG: no IEND chunk")


# --- WebP ---------------------------------------------------------------------------

# Dropped: EXIF, XMP and unknown chunks. VP8X's flags must then stop announcing them.
_WEBP_KEEP = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ICCP", b"ANIM", b"ANMF"}
_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04


def _strip_webp(data: bytes) -> bytes:
    (riff_size,) = struct.unpack("<I", data[4:8])
    if riff_size + 8 > len(data):
        raise MetadataStripError("WebP: file shorter than its RIFF header says")
    body = bytearray()
    pos = 12
    while pos + 8 <= riff_size + 8:
        kind, size = struct.unpack("<4sI", data[pos : pos + 8])
        end = pos + 8 + size + (size & 1)  # chunks are padded to an even length
        if end > riff_size + 8:
            raise MetadataStripError("WebP: chunk runs past the end")
        if kind == b"VP8X":
            flags = data[pos + 8] & ~(_VP8X_EXIF | _VP8X_XMP)
            body += data[pos : pos + 8] + bytes((flags,)) + data[pos + 9 : end]
        elif kind in _WEBP_KEEP:
            body += data[pos:end]
        pos = end
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + bytes(body)
