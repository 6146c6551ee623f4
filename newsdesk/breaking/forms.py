"""The admin's form for a banner: the text, a page or a web address, when it shows and when it expires."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import BreakingBanner
from .services import validate_expiry

BANNER_FIELDS = ["text", "link_page", "link_url", "starts_at", "expires_at"]


class BannerForm(WagtailAdminModelForm):
    """The model's rules (one plain line, http(s) only, expiry after start) and an expiry in the future."""

    link_url = forms.URLField(
        max_length=500,
        required=False,
        # An address typed without a scheme is taken as https (Django 6's default, asked for now).
        assume_scheme="https",
        label=_("Or link to a web address"),
        help_text=BreakingBanner._meta.get_field("link_url").help_text,
    )

    class Meta:
        model = BreakingBanner
        fields = BANNER_FIELDS
        labels = {
            "text": _("Text"),
            "link_page": _("Link to a page of the site"),
            "starts_at": _("Shows from"),
            "expires_at": _("Expires at"),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        try:
            validate_expiry(cleaned.get("expires_at"), timezone.now())
        except ValidationError as error:
            self.add_error(None, error)
        if not cleaned.get("link_page") and not cleaned.get("link_url") and not self.has_error("link_url"):
            self.add_error("link_page", _("Choose the page the banner links to, or give a web address."))
        return cleaned
