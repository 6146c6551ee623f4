"""Webhook fixtures: a real receiver on 127.0.0.1 (trusted as the operator would trust it), and a webhook for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from newsdesk.webhooks import services
from newsdesk.webhooks.models import Event, Webhook

from .receiver import Receiver


@pytest.fixture(autouse=True)
def utc(settings: Any) -> None:
    settings.TIME_ZONE = "UTC"


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    local = Receiver()
    local.start()
    settings.NEWSDESK_HTTP_TRUSTED_HOSTS = ["127.0.0.1"]
    settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = [f"127.0.0.1:{local.port}"]
    yield local
    local.stop()


@pytest.fixture
def make_webhook(db: None) -> Callable[..., Webhook]:
    def make(url: str, *, events: list[str] | None = None, receiver: Receiver | None = None, **fields: Any) -> Webhook:
        webhook = services.webhook_create(
            name=fields.pop("name", "Partner feed"), url=url, events=events or list(Event.values), **fields
        )
        if receiver is not None:
            receiver.secret = webhook.secret
        return webhook

    return make


@pytest.fixture
def webhook(make_webhook: Callable[..., Webhook], receiver: Receiver) -> Webhook:
    return make_webhook(receiver.url, receiver=receiver)
