"""Publishing, unpublishing, moving and deleting purge every page that shows an article."""

import pytest
from django.test import override_settings
from wagtail.contrib.frontend_cache.backends import BaseBackend

from newsdesk.articles.models import ArticleIndexPage
from newsdesk.articles.purges import purge_article
from newsdesk.core import page_cache

pytestmark = pytest.mark.django_db

PURGED: list[str] = []


class RecordingBackend(BaseBackend):
    """A frontend-cache backend (as for a CDN or Varnish) that records what it was asked to purge."""

    def purge(self, url):
        PURGED.append(url)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": True, "WAIT_SECONDS": 0.05}
    PURGED.clear()


@pytest.fixture
def story(article_factory):
    return article_factory(
        headline="Harbour bridge reopens", section="world", tags=["harbour"], authors=["Ada Reporter"]
    )


def pages_showing(story):
    return [
        story.url,
        "/",
        "/world/",
        "/articles/",
        "/tags/harbour/",
        "/authors/ada-reporter/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/sections/world/rss/",
        "/feeds/tags/harbour/atom/",
        "/feeds/authors/ada-reporter/rss/",
        "/sitemap.xml",
        f"/sitemap-articles-{story.publication_date():%Y-%m}.xml",
        "/news-sitemap.xml",
    ]


def cache_all(client, paths):
    for path in paths:
        client.get(path)
        assert client.get(path)["X-Page-Cache"] == "hit", path


def other_worker_renders(path):
    """Hold the render lock of `path`, as a worker busy re-rendering it would."""
    from django.test import RequestFactory

    keys = page_cache.keys_for(RequestFactory().get(path).META)

    assert keys is not None
    return page_cache.store().lock(keys.lock, 30)


def test_publishing_purges_the_article_and_everything_that_lists_it(client, story):
    paths = pages_showing(story)
    cache_all(client, paths)
    story.title = "Harbour bridge reopens to traffic"
    story.save_revision().publish()
    for path in paths:
        assert client.get(path)["X-Page-Cache"] == "miss", path
    assert b"reopens to traffic" in client.get(story.url).content


def test_after_publishing_readers_get_the_stale_copy_while_one_worker_renders(client, story):
    client.get(story.url)
    story.save_revision().publish()
    with other_worker_renders(story.url) as mine:
        assert mine
        assert client.get(story.url)["X-Page-Cache"] == "stale"


def test_unpublishing_means_the_copy_is_never_served_again(client, story):
    cache_all(client, [story.url, "/world/"])
    story.unpublish()
    with other_worker_renders(story.url):
        assert client.get(story.url).status_code == 404
    with other_worker_renders("/world/"):
        assert client.get("/world/")["X-Page-Cache"] == "miss"  # lists are rendered again, not served stale
    assert client.get(story.url).status_code == 404


def test_republishing_does_not_revive_the_copy_made_before_unpublishing(client, story):
    client.get(story.url)
    story.unpublish()
    story.save_revision().publish()
    with other_worker_renders(story.url):
        assert client.get(story.url)["X-Page-Cache"] == "miss"


def test_deleting_purges_the_article_and_its_lists(client, story):
    url = story.url
    cache_all(client, [url, "/", "/tags/harbour/"])
    story.delete()
    assert client.get(url).status_code == 404
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/tags/harbour/")["X-Page-Cache"] == "miss"


def test_moving_purges(client, story, sections):
    cache_all(client, [story.url, "/"])
    story.move(ArticleIndexPage.objects.get(), pos="last-child")
    assert client.get(story.url)["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_a_changed_slug_hard_purges_the_old_address(client, story, django_capture_on_commit_callbacks):
    old_url = story.url
    client.get(old_url)
    story.slug = "harbour-bridge-open-again"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail sends page_slug_changed after commit
        story.save_revision().publish()
    with other_worker_renders(old_url):
        moved = client.get(old_url)
    assert (moved.status_code, moved["Location"]) == (301, story.url)  # the redirect, not the old copy


def test_publishing_a_section_purges_every_page(client, story, sections):
    cache_all(client, [story.url, "/world/"])
    sections["world"].title = "World news"
    sections["world"].save_revision().publish()
    assert client.get(story.url)["X-Page-Cache"] == "miss"


def test_purge_article_tells_frontend_caches_after_commit(story, django_capture_on_commit_callbacks):
    backends = {"cdn": {"BACKEND": f"{__name__}.RecordingBackend"}}
    with override_settings(WAGTAILFRONTENDCACHE=backends), django_capture_on_commit_callbacks(execute=True):
        purge_article(story)
        assert PURGED == []
    assert f"http://localhost{story.url}" in PURGED
    assert {"http://localhost/", "http://localhost/world/", "http://localhost/tags/harbour/"} <= set(PURGED)


def test_without_frontend_caches_nothing_is_queued(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        purge_article(story)
    assert PURGED == []


def test_purge_article_is_hard_for_an_article_that_is_not_live(client, story):
    client.get(story.url)
    story.live = False
    purge_article(story)
    keys = page_cache.keys_for(_environ(story.url))
    assert keys is not None
    entry, marker = page_cache.lookup(keys)
    assert page_cache.state_of(entry, marker, page_cache.now()) == page_cache.UNUSABLE


def test_a_render_that_began_before_a_hard_purge_is_not_stored(client, story):
    client.get(story.url)
    keys = page_cache.keys_for(_environ(story.url))
    assert keys is not None
    entry, _marker = page_cache.lookup(keys)
    assert entry is not None
    page_cache.store().delete(keys.entry)
    page_cache.purge_paths([story.url], hard=True)
    assert page_cache.save(keys, entry._replace(created=entry.created - 1)) is False
    assert page_cache.lookup(keys)[0] is None


def test_a_render_that_began_before_a_soft_purge_is_stored_stale(client, story):
    client.get(story.url)
    keys = page_cache.keys_for(_environ(story.url))
    assert keys is not None
    entry, _marker = page_cache.lookup(keys)
    assert entry is not None
    page_cache.purge_paths([story.url])
    assert page_cache.save(keys, entry._replace(created=entry.created - 1)) is True
    stored, marker = page_cache.lookup(keys)
    assert page_cache.state_of(stored, marker, page_cache.now()) == page_cache.STALE


def test_purging_nothing_does_nothing(story):
    page_cache.purge_paths(["", ""])
    assert page_cache.store().get_many([page_cache.marker_key("")]) == {}


def _environ(path):
    from django.test import RequestFactory

    return RequestFactory().get(path).META


def test_unpublishing_turns_every_other_pages_copy_stale(client, story, article_factory, soup):
    """Another article's page lists the removed one in Latest: its copy must not keep the title."""
    reader = article_factory(headline="Unrelated story", section="local")
    cache_all(client, [reader.url])
    assert client.get(reader.url)["X-Page-Cache"] == "hit"
    story.unpublish()
    with other_worker_renders(reader.url):
        assert client.get(reader.url)["X-Page-Cache"] == "stale"  # served once while another worker renders
    fresh = client.get(reader.url)
    assert fresh["X-Page-Cache"] == "miss"
    latest = [t.get_text(strip=True) for t in soup(fresh).select(".list-block--latest .teaser__title")]
    assert "Harbour bridge reopens" not in latest
