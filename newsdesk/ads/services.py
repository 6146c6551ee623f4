"""Counting ad impressions and clicks outside the database, and flushing them to daily rows."""

import datetime
import logging
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from newsdesk.core.counters import counter_store
from newsdesk.core.visitors import is_bot, visitor_key

from .models import AdDailyStats, Creative

logger = logging.getLogger(__name__)

IMPRESSIONS = "ad-impressions"
CLICKS = "ad-clicks"


def _member(creative_id: int, now: datetime.datetime | None) -> str:
    return f"{creative_id}:{timezone.localdate(now or timezone.now()):%Y%m%d}"


def record_impression(*, creative_id: int, user_agent: str, now: datetime.datetime | None = None) -> bool:
    if is_bot(user_agent):
        return False
    counter_store().incr(IMPRESSIONS, _member(creative_id, now))
    return True


def record_click(*, creative_id: int, remote_addr: str, user_agent: str, now: datetime.datetime | None = None) -> bool:
    """Count a reader's click: at most once per client and creative in NEWSDESK_AD_CLICK_WINDOW_SECONDS.

    A client is its address and user agent, kept only as a keyed hash (core.visitors);
    cache.add is atomic, so of a burst of clicks only the first in the window counts.
    """
    if is_bot(user_agent):
        return False
    now = now or timezone.now()
    seen = visitor_key(purpose="ad-click", remote_addr=remote_addr, user_agent=user_agent, subject=creative_id, now=now)
    if not cache.add(seen, 1, settings.NEWSDESK_AD_CLICK_WINDOW_SECONDS):
        return False
    counter_store().incr(CLICKS, _member(creative_id, now))
    return True


def _parse(totals: dict[str, int]) -> Counter[tuple[int, datetime.date]]:
    parsed: Counter[tuple[int, datetime.date]] = Counter()
    for member, amount in totals.items():
        creative, _, day = member.partition(":")
        try:
            parsed[(int(creative), datetime.datetime.strptime(day, "%Y%m%d").date())] += amount
        except ValueError:
            logger.warning("Ignoring a malformed ad counter %r", member)
    return parsed


def flush_ad_counts() -> tuple[int, int]:
    """Add counted impressions and clicks to the daily rows; returns what was written."""
    store = counter_store()
    with store.drain(IMPRESSIONS) as raw_impressions, store.drain(CLICKS) as raw_clicks:
        impressions, clicks = _parse(raw_impressions), _parse(raw_clicks)
        keys = set(impressions) | set(clicks)
        if not keys:
            return 0, 0
        known = set(Creative.objects.filter(pk__in={key[0] for key in keys}).values_list("pk", flat=True))
        keys = {key for key in keys if key[0] in known}
        with transaction.atomic():
            rows = {
                (row.creative_id, row.day): row
                for row in AdDailyStats.objects.select_for_update().filter(
                    creative_id__in={key[0] for key in keys}, day__in={key[1] for key in keys}
                )
            }
            new_rows = []
            for key in keys:
                row = rows.get(key)
                if row is None:
                    row = AdDailyStats(creative_id=key[0], day=key[1])
                    new_rows.append(row)
                row.impressions += impressions.get(key, 0)
                row.clicks += clicks.get(key, 0)
            AdDailyStats.objects.bulk_update(list(rows.values()), ["impressions", "clicks"])
            AdDailyStats.objects.bulk_create(new_rows)
    return (
        sum(amount for key, amount in impressions.items() if key in keys),
        sum(amount for key, amount in clicks.items() if key in keys),
    )
