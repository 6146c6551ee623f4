"""anymail's tracking webhooks (Postmark's payloads, posted as Postmark posts them): bounces and complaints suppress."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from anymail.exceptions import AnymailInsecureWebhookWarning

from newsdesk.newsletters import editions, sending, services, tokens
from newsdesk.newsletters.factories import subscriber_factory
from newsdesk.newsletters.models import Newsletter, Subscriber, Subscription

from .smtp import SMTPSink

pytestmark = pytest.mark.django_db

URL = "/newsletters/anymail/postmark/tracking/"
SECRET = "postmark-hook:c0rrect-h0rse-battery"


@pytest.fixture(autouse=True)
def webhook_secret(settings: Any) -> str:
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}
    return SECRET


def basic(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


def postmark(client: Any, payload: dict[str, Any], *, auth: str | None = basic(SECRET)) -> Any:
    extra = {"HTTP_AUTHORIZATION": auth} if auth is not None else {}
    return client.post(URL, json.dumps(payload), content_type="application/json", **extra)


def bounce(address: str, kind: str = "HardBounce") -> dict[str, Any]:
    # The fields Postmark's bounce webhook sends (https://postmarkapp.com/developer/webhooks/bounce-webhook).
    return {
        "RecordType": "Bounce",
        "MessageStream": "broadcast",
        "ID": 4011,
        "Type": kind,
        "TypeCode": 1,
        "Name": "Hard bounce",
        "Tag": "daily",
        "MessageID": "0a1b2c3d-0000-4000-8000-000000000001",
        "Metadata": {},
        "ServerID": 7,
        "Description": "The mailbox does not exist.",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist",
        "Email": address,
        "From": "briefing@newsdesk.example",
        "BouncedAt": "2026-11-30T06:05:00Z",
        "DumpAvailable": False,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "The Morning Briefing: November 30, 2026",
    }


def complaint(address: str) -> dict[str, Any]:
    return {**bounce(address), "RecordType": "SpamComplaint", "Type": "SpamComplaint", "TypeCode": 512}


def subscription_change(address: str, reason: str = "ManualSuppression") -> dict[str, Any]:
    return {
        "RecordType": "SubscriptionChange",
        "MessageStream": "broadcast",
        "MessageID": "0a1b2c3d-0000-4000-8000-000000000002",
        "ServerID": 7,
        "ChangedAt": "2026-11-30T06:07:00Z",
        "Recipient": address,
        "Origin": "Recipient",
        "SuppressSending": True,
        "SuppressionReason": reason,
        "Tag": "daily",
        "Metadata": {},
    }


def delivery(address: str) -> dict[str, Any]:
    return {
        "RecordType": "Delivery",
        "MessageStream": "broadcast",
        "ServerID": 7,
        "MessageID": "0a1b2c3d-0000-4000-8000-000000000003",
        "Recipient": address,
        "Tag": "daily",
        "DeliveredAt": "2026-11-30T06:01:00Z",
        "Details": "250 2.0.0 OK",
        "Metadata": {},
    }


def suppressed(address: str) -> bool:
    return Subscriber.objects.filter(email__iexact=address, suppressed_at__isnull=False).exists()


@pytest.fixture
def reader(daily: Newsletter) -> Subscriber:
    return subscriber_factory("ana@example.org", daily)


def test_a_hard_bounce_suppresses_the_address(client, reader):
    response = postmark(client, bounce("ana@example.org"))
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.suppressed_at is not None
    assert "bounce" in reader.suppressed_reason.lower()


def test_a_spam_complaint_suppresses_the_address(client, reader):
    postmark(client, complaint("ana@example.org"))
    reader.refresh_from_db()
    assert reader.suppressed_at is not None
    assert "spam" in reader.suppressed_reason.lower()


def test_the_address_is_matched_whatever_its_case(client, reader):
    postmark(client, bounce("Ana@Example.ORG"))
    assert suppressed("ana@example.org")


def test_a_bounce_for_an_address_we_never_had_is_kept_so_it_cannot_be_subscribed_unasked(client, db):
    postmark(client, bounce("stranger@example.org"))
    assert suppressed("stranger@example.org")


def test_an_unsubscribe_at_the_service_ends_every_subscription(client, reader, db):
    weekly = Newsletter.objects.create(
        slug="weekly", name="Weekly", sender_name="Desk", sender_email="desk@newsdesk.example"
    )
    Subscription.objects.create(subscriber=reader, newsletter=weekly)
    postmark(client, subscription_change("ana@example.org"))
    assert not Subscription.objects.filter(subscriber=reader).exists()


def test_an_unsubscribe_at_the_service_does_not_suppress(client, reader):
    # Unlike a complaint, leaving a list is no reason to refuse a later sign-up.
    postmark(client, subscription_change("ana@example.org"))
    reader.refresh_from_db()
    assert reader.suppressed_at is None


def test_a_delivery_report_changes_nothing(client, reader):
    response = postmark(client, delivery("ana@example.org"))
    reader.refresh_from_db()
    assert response.status_code == 200
    assert (reader.suppressed_at, reader.subscriptions.count()) == (None, 1)


def test_a_transient_bounce_changes_nothing(client, reader):
    postmark(client, bounce("ana@example.org", kind="Transient"))
    assert not suppressed("ana@example.org")


def test_a_full_mailbox_some_services_call_a_bounce_changes_nothing(client, reader):
    soft = {**bounce("ana@example.org", kind="SoftBounce"), "Details": "smtp;452 4.2.2 Mailbox full"}
    postmark(client, soft)
    assert not suppressed("ana@example.org")


def test_a_bounce_with_a_permanent_reply_suppresses(client, reader):
    postmark(client, {**bounce("ana@example.org"), "Details": "smtp;550 5.1.1 User unknown"})
    assert suppressed("ana@example.org")


def test_an_event_with_a_malformed_address_stores_nothing(client, db):
    response = postmark(client, bounce("x" * 10_000 + "@example.org"))
    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def test_a_wrong_secret_is_refused_and_suppresses_nothing(client, reader):
    response = postmark(client, bounce("ana@example.org"), auth=basic("postmark-hook:guess"))
    assert response.status_code == 400
    assert not suppressed("ana@example.org")


def test_a_post_without_credentials_is_refused_and_suppresses_nothing(client, reader):
    response = postmark(client, bounce("ana@example.org"), auth=None)
    assert response.status_code == 400
    assert not suppressed("ana@example.org")


def test_without_a_configured_secret_no_webhook_suppresses_anything(client, settings, reader):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": ""}
    with pytest.warns(AnymailInsecureWebhookWarning):
        postmark(client, bounce("ana@example.org"), auth=None)
    assert not suppressed("ana@example.org")


def test_a_get_is_not_a_webhook(client, reader):
    response = client.get(URL, HTTP_AUTHORIZATION=basic(SECRET))
    assert response.status_code == 405


def _send_edition(newsletter: Newsletter) -> None:
    edition = editions.build_edition(newsletter, newest_if_empty=True)
    assert edition is not None
    sending.queue_edition(edition)
    sending.deliver(edition.pk)


def test_a_bounced_address_gets_no_further_edition(client, smtp_sink: SMTPSink, daily, reader, stories):
    postmark(client, bounce("ana@example.org"))
    _send_edition(daily)
    assert smtp_sink.to("ana@example.org") == []


def test_a_bounced_address_that_confirms_anew_gets_editions_again(client, smtp_sink: SMTPSink, daily, reader, stories):
    postmark(client, bounce("ana@example.org"))
    services.confirm(tokens.confirmation_token("ana@example.org", [daily.pk], "signup: /newsletters/"))
    _send_edition(daily)
    assert len(smtp_sink.to("ana@example.org")) == 1
