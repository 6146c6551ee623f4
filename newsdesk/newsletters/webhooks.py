"""What an e-mail service tells us through anymail's tracking webhooks: bounces, complaints, unsubscribes.

anymail's views (mounted at /newsletters/anymail/<esp>/tracking/) check the service's
basic auth against ANYMAIL["WEBHOOK_SECRET"] (NEWSDESK_ANYMAIL_WEBHOOK_SECRET), turn each
service's payload into one normalized event and send the `tracking` signal; this receiver
acts on it. https://anymail.dev/en/stable/tips/securing_webhooks/

- bounced: the service gave up on the mailbox (it reports a temporary failure as
  "deferred"), so the address is suppressed, as a 550 from our own SMTP relay is. Some
  services also call a full mailbox a bounce (Postmark's SoftBounce); when the receiving
  server's reply they pass on is a 4xx (RFC 5321 §4.2.1: try again later), it is not;
- complained: the reader marked a mail as spam; mailing them again hurts every
  reader's delivery, so the address is suppressed;
- unsubscribed: the reader left through the service's own link or list; every
  subscription of the address ends (it can sign up again, which a suppression forbids
  until it confirms anew).

Every other event (delivered, opened, clicked, deferred...) is ignored: we keep no
per-reader tracking.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from anymail.signals import AnymailTrackingEvent, EventType, tracking
from django.conf import settings
from django.core.exceptions import ValidationError

from . import services, subscribers
from .models import Subscriber

logger = logging.getLogger(__name__)

# The first reply code in the receiving server's answer ("smtp;452 4.2.2 Mailbox full").
REPLY_CODE = re.compile(r"(?<![\d.])([245])\d\d(?![\d.])")

SUPPRESSING = {
    EventType.BOUNCED: "The e-mail service reported a bounce ({esp}).",
    EventType.COMPLAINED: "The reader reported a newsletter as spam ({esp}).",
}


def secret_configured() -> bool:
    """anymail accepts unauthenticated posts when no secret is set (it only warns); we act on none of them."""
    return bool(getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"))


def tracking_event_received(sender: type, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any) -> None:
    if not secret_configured():
        logger.warning("An %s tracking webhook was ignored: NEWSDESK_ANYMAIL_WEBHOOK_SECRET is not set", esp_name)
        return
    address = event.recipient if isinstance(event.recipient, str) else ""
    try:
        address = subscribers.clean_address(address)
    except ValidationError:
        logger.info("An %s %s event without a usable address was ignored", esp_name, event.event_type)
        return
    if event.event_type == EventType.BOUNCED and is_temporary(event.mta_response):
        return
    if event.event_type in SUPPRESSING:
        subscribers.suppress(address, SUPPRESSING[event.event_type].format(esp=esp_name[:40]))
    elif event.event_type == EventType.UNSUBSCRIBED:
        unsubscribe_everywhere(address)


def is_temporary(reply: object) -> bool:
    found = REPLY_CODE.search(reply[:1000]) if isinstance(reply, str) else None
    return found is not None and found.group(1) == "4"


def unsubscribe_everywhere(address: str) -> None:
    subscriber = Subscriber.objects.filter(email__iexact=address).first()
    if subscriber is not None:
        services.set_subscriptions(subscriber, [])


def connect() -> None:
    tracking.connect(tracking_event_received, dispatch_uid="newsdesk.newsletters.webhooks")
