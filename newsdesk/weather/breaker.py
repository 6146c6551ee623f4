"""A circuit breaker for the weather provider: stop asking one that keeps failing.

After settings.NEWSDESK_WEATHER_BREAKER_FAILURES failures in a row (timeouts, HTTP errors,
replies that cannot be read or hold impossible values) the breaker opens: for
NEWSDESK_WEATHER_BREAKER_SECONDS the refresh job asks the provider nothing, so a provider
that is down or limiting us is not pressed further and jobs stop waiting on timeouts.
Then it is half-open: the first refresh tries once; a good answer closes the breaker, a
failure opens it for another period. Pages are never affected: they show the last good
reading while it is young enough (selectors).

The state is kept in Django's cache, so with Redis every worker shares it; with the
process-local cache each process keeps its own. A lost state (eviction, a Redis restart)
closes the breaker, which costs at most a few more calls.
The pattern: https://martinfowler.com/bliki/CircuitBreaker.html
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"


@dataclass(frozen=True)
class BreakerStatus:
    """What the admin shows: the state, the failures in a row, and when a pause ends."""

    state: str
    failures: int
    open_until: datetime.datetime | None


class ProviderBreaker:
    """The breaker of one provider, named by its backend's dotted path."""

    def __init__(self, name: str, *, threshold: int, cooldown_seconds: float) -> None:
        self.name = name
        self.threshold = threshold
        self.cooldown_seconds = cooldown_seconds

    @classmethod
    def for_backend(cls, backend_path: str) -> ProviderBreaker:
        return cls(
            backend_path,
            threshold=settings.NEWSDESK_WEATHER_BREAKER_FAILURES,
            cooldown_seconds=settings.NEWSDESK_WEATHER_BREAKER_SECONDS,
        )

    def allow(self) -> bool:
        """Whether the provider may be asked now. In the half-open state only one caller
        (in any worker) gets True until it reports how the call went or a period passes."""
        open_until = cache.get(self._key("open-until"))
        if open_until is None:
            return True
        if time.time() < open_until:
            return False
        probing = cache.add(self._key("probe"), True, self.cooldown_seconds)
        if probing:
            logger.warning("Weather provider %s: pause over, trying once (half-open)", self.name)
        return probing

    def record_success(self) -> None:
        was_open = cache.get(self._key("open-until")) is not None
        cache.delete_many([self._key("failures"), self._key("open-until"), self._key("probe")])
        if was_open:
            logger.warning("Weather provider %s answered again: calls resume (closed)", self.name)

    def record_failure(self) -> None:
        failures = self._count_failure()
        probing = cache.get(self._key("open-until")) is not None
        if not probing and failures < self.threshold:
            return
        until = time.time() + self.cooldown_seconds
        cache.set(self._key("open-until"), until, None)
        cache.delete(self._key("probe"))
        logger.warning(
            "Weather provider %s failed %d times in a row: no calls until %s (open)",
            self.name,
            failures,
            _moment(until).isoformat(timespec="seconds"),
        )

    def status(self) -> BreakerStatus:
        failures = cache.get(self._key("failures"), 0)
        open_until = cache.get(self._key("open-until"))
        if open_until is None:
            return BreakerStatus(CLOSED, failures, None)
        state = OPEN if time.time() < open_until else HALF_OPEN
        return BreakerStatus(state, failures, _moment(open_until))

    def _count_failure(self) -> int:
        key = self._key("failures")
        cache.add(key, 0, None)
        try:
            return cache.incr(key)  # atomic in Redis, so workers failing together all count
        except ValueError:  # dropped between add and incr
            cache.set(key, 1, None)
            return 1

    def _key(self, part: str) -> str:
        return f"weather:breaker:{self.name}:{part}"


def _moment(epoch_seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(epoch_seconds, tz=datetime.UTC)
