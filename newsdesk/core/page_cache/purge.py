"""Purges: markers per path (or site-wide), now and after commit, and Wagtail's frontend caches (CDNs)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

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


@dataclass
class _Deferred:
    soft: set[str] = field(default_factory=set)
    hard: set[str] = field(default_factory=set)
    everything: bool = False
    everything_hard: bool = False

    def flush(self) -> None:
        if self.everything:
            purge_all(hard=self.everything_hard)
        purge_paths(self.hard, hard=True)
        purge_paths(self.soft - self.hard)


_deferring = threading.local()


@contextmanager
def purges_deferred() -> Iterator[None]:
    """Collect this thread's purges while inside, and make each once on leaving.

    For bulk writes (an archive import publishes thousands of pages): every publish
    would mark the same lists and pages again and again. The purges are made when
    the block ends, whether it ends well or not, so nothing written inside is ever
    left unpurged. Nested blocks join the outer one.
    """
    if getattr(_deferring, "batch", None) is not None:
        yield
        return
    batch = _Deferred()
    _deferring.batch = batch
    try:
        yield
    finally:
        _deferring.batch = None
        batch.flush()


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
    batch: _Deferred | None = getattr(_deferring, "batch", None)
    if batch is not None:
        (batch.hard if hard else batch.soft).update(unique)
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
    batch: _Deferred | None = getattr(_deferring, "batch", None)
    if batch is not None:
        batch.everything = True
        batch.everything_hard = batch.everything_hard or hard
        return
    _mark({SITE_MARKER}, hard=hard)
    transaction.on_commit(lambda: _mark({SITE_MARKER}, hard=hard))
