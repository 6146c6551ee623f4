"""The Admins' form for a webhook: where it goes, which events, on or off. The secret is made, never typed."""

from __future__ import annotations

from typing import Any

import httpx
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from newsdesk.core import http

from .models import Event, Webhook

WEBHOOK_FIELDS = ["name", "url", "events", "active"]


class WebhookForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=Webhook._meta.get_field("url").max_length,
        assume_scheme="https",
        help_text=Webhook._meta.get_field("url").help_text,
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each chosen event is POSTed to the URL, signed with the webhook's secret."),
    )

    class Meta:
        model = Webhook
        fields = WEBHOOK_FIELDS
        labels = {"name": _("Name"), "active": _("Active")}

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        try:
            # The check every delivery makes (scheme, credentials, port, every address public
            # unless trusted), made now so an Admin hears of a refused address at once.
            http.checked_addresses(httpx.URL(url))
        except http.BlockedURL as error:
            raise ValidationError(str(error), code="blocked") from error
        except (http.FetchError, httpx.InvalidURL):
            # A name that does not resolve today may tomorrow; the delivery log will tell.
            pass
        return url

    def cleaned(self) -> dict[str, Any]:
        """The fields as services.webhook_create / webhook_update take them."""
        return {name: self.cleaned_data[name] for name in WEBHOOK_FIELDS}
