"""Keep recommendations fresh from Wagtail's page and settings signals (no side effects in save())."""

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from newsdesk.articles.models import ArticlePage
from newsdesk.core import fragments

from .models import MustReadPick, MustReadSettings
from .selectors import forget_must_read
from .tasks import compute_related_articles


@receiver(page_published, sender=ArticlePage)
def recompute_related(sender: type[ArticlePage], instance: ArticlePage, **kwargs: Any) -> None:
    # After commit, so the job's worker sees the published revision.
    transaction.on_commit(partial(compute_related_articles.enqueue, instance.pk))


@receiver(page_published, sender=ArticlePage)
@receiver(page_unpublished, sender=ArticlePage)
@receiver(post_save, sender=MustReadSettings)
@receiver(post_save, sender=MustReadPick)
@receiver(post_delete, sender=MustReadPick)
def picks_changed(**kwargs: Any) -> None:
    forget_must_read()
    fragments.bump(fragments.LISTS)
