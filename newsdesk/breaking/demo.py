"""A breaking-news banner for the demo newsroom, for the lead to call from `demo_newsroom` if wanted."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from .factories import make_banner
from .models import BreakingBanner

DEMO_TEXT = "Harbour bridge closed in both directions after a ship strike: live updates"


def add_demo_breaking_banner(stdout: Any, *, link_page: Any = None, lasts: datetime.timedelta | None = None) -> None:
    """A banner on for `lasts` (default two hours), linking to `link_page` if given; once (idempotent)."""
    now = timezone.now()
    if BreakingBanner.objects.showing(now).filter(text=DEMO_TEXT).exists():
        return
    link = {"link_page": link_page, "link_url": ""} if link_page is not None else {"link_url": "https://example.org/"}
    make_banner(text=DEMO_TEXT, lasts=lasts or datetime.timedelta(hours=2), **link)
    stdout.write("Breaking-news banner set (Breaking news in the admin to end it).\n")
