"""The Wagtail site answering a request, without a query on every render."""

import contextlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from wagtail.models import Site

from . import fragments

CACHE_SECONDS = 60 * 60
_NONE = "none"


def site_for_request(request: HttpRequest) -> Site | None:
    """`Site.find_for_request()`, with the answer for each host and port kept until a Site changes.

    The answer is also stored where Wagtail's own lookup finds it, so later calls in
    the same request cost nothing.
    """
    if hasattr(request, "_wagtail_site"):
        site: Site | None = request._wagtail_site
        return site
    hostname = split_domain_port(request.get_host())[0]
    # Saving or deleting a Site starts a new SITES generation (`forget_sites`), seen by
    # every process; nothing else changes the answer, so a section's or author's change
    # (a new ARTICLES generation) keeps it.
    key = f"site-for:{fragments.generation(fragments.SITES)}:{hostname}:{request.get_port()}"
    found: Site | str | None = cache.get(key)
    if found is None:
        found = Site.find_for_request(request) or _NONE
        cache.set(key, found, CACHE_SECONDS)
    site = None if found == _NONE else found
    request._wagtail_site = site  # type: ignore[attr-defined]
    return site


def forget_sites(**kwargs: Any) -> None:
    """A Site saved or deleted: every process looks the answers up again (connected in apps.py)."""
    fragments.bump(fragments.SITES)


class SiteMiddleware:
    """Finds the request's Site through the kept answers before Wagtail's serve view asks: one query fewer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            # With the database down the view decides what to answer (the health check's 503,
            # the page cache's kept copy); a look-up made only to save a query must not fail it.
            with contextlib.suppress(DatabaseError):
                site_for_request(request)
        return self.get_response(request)
