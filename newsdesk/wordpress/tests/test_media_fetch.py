"""Pictures from the old site: fetched only when asked, only through the guarded client."""

import pytest

from newsdesk.articles.models import ArticlePage
from newsdesk.weather.tests.fakes import FakeServer

from .conftest import jpeg_bytes
from .wxr import WxrItem

pytestmark = pytest.mark.django_db


class OldSite(FakeServer):
    """The old WordPress site's uploads: one picture, everything else not found."""

    def respond(self, path, query):
        if path == "/wp-content/uploads/2024/03/bridge.jpg":
            return 200, jpeg_bytes()
        if path == "/wp-content/uploads/notes.jpg":
            return 200, b"Meeting notes, not a picture."
        return 404, b"not found"


@pytest.fixture
def old_site(settings):
    with OldSite() as server:
        settings.NEWSDESK_HTTP_TRUSTED_HOSTS = ["127.0.0.1"]
        settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = [server.hostport]
        yield server


def story_with_picture(url):
    return [
        WxrItem(id=10, title="Bridge reopens", meta=[("_thumbnail_id", "40")]),
        WxrItem(id=40, title="Dusk", post_type="attachment", status="inherit", attachment_url=url),
    ]


def test_without_fetch_media_nothing_is_fetched(wordpress, old_site):
    report = wordpress(items=story_with_picture(f"{old_site.url}/wp-content/uploads/2024/03/bridge.jpg"))
    assert old_site.received == []
    assert ArticlePage.objects.get().lead_image is None
    assert "fetching from the old site is off" in report.missing_pictures[0]["why"]


def test_with_fetch_media_the_picture_is_fetched_from_the_old_site(wordpress, old_site):
    wordpress(fetch_media=True, items=story_with_picture(f"{old_site.url}/wp-content/uploads/2024/03/bridge.jpg"))
    assert [request.path for request in old_site.received] == ["/wp-content/uploads/2024/03/bridge.jpg"]
    assert ArticlePage.objects.get().lead_image is not None


def test_a_picture_the_old_site_no_longer_has_is_a_reported_gap(wordpress, old_site):
    report = wordpress(fetch_media=True, items=story_with_picture(f"{old_site.url}/wp-content/uploads/gone.jpg"))
    assert ArticlePage.objects.get().lead_image is None
    assert "HTTP 404" in report.missing_pictures[0]["why"]


def test_a_private_address_in_the_export_is_never_fetched(wordpress, old_site, settings):
    settings.NEWSDESK_HTTP_TRUSTED_HOSTS = []
    settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = []
    report = wordpress(
        fetch_media=True, items=story_with_picture(f"{old_site.url}/wp-content/uploads/2024/03/bridge.jpg")
    )
    assert old_site.received == []
    assert "could not be fetched" in report.missing_pictures[0]["why"]


def test_a_dry_run_fetches_nothing(wordpress, old_site):
    wordpress(
        dry_run=True,
        fetch_media=True,
        items=story_with_picture(f"{old_site.url}/wp-content/uploads/2024/03/bridge.jpg"),
    )
    assert old_site.received == []


def test_a_fetched_file_that_is_not_a_picture_is_refused(wordpress, old_site):
    report = wordpress(fetch_media=True, items=story_with_picture(f"{old_site.url}/wp-content/uploads/notes.jpg"))
    assert ArticlePage.objects.get().lead_image is None
    assert [request.path for request in old_site.received] == ["/wp-content/uploads/notes.jpg"]
    assert "404" not in report.missing_pictures[0]["why"]
