"""Stored copies that must not outlive a redirect, and the sitemap month summary kept current."""

import datetime
import threading
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from newsdesk.articles.models import ArticlePage
from newsdesk.core import page_cache

from .tasks import rebuild_sitemap_months, refresh_sitemap_months


@receiver(post_save, sender=Redirect)
@receiver(post_delete, sender=Redirect)
def purge_redirected_path(instance: Redirect, **kwargs: Any) -> None:
    # Wagtail stores "/old" for both "/old" and "/old/"; the page cache keys on the path as
    # requested. A copy of whatever answered there before (a page since moved, a proxy's 404)
    # is dropped for good: the redirect, or its removal, answers from now on.
    path = urlsplit(instance.old_path).path or "/"
    page_cache.purge_paths({path, path.rstrip("/") + "/"}, hard=True)


# --- The sitemap month summary (models.SitemapMonth) --------------------------------------
# What changes the articles a month lists: a publish (a new article, a new expiry, an import
# that re-dates one), an unpublish (the scheduler's expiry too), a move, a delete, a view
# restriction. One job per committed transaction refreshes the months touched in it: an
# import that publishes thousands of articles in one transaction enqueues one job.


class _Pending(threading.local):
    months: set[datetime.date]
    everything: bool

    def __init__(self) -> None:
        self.months, self.everything = set(), False


_pending = _Pending()


def _note(*times: datetime.datetime | None, everything: bool = False) -> None:
    _pending.months |= {timezone.localtime(when).date().replace(day=1) for when in times if when is not None}
    _pending.everything |= everything


def _months_changed(*times: datetime.datetime | None, everything: bool = False) -> None:
    _note(*times, everything=everything)
    # Months noted in a transaction that rolls back stay pending for the next commit:
    # one refresh too many, never one too few.
    transaction.on_commit(_enqueue_pending)


def _enqueue_pending() -> None:
    months, everything = _pending.months, _pending.everything
    _pending.months, _pending.everything = set(), False
    if everything:
        rebuild_sitemap_months.enqueue()
    elif months:
        refresh_sitemap_months.enqueue([month.isoformat() for month in sorted(months)])


@receiver(page_published, sender=ArticlePage)
@receiver(page_unpublished, sender=ArticlePage)
@receiver(post_delete, sender=ArticlePage)
def article_listing_changed(instance: ArticlePage, **kwargs: Any) -> None:
    _months_changed(instance.first_published_at)


@receiver(pre_save, sender=ArticlePage)
def article_redated(instance: ArticlePage, update_fields: frozenset[str] | None = None, **kwargs: Any) -> None:
    # An import that moves an article to another date takes it out of the month it was in;
    # the publish that follows reports only the new one.
    if instance._state.adding or (update_fields is not None and "first_published_at" not in update_fields):
        return
    before = ArticlePage.objects.filter(pk=instance.pk).values_list("first_published_at", flat=True).first()
    if before == instance.first_published_at:
        return
    if transaction.get_connection().in_atomic_block:
        _months_changed(before, instance.first_published_at)
    else:
        # Outside a transaction the commit callback would run now, before the row is written:
        # the publish or unpublish that follows a re-dating (imports) enqueues them.
        _note(before, instance.first_published_at)


@receiver(post_page_move)
def page_moved(instance: Page, **kwargs: Any) -> None:
    # A move can put articles under a restricted page (or a section a restricted one, and with it
    # all of its articles, in any month).
    page = instance.specific_deferred
    if isinstance(page, ArticlePage):
        _months_changed(page.first_published_at)
    else:
        _months_changed(everything=True)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(**kwargs: Any) -> None:
    _months_changed(everything=True)
