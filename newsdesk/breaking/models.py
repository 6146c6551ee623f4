"""The breaking-news banner: one line of text and a link, shown at the top of every reader page until it expires."""

from __future__ import annotations

import datetime
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TEXT_MAX_LENGTH = 160
# Only web addresses: a banner link is clicked on every page, so `javascript:`, `data:` and the like never pass.
LINK_SCHEMES = ["http", "https"]
# Controls (C0, C1, DEL) and the Unicode line and paragraph separators would break the banner's one line.
_BREAKING_CATEGORIES = {"Cc", "Zl", "Zp"}


def validate_one_line(text: str) -> None:
    if any(unicodedata.category(char) in _BREAKING_CATEGORIES for char in text):
        raise ValidationError(_("Write one line of plain text, without line breaks or control characters."))


class BreakingBannerQuerySet(models.QuerySet["BreakingBanner"]):
    def not_ended(self) -> BreakingBannerQuerySet:
        return self.filter(ended_at__isnull=True)

    def showing(self, now: datetime.datetime) -> BreakingBannerQuerySet:
        """Banners that are on at `now`: started, not yet expired, not ended by hand. Newest start first."""
        return (
            self.not_ended().filter(starts_at__lte=now, expires_at__gt=now).order_by("-starts_at", "-created_at", "-pk")
        )

    def unannounced(self, now: datetime.datetime) -> BreakingBannerQuerySet:
        """Banners whose start or end has passed since pages were last purged for them (see tasks.py)."""
        started = Q(starts_at__lte=now, start_announced_at__isnull=True)
        over = Q(end_announced_at__isnull=True) & (Q(expires_at__lte=now) | Q(ended_at__isnull=False))
        return self.filter(started | over)


class BreakingBanner(models.Model):
    text = models.CharField(
        _("text"),
        max_length=TEXT_MAX_LENGTH,
        validators=[validate_one_line],
        help_text=_("One line, plain text, at most 160 characters. Shown at the top of every page."),
    )
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("link to a page of the site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Usually the story about it. Or give a web address below instead."),
    )
    link_url = models.URLField(
        _("or link to a web address"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=LINK_SCHEMES)],
        help_text=_("An http:// or https:// address, for a story on another site."),
    )
    starts_at = models.DateTimeField(
        _("shows from"), default=timezone.now, help_text=_("Leave as it is to show the banner now.")
    )
    expires_at = models.DateTimeField(
        _("expires at"),
        help_text=_("The banner goes away by itself at this time (within seconds). It must be in the future."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended by hand at"), null=True, blank=True)
    # The recurring job's marks (tasks.py): pages were purged for this banner's start and for its end,
    # so a job run purges once per change and not on every run.
    start_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    end_announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = BreakingBannerQuerySet.as_manager()

    class Meta:
        verbose_name = _("breaking-news banner")
        verbose_name_plural = _("breaking-news banners")
        ordering = ["-starts_at", "-created_at", "-pk"]
        indexes = [models.Index(fields=["ended_at", "expires_at", "starts_at"], name="breaking_showing_idx")]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        super().clean()
        if self.link_page_id and self.link_url:
            raise ValidationError({"link_url": _("Choose a page or give a web address, not both.")})
        if self.starts_at and self.expires_at and self.expires_at <= self.starts_at:
            raise ValidationError({"expires_at": _("The banner must expire after it starts showing.")})

    def ends_at(self) -> datetime.datetime:
        """When the banner stops showing: its expiry, or earlier if an editor ended it."""
        return min(self.expires_at, self.ended_at) if self.ended_at else self.expires_at

    def status(self, now: datetime.datetime | None = None) -> str:
        now = now or timezone.now()
        if self.ended_at and self.ended_at <= now:
            return str(_("Ended"))
        if self.expires_at <= now:
            return str(_("Expired"))
        if self.starts_at > now:
            return str(_("Scheduled"))
        return str(_("On"))
