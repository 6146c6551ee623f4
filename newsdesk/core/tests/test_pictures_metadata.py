"""strip_metadata: every metadata block gone, pixels and colour profile untouched."""

import struct
from io import BytesIO

import pytest
from PIL import Image as PILImage
from PIL import ImageChops

from newsdesk.core.pictures.metadata import MetadataStripError, strip_metadata

from . import pictures


def decoded(data: bytes) -> PILImage.Image:
    image = PILImage.open(BytesIO(data))
    image.load()
    return image


def same_pixels(one: bytes, other: bytes) -> bool:
    return ImageChops.difference(decoded(one).convert("RGB"), decoded(other).convert("RGB")).getbbox() is None


@pytest.mark.parametrize("make", [pictures.jpeg, pictures.png, pictures.webp])
def test_the_made_pictures_carry_the_secrets(make):
    assert pictures.leaks(make()) != []


@pytest.mark.parametrize("make", [pictures.jpeg, pictures.png, pictures.webp])
def test_no_secret_is_left_in_the_bytes(make):
    assert pictures.leaks(strip_metadata(make())) == []


@pytest.mark.parametrize("make", [pictures.jpeg, pictures.png, pictures.webp])
def test_no_exif_xmp_or_comment_is_read_back(make):
    image = decoded(strip_metadata(make()))
    assert not {"exif", "xmp", "comment", "Comment", "XML:com.adobe.xmp"} & set(image.info)
    assert dict(image.getexif()) == {}


@pytest.mark.parametrize("make", [pictures.jpeg, pictures.png, pictures.webp])
def test_the_colour_profile_is_kept(make):
    assert decoded(strip_metadata(make())).info["icc_profile"] == pictures.ICC_PROFILE


@pytest.mark.parametrize("make", [pictures.jpeg, pictures.png, pictures.webp])
def test_the_pixels_are_untouched(make):
    original = make()
    assert same_pixels(strip_metadata(original), original)


def test_a_jpeg_is_not_compressed_again():
    original = pictures.jpeg()
    stripped = strip_metadata(original)
    scan = original.index(b"\xff\xda")
    assert stripped.endswith(original[scan:])


def test_a_jpeg_without_metadata_comes_back_unchanged():
    once = strip_metadata(pictures.jpeg())
    assert strip_metadata(once) == once


def test_a_progressive_jpeg_keeps_every_scan():
    out = BytesIO()
    pictures.picture((300, 200)).save(out, "JPEG", progressive=True, comment=pictures.COMMENT)
    original = out.getvalue()
    stripped = strip_metadata(original)
    assert stripped.count(b"\xff\xda") == original.count(b"\xff\xda") > 1
    assert pictures.leaks(stripped) == []
    assert same_pixels(stripped, original)


def test_a_comment_between_scans_is_dropped():
    original = pictures.jpeg()
    eoi = original.rindex(b"\xff\xd9")
    late = original[:eoi] + pictures.jpeg_segment(0xFE, pictures.COMMENT.encode()) + original[eoi:]
    assert pictures.leaks(strip_metadata(late)) == []


def test_a_jpeg_thumbnail_extension_is_dropped():
    original = pictures.jpeg()
    jfxx = pictures.jpeg_segment(0xE0, b"JFXX\x00\x10" + pictures.SERIAL.encode())
    assert pictures.leaks(strip_metadata(original[:2] + jfxx + original[2:])) == []


def test_the_adobe_colour_transform_segment_is_kept():
    adobe = pictures.jpeg_segment(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x01")
    original = pictures.jpeg()
    assert adobe in strip_metadata(original[:2] + adobe + original[2:])


def test_a_png_keeps_its_transparency():
    out = BytesIO()
    PILImage.new("RGBA", (4, 4), (255, 0, 0, 0)).save(out, "PNG")
    assert decoded(strip_metadata(out.getvalue())).getpixel((0, 0)) == (255, 0, 0, 0)


def test_webp_flags_stop_announcing_exif_and_xmp():
    stripped = strip_metadata(pictures.webp())
    flags = stripped[stripped.index(b"VP8X") + 8]
    assert flags & 0x0C == 0
    assert flags & 0x20  # the ICC profile is still announced


def test_webp_riff_size_matches_the_new_length():
    stripped = strip_metadata(pictures.webp())
    assert struct.unpack("<I", stripped[4:8])[0] == len(stripped) - 8


def test_a_simple_webp_has_nothing_to_strip():
    out = BytesIO()
    pictures.picture().save(out, "WEBP", lossless=True)
    assert strip_metadata(out.getvalue()) == out.getvalue()


def test_an_animated_webp_keeps_its_frames():
    out = BytesIO()
    frames = [pictures.picture(), pictures.picture().transpose(PILImage.Transpose.FLIP_LEFT_RIGHT)]
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], exif=pictures.exif(), lossless=True)
    stripped = decoded(strip_metadata(out.getvalue()))
    assert getattr(stripped, "n_frames", 1) == 2
    assert pictures.leaks(strip_metadata(out.getvalue())) == []


@pytest.mark.parametrize("data", [pictures.gif(2), b"GIF89a", b"<svg/>", b"", b"BM\x00\x00"])
def test_other_formats_are_refused_not_passed_through(data):
    with pytest.raises(MetadataStripError):
        strip_metadata(data)


@pytest.mark.parametrize("make", [pictures.jpeg, pictures.png, pictures.webp])
@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_a_truncated_file_is_refused(make, keep):
    original = make()
    with pytest.raises(MetadataStripError):
        strip_metadata(original[: int(len(original) * keep)])


def test_a_jpeg_segment_longer_than_the_file_is_refused():
    with pytest.raises(MetadataStripError):
        strip_metadata(b"\xff\xd8\xff\xe1\xff\xff" + b"x" * 10)


def test_a_jpeg_with_garbage_where_a_marker_belongs_is_refused():
    with pytest.raises(MetadataStripError):
        strip_metadata(b"\xff\xd8garbage")
