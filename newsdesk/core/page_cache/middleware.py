"""The full-page cache and the response headers that let browsers and shared caches keep anonymous pages."""

import sys
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template import loader
from django.utils.cache import patch_vary_headers

from newsdesk.core import page_cache
from newsdesk.core.page_cache import FRESH, STALE, UNUSABLE, Entry, Keys, Marker, seconds_until_local_midnight
from newsdesk.core.security import POLICY_HEADERS

__all__ = ["PageCacheHeadersMiddleware", "PageCacheMiddleware", "seconds_until_local_midnight"]

_DATABASE_FAILED = "_newsdesk_database_failed"


@receiver(got_request_exception)
def _note_database_failure(sender: None, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Django turns a view's exception into a 500 before outer middleware sees it; remember why."""
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DatabaseError):
        setattr(request, _DATABASE_FAILED, True)


def service_unavailable(failed: HttpResponseBase | None = None) -> HttpResponse:
    """A friendly page that needs no database (no context processors, no site settings).

    It replaces the failed answer after the inner middleware ran, so it takes over the
    browser policies they put on that answer (newsdesk/core/security.py).
    """
    body = loader.render_to_string("503.html", {"site_name": settings.WAGTAIL_SITE_NAME})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    for name in POLICY_HEADERS:
        if failed is not None and name in failed:
            response[name] = failed[name]
    return response


class PageCacheMiddleware:
    """Serve anonymous GETs from the page cache; render once per stale page; survive a database outage.

    First in MIDDLEWARE, so a stored copy holds every header the other
    middleware adds. Fresh hits usually never get here: `CachedPageApplication`
    answers them before Django builds a request. See `page_cache` for the rules.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        keys = page_cache.keys_for(request.META, request.path)
        if keys is None:
            return self.render(request, None, None, None)
        entry, marker = page_cache.lookup(keys)
        state = page_cache.state_of(entry, marker, page_cache.now())
        if entry is not None and state == FRESH:
            return self.serve(entry, request, "hit")
        return self.render_once(request, keys)

    def render_once(self, request: HttpRequest, keys: Keys) -> HttpResponseBase:
        """Render under the page's lock; while another worker renders, serve the stale copy or wait for the new one.

        When that render stores nothing (a 404 for an unpublished article), the lock
        is free again and the next waiter renders: nobody waits for a copy that
        will not come.
        """
        conf = page_cache.config()
        deadline = time.monotonic() + conf.wait_seconds
        while True:
            with page_cache.store().lock(keys.lock, conf.lock_seconds) as mine:
                # Looked up under the lock: another worker may have just stored a fresh copy.
                entry, marker = page_cache.lookup(keys)
                state = page_cache.state_of(entry, marker, page_cache.now())
                if entry is not None and state == FRESH:
                    return self.serve(entry, request, "hit")
                if mine or time.monotonic() > deadline:
                    return self.render(request, keys, entry, marker)
                if entry is not None and state == STALE:
                    return self.serve(entry, request, "stale")
            time.sleep(0.02)

    def render(
        self, request: HttpRequest, keys: Keys | None, entry: Entry | None, marker: Marker | None
    ) -> HttpResponseBase:
        started = page_cache.now()
        response = self.get_response(request)
        if getattr(request, _DATABASE_FAILED, False):
            if entry is not None and page_cache.state_of(entry, marker, page_cache.now()) != UNUSABLE:
                return self.serve(entry, request, "stale-if-error")
            return service_unavailable(response)
        if keys is None or getattr(request, "is_preview", False):
            return response
        if not page_cache.is_storable(response, request.method or ""):
            return response
        fresh = page_cache.make_entry(response, started)
        page_cache.save(keys, fresh)
        return self.serve(fresh, request, "miss")

    @staticmethod
    def serve(entry: Entry, request: HttpRequest, label: str) -> HttpResponse:
        headers = page_cache.response_headers(entry, label)
        if page_cache.not_modified(entry, request.META):
            response = HttpResponse(status=304)
            headers = [(name, value) for name, value in headers if name.lower() != "content-type"]
        else:
            response = HttpResponse(entry.body, status=entry.status)
            response["Content-Length"] = str(len(entry.body))
        for name, value in headers:
            response[name] = value
        return response


# Pages and feeds; other views (robots.txt, ads.txt, JSON) set their own lifetimes or none.
SHARED_TYPES = ("text/html", "application/rss+xml", "application/atom+xml")


class PageCacheHeadersMiddleware:
    """Anonymous HTML pages and feeds may be cached briefly, and never past local midnight.

    Every page shows today's date in its top bar; bounding the lifetime by the
    local day keeps a cached copy from showing yesterday's date after midnight.
    Views that set their own Cache-Control keep it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.has_header("Cache-Control")
            and response.get("Content-Type", "").startswith(SHARED_TYPES)
            and not response.cookies
            and not request.user.is_authenticated
        ):
            response["Cache-Control"] = page_cache.shared_cache_control()
            patch_vary_headers(response, ["Cookie"])
        return response
