"""Which changes become webhook events. Every event is recorded after the change commits
(`on_commit(robust=True)`): a rolled-back publish tells nobody, and a failure here is logged
without failing the publish, comment or send that caused it.

Articles: Wagtail sends `page_published` for every publish, including one that only
schedules a later go-live (the page stays not live) and a republish of a live article. A live
article published again is "updated"; otherwise "published". Whether it was live is read from
the database just before the publish saves it (`pre_save`), since by `page_published` the
page in hand already says live. Deleting a live page makes Wagtail unpublish it first without
saving; that unpublish is not told, the deletion is.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from newsdesk.articles.events import correction_added
from newsdesk.articles.models import ArticlePage, Correction
from newsdesk.comments.events import comment_held
from newsdesk.comments.models import Comment
from newsdesk.newsletters.events import edition_sent
from newsdesk.newsletters.models import Edition

from . import payloads
from .models import Event
from .tasks import send_event

logger = logging.getLogger(__name__)

# Set on the article being published: whether its row was live before this save.
WAS_LIVE = "_webhooks_was_live"


def _after_commit(event: str, build: Any) -> None:
    transaction.on_commit(partial(send_event, event, build), robust=True)


@receiver(pre_save, sender=ArticlePage)
def remember_whether_live(sender: type, instance: ArticlePage, update_fields: Any = None, **kwargs: Any) -> None:
    # A publish saves the whole page (no update_fields); draft saves and bookkeeping name their fields.
    if instance.pk and instance.live and update_fields is None:
        setattr(instance, WAS_LIVE, ArticlePage.objects.filter(pk=instance.pk, live=True).exists())


@receiver(page_published)
def article_published(sender: type, instance: Any, **kwargs: Any) -> None:
    if not isinstance(instance, ArticlePage) or not instance.live:
        return  # another page type, or a publish scheduled for later
    event = Event.ARTICLE_UPDATED if getattr(instance, WAS_LIVE, False) else Event.ARTICLE_PUBLISHED
    _after_commit(event, partial(payloads.article, instance.pk))


@receiver(page_unpublished)
def article_unpublished(sender: type, instance: Any, **kwargs: Any) -> None:
    if not isinstance(instance, ArticlePage):
        return
    article_id, url = instance.pk, instance.get_full_url() or ""

    def build() -> dict[str, Any] | None:
        # Gone after commit: the page was deleted (Wagtail unpublishes before deleting), which
        # article_deleted tells. Live again: published meanwhile, which its own event tells.
        if ArticlePage.objects.filter(pk=article_id, live=False).exists():
            return payloads.removed_article(article_id, url)
        return None

    _after_commit(Event.ARTICLE_UNPUBLISHED, build)


@receiver(pre_delete, sender=ArticlePage)
def article_deleted(sender: type, instance: ArticlePage, **kwargs: Any) -> None:
    # Only an article readers could have seen: a deleted draft was never announced.
    if instance.live:
        _after_commit(
            Event.ARTICLE_DELETED, partial(payloads.removed_article, instance.pk, instance.get_full_url() or "")
        )


@receiver(comment_held, sender=Comment)
def comment_was_held(sender: type, comment: Comment, **kwargs: Any) -> None:
    _after_commit(Event.COMMENT_HELD, partial(payloads.comment_held, comment))


@receiver(correction_added, sender=Correction)
def correction_was_added(sender: type, correction: Correction, **kwargs: Any) -> None:
    _after_commit(Event.CORRECTION_ADDED, partial(payloads.correction_added, correction))


@receiver(edition_sent, sender=Edition)
def edition_was_sent(sender: type, edition: Edition, **kwargs: Any) -> None:
    _after_commit(Event.EDITION_SENT, partial(payloads.edition_sent, edition.pk))
