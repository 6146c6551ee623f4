"""With the database down, cached pages keep being served and the rest get a friendly 503."""

import contextlib
import datetime
import zoneinfo
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client

from newsdesk.core import fragments, page_cache

pytestmark = pytest.mark.django_db
# An HTML copy ends at local midnight: tests that expect a hit run from a fixed afternoon (still
# ticking, as a copy made at the instant of a purge counts as purged), never at 23:59:59.
AFTERNOON = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": True, "WAIT_SECONDS": 0.05}


@pytest.fixture
def reader():
    # The test client re-raises view exceptions by default; a real server does not.
    return Client(raise_request_exception=False)


@pytest.fixture
def story(article_factory):
    return article_factory(headline="Harbour bridge reopens", section="world")


def refuse(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


@contextlib.contextmanager
def database_down():
    with connection.execute_wrapper(refuse):
        yield


@pytest.mark.time_machine(AFTERNOON, tick=True)
def test_a_cached_page_is_served_while_the_database_is_down(reader, story):
    expected = reader.get(story.url).content
    with database_down():
        response = reader.get(story.url)
    assert (response.status_code, response["X-Page-Cache"]) == (200, "hit")
    assert response.content == expected


def changed(paths):
    """What a publish does to the pages it touches: their copies purged, the kept parts dropped."""
    page_cache.purge_paths(paths)
    fragments.bump(fragments.LISTS, fragments.ARTICLES)


def test_a_stale_copy_is_served_when_the_render_fails(reader, story):
    expected = reader.get(story.url).content
    changed([story.url])
    with database_down():
        response = reader.get(story.url)
    assert (response.status_code, response["X-Page-Cache"]) == (200, "stale-if-error")
    assert response.content == expected


def test_a_copy_past_its_stale_window_is_still_served_during_an_outage(reader, story, settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "FRESH_SECONDS": 60, "STALE_SECONDS": 0}
    made = datetime.datetime(2030, 6, 12, 10, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=made):
        reader.get(story.url)
    later = made + datetime.timedelta(hours=2)
    fragments.bump(fragments.LISTS, fragments.ARTICLES)  # so the render needs the database
    with mock.patch("django.utils.timezone.now", return_value=later), database_down():
        response = reader.get(story.url)
    assert (response.status_code, response["X-Page-Cache"]) == (200, "stale-if-error")


def test_a_purged_page_whose_parts_are_all_kept_renders_without_the_database(reader, story):
    # A purge with nothing changed (an operator's, or a copy's expiry): the article's row and
    # every part of the page are kept, so the render reads nothing and outlives the outage.
    reader.get(story.url)
    page_cache.purge_paths([story.url])
    with database_down():
        response = reader.get(story.url)
    assert (response.status_code, response["X-Page-Cache"]) == (200, "miss")
    assert b"Harbour bridge reopens" in response.content


def test_an_uncached_page_gets_a_friendly_503(reader, story, soup):
    with database_down():
        response = reader.get(story.url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert soup(response).select_one("h1").get_text() == "Back in a moment"
    assert b"Traceback" not in response.content
    assert b"OperationalError" not in response.content


def test_requests_that_bypass_the_cache_also_get_the_503(reader, story):
    with database_down():
        response = reader.get("/search/?q=harbour")
    assert response.status_code == 503


def test_an_unpublished_article_is_not_served_from_its_copy_during_an_outage(reader, story):
    reader.get(story.url)
    story.unpublish()
    with database_down():
        assert reader.get(story.url).status_code == 503


def test_no_traceback_even_with_debug_on(reader, story, settings):
    settings.DEBUG = True
    with database_down():
        response = reader.get(story.url)
    assert response.status_code == 503
    assert b"Traceback" not in response.content
