"""Setting and ending the banner, and telling every page about it: a new `breaking` generation and a purge.

Every reader page carries the banner, so a change purges the whole page cache (soft: readers keep the old copy
for the moment one worker re-renders each page). Both the bump and the purge happen now and again after the
transaction commits (newsdesk/core/fragments.py, newsdesk/core/page_cache/purge.py).
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from newsdesk.core import fragments, page_cache

from .models import BreakingBanner
from .selectors import GENERATION


def banner_pages_refresh() -> None:
    """Make every page show the banner as it is now: drop the cached include and the cached pages."""
    fragments.bump(GENERATION)
    page_cache.purge_all()


def validate_expiry(expires_at: datetime.datetime | None, now: datetime.datetime) -> None:
    if expires_at is not None and expires_at <= now:
        raise ValidationError({"expires_at": _("Choose a time in the future.")})


@transaction.atomic
def banner_save(
    *, banner: BreakingBanner, by: AbstractBaseUser | AnonymousUser | None, now: datetime.datetime | None = None
) -> BreakingBanner:
    """Save a new or edited banner (its fields already set) and refresh every page.

    Raises ValidationError for text that is not one plain line, a link that is not a page or an http(s)
    address, or an expiry that is not in the future.
    """
    now = now or timezone.now()
    banner.text = banner.text.strip()
    validate_expiry(banner.expires_at, now)
    banner.full_clean()
    if banner.pk is None and by is not None and by.is_authenticated:
        banner.created_by = by  # type: ignore[assignment]
    # Pages are refreshed here for what is on now; the job announces a later start and the expiry.
    banner.start_announced_at = now if banner.starts_at <= now else None
    banner.end_announced_at = None
    banner.save()
    banner_pages_refresh()
    return banner


@transaction.atomic
def banner_end(*, banner: BreakingBanner, now: datetime.datetime | None = None) -> bool:
    """End a banner now (an editor's "End now"); False when it had already ended or expired."""
    now = now or timezone.now()
    ended = BreakingBanner.objects.filter(pk=banner.pk, ended_at__isnull=True, expires_at__gt=now).update(
        ended_at=now, end_announced_at=now
    )
    if not ended:
        return False
    banner.refresh_from_db()
    banner_pages_refresh()
    return True


@transaction.atomic
def banner_delete(*, banner: BreakingBanner) -> None:
    """Delete a banner (Admins only: it takes the record with it) and refresh every page it may be on."""
    banner.delete()
    banner_pages_refresh()


@transaction.atomic
def banner_changes_announce(*, now: datetime.datetime | None = None) -> int:
    """Refresh every page once for the banners that started or expired by the clock since the last run.

    Each such change is marked, so the next run finds nothing and purges nothing. Returns how many were marked.
    """
    now = now or timezone.now()
    changed = list(BreakingBanner.objects.select_for_update().unannounced(now))
    for banner in changed:
        if banner.starts_at <= now and banner.start_announced_at is None:
            banner.start_announced_at = now
        if banner.ends_at() <= now and banner.end_announced_at is None:
            banner.end_announced_at = now
        banner.save(update_fields=["start_announced_at", "end_announced_at"])
    if changed:
        banner_pages_refresh()
    return len(changed)
