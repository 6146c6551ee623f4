import datetime

from django.urls import reverse
from django_tasks import task

from newsdesk.core import page_cache

from . import services


@task()
def refresh_sitemap_months(months: list[str]) -> None:
    """Count these months' published articles again (ISO dates of their first days), after a publish,
    unpublish, expiry, move or delete (signals.py)."""
    services.sitemap_months_refresh(months=[datetime.date.fromisoformat(month) for month in months])
    _purge_index()


@task()
def rebuild_sitemap_months() -> int:
    """Every month's summary row again: after a view restriction changes, and periodically
    (NEWSDESK_RECURRING_TASKS) for whatever no signal reports."""
    found = services.sitemap_months_rebuild()
    _purge_index()
    return found


def _purge_index() -> None:
    # The publish purged the index already; a request between that purge and this job
    # stored the summary as it was. Hard: a month may have gone.
    page_cache.purge_paths([reverse("sitemap-index")], hard=True)
