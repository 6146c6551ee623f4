"""The webhook jobs: one attempt per job, a retry enqueued for its time, and a sweep for the ones no job holds."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import payloads, services
from .models import TEST_EVENT, Delivery, Webhook

logger = logging.getLogger(__name__)

# Deliveries due longer than this are looked for by the sweep: a job for them was lost (a worker
# restarted, a queue without deferred jobs) or their webhook was switched on again.
SWEEP_GRACE_SECONDS = 60
SWEEP_BATCH = 500


def send_event(event: str, build: Callable[[], dict[str, Any] | None]) -> list[Delivery]:
    """Record `event` for every active webhook that wants it and queue the attempts after commit.

    `build` makes the payload's data and is only called when a webhook wants the event (an
    article's representation costs queries); it returns None when there is nothing to tell.
    """
    webhooks = services.subscribers(event)
    if not webhooks:
        return []
    data = build()
    if data is None:
        return []
    deliveries = services.deliveries_record(event=event, data=data, webhooks=webhooks)
    queue_after_commit(deliveries)
    return deliveries


def queue_after_commit(deliveries: list[Delivery]) -> None:
    ids = [delivery.pk for delivery in deliveries]

    def enqueue() -> None:
        for delivery_id in ids:
            deliver_webhook.enqueue(delivery_id)

    transaction.on_commit(enqueue, robust=True)


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt. A failure is the receiver's, not the job's: the job succeeds and the retry is
    its own job at its time (not core/jobs.py's retries, which know nothing of the back-off)."""
    outcome = services.delivery_attempt(delivery_id)
    if outcome.retry_at is not None and deliver_webhook.get_backend().supports_defer:
        deliver_webhook.using(run_after=outcome.retry_at).enqueue(delivery_id)
    return outcome.result


@task()
def sweep_webhook_deliveries() -> str:
    """Every minute (the worker's scheduler): queue deliveries no job holds; prune the old log."""
    now = timezone.now()
    overdue = services.due(now - datetime.timedelta(seconds=SWEEP_GRACE_SECONDS)).order_by("next_attempt_at")
    ids = list(overdue.values_list("pk", flat=True)[:SWEEP_BATCH])
    for delivery_id in ids:
        deliver_webhook.enqueue(delivery_id)
    pruned = services.log_prune(now=now)
    return f"queued {len(ids)}, pruned {pruned}"


def send_test_event(webhook: Webhook) -> Delivery:
    """The admin's "Send test event": one delivery to this webhook alone, queued after commit."""
    data = payloads.test_event(webhook.name)
    [delivery] = services.deliveries_record(event=TEST_EVENT, data=data, webhooks=[webhook])
    queue_after_commit([delivery])
    return delivery
