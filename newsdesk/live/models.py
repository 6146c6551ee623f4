"""Live coverage: a live mode on an article, with short entries posted from the admin while an event develops."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsdesk.articles.models import ArticlePage, Author


class LiveCoverage(models.Model):
    class Order(models.TextChoices):
        NEWEST_FIRST = "newest", _("Newest first")
        OLDEST_FIRST = "oldest", _("Oldest first")

    article = models.OneToOneField(ArticlePage, on_delete=models.CASCADE, related_name="live_coverage")
    is_open = models.BooleanField(
        default=True, help_text=_("Open coverage takes new entries and readers' pages follow them.")
    )
    order = models.CharField(
        max_length=6,
        choices=Order.choices,
        default=Order.NEWEST_FIRST,
        help_text=_("How entries are listed under the pinned ones."),
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("live coverage")
        verbose_name_plural = _("live coverage")

    def __str__(self) -> str:
        return self.article.title


class LiveEntryQuerySet(models.QuerySet["LiveEntry"]):
    def shown(self) -> LiveEntryQuerySet:
        """What readers see: not deleted, with what an entry shows in the same query."""
        return self.filter(deleted_at__isnull=True).select_related("author", "image")


class LiveEntry(models.Model):
    coverage = models.ForeignKey(LiveCoverage, on_delete=models.CASCADE, related_name="entries")
    posted_at = models.DateTimeField(
        default=timezone.now, help_text=_("The time shown on the entry; leave as it is to post it now.")
    )
    author = models.ForeignKey(Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(
        max_length=5000, help_text=_("Plain text; a blank line starts a new paragraph. Links are not made.")
    )
    image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    embed_url = models.URLField(
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A post or video to link to (shown as a link: the page never loads other sites)."),
    )
    pinned = models.BooleanField(default=False, help_text=_("Pinned entries stay above the others."))
    key_event = models.BooleanField(default=False, help_text=_("Key events are listed at the top of the article."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("live entry")
        verbose_name_plural = _("live entries")
        indexes = [models.Index(fields=["coverage", "deleted_at", "posted_at"], name="live_entry_shown")]

    def __str__(self) -> str:
        return self.headline

    @property
    def headline(self) -> str:
        """The first line of the body, short: what JSON-LD and admin listings call the entry."""
        first = self.body.strip().splitlines()[0] if self.body.strip() else ""
        return first if len(first) <= 110 else first[:109].rstrip() + "…"

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.replace("\r\n", "\n").split("\n\n") if part.strip()]


class LiveEntryChange(models.Model):
    """The audit trail of an entry: what it said before each correction or deletion, who changed it and when."""

    class Action(models.TextChoices):
        EDITED = "edited", _("Corrected")
        DELETED = "deleted", _("Deleted")

    entry = models.ForeignKey(LiveEntry, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=8, choices=Action.choices)
    previous_body = models.TextField()
    previous_posted_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.changed_at:%Y-%m-%d %H:%M}"
