"""API keys: a name, scopes and an optional expiry; only a hash of the secret is kept."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a key may read beyond published articles (every key reads those)."""

    READ_DRAFTS = "read-drafts", _("Read drafts, scheduled, expired and private articles (partner preview)")


class ApiKey(models.Model):
    """A key partners send as `Authorization: Bearer <token>` (written by services.api_key_create).

    The token is shown once, when the key is made; the database holds its SHA-256
    digest only, so a leaked backup gives no usable key. The token carries 256 random
    bits, so a plain digest (no salt, no slow hash) is enough: nobody can guess one.
    """

    name = models.CharField(_("name"), max_length=120, help_text=_("Who uses it, e.g. “Partner app (preview)”."))
    # The token's first characters, shown in the admin so people can tell keys apart.
    prefix = models.CharField(_("starts with"), max_length=16, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("The key stops working then; leave empty for no expiry.")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, at: datetime.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > at)

    def grants(self, scope: str) -> bool:
        return scope in self.scopes
