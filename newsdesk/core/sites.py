"""The Wagtail site answering a request, without a query on every render."""

from django.core.cache import cache
from django.http import HttpRequest
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
    # Saving a Site starts a new ARTICLES generation, seen by every process.
    key = f"site-for:{fragments.generation(fragments.ARTICLES)}:{hostname}:{request.get_port()}"
    found: Site | str | None = cache.get(key)
    if found is None:
        found = Site.find_for_request(request) or _NONE
        cache.set(key, found, CACHE_SECONDS)
    site = None if found == _NONE else found
    request._wagtail_site = site  # type: ignore[attr-defined]
    return site
