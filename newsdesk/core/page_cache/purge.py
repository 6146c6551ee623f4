"""Purges: markers per path (or site-wide), now and after commit, and Wagtail's frontend caches (CDNs)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from .config import config, store
from .entries import SITE_MARKER, Marker, marker_key, now


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
    # Wagtail's models need the app registry, which the WSGI fast path (importing this package) runs before.
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
