"""A Redis cache that degrades to "nothing cached" when Redis is down, instead of failing pages.

Django's Redis backend raises on every call while the server is unreachable or restarting, and
nearly every reader page touches the cache (page copies, kept parts, the section menu). Here a
connection or time-out error makes the call behave as if the key were absent: reads miss, writes
are dropped, `add` succeeds (so a render lock is granted and each request renders for itself,
and a once-per-window check lets the visitor through). Pages are then served from the database
and renders, slower, until Redis answers again; redis-py reconnects on the next call by itself.
Short socket time-outs (settings) keep a hung Redis from holding a request for long.

What that costs while Redis is away (docs/deploy.md, "When Redis is down"): no shared page
copies or kept parts, no comment flood window, views and ad clicks counted without the
once-per-hour de-duplication. Counts themselves are kept (newsdesk/core/counters.py falls back
to the local spool).
"""

import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
LOG_EVERY_SECONDS = 30.0
T = TypeVar("T")


class ResilientRedisCache(RedisCache):
    _last_logged = float("-inf")  # the first failure is always logged

    def _degrade(self, operation: str, call: Callable[[], T], fallback: T) -> T:
        try:
            return call()
        except UNAVAILABLE as error:
            now = time.monotonic()
            # One line per interval, not one per request, while the outage lasts.
            if now - ResilientRedisCache._last_logged >= LOG_EVERY_SECONDS:
                ResilientRedisCache._last_logged = now
                logger.warning("Redis unavailable (%s: %s); serving without the shared cache", operation, error)
            return fallback

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._degrade("get", lambda: RedisCache.get(self, key, default, version), default)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._degrade("get_many", lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._degrade("has_key", lambda: RedisCache.has_key(self, key, version), False)

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None, **kwargs: Any) -> None:
        self._degrade("set", lambda: RedisCache.set(self, key, value, timeout, version), None)

    def set_many(self, data: dict[Any, Any], timeout: Any = None, version: int | None = None) -> list[Any]:
        return self._degrade("set_many", lambda: RedisCache.set_many(self, data, timeout, version), list(data))

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        return self._degrade("add", lambda: RedisCache.add(self, key, value, timeout, version), True)

    def touch(self, key: Any, timeout: Any = None, version: int | None = None) -> bool:
        return self._degrade("touch", lambda: RedisCache.touch(self, key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._degrade("delete", lambda: RedisCache.delete(self, key, version), False)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._degrade("delete_many", lambda: RedisCache.delete_many(self, keys, version), None)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return RedisCache.incr(self, key, delta, version)
        except UNAVAILABLE as error:
            # As for a missing key: callers of incr already handle ValueError.
            raise ValueError(f"Redis unavailable: {error}") from error

    def clear(self) -> None:
        self._degrade("clear", lambda: RedisCache.clear(self), None)


class NearCache(BaseCache):
    """A shared cache with a copy of what this process read kept in its own memory: for keys whose value never changes.

    Kept page parts and teasers are stored under keys that name what they show (a
    generation of newsdesk/core/fragments.py, an article's version): a change writes a
    new key, never a new value under an old one. So once read, such a value can be
    served from this process's memory until it expires, without asking the shared
    cache again: a dictionary look-up instead of a pickle load (local memory) or a
    round trip (Redis). A warm article render read some forty of them.

    Each value is stored in the shared cache with the moment it expires, so a copy of a
    value another process kept expires with that value, not later. The copies are
    bounded by `MAX_ENTRIES` (the least recently read leaves first; the shared cache
    still has it) and shared by the process's threads, like Django's local-memory cache.

    What does not belong here: a key whose value is replaced or deleted to withdraw it
    (settings, counters), and locks (there is no atomic `add`). `delete()` reaches the
    shared cache and this process's copy, never another process's. Values are handed
    out as they are kept, not copied: treat them as read-only.

    settings.CACHES: `{"BACKEND": "newsdesk.core.cache.NearCache", "OPTIONS": {"SHARED":
    "default", "MAX_ENTRIES": 2000}}`; the shared alias keeps its own prefix, and its
    default time-out applies where none is given. The bound is a count: the largest
    values are an article's head and body runs, a few to some tens of kB each, so 2,000
    copies hold at most a few tens of MB per process.
    """

    # Shared values are stored under this prefix: they hold (expires, value), not the value.
    SHARED_PREFIX = "near:"

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self._shared_alias: str = options.get("SHARED", "default")
        # One store of copies per shared cache, shared by threads (each has its own
        # `caches[...]` instance): a test that swaps the shared cache gets fresh copies.
        shared: dict[str, Any] = cast("dict[str, dict[str, Any]]", settings.CACHES).get(self._shared_alias, {})
        identity = (self._shared_alias, shared.get("BACKEND"), shared.get("LOCATION"), shared.get("KEY_PREFIX"))
        with _near_stores_lock:
            self._copies = _near_stores.setdefault(identity, _Copies())

    @property
    def _shared(self) -> BaseCache:
        return caches[self._shared_alias]

    def _local_key(self, key: str, version: int | None) -> str:
        # The version the shared cache stores under, so a key set and deleted with and
        # without an explicit default version is one copy.
        return f"{self._shared.version if version is None else version}:{key}"

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self.get_many([key], version).get(key, default)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        now = time.time()
        found: dict[Any, Any] = {}
        missing = []
        for key in keys:
            copy = self._copies.get(self._local_key(key, version), now)
            if copy is _ABSENT:
                missing.append(key)
            else:
                found[key] = copy
        if missing:
            shared = self._shared.get_many([self.SHARED_PREFIX + key for key in missing], version)
            for key in missing:
                entry = shared.get(self.SHARED_PREFIX + key)
                if entry is None:
                    continue
                expires, value = entry
                if expires > now:
                    self._copies.put(self._local_key(key, version), expires, value, self._max_entries)
                    found[key] = value
        return found

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self.set_many({key: value}, timeout, version)

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        if timeout is DEFAULT_TIMEOUT:
            timeout = self._shared.default_timeout
        if timeout is not None and timeout <= 0:  # "expire at once", as Django's backends read it
            self.delete_many(list(data), version)
            return []
        now = time.time()
        expires = math.inf if timeout is None else now + timeout
        shared_timeout = None if timeout is None else max(1, math.ceil(timeout))
        for key, value in data.items():
            self._copies.put(self._local_key(key, version), expires, value, self._max_entries)
        failed = self._shared.set_many(
            {self.SHARED_PREFIX + key: (expires, value) for key, value in data.items()}, shared_timeout, version
        )
        return [key.removeprefix(self.SHARED_PREFIX) for key in failed]

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return key in self.get_many([key], version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        self._copies.discard(self._local_key(key, version))
        return bool(self._shared.delete(self.SHARED_PREFIX + key, version))

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        for key in keys:
            self.delete(key, version)

    def clear(self) -> None:
        """Drop this process's copies. The shared values stay: clearing the default cache (with
        Redis, its whole database) is for that cache's own `clear()`, and a new generation
        (`fragments.bump`) is how kept parts are dropped everywhere."""
        self._copies.clear()


class _Absent:
    pass


_ABSENT = _Absent()


class _Copies:
    """A process's copies of values read through a `NearCache`: key -> (expires, value), least recently read first."""

    def __init__(self) -> None:
        self._entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, now: float) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return _ABSENT
            if entry[0] <= now:
                del self._entries[key]
                return _ABSENT
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: str, expires: float, value: Any, limit: int) -> None:
        with self._lock:
            self._entries[key] = (expires, value)
            self._entries.move_to_end(key)
            while len(self._entries) > limit:
                self._entries.popitem(last=False)

    def discard(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_near_stores: dict[tuple[Any, ...], _Copies] = {}
_near_stores_lock = threading.Lock()
