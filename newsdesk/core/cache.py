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
import time
from collections.abc import Callable
from typing import Any, TypeVar

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
