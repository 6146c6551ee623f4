"""Stored copies, purge markers and the keys a request maps to."""

from __future__ import annotations

import hashlib
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode
from wsgiref.types import WSGIEnvironment

from django.http import parse_cookie
from django.utils import timezone

from .config import allowlist_patterns, config, store


class Entry(NamedTuple):
    """One stored copy of a response."""

    created: float
    fresh_until: float
    stale_until: float
    error_until: float
    day_bound: bool
    status: int
    headers: list[tuple[str, str]]
    etag: str
    last_modified: str
    body: bytes


class Marker(NamedTuple):
    """The last purges of a path: copies made before `stale_at` are stale, before `gone_at` unusable."""

    stale_at: float
    gone_at: float


class Keys(NamedTuple):
    entry: str
    marker: str
    lock: str


FRESH, STALE, ERROR_ONLY, UNUSABLE = "fresh", "stale", "error-only", "unusable"


def now() -> float:
    """The page cache's clock: Django's, so tests that move time move the cache too."""
    return timezone.now().timestamp()


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def _scheme(environ: WSGIEnvironment) -> str:
    """The same answer as Django's `request.scheme` (SECURE_PROXY_SSL_HEADER included)."""
    proxy = config().proxy_ssl_header
    if proxy:
        header, secure_value = proxy
        value = environ.get(header)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return str(environ.get("wsgi.url_scheme", "http"))


def _has_session_cookie(cookie_header: str) -> bool:
    name = config().session_cookie
    # Django's own parser, so this agrees with `request.COOKIES` on odd headers.
    return name in cookie_header and name in parse_cookie(cookie_header)


def _normalised_query(query_string: str, path: str) -> str | None:
    """The query part of the key, or None when the query makes the page uncacheable."""
    if not query_string:
        return ""
    conf = config()
    prefix = next((prefix for prefix in conf.query_allowlist_by_prefix if path.startswith(prefix)), "")
    patterns = allowlist_patterns(prefix)
    kept = []
    for name, value in parse_qsl(query_string, keep_blank_values=True):
        if name.startswith(conf.query_ignored):
            continue
        pattern = patterns.get(name)
        if pattern is None or not pattern.fullmatch(value):
            return None
        kept.append((name, value))
    return urlencode(sorted(kept))


def path_of(environ: WSGIEnvironment) -> str:
    """The request path as Django sees it (`request.path`)."""
    raw = environ.get("PATH_INFO", "/")
    path = raw.encode("latin-1", "surrogateescape").decode("utf-8", "replace")
    return (environ.get("SCRIPT_NAME", "") or "") + (path or "/")


def keys_for(environ: WSGIEnvironment, path: str | None = None) -> Keys | None:
    """The cache keys of a request, or None if its response must not be shared.

    `path`: the request's decoded path, when the caller has one (`request.path`). Django's
    request replaces `PATH_INFO` in the environ it keeps with its decoded form, so
    decoding that again would garble, or fail on, any path beyond ASCII.

    Shared: GET and HEAD without the session cookie (signed-in staff never get or
    make shared copies), outside the admin and other excluded paths, with only
    allow-listed query parameters (tracking parameters are dropped from the key).
    Other cookies, such as the comment notice cookie, do not matter: the page is
    the same for everyone and scripts read those cookies in the browser. A request
    with credentials (`Authorization`, an API key) is never answered from a shared
    copy nor stored (RFC 9111 §3.5): what it may see is its own. A cross-origin
    request (`Origin`) gets its own copy, since CORS headers differ per origin.
    """
    conf = config()
    if not conf.enabled or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    if _has_session_cookie(environ.get("HTTP_COOKIE", "")) or "HTTP_AUTHORIZATION" in environ:
        return None
    path = path_of(environ) if path is None else path
    if path.startswith(conf.excluded_prefixes):
        return None
    query = _normalised_query(environ.get("QUERY_STRING", ""), path)
    if query is None:
        return None
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
    origin = environ.get("HTTP_ORIGIN", "")
    entry = _digest(f"{_scheme(environ)}://{host.lower()}{path}?{query}" + (f"#{origin}" if origin else ""))
    return Keys(entry="pc-e-" + entry, marker=marker_key(path), lock="pc-l-" + entry)


def marker_key(path: str) -> str:
    return "pc-m-" + _digest(path)


# Purges every page at once (the section menu or site settings changed: every page shows them).
SITE_MARKER = "pc-m-site"


def state_of(entry: Entry | None, marker: Marker | None, at: float) -> str:
    if entry is None or (marker is not None and entry.created <= marker.gone_at):
        return UNUSABLE
    purged = marker is not None and entry.created <= marker.stale_at
    if at < entry.fresh_until and not purged:
        return FRESH
    if at < entry.stale_until:
        return STALE
    if at < entry.error_until:
        return ERROR_ONLY
    return UNUSABLE


def lookup(keys: Keys) -> tuple[Entry | None, Marker | None]:
    """The stored copy and the purges that apply to it (its path's and the site-wide one), in one read."""
    found = store().get_many([keys.entry, keys.marker, SITE_MARKER])
    return found.get(keys.entry), _latest(found.get(keys.marker), found.get(SITE_MARKER))


def _latest(first: Marker | None, second: Marker | None) -> Marker | None:
    if first is None or second is None:
        return first or second
    return Marker(stale_at=max(first.stale_at, second.stale_at), gone_at=max(first.gone_at, second.gone_at))


def save(keys: Keys, entry: Entry) -> bool:
    """Store a copy unless a hard purge came after its render began; a soft one stores it stale."""
    found = store().get_many([keys.marker, SITE_MARKER])
    marker = _latest(found.get(keys.marker), found.get(SITE_MARKER))
    if marker is not None and entry.created <= marker.gone_at:
        return False
    if marker is not None and entry.created <= marker.stale_at:
        entry = entry._replace(fresh_until=entry.created)
    store().set(keys.entry, entry, max(entry.error_until, entry.stale_until) - entry.created)
    return True
