"""Readers get renditions, never originals: the development media route and the site's routes."""

from types import ModuleType

import pytest
from django.test import Client, override_settings

from newsdesk.core.pictures.urls import rendition_media_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "photo.fill-40x30.jpg").write_bytes(b"rendition")
    (tmp_path / "original_images").mkdir()
    (tmp_path / "original_images" / "photo.jpg").write_bytes(b"original with GPS")
    (tmp_path / "secret.txt").write_bytes(b"beside the folders")
    return tmp_path


@pytest.fixture
def development_urls(media, settings):
    """The media routes as newsdesk.urls adds them with DEBUG on (dev settings, the demo)."""
    settings.DEBUG = True
    urlconf = ModuleType("development_media_urls")
    urlconf.urlpatterns = rendition_media_urls()  # type: ignore[attr-defined]
    with override_settings(ROOT_URLCONF=urlconf):
        yield


def test_renditions_are_served_in_development(client, development_urls):
    response = client.get("/media/images/photo.fill-40x30.jpg")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"rendition"


def test_originals_are_not_served_in_development(client, development_urls):
    assert client.get("/media/original_images/photo.jpg").status_code == 404


def test_other_media_is_not_served_in_development(client, development_urls):
    assert client.get("/media/secret.txt").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/media/images/../original_images/photo.jpg", "/media/images/%2e%2e/original_images/photo.jpg"],
)
def test_no_way_out_of_the_renditions_folder(development_urls, path):
    """Django's serve() refuses a path leaving its folder as suspicious: 400, nothing read."""
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code in {400, 404}
    assert b"GPS" not in response.content


def test_nothing_is_served_without_debug(settings, media):
    settings.DEBUG = False
    assert rendition_media_urls() == []


def test_the_site_serves_no_original(client, media):
    """Production routes (DEBUG off): the web server serves renditions, the app no media at all."""
    assert client.get("/media/original_images/photo.jpg").status_code == 404
