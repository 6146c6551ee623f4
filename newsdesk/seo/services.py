"""Writes of the sitemap month summary (models.SitemapMonth): one month's row, or every month's."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, DateField, Max, Q
from django.db.models.functions import TruncMonth

from newsdesk.articles import selectors

from .models import SitemapMonth
from .sitemaps import month_bounds

_SUMMARY_FIELDS = ["starts_at", "ends_at", "newest_change_at", "expires_at", "articles"]
# What each month's row holds, over its published articles.
_AGGREGATES = {
    "articles": Count("pk"),
    "newest": Max("last_published_at"),
    "last_expiry": Max("expire_at"),
    "never_expiring": Count("pk", filter=Q(expire_at__isnull=True)),
}


def _month_row(month: datetime.date, found: dict[str, Any]) -> SitemapMonth:
    starts_at, ends_at = month_bounds(month.year, month.month)
    return SitemapMonth(
        month=month,
        starts_at=starts_at,
        ends_at=ends_at,
        newest_change_at=found["newest"],
        expires_at=None if found["never_expiring"] else found["last_expiry"],
        articles=found["articles"],
    )


def _upsert(rows: list[SitemapMonth]) -> None:
    # An upsert, not update_or_create: two jobs refreshing one month at once must not collide on the key.
    SitemapMonth.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["month"], update_fields=_SUMMARY_FIELDS, batch_size=500
    )


def sitemap_months_refresh(*, months: Iterable[datetime.date]) -> None:
    """Count these months' published articles again: a row for each that has some, none for the others.

    Reads only the months' own articles, by the index on the publication time.
    """
    for month in sorted({month.replace(day=1) for month in months}):
        starts_at, ends_at = month_bounds(month.year, month.month)
        found = (
            selectors.published_articles()
            .filter(first_published_at__gte=starts_at, first_published_at__lt=ends_at)
            .aggregate(**_AGGREGATES)
        )
        if found["articles"]:
            _upsert([_month_row(month, found)])
        else:
            SitemapMonth.objects.filter(month=month).delete()


@transaction.atomic
def sitemap_months_rebuild() -> int:
    """Every month's row from the articles, in one grouping query; returns how many months have articles.

    For what no job follows: bulk inserts (generate_archive), a first deploy, a restriction
    that hides a whole section, and as the scheduler's periodic check.
    """
    grouped = (
        selectors.published_articles()
        # The site's time zone, as the dated addresses and the month files have it.
        .annotate(month=TruncMonth("first_published_at", output_field=DateField()))
        .values("month")
        .annotate(**_AGGREGATES)
        .order_by()
    )
    rows = [_month_row(row["month"], row) for row in grouped]
    SitemapMonth.objects.exclude(month__in=[row.month for row in rows]).delete()
    _upsert(rows)
    return len(rows)
