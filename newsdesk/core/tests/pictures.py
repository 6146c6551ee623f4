"""Pictures made in the tests, carrying the metadata a newsroom must not publish."""

from __future__ import annotations

import struct
from io import BytesIO

from PIL import ExifTags, ImageCms
from PIL import Image as PILImage

# Strings that must never reach a reader; each sits in a different metadata block.
SERIAL = "CAM-SERIAL-0042"
DESCRIPTION = "Met the source behind the station"
XMP_SECRET = "XMP-CONTACT-NAME"
COMMENT = "COMMENT-SAFE-HOUSE"
IPTC_SECRET = "IPTC-BYLINE-SOURCE"
SECRETS = (SERIAL, DESCRIPTION, XMP_SECRET, COMMENT, IPTC_SECRET)
ICC_PROFILE = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
XMP = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>{XMP_SECRET}</rdf:RDF></x:xmpmeta>'.encode()


def exif(*, orientation: int | None = None) -> PILImage.Exif:
    """EXIF with a GPS position, a body serial number and a description."""
    data = PILImage.Exif()
    data[ExifTags.Base.ImageDescription] = DESCRIPTION
    data.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = SERIAL
    gps = data.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 24.0, 36.5)
    if orientation is not None:
        data[ExifTags.Base.Orientation] = orientation
    return data


def picture(size: tuple[int, int] = (64, 48)) -> PILImage.Image:
    """Red left half, blue right half: which way up it is shows in the pixels."""
    image = PILImage.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    return image


def jpeg_segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def jpeg(*, orientation: int | None = None, size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG with EXIF (GPS, serial, description), XMP, IPTC, a comment and an ICC profile."""
    iptc = jpeg_segment(0xED, b"Photoshop 3.0\x00" + IPTC_SECRET.encode())
    out = BytesIO()
    picture(size).save(
        out, "JPEG", exif=exif(orientation=orientation), xmp=XMP, comment=COMMENT, icc_profile=ICC_PROFILE, extra=iptc
    )
    return out.getvalue()


def png() -> bytes:
    """A PNG with eXIf, XMP and comment text chunks, a private chunk and an ICC profile."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", COMMENT)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    info.add(b"prVt", IPTC_SECRET.encode())
    out = BytesIO()
    picture().save(out, "PNG", exif=exif(), pnginfo=info, icc_profile=ICC_PROFILE)
    return out.getvalue()


def webp() -> bytes:
    """A WebP with EXIF, XMP and an ICC profile."""
    out = BytesIO()
    picture().save(out, "WEBP", exif=exif(), xmp=XMP, icc_profile=ICC_PROFILE, quality=90)
    return out.getvalue()


def gif(frames: int, size: tuple[int, int] = (8, 8)) -> bytes:
    """An animation whose frames differ, so the encoder keeps every one."""
    images = [PILImage.new("RGB", size, (index % 256, 255 - index % 256, 0)) for index in range(frames)]
    out = BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=40)
    return out.getvalue()


def leaks(data: bytes) -> list[str]:
    """Which of the test's secrets a file still holds, anywhere in its bytes."""
    return [secret for secret in SECRETS if secret.encode() in data]
