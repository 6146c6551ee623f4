"""Outbound webhooks: where to send which events, and one delivery row per event and webhook.

A delivery row is written when the event happens and holds the exact JSON body; every
attempt signs that same body afresh (services.py), so a receiver sees one event id
however many attempts it takes.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """What a webhook can be told about; the value is the payload's "event"."""

    ARTICLE_PUBLISHED = "article.published", _("Article published")
    ARTICLE_UPDATED = "article.updated", _("Article updated (a live article published again)")
    ARTICLE_UNPUBLISHED = "article.unpublished", _("Article unpublished")
    ARTICLE_DELETED = "article.deleted", _("Article deleted")
    COMMENT_HELD = "comment.held", _("Comment held for moderation")
    CORRECTION_ADDED = "correction.added", _("Correction added")
    EDITION_SENT = "newsletter.edition_sent", _("Newsletter edition sent")


# The "Send test event" button's event; no webhook subscribes to it, every webhook can receive it.
TEST_EVENT = "webhook.test"


class Webhook(models.Model):
    name = models.CharField(_("name"), max_length=100, help_text=_("How the Admins know this receiver."))
    url = models.URLField(
        _("URL"),
        max_length=500,
        help_text=_(
            "Where each event is POSTed as JSON. Only public addresses on ports 80 and 443 are reached, "
            "unless the operator trusts the host (NEWSDESK_HTTP_TRUSTED_HOSTS); redirects are not followed."
        ),
    )
    # HMAC-SHA256 is symmetric, so the secret must be readable to sign: it cannot be hashed like a
    # password. See services.new_secret() and the README for why it is stored as it is.
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    events = models.JSONField(_("events"), default=list, blank=True)
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Off: no events are recorded or sent. A webhook failing for a day is switched off by itself."),
    )
    # The first failed attempt since the last delivered one; a day of failures switches the webhook off.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True, editable=False)
    switched_off_at = models.DateTimeField(_("switched off at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.name

    def wants(self, event: str) -> bool:
        return event in self.events


class Delivery(models.Model):
    """One event for one webhook: its body, and the outcome of its latest attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed (given up)")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    # Sent as the payload's "id" and the X-Newsdesk-Event-Id header: the same on every attempt,
    # so a receiver can ignore an event it has already handled.
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=40)
    body = models.TextField()
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"))
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx"),
            models.Index(fields=["webhook", "-created_at"], name="webhook_delivery_log_idx"),
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id}: {self.status}"
