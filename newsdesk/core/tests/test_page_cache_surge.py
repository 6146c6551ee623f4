"""Surge safety: N concurrent requests on a stale or missing page cause one render, on every store."""

import contextlib
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
                "BACKEND": "newsdesk.core.cache.ResilientRedisCache",
                "LOCATION": settings.NEWSDESK_TEST_REDIS_URL,
                "KEY_PREFIX": f"test-serving-{uuid.uuid4().hex}",
            },
        }
        options |= {"OPTIONS": {"alias": "pages"}}
    settings.NEWSDESK_PAGE_CACHE = options
    yield request.param
    page_cache.store().clear()


class TurnedAway:
    """Watches the page store's render lock: which readers it turned away while another one rendered.

    A render that `hold()`s lasts until every other reader has been turned away at
    least once, so each surge test has the whole crowd arrive during the render. A
    sleep of a guessed length did this before, and on a loaded machine some readers
    arrived only after it.
    """

    def __init__(self, monkeypatch, others: int):
        self.others = others
        self.readers: set[int] = set()
        self.changed = threading.Condition()
        store = page_cache.store()
        real_lock = store.lock

        @contextlib.contextmanager
        def lock(key, timeout):
            with real_lock(key, timeout) as mine:
                try:
                    yield mine
                finally:
                    # Counted on the way out, once the reader has looked at the store under
                    # the lock and chosen (the stale copy, or another wait): counted on the
                    # way in, the render could end first and leave it a fresh copy.
                    if not mine:
                        with self.changed:
                            self.readers.add(threading.get_ident())
                            self.changed.notify_all()

        monkeypatch.setattr(store, "lock", lock)

    def hold(self) -> None:
        # The timeout only ends a test whose readers never came; it stays under the
        # 30 s the render lock lives, so the lock is still held when it ends.
        with self.changed:
            self.changed.wait_for(lambda: len(self.readers) >= self.others, timeout=20)


class SlowPage:
    """A view that counts its renders and, once `hold` is set, renders only when `hold()` returns."""

    def __init__(self):
        self.renders = 0
        self.lock = threading.Lock()
        self.hold = None

    def __call__(self, request):
        with self.lock:
            self.renders += 1
        if self.hold is not None:
            self.hold()
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


def test_a_stale_page_under_concurrent_requests_renders_once(store_settings, monkeypatch):
    view = SlowPage()
    middleware = PageCacheMiddleware(view)
    middleware(RequestFactory().get("/story/"))
    page_cache.purge_paths(["/story/"])
    view.renders = 0
    view.hold = TurnedAway(monkeypatch, others=READERS - 1).hold

    responses = many_readers(middleware, "/story/")

    assert view.renders == 1
    # Everyone else came during the render, so got the stale copy at once.
    assert Counter(response["X-Page-Cache"] for response in responses) == {"miss": 1, "stale": READERS - 1}
    assert all(response.status_code == 200 for response in responses)


def test_a_missing_page_under_concurrent_requests_renders_once(store_settings, monkeypatch):
    view = SlowPage()
    middleware = PageCacheMiddleware(view)
    turned_away = TurnedAway(monkeypatch, others=READERS - 1)
    view.hold = turned_away.hold

    responses = many_readers(middleware, "/story/")

    assert len(turned_away.readers) == READERS - 1  # all waited for the one render...
    assert view.renders == 1
    assert {response.content for response in responses} == {b"<p>render 1</p>"}  # ...and got its copy


def test_a_waiting_reader_renders_itself_when_the_render_takes_too_long(store_settings, settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "WAIT_SECONDS": 0.05}
    view = SlowPage()
    middleware = PageCacheMiddleware(view)
    keys = page_cache.keys_for(RequestFactory().get("/story/").META)
    assert keys is not None
    with page_cache.store().lock(keys.lock, 30) as mine:
        assert mine
        response = middleware(RequestFactory().get("/story/"))
    assert view.renders == 1
    assert response.status_code == 200


def test_a_lock_is_free_again_after_the_render(store_settings):
    keys = page_cache.keys_for(RequestFactory().get("/story/").META)
    assert keys is not None
    with page_cache.store().lock(keys.lock, 30) as first, page_cache.store().lock(keys.lock, 30) as second:
        assert (first, second) == (True, False)
    with page_cache.store().lock(keys.lock, 30) as again:
        assert again


def test_readers_do_not_wait_for_a_copy_that_never_comes(store_settings, settings, monkeypatch):
    wait_seconds = 60.0
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "WAIT_SECONDS": wait_seconds}
    turned_away = TurnedAway(monkeypatch, others=READERS - 1)
    renders = []

    def gone(request):
        renders.append(request.path)
        if len(renders) == 1:
            turned_away.hold()  # everyone else is waiting for this render when it stores nothing
        return HttpResponse("<p>gone</p>", status=404, content_type="text/html")

    middleware = PageCacheMiddleware(gone)
    started = time.monotonic()
    responses = many_readers(middleware, "/unpublished/")
    assert len(turned_away.readers) == READERS - 1
    assert {response.status_code for response in responses} == {404}
    assert len(renders) == READERS
    # Each waiting reader rendered its 404 as soon as the lock was free, not when its wait
    # ran out; half the wait leaves a loaded machine far more time than 24 renders need.
    assert time.monotonic() - started < wait_seconds / 2
