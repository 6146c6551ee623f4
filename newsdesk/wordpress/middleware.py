"""Old WordPress addresses that Wagtail's redirects cannot answer on their own.

Wagtail's RedirectMiddleware looks a path up only when the site answered 404. Two kinds of
WordPress address never get there or never match a stored row:

* `/?p=123`, `/?page_id=7`, `/?cat=3`, `/?feed=rss2`...: the path is the home page, which
  answers 200. The import stores each as a redirect ("/?p=123"); this looks that one row
  up before the home page renders, using only the WordPress parameter (a `utm_source` on
  the shared link does not hide it).
* `/page/2/`, `/category/news/page/3/`: listing pages. Storing a row per page number is
  pointless; the list's own redirect (`/category/news/`) is looked up once, and the page
  number carried over as `?page=N`. `/page/N/` itself is the archive of all articles.

Each answer is one lookup of a stored redirect, never a chain.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase, HttpResponsePermanentRedirect
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

from newsdesk.articles.models import ArticleIndexPage

# The query parameters WordPress answers on its front page, in the order it reads them.
LEGACY_QUERY_KEYS = ("p", "page_id", "attachment_id", "cat", "tag", "author", "feed")
_VALUE = re.compile(r"^[-\w.]{1,200}$")
_PAGED = re.compile(r"^(?P<list>/.*?)?/page/(?P<number>[0-9]{1,4})/?$")


class LegacyAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in ("GET", "HEAD") and request.path == "/" and request.GET:
            found = self._query_redirect(request)
            if found is not None:
                return found
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            return self._paged_redirect(request) or response
        return response

    @staticmethod
    def _query_redirect(request: HttpRequest) -> HttpResponseBase | None:
        for key in LEGACY_QUERY_KEYS:
            value = request.GET.get(key)
            if value is None:
                continue
            if not _VALUE.match(value):
                return None
            redirect = get_redirect(request, Redirect.normalise_path(f"/?{key}={value}"))
            if redirect is not None and redirect.link:
                return HttpResponsePermanentRedirect(redirect.link)
            return None
        return None

    @staticmethod
    def _paged_redirect(request: HttpRequest) -> HttpResponseBase | None:
        match = _PAGED.match(request.path)
        if match is None or int(match["number"]) < 1:
            return None
        listing = match["list"]
        if not listing:
            archive = ArticleIndexPage.objects.live().first()
            target = archive.url if archive is not None else None
        else:
            redirect = get_redirect(request, Redirect.normalise_path(listing))
            target = redirect.link if redirect is not None else None
        if not target or "?" in target:
            return None
        return HttpResponsePermanentRedirect(f"{target}?page={match['number']}")
