"""Outbound webhooks: recording an event for the webhooks that want it, delivering it signed,
backing off, and switching a webhook off that has failed for a day.

Each event becomes one `Delivery` per webhook, holding the JSON body exactly as it will be
sent. An attempt first claims the row (pending -> sending, committed), then POSTs it through
the guarded client (core/http.py: public addresses only unless trusted, no redirects, a
deadline), then records the outcome. A worker that dies mid-attempt leaves the row "sending";
after CLAIM_LEASE it is due again, so a receiver may see an event twice and must deduplicate
on its id (X-Newsdesk-Event-Id), as with any webhook.

A failed attempt is tried again after each pause of NEWSDESK_WEBHOOK_RETRY_DELAYS (the last
pause repeating), until NEWSDESK_WEBHOOK_RETRY_WINDOW_SECONDS (a day) after the first attempt;
the last try falls at the window's end. A webhook whose attempts have all failed for that long
(`failing_since`, cleared by any delivered event) is switched off: its waiting deliveries are
given up and the Admins are e-mailed.

The jobs that run attempts are in tasks.py; this module enqueues nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from newsdesk.core import http
from newsdesk.core.roles import ADMINS

from .models import TEST_EVENT, Delivery, Webhook

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Newsdesk-Signature"
EVENT_HEADER = "X-Newsdesk-Event"
EVENT_ID_HEADER = "X-Newsdesk-Event-Id"
USER_AGENT = "Newsdesk-Webhooks/1"
# A row still "sending" this long after its claim belongs to a worker that is gone; well over
# the attempt's own deadline (NEWSDESK_WEBHOOK_TIMEOUT_SECONDS).
CLAIM_LEASE = datetime.timedelta(minutes=2)
# What a receiver answers is not read, only its status: a longer reply is cut off as an error.
MAX_REPLY_BYTES = 64_000


def new_secret() -> str:
    """A fresh signing secret, 256 bits from the OS's generator.

    Stored as it is (not hashed): HMAC signing needs the secret itself. Encrypting it with a
    key derived from SECRET_KEY would need a cipher library the project does not ship and
    would keep the key beside the database on the same servers; the database and its backups
    are already guarded as secrets (they hold session keys and password hashes). An Admin who
    fears it leaked deletes the webhook and adds it again, which makes a new secret.
    """
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Newsdesk-Signature value: `t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>`.

    The time is signed with the body so a captured request cannot be replayed later (receivers
    refuse an old `t`); `v1` names the scheme so another can be added beside it.
    """
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


# --- Webhooks -----------------------------------------------------------------------------


def webhook_create(*, name: str, url: str, events: list[str], active: bool = True) -> Webhook:
    return Webhook.objects.create(name=name, url=url, events=events, active=active, secret=new_secret())


def webhook_update(*, webhook: Webhook, name: str, url: str, events: list[str], active: bool) -> Webhook:
    """An Admin's edit. Switching a webhook on again starts its day of grace afresh."""
    if active and not webhook.active:
        webhook.failing_since = None
        webhook.switched_off_at = None
    webhook.name, webhook.url, webhook.events, webhook.active = name, url, events, active
    webhook.save()
    return webhook


def subscribers(event: str) -> list[Webhook]:
    """The active webhooks that want `event` (a handful: filtered here, since SQLite has no JSON containment)."""
    return [webhook for webhook in Webhook.objects.filter(active=True) if webhook.wants(event)]


# --- Recording events ---------------------------------------------------------------------


def event_body(*, event_id: uuid.UUID, event: str, at: datetime.datetime, data: dict[str, Any]) -> str:
    """The JSON every receiver gets: the event's id, its name, when it happened, and the objects."""
    document = {"id": str(event_id), "event": event, "time": at.isoformat(), "data": data}
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def deliveries_record(
    *, event: str, data: dict[str, Any], webhooks: list[Webhook], now: datetime.datetime | None = None
) -> list[Delivery]:
    """One delivery per webhook, due now."""
    now = now or timezone.now()
    rows = []
    for webhook in webhooks:
        event_id = uuid.uuid4()
        body = event_body(event_id=event_id, event=event, at=now, data=data)
        rows.append(
            Delivery(webhook=webhook, event_id=event_id, event=event, body=body, created_at=now, next_attempt_at=now)
        )
    return Delivery.objects.bulk_create(rows)


# --- Attempts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What one call of delivery_attempt did; `retry_at` is set when the delivery waits for another try."""

    result: str  # "delivered", "retrying", "failed", "skipped"
    retry_at: datetime.datetime | None = None


def retry_window() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.NEWSDESK_WEBHOOK_RETRY_WINDOW_SECONDS)


def next_attempt_at(
    *, first_attempt_at: datetime.datetime, attempts: int, now: datetime.datetime
) -> datetime.datetime | None:
    """When to try again after `attempts` failed ones, or None once the window since the first is over."""
    end = first_attempt_at + retry_window()
    if now >= end:
        return None
    delays = [max(1, int(seconds)) for seconds in settings.NEWSDESK_WEBHOOK_RETRY_DELAYS]
    delay = delays[min(attempts, len(delays)) - 1]
    return min(now + datetime.timedelta(seconds=delay), end)


def due(now: datetime.datetime | None = None) -> models.QuerySet[Delivery]:
    """Deliveries an attempt may claim now: waiting and due, or left "sending" by a worker that is gone."""
    now = now or timezone.now()
    return Delivery.objects.filter(Q(webhook__active=True) | Q(event=TEST_EVENT)).filter(
        Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - CLAIM_LEASE)
    )


def delivery_attempt(delivery_id: int) -> Outcome:
    """Claim the delivery if it is due, POST it signed, and record what happened."""
    now = timezone.now()
    claimed = (
        due(now)
        .filter(pk=delivery_id)
        .update(
            status=Delivery.Status.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
            first_attempt_at=Coalesce(F("first_attempt_at"), Value(now, output_field=models.DateTimeField())),
        )
    )
    if not claimed:
        return Outcome("skipped")
    delivery = Delivery.objects.select_related("webhook").get(pk=delivery_id)
    status, error, duration_ms = _post(delivery)
    if not error:
        return _delivered(delivery, status=status, duration_ms=duration_ms)
    return _failed(delivery, status=status, error=error, duration_ms=duration_ms)


def _post(delivery: Delivery) -> tuple[int | None, str, int]:
    """(response status or None, error or "", milliseconds taken)."""
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature(delivery.webhook.secret, int(time.time()), body),
        EVENT_HEADER: delivery.event,
        EVENT_ID_HEADER: str(delivery.event_id),
    }
    started = time.monotonic()
    try:
        response = http.post(
            delivery.webhook.url,
            content=body,
            headers=headers,
            timeout=settings.NEWSDESK_WEBHOOK_TIMEOUT_SECONDS,
            max_bytes=MAX_REPLY_BYTES,
        )
    except http.FetchError as error:
        return None, str(error), _since(started)
    duration_ms = _since(started)
    if response.status in http.REDIRECT_STATUSES:
        where = urlsplit(response.headers.get("location", "")).netloc or "another address"
        return (
            response.status,
            f"HTTP {response.status}: redirected to {where}; redirects are not followed",
            duration_ms,
        )
    if not response.ok:
        return response.status, f"HTTP {response.status}", duration_ms
    return response.status, "", duration_ms


def _since(started: float) -> int:
    return max(0, round((time.monotonic() - started) * 1000))


def _delivered(delivery: Delivery, *, status: int | None, duration_ms: int) -> Outcome:
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.DELIVERED,
        delivered_at=now,
        last_attempt_at=now,
        next_attempt_at=None,
        claimed_at=None,
        response_status=status,
        duration_ms=duration_ms,
        error="",
    )
    Webhook.objects.filter(pk=delivery.webhook_id, failing_since__isnull=False).update(failing_since=None)
    return Outcome("delivered")


@transaction.atomic
def _failed(delivery: Delivery, *, status: int | None, error: str, duration_ms: int) -> Outcome:
    now = timezone.now()
    webhook = Webhook.objects.select_for_update().get(pk=delivery.webhook_id)
    if webhook.failing_since is None:
        webhook.failing_since = now
        webhook.save(update_fields=["failing_since"])
    # A test event (sent to a webhook that may be off) never switches anything off.
    give_up_on_webhook = (
        delivery.event != TEST_EVENT and webhook.active and now - webhook.failing_since >= retry_window()
    )
    retry_at = None
    # A test event is one probe, answered on the status page at once: it is not tried again.
    if not give_up_on_webhook and delivery.event != TEST_EVENT:
        first = delivery.first_attempt_at or now
        retry_at = next_attempt_at(first_attempt_at=first, attempts=delivery.attempts, now=now)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.PENDING if retry_at else Delivery.Status.FAILED,
        next_attempt_at=retry_at,
        last_attempt_at=now,
        claimed_at=None,
        response_status=status,
        duration_ms=duration_ms,
        error=error[:300],
    )
    logger.warning("Webhook %s: %s failed (attempt %s): %s", webhook.pk, delivery.event, delivery.attempts, error)
    if give_up_on_webhook:
        webhook_switch_off(webhook, now=now, last_error=error)
        return Outcome("failed")
    return Outcome("retrying", retry_at) if retry_at else Outcome("failed")


def webhook_switch_off(webhook: Webhook, *, now: datetime.datetime, last_error: str) -> None:
    """Stop a webhook that has failed for a day: nothing more is recorded or sent, and the Admins hear of it."""
    Webhook.objects.filter(pk=webhook.pk).update(active=False, switched_off_at=now)
    Delivery.objects.filter(webhook=webhook, status=Delivery.Status.PENDING).exclude(event=TEST_EVENT).update(
        status=Delivery.Status.FAILED, next_attempt_at=None, error="Not sent: the webhook was switched off."
    )
    logger.error("Webhook %s (%s) switched off after failing for a day: %s", webhook.pk, webhook.name, last_error)
    since = webhook.failing_since or now
    transaction.on_commit(lambda: _tell_admins(webhook, since=since, last_error=last_error), robust=True)


def admin_addresses() -> list[str]:
    """The e-mail addresses of active superusers and members of the Admins group."""
    users = get_user_model().objects.filter(is_active=True).filter(Q(is_superuser=True) | Q(groups__name=ADMINS))
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def _tell_admins(webhook: Webhook, *, since: datetime.datetime, last_error: str) -> None:
    recipients = admin_addresses()
    if not recipients:
        logger.error("Webhook %s was switched off and no Admin has an e-mail address to be told", webhook.pk)
        return
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("webhooks:inspect", args=[webhook.pk])
    host = urlsplit(webhook.url).netloc
    send_mail(
        subject=f"Webhook “{webhook.name}” switched off",
        message=(
            f"Every delivery to the webhook “{webhook.name}” ({host}) has failed since "
            f"{timezone.localtime(since):%Y-%m-%d %H:%M %Z}, so it has been switched off and its "
            f"waiting events were given up.\n\nLast error: {last_error}\n\n"
            f"Its delivery log, and the switch to turn it on again once the receiver is fixed:\n{link}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )


def log_prune(*, now: datetime.datetime | None = None) -> int:
    """Drop finished deliveries older than NEWSDESK_WEBHOOK_LOG_DAYS; returns how many went."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.NEWSDESK_WEBHOOK_LOG_DAYS)
    old = Delivery.objects.filter(created_at__lt=cutoff, status__in=[Delivery.Status.DELIVERED, Delivery.Status.FAILED])
    return int(old.delete()[0])
