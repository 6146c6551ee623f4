"""What the banner include shows, read from Django's cache so an ordinary render asks the database nothing.

The entry is kept under the `breaking` generation (newsdesk/core/fragments.py): setting or ending a banner,
and the recurring job when one starts or expires by the clock, start a new generation, so every process reads
the new state at its next render. The entry never outlives the banner it holds, nor the start of the next
scheduled one, and the reader side compares the expiry with the time of the render as well, so a banner past
its expiry is never shown even if the job has not run yet.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from newsdesk.core import fragments

from .models import BreakingBanner

GENERATION = "breaking"
_KEY_PREFIX = "breaking-banner:"
# With nothing on and nothing scheduled, the entry only waits for a new generation; this bounds a lost bump.
IDLE_LIFETIME_SECONDS = 10 * 60


@dataclass(frozen=True)
class BannerDisplay:
    text: str
    url: str
    expires_at: float  # a Unix time, so the cached entry holds plain values


@dataclass(frozen=True)
class _Entry:
    banner: BannerDisplay | None
    # When the cached answer stops being true (an expiry or the next scheduled start), as a Unix time.
    valid_until: float | None


def _link(banner: BreakingBanner) -> str:
    if banner.link_page is not None and banner.link_page.live:
        # The page type's own address (an article's dated URL), not its place in the tree.
        return banner.link_page.specific.url or ""
    return banner.link_url


def _build(now: datetime.datetime) -> _Entry:
    banner = BreakingBanner.objects.showing(now).select_related("link_page").first()
    next_start = (
        BreakingBanner.objects.not_ended()
        .filter(starts_at__gt=now, expires_at__gt=now)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    ends = [moment.timestamp() for moment in (next_start, banner.ends_at() if banner else None) if moment]
    display = (
        BannerDisplay(text=banner.text, url=_link(banner), expires_at=banner.ends_at().timestamp()) if banner else None
    )
    return _Entry(banner=display, valid_until=min(ends) if ends else None)


def current_banner(now: datetime.datetime | None = None) -> BannerDisplay | None:
    """The banner to show now: the newest one on. From the cache; the database only when the entry is missing."""
    now = now or timezone.now()
    key = _KEY_PREFIX + fragments.generation(GENERATION)
    entry: _Entry | None = cache.get(key)
    if entry is None or (entry.valid_until is not None and entry.valid_until <= now.timestamp()):
        entry = _build(now)
        lifetime = IDLE_LIFETIME_SECONDS
        if entry.valid_until is not None:
            lifetime = max(1, min(lifetime, int(entry.valid_until - now.timestamp()) + 1))
        cache.set(key, entry, lifetime)
    if entry.banner is None or entry.banner.expires_at <= now.timestamp():
        return None
    return entry.banner
