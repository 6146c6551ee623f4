"""The page cache's settings (`NEWSDESK_PAGE_CACHE`), read once, and the store they name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from .stores import PageStore


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
    # More parameters kept in the key under a path prefix (an API's filters), on top of the above.
    query_allowlist_by_prefix: dict[str, dict[str, str]] = field(default_factory=dict)
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
        "QUERY_ALLOWLIST_BY_PREFIX": "query_allowlist_by_prefix",
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
def allowlist_patterns(prefix: str = "") -> dict[str, re.Pattern[str]]:
    """The allowed query parameters: site-wide, plus those of `prefix` (a key of QUERY_ALLOWLIST_BY_PREFIX)."""
    allowed = {**config().query_allowlist, **config().query_allowlist_by_prefix.get(prefix, {})}
    return {name: re.compile(pattern) for name, pattern in allowed.items()}


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
        allowlist_patterns.cache_clear()
