"""Delivering one event: signed, retried with growing pauses for a day, then a failing webhook switched off."""

from __future__ import annotations

import datetime
import hashlib
import hmac

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from newsdesk.core.roles import ADMINS, EDITORS
from newsdesk.webhooks import services, tasks
from newsdesk.webhooks.models import Delivery, Event, Webhook

from .receiver import Receiver, verify_newsdesk_signature

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)
DATA = {"article": {"id": 7, "title": "Harbour reopens"}}


def record(webhook: Webhook, event: str = Event.ARTICLE_PUBLISHED) -> Delivery:
    [delivery] = services.deliveries_record(event=event, data=DATA, webhooks=[webhook])
    return delivery


def attempt(delivery: Delivery) -> services.Outcome:
    outcome = services.delivery_attempt(delivery.pk)
    delivery.refresh_from_db()
    return outcome


# --- Signing ----------------------------------------------------------------------------------


def test_the_signature_is_hmac_sha256_over_time_dot_body():
    header = services.signature("whsec_test", 1764504000, b'{"a":1}')
    expected = hmac.new(b"whsec_test", b'1764504000.{"a":1}', hashlib.sha256).hexdigest()
    assert header == f"t=1764504000,v1={expected}"


def test_secrets_are_long_and_never_repeat():
    secrets = {services.new_secret() for _ in range(50)}
    assert len(secrets) == 50
    assert all(secret.startswith("whsec_") and len(secret) >= 48 for secret in secrets)


def test_a_delivery_arrives_signed_with_the_webhooks_secret(webhook, receiver):
    delivery = record(webhook)
    assert attempt(delivery).result == "delivered"
    [request] = receiver.received
    assert request.verified
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert request.headers["X-Newsdesk-Event"] == "article.published"
    assert request.payload == {
        "id": str(delivery.event_id),
        "event": "article.published",
        "time": delivery.created_at.isoformat(),
        "data": DATA,
    }
    assert request.headers["X-Newsdesk-Event-Id"] == str(delivery.event_id)


def test_the_receivers_check_refuses_a_changed_body_another_secret_and_an_old_time(webhook, receiver):
    attempt(record(webhook))
    [request] = receiver.received
    header = request.headers["X-Newsdesk-Signature"]
    assert not verify_newsdesk_signature(webhook.secret, header, request.body.replace(b"7", b"8"))
    assert not verify_newsdesk_signature("whsec_other", header, request.body)
    old = services.signature(webhook.secret, int(NOON.timestamp()) - 3600, request.body)
    assert not verify_newsdesk_signature(webhook.secret, old, request.body)
    assert not verify_newsdesk_signature(webhook.secret, "garbage", request.body)


def test_the_log_records_status_code_and_duration(webhook, receiver):
    delivery = record(webhook)
    attempt(delivery)
    assert delivery.status == Delivery.Status.DELIVERED
    assert (delivery.response_status, delivery.attempts, delivery.error) == (200, 1, "")
    assert delivery.duration_ms is not None and delivery.delivered_at is not None
    assert delivery.next_attempt_at is None


def test_a_delivered_event_is_not_sent_again(webhook, receiver):
    delivery = record(webhook)
    attempt(delivery)
    assert attempt(delivery).result == "skipped"
    assert len(receiver.received) == 1


# --- Retries and back-off ----------------------------------------------------------------------


def test_an_error_reply_is_retried_after_thirty_seconds(webhook, receiver, time_machine):
    time_machine.move_to(NOON, tick=False)
    receiver.statuses.extend([500])
    delivery = record(webhook)
    outcome = attempt(delivery)
    assert outcome == services.Outcome("retrying", NOON + datetime.timedelta(seconds=30))
    assert (delivery.status, delivery.response_status, delivery.error) == (Delivery.Status.PENDING, 500, "HTTP 500")
    assert delivery.next_attempt_at == NOON + datetime.timedelta(seconds=30)


def test_a_retry_is_not_made_before_its_time(webhook, receiver, time_machine):
    time_machine.move_to(NOON, tick=False)
    receiver.statuses.extend([500])
    delivery = record(webhook)
    attempt(delivery)
    time_machine.move_to(NOON + datetime.timedelta(seconds=29), tick=False)
    assert attempt(delivery).result == "skipped"
    assert len(receiver.received) == 1


def test_a_retry_sends_the_same_event_signed_afresh(webhook, receiver, time_machine):
    time_machine.move_to(NOON, tick=False)
    receiver.statuses.extend([503])
    delivery = record(webhook)
    attempt(delivery)
    time_machine.move_to(NOON + datetime.timedelta(seconds=30), tick=False)
    assert attempt(delivery).result == "delivered"
    first, second = receiver.received
    assert first.body == second.body
    assert first.headers["X-Newsdesk-Event-Id"] == second.headers["X-Newsdesk-Event-Id"]
    assert first.headers["X-Newsdesk-Signature"] != second.headers["X-Newsdesk-Signature"]  # a new t
    assert second.verified and delivery.attempts == 2


def test_pauses_grow_and_the_last_try_falls_a_day_after_the_first(settings):
    settings.NEWSDESK_WEBHOOK_RETRY_DELAYS = [30, 120, 600, 1800, 3600, 10800, 21600]
    first = NOON
    now, pauses = first, []
    for attempts in range(1, 20):
        retry = services.next_attempt_at(first_attempt_at=first, attempts=attempts, now=now)
        if retry is None:
            break
        pauses.append(int((retry - now).total_seconds()))
        now = retry
    assert pauses[:7] == [30, 120, 600, 1800, 3600, 10800, 21600]
    assert all(pause == 21600 for pause in pauses[7:-1])
    assert now == first + datetime.timedelta(days=1)
    assert services.next_attempt_at(first_attempt_at=first, attempts=len(pauses) + 1, now=now) is None


def fail_for(webhook: Webhook, receiver: Receiver, time_machine, delivery: Delivery, *, until: datetime.datetime):
    """Attempt `delivery` at each of its retry times up to `until`, the receiver answering 500 every time."""
    while delivery.status == Delivery.Status.PENDING and delivery.next_attempt_at is not None:
        if delivery.next_attempt_at > until:
            break
        time_machine.move_to(delivery.next_attempt_at, tick=False)
        receiver.statuses.append(500)
        attempt(delivery)


def test_a_delivery_is_given_up_a_day_after_its_first_attempt(webhook, receiver, time_machine):
    time_machine.move_to(NOON, tick=False)
    delivery = record(webhook)
    fail_for(webhook, receiver, time_machine, delivery, until=NOON + datetime.timedelta(days=2))
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.last_attempt_at == NOON + datetime.timedelta(days=1)
    assert delivery.next_attempt_at is None
    assert delivery.attempts == len(receiver.received) == 11


# --- Switching off ---------------------------------------------------------------------------


@pytest.fixture
def admins_and_editors(db):
    root = User.objects.create_user("root", email="root@newsdesk.test", is_superuser=True)
    admin = User.objects.create_user("ada", email="ada@newsdesk.test")
    admin.groups.add(Group.objects.get(name=ADMINS))
    User.objects.create_user("gone", email="gone@newsdesk.test", is_superuser=True, is_active=False)
    editor = User.objects.create_user("ed", email="ed@newsdesk.test")
    editor.groups.add(Group.objects.get(name=EDITORS))
    return root, admin


def test_a_webhook_failing_for_a_day_is_switched_off_and_admins_are_told(
    webhook, receiver, time_machine, admins_and_editors, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOON, tick=False)
    first = record(webhook)
    time_machine.move_to(NOON + datetime.timedelta(hours=20), tick=False)
    waiting = record(webhook, Event.COMMENT_HELD)
    time_machine.move_to(NOON, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        fail_for(webhook, receiver, time_machine, first, until=NOON + datetime.timedelta(days=1))
    webhook.refresh_from_db()
    waiting.refresh_from_db()
    assert not webhook.active
    assert webhook.switched_off_at == NOON + datetime.timedelta(days=1)
    assert (first.status, waiting.status) == (Delivery.Status.FAILED, Delivery.Status.FAILED)
    assert waiting.error == "Not sent: the webhook was switched off."
    [message] = mail.outbox
    assert sorted(message.to) == ["ada@newsdesk.test", "root@newsdesk.test"]
    assert "Partner feed" in message.subject
    assert f"/admin/webhooks/inspect/{webhook.pk}/" in message.body


def test_a_switched_off_webhook_sends_nothing_more(webhook, receiver, time_machine, admins_and_editors):
    time_machine.move_to(NOON, tick=False)
    delivery = record(webhook)
    fail_for(webhook, receiver, time_machine, delivery, until=NOON + datetime.timedelta(days=1))
    sent = len(receiver.received)
    assert services.subscribers(Event.ARTICLE_PUBLISHED) == []
    later = record(webhook)
    assert attempt(later).result == "skipped"
    assert len(receiver.received) == sent


def test_a_success_within_the_day_keeps_the_webhook_on(webhook, receiver, time_machine, admins_and_editors):
    time_machine.move_to(NOON, tick=False)
    receiver.statuses.extend([500])
    attempt(record(webhook))
    webhook.refresh_from_db()
    assert webhook.failing_since == NOON
    time_machine.move_to(NOON + datetime.timedelta(hours=23), tick=False)
    attempt(record(webhook))  # delivered
    webhook.refresh_from_db()
    assert webhook.failing_since is None
    time_machine.move_to(NOON + datetime.timedelta(hours=25), tick=False)
    receiver.statuses.extend([500])
    attempt(record(webhook))
    webhook.refresh_from_db()
    assert webhook.active and webhook.failing_since == NOON + datetime.timedelta(hours=25)
    assert mail.outbox == []


def test_switching_a_webhook_on_again_starts_its_day_afresh(webhook):
    Webhook.objects.filter(pk=webhook.pk).update(active=False, failing_since=NOON, switched_off_at=NOON)
    webhook.refresh_from_db()
    services.webhook_update(webhook=webhook, name=webhook.name, url=webhook.url, events=webhook.events, active=True)
    webhook.refresh_from_db()
    assert webhook.active and webhook.failing_since is None and webhook.switched_off_at is None


# --- The sweep ---------------------------------------------------------------------------------


def test_the_sweep_sends_what_no_job_holds(webhook, receiver, time_machine):
    time_machine.move_to(NOON, tick=False)
    delivery = record(webhook)
    time_machine.move_to(NOON + datetime.timedelta(seconds=30), tick=False)
    tasks.sweep_webhook_deliveries.call()
    assert receiver.received == []  # within the grace a queued job has to take it
    time_machine.move_to(NOON + datetime.timedelta(minutes=2), tick=False)
    tasks.sweep_webhook_deliveries.call()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED and len(receiver.received) == 1


def test_the_sweep_takes_back_a_delivery_left_sending_by_a_dead_worker(webhook, receiver, time_machine):
    time_machine.move_to(NOON, tick=False)
    delivery = record(webhook)
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENDING, claimed_at=NOON, attempts=1)
    time_machine.move_to(NOON + datetime.timedelta(minutes=2), tick=False)
    assert attempt(delivery).result == "skipped"  # the lease has not run out
    time_machine.move_to(NOON + datetime.timedelta(minutes=4), tick=False)
    tasks.sweep_webhook_deliveries.call()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.DELIVERED, 2)


def test_the_sweep_prunes_the_old_log(webhook, receiver, time_machine, settings):
    settings.NEWSDESK_WEBHOOK_LOG_DAYS = 30
    time_machine.move_to(NOON, tick=False)
    old = record(webhook)
    attempt(old)
    time_machine.move_to(NOON + datetime.timedelta(days=31), tick=False)
    recent = record(webhook)
    tasks.sweep_webhook_deliveries.call()
    assert list(Delivery.objects.values_list("pk", flat=True)) == [recent.pk]


# --- Server-side request forgery --------------------------------------------------------------


def test_a_receiver_on_this_machine_is_refused_unless_trusted(make_webhook, receiver, settings):
    settings.NEWSDESK_HTTP_TRUSTED_HOSTS = []  # its port stays allowed: only the address is refused
    delivery = record(make_webhook(receiver.url, receiver=receiver))
    assert attempt(delivery).result == "retrying"
    assert receiver.received == []
    assert "127.0.0.1 resolves to 127.0.0.1, which is not a public address" in delivery.error
    assert delivery.response_status is None


@pytest.mark.parametrize("url", ["http://10.20.30.40/hooks/", "http://169.254.169.254/latest/", "http://[fd00::1]/"])
def test_a_private_network_address_is_refused(make_webhook, url):
    delivery = record(make_webhook(url))
    attempt(delivery)
    assert delivery.status == Delivery.Status.PENDING and "not a public address" in delivery.error


def test_a_redirect_to_a_private_address_is_not_followed(webhook, receiver):
    inside = Receiver()  # a service on the private side that nobody trusted
    inside.start()
    try:
        receiver.statuses.append(307)
        receiver.location = inside.url
        delivery = record(webhook)
        attempt(delivery)
    finally:
        inside.stop()
    assert inside.received == []
    assert delivery.response_status == 307 and delivery.status == Delivery.Status.PENDING
    assert delivery.error == f"HTTP 307: redirected to 127.0.0.1:{inside.port}; redirects are not followed"


def test_a_redirect_even_to_a_public_address_is_not_followed(webhook, receiver):
    receiver.statuses.append(301)
    receiver.location = "https://elsewhere.example/hooks"
    delivery = record(webhook)
    attempt(delivery)
    assert len(receiver.received) == 1 and delivery.status == Delivery.Status.PENDING
    assert "redirected to elsewhere.example" in delivery.error
