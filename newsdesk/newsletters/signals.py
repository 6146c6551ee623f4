"""Breaking alerts on publish, and the sign-up forms' list of newsletters kept fresh."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from newsdesk.articles.models import ArticlePage

from . import signup_block, webhooks
from .models import Newsletter
from .tasks import send_alerts


@receiver(page_published)
def alert_on_publish(sender: type, instance: Any, **kwargs: Any) -> None:
    # The worker decides (and sends); the publishing request only enqueues, after commit.
    if isinstance(instance, ArticlePage) and Newsletter.objects.filter(cadence=Newsletter.Cadence.ON_PUBLISH).exists():
        article_id = instance.pk
        transaction.on_commit(lambda: send_alerts.enqueue(article_id))


@receiver(post_save, sender=Newsletter)
@receiver(post_delete, sender=Newsletter)
def newsletters_changed(sender: type, **kwargs: Any) -> None:
    signup_block.forget()


# Bounces, complaints and unsubscribes reported by an e-mail service (anymail's tracking webhooks).
webhooks.connect()
