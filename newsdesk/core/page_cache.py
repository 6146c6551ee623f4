"""Full-page cache for anonymous GETs, with purge, stale-while-revalidate and lifetimes bound by midnight.

One copy of a page serves every anonymous reader (article HTML carries nothing
specific to one reader). A copy is *fresh* for `FRESH_SECONDS` (never past local
midnight: the top bar shows today's date); after that, or after a soft purge, it
is *stale*: one worker re-renders it under a lock while the others keep serving
the stale copy, so a surge costs one render per URL. A *hard* purge (unpublished
or deleted content, a removed comment) means copies made before it are never
served again, not even stale. While the database is down a copy is served up to
`STALE_IF_ERROR_SECONDS` after it was made.

Purges are recorded per path, not per stored copy: a marker `(stale_at, gone_at)`
for `/world/` covers every host, scheme and `?page=N` of that path, and a render
that began before the purge can never store a copy that looks newer than it.

Public API: `purge_paths()`, `purge_article()`, `purge_all()`, `PageCacheMiddleware` (in
middleware.py) and `CachedPageApplication` (the WSGI fast path in wsgi.py).
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import os
import pickle
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, Protocol
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.http import parse_cookie
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe
from django.utils.module_loading import import_string

# --- Configuration -------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    enabled: bool = True
    backend: str = "newsdesk.core.page_cache.CacheStore"
    options: dict[str, Any] = field(default_factory=dict)
    fresh_seconds: int = 300
    stale_seconds: int = 24 * 60 * 60
    stale_if_error_seconds: int = 24 * 60 * 60
    lock_seconds: int = 30
    wait_seconds: float = 10.0
    query_allowlist: dict[str, str] = field(default_factory=lambda: {"page": r"[0-9]{1,4}"})
    query_ignored: tuple[str, ...] = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")
    excluded_prefixes: tuple[str, ...] = ("/admin/", "/documents/", "/healthz", "/static/", "/media/")
    # Read once from Django's settings: the fast path runs per request.
    session_cookie: str = "sessionid"
    proxy_ssl_header: tuple[str, str] | None = None
    page_max_age: int = 300


@cache
def config() -> Config:
    raw = dict(getattr(settings, "NEWSDESK_PAGE_CACHE", {}))
    names = {
        "ENABLED": "enabled",
        "BACKEND": "backend",
        "OPTIONS": "options",
        "FRESH_SECONDS": "fresh_seconds",
        "STALE_SECONDS": "stale_seconds",
        "STALE_IF_ERROR_SECONDS": "stale_if_error_seconds",
        "LOCK_SECONDS": "lock_seconds",
        "WAIT_SECONDS": "wait_seconds",
        "QUERY_ALLOWLIST": "query_allowlist",
        "QUERY_IGNORED": "query_ignored",
        "EXCLUDED_PREFIXES": "excluded_prefixes",
    }
    values = {names[key]: value for key, value in raw.items() if key in names}
    values["session_cookie"] = settings.SESSION_COOKIE_NAME
    values["proxy_ssl_header"] = settings.SECURE_PROXY_SSL_HEADER
    values["page_max_age"] = settings.NEWSDESK_PAGE_MAX_AGE
    for name in ("query_ignored", "excluded_prefixes"):
        if name in values:
            values[name] = tuple(values[name])
    return Config(**values)


@cache
def store() -> PageStore:
    conf = config()
    backend: type[PageStore] = import_string(conf.backend)
    return backend(**conf.options)


@cache
def _allowlist_patterns() -> dict[str, re.Pattern[str]]:
    return {name: re.compile(pattern) for name, pattern in config().query_allowlist.items()}


@receiver(setting_changed)
def _forget_config(*, setting: str, **kwargs: Any) -> None:
    if setting in (
        "NEWSDESK_PAGE_CACHE",
        "CACHES",
        "SESSION_COOKIE_NAME",
        "SECURE_PROXY_SSL_HEADER",
        "NEWSDESK_PAGE_MAX_AGE",
        "TIME_ZONE",
    ):
        config.cache_clear()
        store.cache_clear()
        _day[:] = [0.0, 0.0]
        _allowlist_patterns.cache_clear()


# --- Stores --------------------------------------------------------------------------


class PageStore(Protocol):
    """Where copies, purge markers and render locks live (shared by every worker that serves the site)."""

    def get_many(self, keys: list[str]) -> dict[str, Any]: ...

    def set(self, key: str, value: Any, timeout: float) -> None: ...

    def delete(self, key: str) -> None: ...

    def clear(self) -> None: ...

    def lock(self, key: str, timeout: float) -> AbstractContextManager[bool]:
        """Yield True to the one caller that may render `key` now, False to the others."""
        ...


class CacheStore:
    """A Django cache: process-local by default, Redis when REDIS_URL is set.

    `add()` is atomic on both (Redis `SET NX`; LocMemCache under its lock), which
    is all a render lock needs. The lock expires by itself if a worker dies.
    """

    def __init__(self, alias: str = "default") -> None:
        self.cache = caches[alias]

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        return self.cache.get_many(keys)

    def set(self, key: str, value: Any, timeout: float) -> None:
        self.cache.set(key, value, max(1, int(timeout)))

    def delete(self, key: str) -> None:
        self.cache.delete(key)

    def clear(self) -> None:
        self.cache.clear()

    @contextmanager
    def lock(self, key: str, timeout: float) -> Iterator[bool]:
        token = os.urandom(8).hex()
        acquired = self.cache.add(key, token, max(1, int(timeout)))
        try:
            yield acquired
        finally:
            if acquired and self.cache.get(key) == token:
                self.cache.delete(key)


class FileStore:
    """Files in one directory: shared by the workers of one machine without Redis.

    Writes go to a temporary file renamed into place, so a reader sees a whole
    copy or none. Locks are `flock()` locks, which the kernel drops when a worker
    dies, so a crashed render never blocks a page.
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = str(self.directory) + os.sep

    def _path(self, key: str) -> str:
        # Plain strings: this runs on every cached hit, and pathlib costs more than the read.
        return self.prefix + key

    def _read(self, key: str) -> Any:
        try:
            with open(self._path(key), "rb") as handle:
                expires, value = pickle.load(handle)  # noqa: S301 - files this store wrote itself
        except (FileNotFoundError, EOFError, pickle.UnpicklingError, ValueError):
            return None
        return value if expires > time.time() else None

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        found = {key: self._read(key) for key in keys}
        return {key: value for key, value in found.items() if value is not None}

    def set(self, key: str, value: Any, timeout: float) -> None:
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            pickle.dump((time.time() + timeout, value), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self._path(key))

    def delete(self, key: str) -> None:
        with suppress(FileNotFoundError):
            os.unlink(self._path(key))

    def clear(self) -> None:
        for path in self.directory.iterdir():
            if path.is_file():
                with suppress(FileNotFoundError):
                    path.unlink()

    @contextmanager
    def lock(self, key: str, timeout: float) -> Iterator[bool]:
        locks = self.directory / "locks"
        locks.mkdir(exist_ok=True)
        with open(locks / key, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


# --- Copies, markers and keys --------------------------------------------------------


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

# Response headers a copy keeps; the rest are per response (Date, Set-Cookie) or recomputed.
_NOT_STORED = {"set-cookie", "date", "cache-control", "etag", "last-modified", "content-length", "age", "x-page-cache"}


def now() -> float:
    """The page cache's clock: Django's, so tests that move time move the cache too."""
    return timezone.now().timestamp()


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def _scheme(environ: dict[str, Any]) -> str:
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


def _normalised_query(query_string: str) -> str | None:
    """The query part of the key, or None when the query makes the page uncacheable."""
    if not query_string:
        return ""
    conf = config()
    patterns = _allowlist_patterns()
    kept = []
    for name, value in parse_qsl(query_string, keep_blank_values=True):
        if name.startswith(conf.query_ignored):
            continue
        pattern = patterns.get(name)
        if pattern is None or not pattern.fullmatch(value):
            return None
        kept.append((name, value))
    return urlencode(sorted(kept))


def path_of(environ: dict[str, Any]) -> str:
    """The request path as Django sees it (`request.path`)."""
    raw = environ.get("PATH_INFO", "/")
    path = raw.encode("latin-1", "surrogateescape").decode("utf-8", "replace")
    return (environ.get("SCRIPT_NAME", "") or "") + (path or "/")


def keys_for(environ: dict[str, Any]) -> Keys | None:
    """The cache keys of a request, or None if its response must not be shared.

    Shared: GET and HEAD without the session cookie (signed-in staff never get or
    make shared copies), outside the admin and other excluded paths, with only
    allow-listed query parameters (tracking parameters are dropped from the key).
    Other cookies, such as the comment notice cookie, do not matter: the page is
    the same for everyone and scripts read those cookies in the browser.
    """
    conf = config()
    if not conf.enabled or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    if _has_session_cookie(environ.get("HTTP_COOKIE", "")):
        return None
    path = path_of(environ)
    if path.startswith(conf.excluded_prefixes):
        return None
    query = _normalised_query(environ.get("QUERY_STRING", ""))
    if query is None:
        return None
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
    entry = _digest(f"{_scheme(environ)}://{host.lower()}{path}?{query}")
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


# --- Lifetimes and headers -----------------------------------------------------------


def seconds_until_local_midnight(moment: datetime.datetime | None = None) -> int:
    """Seconds until the date line changes in the site's time zone (at least 1)."""
    local = timezone.localtime(moment)
    tomorrow = datetime.datetime.combine(local.date() + datetime.timedelta(days=1), datetime.time(), local.tzinfo)
    # Recompute the zone offset for tomorrow's midnight (daylight saving may change it).
    midnight = timezone.make_aware(tomorrow.replace(tzinfo=None), timezone.get_current_timezone())
    return max(1, int((midnight - local).total_seconds()))


def shared_cache_control(max_age: int | None = None) -> str:
    """`Cache-Control` for an anonymous page: every lifetime ends by local midnight.

    `s-maxage` and `stale-while-revalidate` are for CDNs and proxies
    (RFC 9111 §5.2.2.10, RFC 5861); both stop at midnight so nobody shows
    yesterday's date line. `stale-if-error` may go past it: during an outage,
    yesterday's page is better than an error.
    """
    lifetime = config().page_max_age if max_age is None else max_age
    left = _seconds_to_midnight(now())
    fresh = max(0, min(lifetime, left))
    revalidate = max(0, min(config().stale_seconds, left - fresh))
    return (
        f"public, max-age={fresh}, s-maxage={fresh}, stale-while-revalidate={revalidate}, "
        f"stale-if-error={config().stale_if_error_seconds}"
    )


# [start, end) of a span inside one local day, and that day's end.
_day = [0.0, 0.0]


def _midnight(at: float) -> float:
    """The next local midnight after `at`, remembered until it passes (this runs on every hit)."""
    day_start, midnight = _day
    if not day_start <= at < midnight:
        midnight = at + seconds_until_local_midnight(datetime.datetime.fromtimestamp(at, tz=datetime.UTC))
        day_start = midnight - 22 * 60 * 60  # shorter than any day, so a moved clock is noticed
        _day[:] = [day_start, midnight]
    return midnight


def _seconds_to_midnight(at: float) -> int:
    return max(1, int(_midnight(at) - at))


def _max_age(cache_control: str) -> int | None:
    found = dict(re.findall(r"(s-maxage|max-age)=(\d+)", cache_control))
    value = found.get("s-maxage", found.get("max-age"))
    return int(value) if value is not None else None


def is_storable(response: Any, request_method: str) -> bool:
    """What a shared cache may keep (RFC 9111 §3): a public 200 without cookies or odd `Vary`."""
    if request_method != "GET" or response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = {part.strip().split("=")[0].lower() for part in response.get("Cache-Control", "").split(",")}
    if "public" not in directives or directives & {"private", "no-store", "no-cache"}:
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    return vary <= {"cookie", "accept-encoding"}


def make_entry(response: Any, started: float) -> Entry:
    conf = config()
    body = bytes(response.content)
    day_bound = response.get("Content-Type", "").startswith("text/html")
    own = _max_age(response.get("Cache-Control", ""))
    lifetime = conf.fresh_seconds if own is None else min(conf.fresh_seconds, own)
    fresh_until = started + lifetime
    stale_until = fresh_until + conf.stale_seconds
    if day_bound:
        midnight = _midnight(started)
        fresh_until, stale_until = min(fresh_until, midnight), min(stale_until, midnight)
    headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_STORED]
    if not day_bound:
        headers.append(("Cache-Control", response["Cache-Control"]))
    return Entry(
        created=started,
        fresh_until=fresh_until,
        stale_until=stale_until,
        error_until=started + max(conf.stale_if_error_seconds, lifetime),
        day_bound=day_bound,
        status=response.status_code,
        headers=headers,
        etag='"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"',
        last_modified=http_date(started),
        body=body,
    )


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


def not_modified(entry: Entry, environ: dict[str, Any]) -> bool:
    """RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or entry.etag in tags
    header = environ.get("HTTP_IF_MODIFIED_SINCE")
    since = parse_http_date_safe(header) if header else None
    return since is not None and since >= int(entry.created)


def response_headers(entry: Entry, label: str) -> list[tuple[str, str]]:
    headers = list(entry.headers)
    if entry.day_bound:
        headers.append(("Cache-Control", shared_cache_control()))
    headers += [("ETag", entry.etag), ("Last-Modified", entry.last_modified), ("X-Page-Cache", label)]
    return headers


# --- The WSGI fast path --------------------------------------------------------------


class CachedPageApplication:
    """Answers fresh cached pages before Django builds a request (no middleware, no URL routing).

    Anything else (a miss, a stale copy, a bypass) goes to Django, where
    `PageCacheMiddleware` renders, locks, serves stale and stores.
    """

    def __init__(self, application: Callable[..., Any]) -> None:
        self.application = application

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        keys = keys_for(environ)
        if keys is not None:
            entry, marker = lookup(keys)
            if entry is not None and state_of(entry, marker, now()) == FRESH:
                return self.serve(entry, environ, start_response)
        return self.application(environ, start_response)

    @staticmethod
    def serve(entry: Entry, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        headers = response_headers(entry, "hit")
        if not_modified(entry, environ):
            start_response("304 Not Modified", [h for h in headers if h[0].lower() != "content-type"])
            return []
        start_response("200 OK", [*headers, ("Content-Length", str(len(entry.body)))])
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [entry.body]


# --- Purge ---------------------------------------------------------------------------


def _mark(keys: set[str], *, hard: bool) -> None:
    conf = config()
    at = now()
    current = store().get_many(list(keys))
    lifetime = max(conf.stale_seconds, conf.stale_if_error_seconds, conf.fresh_seconds) + 60
    for key in keys:
        previous: Marker | None = current.get(key)
        gone_at = at if hard else (previous.gone_at if previous else 0.0)
        store().set(key, Marker(stale_at=at, gone_at=gone_at), lifetime)


def _purge_frontend_caches(paths: set[str]) -> None:
    """Wagtail's frontend-cache backends (CDN, Varnish); its PurgeBatch queues the requests as a job."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch
    from wagtail.models import Site

    roots = {root.root_url for root in Site.get_site_root_paths() if root.root_url}
    batch = PurgeBatch()
    batch.add_urls(root.rstrip("/") + path for root in roots for path in paths)
    batch.purge()


def purge_paths(paths: Iterable[str], *, hard: bool = False) -> None:
    """Purge these paths (every host, scheme and `?page=N` of each) from the app's cache and CDNs.

    Soft (default): copies turn stale; readers get the stale copy while one worker
    re-renders. `hard=True`: copies made before now are never served again, not
    even while the database is down; use it when something was removed (an
    unpublished or deleted article, a deleted comment). Safe in a signal or a
    job: the purge runs now and again after the current transaction commits (a
    render that read the old rows meanwhile must not keep its copy), and CDNs are
    told only after the commit.
    """
    unique = {path for path in paths if path}
    if not unique:
        return
    markers = {marker_key(path) for path in unique}
    _mark(markers, hard=hard)

    def after_commit() -> None:
        _mark(markers, hard=hard)
        _purge_frontend_caches(unique)

    transaction.on_commit(after_commit)


def purge_all(*, hard: bool = False) -> None:
    """Purge every page of the app's cache (soft or hard, as `purge_paths`); CDNs keep theirs until they expire.

    For changes every page shows: the section menu, site settings.
    """
    _mark({SITE_MARKER}, hard=hard)
    transaction.on_commit(lambda: _mark({SITE_MARKER}, hard=hard))


def article_paths(article: Any) -> set[str]:
    """Every page that shows this article: its own, its sections, home, archive, tags, authors, feeds, sitemaps."""
    from newsdesk.articles.models import ArticleIndexPage

    paths = {"/", "/feeds/rss/", "/feeds/atom/", "/sitemap.xml", "/news-sitemap.xml"}
    paths |= {f"/sitemap-{name}.xml" for name in ("articles", "sections", "authors", "tags")}
    own = article.dated_path()
    if own:
        paths.add(own)
    sections = [article.primary_section] if article.primary_section_id else []
    sections += list(article.extra_sections.all())
    for section in sections:
        paths |= {*_page_path(section), *_feeds("sections", section.slug)}
    for author in article.authors:
        paths |= {author.get_absolute_url(), *_feeds("authors", author.slug)}
    for tag in article.tags.all():
        paths |= {f"/tags/{tag.slug}/", *_feeds("tags", tag.slug)}
    for index in ArticleIndexPage.objects.all():
        paths |= _page_path(index)
    return paths


def _page_path(page: Any) -> set[str]:
    parts = page.get_url_parts()
    return {parts[2]} if parts else set()


def _feeds(kind: str, slug: str) -> list[str]:
    return [f"/feeds/{kind}/{slug}/rss/", f"/feeds/{kind}/{slug}/atom/"]


def purge_article(article: Any, *, hard: bool | None = None) -> None:
    """Purge an article's page and every list, feed and sitemap that shows it.

    `hard` defaults to "the article is no longer live" (unpublished): its page
    must never be served again. Pass `hard=True` for a deleted article or removed
    content (a deleted comment), `hard=False` for an approved comment.
    """
    if hard is None:
        hard = not article.live
    purge_paths(article_paths(article), hard=hard)
