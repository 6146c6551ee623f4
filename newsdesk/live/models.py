"""Live coverage: a live mode on an article, with short entries posted from the admin while an event develops."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField

from newsdesk.articles.models import ArticlePage, Author

from .blocks import BODY_HELP, LiveEntryBodyBlock, plain_text


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
        return self.filter(deleted_at__isnull=True).select_related("author")


class LiveEntry(models.Model):
    coverage = models.ForeignKey(LiveCoverage, on_delete=models.CASCADE, related_name="entries")
    posted_at = models.DateTimeField(
        default=timezone.now, help_text=_("The time shown on the entry; leave as it is to post it now.")
    )
    author = models.ForeignKey(Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The article body's blocks (blocks.py); a picture and an embed are blocks of the body too.
    body = StreamField(LiveEntryBodyBlock(), help_text=BODY_HELP)
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
    def text(self) -> str:
        """The body as plain text (JSON-LD's articleBody)."""
        return plain_text(self.body)

    @property
    def headline(self) -> str:
        """The first line of the body's text, short: what JSON-LD and admin listings call the entry."""
        text = self.text.strip()
        first = text.splitlines()[0] if text else ""
        return first if len(first) <= 110 else first[:109].rstrip() + "…"


class LiveEntryChange(models.Model):
    """The audit trail of an entry: what it said before each correction or deletion, who changed it and when."""

    class Action(models.TextChoices):
        EDITED = "edited", _("Corrected")
        DELETED = "deleted", _("Deleted")

    entry = models.ForeignKey(LiveEntry, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=8, choices=Action.choices)
    # The blocks as they were, so a correction's history shows them as readers saw them.
    previous_body = StreamField(LiveEntryBodyBlock(), blank=True)
    previous_posted_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.changed_at:%Y-%m-%d %H:%M}"
