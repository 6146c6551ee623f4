"""Generations for cached page fragments: a whole family of fragments is dropped by changing one number.

A page the page cache does not hold is rendered from parts, and most parts are the
same on many pages or between two renders of one page: the Must read and Latest
lists are site-wide, and an article's header, body and metadata change only when it
is republished. Those parts are kept in Django's cache under keys that include a
*generation*; changing the generation makes every older fragment unreachable at once,
with no list of keys to delete.

Two generations, so a new comment does not throw away every article's body:

- `LISTS`: what teasers show (which articles are published, their titles, sections,
  images and approved comment counts). Changed by every publish, unpublish, move or
  delete, by comment moderation and by the Must read picks.
- `ARTICLES`: what an article's own parts show besides its revision (authors,
  images, sections, site settings). Changed when those change.

The numbers live in the page cache's store (files or Redis), which every web worker
and the job worker share, so a change made by the job worker (scheduled publishing)
reaches every web process; the fragments themselves live in each process's cache
(Redis when `REDIS_URL` is set). A change is applied now and again after the current
transaction commits; a render reads the numbers before the rows it renders, so rows
it read before a commit are never kept under the number that commit started.

Starting a missing number is not atomic: two processes may each start one and the
last write wins. Either is a number no fragment was kept under, and a change always
writes a new number again after its commit, so no older content becomes reachable.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from django.core.cache import BaseCache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from . import page_cache

LISTS = "lists"
ARTICLES = "articles"
# Which Site answers which host (core/sites.py): changed only when a Site is saved or deleted.
SITES = "sites"
_KEY_PREFIX = "fragments-generation-"
# Long enough never to matter; when one expires, a new number is started (fragments rebuild once).
_LIFETIME = 30 * 24 * 60 * 60


def kept() -> BaseCache:
    """The cache for values kept under keys that name what they show (a generation, a version).

    A change writes a new key, never a new value under an old key, so each process keeps a
    copy of what it read (newsdesk/core/cache.py, `NearCache`). A value that is replaced or
    deleted to withdraw it belongs in the default cache instead.
    """
    return caches["kept"]


def _key(name: str) -> str:
    return _KEY_PREFIX + name


def generations(*names: str) -> tuple[str, ...]:
    """The current numbers of these generations, in one read of the shared store.

    Inside `read_once()` (a reader's request), the numbers read first are the ones the
    rest of the request uses; see there.
    """
    known = _read.get()
    if known is not None and all(name in known for name in names):
        return tuple(known[name] for name in names)
    # In a request, read every name this process has asked for before along with these:
    # a page asks for several generations from several apps, and after its first request
    # a process reads them all in one go. Names the request has read keep their numbers.
    asked = list(names)
    if known is not None:
        asked = [name for name in dict.fromkeys([*names, *_asked]) if name not in known]
    keys = [_key(name) for name in asked]
    found = page_cache.store().get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        start = _new_number()
        for key in missing:
            page_cache.store().set(key, start, _LIFETIME)
            found[key] = start
    numbers = {name: str(found[_key(name)]) for name in asked}
    _asked.update(names)
    if known is not None:
        known.update(numbers)
        numbers = known
    return tuple(numbers[name] for name in names)


# Names any request of this process asked for, so the next request reads them at once.
_asked: set[str] = set()
# The numbers this request has read (None outside `read_once()`).
_read: ContextVar[dict[str, str] | None] = ContextVar("fragment_generations", default=None)


# Values read once per request (`once_per_request`; None outside `read_once()`).
_request_values: ContextVar[dict[str, Any] | None] = ContextVar("request_values", default=None)
T = TypeVar("T")


def once_per_request(name: str, read: Callable[[], T]) -> T:
    """`read()` once per request, its answer reused by the rest of the request (every time outside one).

    For a value a page asks for several times over that is changed by deleting it (the
    running ad creatives: one look-up per slot), so it cannot be kept in `kept()`.
    """
    values = _request_values.get()
    if values is None:
        return read()
    if name not in values:
        values[name] = read()
    return cast("T", values[name])


def forget_in_request(name: str) -> None:
    """The rest of this request reads `name` afresh (after the request itself changed it)."""
    values = _request_values.get()
    if values is not None:
        values.pop(name, None)


@contextmanager
def read_once() -> Iterator[None]:
    """Within this block, each generation is read from the shared store once, with the others.

    A page asks for the numbers a dozen times (the site, the menu, each list, each kept
    part): each was a read of the store, a file or a Redis round trip. A number read
    at the start of a request is still read before the rows the request renders, which
    is all that keeping a part under it needs (above): a change committed meanwhile
    started a newer number, under which nothing this request keeps is ever looked for.
    A change made in the block (`bump`) is read afresh. Values asked for with
    `once_per_request` are read once in the block too.
    """
    token = _read.set({})
    values_token = _request_values.set({})
    try:
        yield
    finally:
        _request_values.reset(values_token)
        _read.reset(token)


def read_once_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """`read_once()` around each request (settings.MIDDLEWARE: after the page cache, whose
    stored copies need no numbers, and before anything that reads them)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        with read_once():
            return get_response(request)

    return middleware


def generation(name: str) -> str:
    return generations(name)[0]


_last_number = 0
_number_lock = threading.Lock()


def _new_number() -> str:
    """A number later than any this process gave before.

    The clock alone repeats itself when it stands still (a test's frozen clock) or steps
    back: a change would then write the number it replaces, and fragments kept under it
    (a list of restricted pages read before the restriction) would stay reachable.
    """
    global _last_number
    with _number_lock:
        _last_number = max(time.time_ns(), _last_number + 1)
        return str(_last_number)


def _set(names: Iterable[str]) -> None:
    number = _new_number()
    known = _read.get()
    for name in names:
        page_cache.store().set(_key(name), number, _LIFETIME)
        if known is not None:
            known.pop(name, None)


_deferring = threading.local()


@contextmanager
def bumps_deferred() -> Iterator[None]:
    """Collect this thread's bumps while inside and start each generation once on leaving.

    For bulk writes, like `page_cache.purges_deferred()`; nested blocks join the outer one.
    """
    if getattr(_deferring, "names", None) is not None:
        yield
        return
    names: set[str] = set()
    _deferring.names = names
    try:
        yield
    finally:
        _deferring.names = None
        if names:
            bump(*sorted(names))


def bump(*names: str) -> None:
    """Start new generations: now, and again once the current transaction commits."""
    chosen = tuple(names)
    collected: set[str] | None = getattr(_deferring, "names", None)
    if collected is not None:
        collected.update(chosen)
        return
    _set(chosen)
    transaction.on_commit(lambda: _set(chosen))
