"""With REDIS_URL set, the shared cache is Redis: the site works against a real server."""

import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from newsdesk.articles.navigation import nav_cache_key

# This xdist worker's own Redis database: clear() below is FLUSHDB (newsdesk/settings/test.py).
REDIS_URL = settings.NEWSDESK_TEST_REDIS_URL


@pytest.fixture
def redis_cache():
    prefix = f"newsdesk-test-{uuid.uuid4().hex[:8]}"
    config = {
        "default": {
            "BACKEND": "newsdesk.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
        "renditions": {
            "BACKEND": "newsdesk.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix + "-r",
        },
        "kept": settings.CACHES["kept"],
    }
    with override_settings(CACHES=config):
        yield caches["default"]
        caches["default"].clear()


@pytest.mark.django_db
def test_section_menu_is_cached_in_redis_and_cleared_on_change(client, sections, redis_cache, soup):
    assert soup(client.get("/")).select_one(".site-header nav a").get_text() == "World"
    before = nav_cache_key()
    assert redis_cache.get(before)[0]["title"] == "World"
    sections["world"].unpublish()
    # A new generation (seen by every process through Redis), so the old menu is never read again.
    assert nav_cache_key() != before
    assert "World" not in [a.get_text() for a in soup(client.get("/")).select(".site-header nav a")]
