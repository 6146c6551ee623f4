"""Sending an edition: one delivery row per recipient, claimed before the mail server sees it.

`queue_edition` writes a `Delivery` for every confirmed, unsuppressed subscriber and hands
the edition to the worker. `deliver` takes queued rows in batches over one connection
each. For every message it first commits the row as "sending", then asks the server to
take it, then records "sent"; a worker that dies in between leaves "sending" rows, which
the next run marks "uncertain" and never mails again: nobody gets an edition twice.

Transient refusals (4xx replies, a dropped connection) put the row back in the queue
with growing pauses (NEWSDESK_NEWSLETTER_RETRY_DELAYS); permanent ones (5xx) fail it,
and a mailbox the server says does not exist is suppressed. NEWSDESK_NEWSLETTER_RATE_PER_MINUTE
paces the sending (0: as fast as the server takes it).
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import BadHeaderError
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from newsdesk.core import page_cache

from . import events, mail, subscribers
from .editions import local_zone, next_web_key
from .models import Delivery, Edition, Subscriber, Subscription

logger = logging.getLogger(__name__)

INSERT_CHUNK = 5000
# A row left "sending" longer than this was being sent by a worker that is gone.
CLAIM_LEASE = datetime.timedelta(minutes=5)
# An edition still "sending" whose worker has not reported for this long is resumed.
STALLED_AFTER = datetime.timedelta(minutes=5)
MISSING_MAILBOX_CODES = {550, 551, 553}


class EditionNotReady(Exception):
    """The edition cannot be sent as it stands (already sent, or nothing in it)."""


def recipients(edition: Edition) -> list[int]:
    return list(
        Subscription.objects.filter(
            newsletter_id=edition.newsletter_id,
            subscriber__confirmed_at__isnull=False,
            subscriber__suppressed_at__isnull=True,
        )
        .order_by("subscriber_id")
        .values_list("subscriber_id", flat=True)
    )


def queue_edition(edition: Edition, *, now: datetime.datetime | None = None) -> int:
    """Record every recipient and mark the edition as sending; returns how many were queued.

    Queuing twice queues nobody twice (one row per recipient and edition). The caller
    starts the worker's job (tasks.start_sending does both).
    """
    now = now or timezone.now()
    with transaction.atomic():
        edition = Edition.objects.select_for_update().select_related("newsletter").get(pk=edition.pk)
        if edition.status in (Edition.Status.SENDING, Edition.Status.SENT):
            raise EditionNotReady("This edition has already been sent.")
        if not edition.items.exists():
            raise EditionNotReady("This edition has no stories.")
        ids = recipients(edition)
        for start in range(0, len(ids), INSERT_CHUNK):
            Delivery.objects.bulk_create(
                [Delivery(edition=edition, subscriber_id=pk) for pk in ids[start : start + INSERT_CHUNK]],
                ignore_conflicts=True,
            )
        if not edition.web_key:
            edition.web_key = next_web_key(edition.newsletter, now.astimezone(local_zone()).date())
        edition.status = Edition.Status.SENDING
        edition.started_at = now
        edition.heartbeat_at = now
        edition.save(update_fields=["status", "started_at", "heartbeat_at", "web_key"])
    return len(ids)


def counts(edition: Edition) -> dict[str, int]:
    """Queued / sending / sent / failed / uncertain / skipped, for the admin's live view."""
    found = dict.fromkeys(Delivery.Status.values, 0)
    for row in Delivery.objects.filter(edition=edition).values("status").annotate(n=Count("pk")):
        found[row["status"]] = row["n"]
    return found


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, BadHeaderError | ValueError):
        # The message itself cannot be built (a header with a line break got past validation):
        # no retry can help.
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    # anymail's refusal of a recipient the service knows is bad
    return type(error).__name__ in {"AnymailRecipientsRefused", "AnymailInvalidAddress"}


def _is_missing_mailbox(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(code in MISSING_MAILBOX_CODES for code, _message in error.recipients.values())
    return type(error).__name__ == "AnymailRecipientsRefused"


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


@dataclass
class Pacer:
    """At most `per_minute` messages a minute (0: no limit), spread evenly."""

    per_minute: int
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    next_at: float = 0.0

    def wait(self) -> None:
        if self.per_minute <= 0:
            return
        now = self.clock()
        if self.next_at > now:
            self.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + 60.0 / self.per_minute


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    skipped: int = 0
    finished: bool = False
    again_at: datetime.datetime | None = None
    errors: list[str] = field(default_factory=list)


def mark_interrupted(edition: Edition, *, now: datetime.datetime) -> int:
    """Rows a vanished worker may have sent: never sent again, shown as interrupted."""
    return Delivery.objects.filter(
        edition=edition, status=Delivery.Status.SENDING, claimed_at__lt=now - CLAIM_LEASE
    ).update(status=Delivery.Status.UNCERTAIN, error="Interrupted while sending; not sent again.")


def _retry_delay(attempts: int) -> int | None:
    delays = settings.NEWSDESK_NEWSLETTER_RETRY_DELAYS
    return int(delays[attempts - 1]) if attempts - 1 < len(delays) else None


def _still_subscribed(edition: Edition, subscriber_ids: list[int]) -> set[int]:
    return set(
        Subscription.objects.filter(
            newsletter_id=edition.newsletter_id,
            subscriber_id__in=subscriber_ids,
            subscriber__confirmed_at__isnull=False,
            subscriber__suppressed_at__isnull=True,
        ).values_list("subscriber_id", flat=True)
    )


def deliver(
    edition_id: int,
    *,
    budget_seconds: float | None = None,
    pacer: Pacer | None = None,
    now: Callable[[], datetime.datetime] = timezone.now,
    clock: Callable[[], float] = time.monotonic,
) -> Outcome:
    """Send queued rows until none is due or the time budget is spent."""
    outcome = Outcome()
    edition = Edition.objects.select_related("newsletter").filter(pk=edition_id).first()
    if edition is None or edition.status != Edition.Status.SENDING:
        outcome.finished = True
        return outcome
    budget = settings.NEWSDESK_NEWSLETTER_JOB_SECONDS if budget_seconds is None else budget_seconds
    pacer = pacer or Pacer(settings.NEWSDESK_NEWSLETTER_RATE_PER_MINUTE)
    mark_interrupted(edition, now=now())
    rendered = mail.render_edition(edition)
    started = clock()
    batch_size = settings.NEWSDESK_NEWSLETTER_BATCH_SIZE
    while clock() - started < budget:
        due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now())
        batch = list(
            Delivery.objects.filter(due, edition=edition, status=Delivery.Status.QUEUED)
            .select_related("subscriber")
            .order_by("pk")[:batch_size]
        )
        if not batch:
            break
        _send_batch(edition, rendered, batch, pacer, outcome, now)
        Edition.objects.filter(pk=edition.pk).update(heartbeat_at=now())
    _finish(edition, outcome, now())
    return outcome


def _send_batch(
    edition: Edition,
    rendered: mail.RenderedEdition,
    batch: list[Delivery],
    pacer: Pacer,
    outcome: Outcome,
    now: Callable[[], datetime.datetime],
) -> None:
    wanted = _still_subscribed(edition, [row.subscriber_id for row in batch if row.subscriber_id])
    connection = mail.open_connection()
    opened = False
    try:
        for row in batch:
            subscriber: Subscriber | None = row.subscriber
            if subscriber is None or subscriber.pk not in wanted:
                # Unsubscribed, suppressed or erased since the edition was queued.
                Delivery.objects.filter(pk=row.pk, status=Delivery.Status.QUEUED).update(
                    status=Delivery.Status.FAILED, error="Not sent: unsubscribed, suppressed or erased meanwhile."
                )
                outcome.skipped += 1
                continue
            claimed = Delivery.objects.filter(pk=row.pk, status=Delivery.Status.QUEUED).update(
                status=Delivery.Status.SENDING, claimed_at=now(), attempts=F("attempts") + 1
            )
            if not claimed:  # another worker took it
                continue
            pacer.wait()
            try:
                if not opened:
                    connection.open()
                    opened = True
                connection.send_messages([mail.message_for(rendered, subscriber, connection=connection)])
            except Exception as error:  # every failure is recorded on its row; the batch goes on
                logger.info("Newsletter delivery %s refused", row.pk, exc_info=True)
                _record_failure(row, subscriber, error, outcome, now())
                _close_quietly(connection)
                opened = False
                continue
            Delivery.objects.filter(pk=row.pk).update(status=Delivery.Status.SENT, sent_at=now(), error="")
            outcome.sent += 1
    finally:
        if opened:
            _close_quietly(connection)


def _record_failure(
    row: Delivery, subscriber: Subscriber, error: Exception, outcome: Outcome, at: datetime.datetime
) -> None:
    attempts = row.attempts + 1
    delay = None if _is_permanent(error) else _retry_delay(attempts)
    if delay is None:
        Delivery.objects.filter(pk=row.pk).update(status=Delivery.Status.FAILED, error=_describe(error))
        outcome.failed += 1
        if _is_missing_mailbox(error):
            subscribers.suppress(subscriber.email, "The mail server said the mailbox does not exist.", now=at)
        logger.warning("Newsletter delivery %s failed for good: %s", row.pk, _describe(error))
    else:
        Delivery.objects.filter(pk=row.pk).update(
            status=Delivery.Status.QUEUED,
            next_attempt_at=at + datetime.timedelta(seconds=delay),
            error=_describe(error),
        )
        outcome.retrying += 1
    outcome.errors.append(_describe(error))


def _close_quietly(connection: object) -> None:
    try:
        connection.close()  # type: ignore[attr-defined]
    except Exception:  # a connection that already broke cannot be closed politely
        logger.debug("Closing a broken mail connection failed", exc_info=True)


def _finish(edition: Edition, outcome: Outcome, at: datetime.datetime) -> None:
    pending = Delivery.objects.filter(edition=edition, status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING])
    left = pending.aggregate(n=Count("pk"), soonest=Min("next_attempt_at"))
    if left["n"] == 0:
        finished = Edition.objects.filter(pk=edition.pk, status=Edition.Status.SENDING).update(
            status=Edition.Status.SENT, finished_at=at
        )
        if finished:
            # The edition's own page and its newsletter's archive now show it.
            page_cache.purge_paths([edition.newsletter.get_absolute_url(), edition.get_absolute_url()])
            transaction.on_commit(lambda: events.edition_sent.send(sender=Edition, edition=edition), robust=True)
        outcome.finished = True
        return
    due_now = pending.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=at)).exists()
    outcome.again_at = at if due_now else left["soonest"]


def stalled_editions(*, now: datetime.datetime) -> list[Edition]:
    """Editions still sending whose worker stopped reporting (a crash or a restart)."""
    return list(
        Edition.objects.filter(status=Edition.Status.SENDING).filter(
            Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - STALLED_AFTER)
        )
    )
