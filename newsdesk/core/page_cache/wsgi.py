"""The WSGI fast path: fresh copies answered before Django builds a request."""

from __future__ import annotations

from collections.abc import Iterable
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from .entries import FRESH, Entry, keys_for, lookup, now, state_of
from .headers import not_modified, response_headers


class CachedPageApplication:
    """Answers fresh cached pages before Django builds a request (no middleware, no URL routing).

    Anything else (a miss, a stale copy, a bypass) goes to Django, where
    `PageCacheMiddleware` renders, locks, serves stale and stores.
    """

    def __init__(self, application: WSGIApplication) -> None:
        self.application = application

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        keys = keys_for(environ)
        if keys is not None:
            entry, marker = lookup(keys)
            if entry is not None and state_of(entry, marker, now()) == FRESH:
                return self.serve(entry, environ, start_response)
        return self.application(environ, start_response)

    @staticmethod
    def serve(entry: Entry, environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        headers = response_headers(entry, "hit")
        if not_modified(entry, environ):
            start_response("304 Not Modified", [h for h in headers if h[0].lower() != "content-type"])
            return []
        start_response("200 OK", [*headers, ("Content-Length", str(len(entry.body)))])
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [entry.body]
