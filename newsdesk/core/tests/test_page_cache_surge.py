"""Surge safety: N concurrent requests on a stale or missing page cause one render, on every store."""

import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from newsdesk.core import page_cache
from newsdesk.core.page_cache.middleware import PageCacheMiddleware

pytestmark = pytest.mark.django_db

READERS = 24


@pytest.fixture(params=["locmem", "files", "redis"])
def store_settings(request, settings, tmp_path):
    options = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": True}
    if request.param == "files":
        options |= {"BACKEND": "newsdesk.core.page_cache.FileStore", "OPTIONS": {"directory": str(tmp_path)}}
    elif request.param == "redis":
        settings.CACHES = {
            **settings.CACHES,
            "pages": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": settings.NEWSDESK_TEST_REDIS_URL,
                "KEY_PREFIX": f"test-serving-{uuid.uuid4().hex}",
            },
        }
        options |= {"OPTIONS": {"alias": "pages"}}
    settings.NEWSDESK_PAGE_CACHE = options
    yield request.param
    page_cache.store().clear()


class SlowPage:
    """A view that takes a while to render and counts its renders."""

    def __init__(self):
        self.renders = 0
        self.lock = threading.Lock()

    def __call__(self, request):
        with self.lock:
            self.renders += 1
        time.sleep(0.3)
        response = HttpResponse(f"<p>render {self.renders}</p>", content_type="text/html")
        response["Cache-Control"] = "public, max-age=60"
        return response


def many_readers(middleware, path):
    factory = RequestFactory()
    start = threading.Barrier(READERS)

    def read(_):
        start.wait()
        return middleware(factory.get(path))

    with ThreadPoolExecutor(READERS) as pool:
        return list(pool.map(read, range(READERS)))


def test_a_stale_page_under_concurrent_requests_renders_once(store_settings):
    view = SlowPage()
    middleware = PageCacheMiddleware(view)
    middleware(RequestFactory().get("/story/"))
    page_cache.purge_paths(["/story/"])
    view.renders = 0

    responses = many_readers(middleware, "/story/")

    assert view.renders == 1
    labels = Counter(response["X-Page-Cache"] for response in responses)
    assert labels["miss"] == 1
    assert labels["stale"] >= READERS - 2  # a straggler may arrive after the render: a hit
    assert all(response.status_code == 200 for response in responses)


def test_a_missing_page_under_concurrent_requests_renders_once(store_settings):
    view = SlowPage()
    middleware = PageCacheMiddleware(view)

    responses = many_readers(middleware, "/story/")

    assert view.renders == 1
    assert {response.content for response in responses} == {b"<p>render 1</p>"}


def test_a_waiting_reader_renders_itself_when_the_render_takes_too_long(store_settings, settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "WAIT_SECONDS": 0.05}
    view = SlowPage()
    middleware = PageCacheMiddleware(view)
    keys = page_cache.keys_for(RequestFactory().get("/story/").META)
    with page_cache.store().lock(keys.lock, 30) as mine:
        assert mine
        response = middleware(RequestFactory().get("/story/"))
    assert view.renders == 1
    assert response.status_code == 200


def test_a_lock_is_free_again_after_the_render(store_settings):
    keys = page_cache.keys_for(RequestFactory().get("/story/").META)
    with page_cache.store().lock(keys.lock, 30) as first, page_cache.store().lock(keys.lock, 30) as second:
        assert (first, second) == (True, False)
    with page_cache.store().lock(keys.lock, 30) as again:
        assert again


def test_readers_do_not_wait_for_a_copy_that_never_comes(store_settings):
    def gone(request):
        time.sleep(0.05)
        return HttpResponse("<p>gone</p>", status=404, content_type="text/html")

    middleware = PageCacheMiddleware(gone)
    started = time.monotonic()
    responses = many_readers(middleware, "/unpublished/")
    # Each reader renders its 404 in turn as soon as the lock is free, not after WAIT_SECONDS (10 s).
    assert time.monotonic() - started < 5
    assert {response.status_code for response in responses} == {404}
