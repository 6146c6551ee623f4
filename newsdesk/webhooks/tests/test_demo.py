"""The demo's webhook: made once, pointed at the receiver's port, its secret written for the receiver alone."""

from __future__ import annotations

import io
import stat

import pytest
from django.core.management import call_command

from newsdesk.webhooks.models import Event, Webhook

pytestmark = pytest.mark.django_db


def test_the_demo_webhook_is_made_once_and_follows_the_receivers_port(tmp_path):
    secret_file = tmp_path / "secret"
    out = io.StringIO()
    call_command("demo_webhook", url="http://127.0.0.1:8026/hooks/", secret_file=secret_file, stdout=out)
    call_command("demo_webhook", url="http://127.0.0.1:8026/hooks/", secret_file=secret_file, stdout=out)
    call_command("demo_webhook", url="http://127.0.0.1:40123/hooks/", secret_file=secret_file, stdout=out)
    webhook = Webhook.objects.get()
    assert webhook.url == "http://127.0.0.1:40123/hooks/" and webhook.active
    assert sorted(webhook.events) == sorted(Event.values)
    assert secret_file.read_text() == webhook.secret
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
