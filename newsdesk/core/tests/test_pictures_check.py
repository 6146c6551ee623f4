"""picture_check on its own, for pictures that come in without the admin's forms (an import)."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from newsdesk.core.pictures.fields import picture_check

from . import pictures


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        picture_check(BytesIO(data))
    return refused.value.code or ""


def test_a_whole_picture_passes():
    picture_check(BytesIO(pictures.jpeg()))


def test_the_file_is_left_at_its_start():
    source = BytesIO(pictures.jpeg())
    source.seek(10)
    picture_check(source)
    assert source.tell() == 0


def test_a_refused_file_is_left_at_its_start_too():
    source = BytesIO(pictures.jpeg()[:300])
    with pytest.raises(ValidationError):
        picture_check(source)
    assert source.tell() == 0


def test_a_truncated_picture_is_undecodable():
    assert refusal(pictures.jpeg(size=(400, 300))[:-400]) == "undecodable"


def test_bytes_that_are_no_picture_are_undecodable():
    assert refusal(b"\x00" * 100) == "undecodable"


@override_settings(NEWSDESK_PICTURE_MAX_FRAMES=3)
def test_frames_past_the_limit_are_refused():
    assert refusal(pictures.gif(4)) == "too_many_frames"


@override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=100)
def test_pixels_past_the_limit_are_refused():
    assert refusal(pictures.jpeg(size=(11, 10))) == "file_too_many_pixels"


@override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=None)
def test_no_pixel_limit_when_the_setting_is_none():
    picture_check(BytesIO(pictures.jpeg(size=(300, 300))))
