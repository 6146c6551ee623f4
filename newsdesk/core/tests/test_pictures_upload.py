"""Uploads Pillow cannot fully decode, bombs and long animations are refused with a form error.

Through the real admin views (one picture, and the multiple uploader), as an Admin.
"""

import json
import struct
import zlib
from io import BytesIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images.models import Image

from newsdesk.core.pictures.metadata import PNG_SIGNATURE
from newsdesk.core.roles import ADMINS

from . import pictures

pytestmark = pytest.mark.django_db

DAMAGED = "This picture is damaged or incomplete and cannot be read."


@pytest.fixture
def admin_client(client):
    admin = User.objects.create_user("picture-desk", "desk@example.org", "pw")
    admin.groups.add(Group.objects.get(name=ADMINS))
    client.force_login(admin)
    return client


def upload(client, name: str, data: bytes):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("wagtailimages:add"), {"title": name, "file": file})


def upload_multiple(client, name: str, data: bytes) -> dict:
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    response = client.post(reverse("wagtailimages:add_multiple"), {"files[]": file})
    assert response.status_code == 200
    return json.loads(response.content)


def file_errors(response, soup) -> str:
    assert response.status_code == 200
    return " ".join(error.get_text(" ", strip=True) for error in soup(response).select(".error-message"))


def truncated_jpeg() -> bytes:
    whole = pictures.jpeg(size=(400, 300))
    return whole[: len(whole) * 2 // 3]


def png_with_damaged_pixels() -> bytes:
    """A whole PNG whose compressed pixel data is garbled: zlib cannot inflate it."""
    whole = BytesIO()
    pictures.picture((400, 300)).effect_spread(5).save(whole, "PNG")
    data = bytearray(whole.getvalue())
    start = data.index(b"IDAT") + 8
    data[start : start + 64] = bytes(range(64))
    return bytes(data)


def png_declaring(width: int, height: int) -> bytes:
    """A few hundred bytes whose header claims width x height pixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_a_good_picture_is_accepted(admin_client):
    response = upload(admin_client, "good.jpg", pictures.jpeg())
    assert response.status_code == 302
    assert Image.objects.filter(title="good.jpg").exists()


def test_a_truncated_jpeg_is_refused(admin_client, soup):
    response = upload(admin_client, "cut.jpg", truncated_jpeg())
    assert DAMAGED in file_errors(response, soup)
    assert not Image.objects.exists()


def test_a_png_with_garbled_pixel_data_is_refused(admin_client, soup):
    response = upload(admin_client, "garbled.png", png_with_damaged_pixels())
    assert DAMAGED in file_errors(response, soup)


def test_a_truncated_png_is_refused(admin_client, soup):
    whole = BytesIO()
    pictures.picture((400, 300)).effect_spread(5).save(whole, "PNG")
    response = upload(admin_client, "cut.png", whole.getvalue()[:-200])
    assert DAMAGED in file_errors(response, soup)


def test_garbage_named_jpg_is_refused(admin_client, soup):
    response = upload(admin_client, "not-a-picture.jpg", b"<?php system($_GET['c']); ?>" * 20)
    assert "Upload a valid image" in file_errors(response, soup)
    assert not Image.objects.exists()


def test_a_picture_declaring_too_many_pixels_is_refused(admin_client, soup):
    response = upload(admin_client, "bomb.png", png_declaring(10_000, 10_000))
    assert "This file has too many pixels" in file_errors(response, soup)
    assert not Image.objects.exists()


def test_a_picture_declaring_far_too_many_pixels_is_refused(admin_client, soup):
    """Above twice Pillow's limit Pillow itself refuses to open it; still a form error."""
    response = upload(admin_client, "huge.png", png_declaring(60_000, 60_000))
    assert "This file has too many pixels" in file_errors(response, soup)


@override_settings(NEWSDESK_PICTURE_MAX_FRAMES=5)
def test_an_animation_with_too_many_frames_is_refused(admin_client, soup):
    response = upload(admin_client, "long.gif", pictures.gif(6))
    assert "This animation has more than 5 frames." in file_errors(response, soup)
    assert not Image.objects.exists()


@override_settings(NEWSDESK_PICTURE_MAX_FRAMES=5)
def test_an_animation_within_the_frame_limit_is_accepted(admin_client):
    assert upload(admin_client, "short.gif", pictures.gif(5)).status_code == 302


@override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=1000)
def test_the_pixels_of_every_frame_count(admin_client, soup):
    """Ten frames of 10x10 are 1,000 pixels; eleven are too many, though each frame is small."""
    assert upload(admin_client, "ten.gif", pictures.gif(10, size=(10, 10))).status_code == 302
    response = upload(admin_client, "eleven.gif", pictures.gif(11, size=(10, 10)))
    assert "This file has too many pixels (1100)" in file_errors(response, soup)


def test_the_default_frame_limit_is_a_hundred(admin_client, soup):
    response = upload(admin_client, "hundred-one.gif", pictures.gif(101))
    assert "more than 100 frames" in file_errors(response, soup)


def test_the_multiple_uploader_refuses_a_truncated_jpeg(admin_client):
    answer = upload_multiple(admin_client, "cut.jpg", truncated_jpeg())
    assert answer["success"] is False
    assert DAMAGED in answer["error_message"]
    assert not Image.objects.exists()


def test_the_multiple_uploader_refuses_a_bomb(admin_client):
    answer = upload_multiple(admin_client, "bomb.png", png_declaring(10_000, 10_000))
    assert answer["success"] is False
    assert "too many pixels" in answer["error_message"]


def test_the_multiple_uploader_accepts_a_good_picture(admin_client):
    answer = upload_multiple(admin_client, "good.jpg", pictures.jpeg())
    assert answer["success"] is True
    assert Image.objects.filter(pk=answer["image_id"]).exists()


def test_replacing_the_file_of_an_image_is_checked_too(admin_client, soup):
    assert upload(admin_client, "first.jpg", pictures.jpeg()).status_code == 302
    image = Image.objects.get()
    file = SimpleUploadedFile("cut.jpg", truncated_jpeg(), content_type="image/jpeg")
    response = admin_client.post(reverse("wagtailimages:edit", args=[image.pk]), {"title": "first.jpg", "file": file})
    assert DAMAGED in file_errors(response, soup)


def test_editing_the_title_alone_needs_no_new_file(admin_client):
    assert upload(admin_client, "first.jpg", pictures.jpeg()).status_code == 302
    image = Image.objects.get()
    response = admin_client.post(reverse("wagtailimages:edit", args=[image.pk]), {"title": "Renamed"})
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.title == "Renamed"


def test_an_accepted_upload_can_be_rendered(admin_client):
    assert upload(admin_client, "good.jpg", pictures.jpeg()).status_code == 302
    rendition = Image.objects.get().get_rendition("fill-20x20")
    assert PILImage.open(rendition.file).size == (20, 20)


@override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=0)
def test_a_large_upload_kept_in_a_temporary_file_is_checked_the_same(admin_client, soup):
    """Django keeps uploads above FILE_UPLOAD_MAX_MEMORY_SIZE on disk; Wagtail then reads that file."""
    response = upload(admin_client, "cut.jpg", truncated_jpeg())
    assert DAMAGED in file_errors(response, soup)
    assert upload(admin_client, "good.jpg", pictures.jpeg()).status_code == 302
