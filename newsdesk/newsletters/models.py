"""Newsletters, their subscribers, editions, and one delivery record per recipient and edition.

Nothing is stored for an address until it confirms: a sign-up only sends a signed link
(tokens.py) that carries the address and the newsletters asked for. So a stranger typing
someone's address learns nothing and leaves nothing behind, and every `Subscriber` row is
an address that once confirmed (or was imported with its consent on record).
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

# RFC 5321 caps a forward path at 256 octets including the angle brackets.
MAX_ADDRESS_LENGTH = 254


def validate_header_text(value: str) -> None:
    """No line breaks or other control characters in what goes into a mail header."""
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise ValidationError(_("Line breaks and control characters are not allowed here."))


# The fixed addresses under /newsletters/ (urls.py): a newsletter with one of these slugs would hide its archive.
RESERVED_SLUGS = frozenset({"signup", "confirm", "manage", "unsubscribe", "anymail"})


def validate_slug_not_reserved(value: str) -> None:
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is an address the newsletter pages use; choose another."), params={"slug": value}
        )


def new_key() -> str:
    return secrets.token_urlsafe(18)


# django-stubs cannot work out the reverse manager of a ClusterableModel (Edition.newsletter).
class Newsletter(models.Model):  # type: ignore[django-manager-missing]
    class Cadence(models.TextChoices):
        DAILY = "daily", _("Daily, at a time")
        WEEKLY = "weekly", _("Weekly, on a day at a time")
        ON_PUBLISH = "on_publish", _("On publish (breaking alerts)")
        MANUAL = "manual", _("Manual editions only")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    name = models.CharField(max_length=120, validators=[validate_header_text])
    slug = models.SlugField(max_length=60, unique=True, validators=[validate_slug_not_reserved])
    description = models.TextField(blank=True, max_length=600)
    sender_name = models.CharField(max_length=120, validators=[validate_header_text])
    sender_email = models.EmailField(max_length=MAX_ADDRESS_LENGTH)
    reply_to = models.EmailField(max_length=MAX_ADDRESS_LENGTH, blank=True)
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.MANUAL)
    send_time = models.TimeField(
        default="07:00", help_text=_("For daily and weekly newsletters, in the site's time zone.")
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.MONDAY)
    sections = models.ManyToManyField(
        "articles.SectionPage",
        blank=True,
        related_name="+",
        help_text=_("Automatic editions take their stories from these sections (none: every section)."),
    )
    breaking_tag = models.SlugField(
        max_length=100,
        blank=True,
        default="breaking",
        help_text=_("On-publish newsletters also send stories with this tag, whatever their section."),
    )
    max_items = models.PositiveSmallIntegerField(
        default=8, validators=[MinValueValidator(1), MaxValueValidator(50)], help_text=_("Stories per edition.")
    )
    public = models.BooleanField(
        default=True, help_text=_("Offered on /newsletters/ and in the sign-up forms; editions have public pages.")
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # Where the last automatic edition's window ended: the next one takes stories published after it.
    covered_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/newsletters/{self.slug}/"


class NewsletterPick(models.Model):
    """An editor's pick for the next automatic edition: it goes first, and is used once."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="picks")
    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="+")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["newsletter", "article"], name="newsletter_pick_once")]

    def __str__(self) -> str:
        return f"{self.newsletter_id}: {self.article_id}"


class Subscriber(models.Model):
    """An address that confirmed (or was imported with consent on record)."""

    email = models.EmailField(max_length=MAX_ADDRESS_LENGTH, validators=[EmailValidator()])
    # The secret in every link sent to this address; a new one voids all earlier links.
    key = models.CharField(max_length=32, default=new_key, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    consent_source = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    suppressed_at = models.DateTimeField(null=True, blank=True)
    suppressed_reason = models.CharField(max_length=200, blank=True)
    newsletters = models.ManyToManyField(Newsletter, through="Subscription", related_name="subscribers")

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="subscriber_email_once")]

    def __str__(self) -> str:
        return self.email

    @property
    def receives_mail(self) -> bool:
        return self.confirmed_at is not None and self.suppressed_at is None


class Subscription(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscriber", "newsletter"], name="subscription_once")]

    def __str__(self) -> str:
        return f"{self.subscriber_id} → {self.newsletter_id}"


class Edition(ClusterableModel):
    class Kind(models.TextChoices):
        MANUAL = "manual", _("Manual")
        AUTOMATIC = "automatic", _("Automatic")
        ALERT = "alert", _("Breaking alert")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="editions")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MANUAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    subject = models.CharField(max_length=200, validators=[validate_header_text])
    intro = models.TextField(blank=True, max_length=5000, help_text=_("Plain text; blank lines start paragraphs."))
    # The edition's public address: /newsletters/<slug>/<web_key>/ ("2026-11-30", then "2026-11-30-2").
    web_key = models.CharField(max_length=20, blank=True)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When a sending job last worked on it: an edition still "sending" long after is resumed.
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "web_key"], condition=~models.Q(web_key=""), name="edition_web_key_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.newsletter.name}: {self.subject}"

    def get_absolute_url(self) -> str:
        return f"/newsletters/{self.newsletter.slug}/{self.web_key}/" if self.web_key else ""


class EditionItem(Orderable):
    edition = ParentalKey(Edition, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="+")

    panels: list = []  # set in admin_views, beside the edition's other panels


class Delivery(models.Model):
    """One recipient of one edition, written before the message goes to the mail server.

    A row is claimed (queued -> sending) and that write is committed before the server is
    asked to take the message, so a worker that dies mid-send leaves the rows it may have
    sent in "sending"; a resumed send turns those into "uncertain" and never mails them again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        UNCERTAIN = "uncertain", _("Interrupted (not sent again)")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.SET_NULL, null=True, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "subscriber"], name="delivery_once")]
        indexes = [models.Index(fields=["edition", "status"], name="delivery_edition_status_idx")]

    def __str__(self) -> str:
        return f"{self.edition_id} → {self.subscriber_id}: {self.status}"
