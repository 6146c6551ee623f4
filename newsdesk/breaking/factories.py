"""Banners for tests and the demo."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from .models import BreakingBanner
from .services import banner_save


def make_banner(
    *,
    text: str = "Harbour bridge closed after ship strike",
    link_url: str = "https://example.org/harbour",
    lasts: datetime.timedelta = datetime.timedelta(hours=1),
    starts_at: datetime.datetime | None = None,
    **fields: Any,
) -> BreakingBanner:
    """A banner set through the service (so pages are refreshed), showing from now for `lasts`."""
    starts_at = starts_at or timezone.now()
    fields.setdefault("expires_at", starts_at + lasts)
    banner = BreakingBanner(text=text, link_url=link_url, starts_at=starts_at, **fields)
    return banner_save(banner=banner, by=None)
