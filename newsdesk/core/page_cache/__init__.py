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

Public API: `purge_paths()`, `purge_all()`, `PageCacheMiddleware` (in
middleware.py) and `CachedPageApplication` (the WSGI fast path in wsgi.py).
"""

from .config import Config, config, store
from .entries import (
    ERROR_ONLY,
    FRESH,
    SITE_MARKER,
    STALE,
    UNUSABLE,
    Entry,
    Keys,
    Marker,
    keys_for,
    lookup,
    marker_key,
    now,
    path_of,
    save,
    state_of,
)
from .headers import (
    is_storable,
    make_entry,
    not_modified,
    response_headers,
    seconds_until_local_midnight,
    shared_cache_control,
)
from .purge import purge_all, purge_paths, purges_deferred
from .stores import CacheStore, FileStore, PageStore
from .wsgi import CachedPageApplication

__all__ = [
    "ERROR_ONLY",
    "FRESH",
    "SITE_MARKER",
    "STALE",
    "UNUSABLE",
    "CacheStore",
    "CachedPageApplication",
    "Config",
    "Entry",
    "FileStore",
    "Keys",
    "Marker",
    "PageStore",
    "config",
    "is_storable",
    "keys_for",
    "lookup",
    "make_entry",
    "marker_key",
    "not_modified",
    "now",
    "path_of",
    "purge_all",
    "purge_paths",
    "purges_deferred",
    "response_headers",
    "save",
    "seconds_until_local_midnight",
    "shared_cache_control",
    "state_of",
    "store",
]
