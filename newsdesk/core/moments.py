"""Moments as machines read them: `<time datetime>`, Open Graph times, JSON-LD dates."""

from __future__ import annotations

import datetime

from django.utils import timezone


def machine_time(value: datetime.datetime | datetime.date | str | None) -> str:
    """ISO 8601 in the site's time zone, to the whole second (`2026-11-30T07:02:06+01:00`).

    HTML's `datetime` attribute allows at most three fraction digits and Django's "c" format
    writes six; pages show minutes at most, so the fraction carries nothing a reader sees.
    A date stays a date; nothing (None, or "" for a missing template variable) gives "".
    """
    if value is None or isinstance(value, str):
        return ""
    if not isinstance(value, datetime.datetime):
        return value.isoformat()
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()
