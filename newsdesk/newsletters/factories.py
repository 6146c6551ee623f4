"""Newsletters and subscribers for tests and the demo."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import Newsletter, Subscriber, Subscription


def newsletter_factory(**fields: object) -> Newsletter:
    slug = str(fields.pop("slug", "daily"))
    defaults: dict[str, object] = {
        "name": "The Morning Briefing" if slug == "daily" else slug.replace("-", " ").title(),
        "description": "The stories you need before your first coffee, every morning at seven.",
        "sender_name": "Newsdesk Briefing",
        "sender_email": "briefing@newsdesk.example",
        "cadence": Newsletter.Cadence.DAILY,
        "send_time": datetime.time(7, 0),
    }
    defaults.update(fields)
    return Newsletter.objects.create(slug=slug, **defaults)


def subscriber_factory(
    email: str, *newsletters: Newsletter, confirmed_at: datetime.datetime | None = None, source: str = "test"
) -> Subscriber:
    subscriber = Subscriber.objects.create(
        email=email, confirmed_at=confirmed_at or timezone.now(), consent_source=source
    )
    Subscription.objects.bulk_create([Subscription(subscriber=subscriber, newsletter=n) for n in newsletters])
    return subscriber
