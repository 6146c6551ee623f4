"""The newsletter jobs: confirmation mails, sending editions, building them on time, alerts."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from newsdesk.articles.selectors import published_articles

from . import editions, mail, sending, tokens
from .models import Edition, Newsletter

logger = logging.getLogger(__name__)


@task()
def send_confirmation(address: str, token: str) -> int:
    """The double opt-in mail, sent by the worker so the reader's request never waits on SMTP."""
    try:
        signup = tokens.read_confirmation(token)
    except tokens.BadLink:
        return 0
    chosen = list(Newsletter.objects.filter(pk__in=signup.newsletter_ids))
    if not chosen:
        return 0
    return mail.confirmation_message(address, token, chosen).send()


def start_sending(edition: Edition) -> int:
    """Queue every recipient and hand the edition to the worker; returns how many were queued."""
    with transaction.atomic():
        queued = sending.queue_edition(edition)
        transaction.on_commit(lambda: deliver_edition.enqueue(edition.pk))
    return queued


@task()
def deliver_edition(edition_id: int) -> str:
    """Send an edition's queued deliveries for a while, then hand over to the next run."""
    outcome = sending.deliver(edition_id)
    if not outcome.finished and outcome.again_at is not None:
        if outcome.again_at <= timezone.now():
            deliver_edition.enqueue(edition_id)
        else:
            deliver_edition.using(run_after=outcome.again_at).enqueue(edition_id)
    return f"sent {outcome.sent}, failed {outcome.failed}, retrying {outcome.retrying}, skipped {outcome.skipped}"


@task()
def send_test_copy(edition_id: int, address: str) -> int:
    edition = Edition.objects.select_related("newsletter").filter(pk=edition_id).first()
    if edition is None:
        return 0
    return mail.test_message(mail.render_edition(edition), address).send()


@task()
def newsletters_tick() -> str:
    """Every minute (the worker's scheduler): due automatic editions, scheduled ones, stalled sends."""
    now = timezone.now()
    built = started = resumed = 0
    for newsletter in Newsletter.objects.filter(cadence__in=[Newsletter.Cadence.DAILY, Newsletter.Cadence.WEEKLY]):
        if not editions.is_due(newsletter, now):
            continue
        edition = editions.build_edition(newsletter, now=now)
        if edition is None:  # nothing new since the last one: no empty mail
            continue
        built += 1
        start_sending(edition)
    for edition in Edition.objects.filter(status=Edition.Status.SCHEDULED, scheduled_for__lte=now):
        try:
            start_sending(edition)
            started += 1
        except sending.EditionNotReady as error:
            logger.warning("Scheduled edition %s was not sent: %s", edition.pk, error)
            Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.DRAFT)
    for edition in sending.stalled_editions(now=now):
        Edition.objects.filter(pk=edition.pk).update(heartbeat_at=now)
        deliver_edition.enqueue(edition.pk)
        resumed += 1
    return f"built {built}, started {started}, resumed {resumed}"


@task()
def send_alerts(article_id: int) -> int:
    """Breaking alerts for a story just published, from every on-publish newsletter it belongs to."""
    article = published_articles().filter(pk=article_id).first()
    if article is None:
        return 0
    sent = 0
    for newsletter in editions.alert_newsletters(article):
        edition = editions.build_alert(newsletter, article)
        if edition is not None:
            start_sending(edition)
            sent += 1
    return sent
