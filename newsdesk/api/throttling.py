"""Requests per minute per key, and per client address for requests without one.

Counters in Django's cache (shared by every app server with Redis), one per fixed
window, made with `add` and raised with `incr` as the newsletter sign-up limit does:
atomic on Redis and memcached, so concurrent requests cannot slip past the limit.
Anonymous answers served from the page cache never reach here and are not counted:
they cost nothing.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from newsdesk.core.visitors import client_address

from .models import ApiKey


class KeyOrClientThrottle(BaseThrottle):
    """429 with `Retry-After` (the seconds left in the window) once a key or a client is over its limit."""

    def allow_request(self, request: Request, view: object) -> bool:
        window = int(settings.NEWSDESK_API_RATE_WINDOW_SECONDS)
        now = time.time()
        start = math.floor(now / window) * window
        self.retry_after = max(1, math.ceil(start + window - now))
        if isinstance(request.auth, ApiKey):
            who, limit = f"key:{request.auth.pk}", int(settings.NEWSDESK_API_RATE_PER_KEY)
        else:
            # The address itself is not kept in the cache (personal data), only a digest of it.
            address = client_address(request._request) or ""
            who = "client:" + hashlib.sha256(address.encode()).hexdigest()[:32]
            limit = int(settings.NEWSDESK_API_RATE_PER_CLIENT)
        if limit <= 0:
            return True
        key = f"api:rate:{who}:{start}"
        cache.add(key, 0, window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window + 1)
            count = 1
        return count <= limit

    def wait(self) -> float:
        return float(self.retry_after)
