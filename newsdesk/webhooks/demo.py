"""The demo's webhook: every event, to the small receiver scripts/serve_demo.py runs on this machine."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import OutputWrapper

from . import services
from .models import Event, Webhook

DEMO_NAME = "Demo receiver (scripts/serve_demo.py)"


def ensure_demo_webhook(*, url: str, secret_file: Path, stdout: OutputWrapper) -> Webhook:
    """Make the demo webhook, or point it at `url` and switch it on; write its secret where the receiver reads it."""
    webhook = Webhook.objects.filter(name=DEMO_NAME).first()
    if webhook is None:
        webhook = services.webhook_create(name=DEMO_NAME, url=url, events=list(Event.values))
        stdout.write(f"Webhook: {DEMO_NAME} → {url}")
    elif webhook.url != url or not webhook.active:
        webhook = services.webhook_update(webhook=webhook, name=DEMO_NAME, url=url, events=webhook.events, active=True)
        stdout.write(f"Webhook: {DEMO_NAME} now → {url}")
    secret_file.parent.mkdir(parents=True, exist_ok=True)
    # Readable by this user only: it is what signs the demo's webhooks.
    descriptor = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(webhook.secret)
    return webhook
