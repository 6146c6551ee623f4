"""The admin's form for a wire or partner feed: every field an editor sets, none the poller keeps."""

from django import forms
from django.utils.translation import gettext_lazy as _

from newsdesk.articles.models import SectionPage

from .models import Source

# Every field an editor sets, in the form's order; the status page lists them the same way.
SOURCE_FIELDS = [
    "name",
    "kind",
    "location",
    "interval_minutes",
    "mode",
    "default_section",
    "extra_tags",
    "mapping_rules",
    "source_name",
    "source_url",
    "canonical_to_original",
    "full_text",
    "enabled",
]


class SourceForm(forms.ModelForm):
    """Source's own validation (`Source.clean`, the rules' syntax) shows against the field it is about."""

    default_section = forms.ModelChoiceField(
        # A plain select, not Wagtail's page chooser: sections are few and all sit under the home page.
        queryset=SectionPage.objects.order_by("title"),
        required=False,
        label=_("Default section"),
        empty_label=_("None (no section)"),
        help_text=Source._meta.get_field("default_section").help_text,
    )
    source_url = forms.URLField(
        max_length=Source._meta.get_field("source_url").max_length,
        required=False,
        # An address typed without a scheme is taken as https (Django 6's default, asked for now).
        assume_scheme="https",
        label=_("Attribution link"),
        help_text=_("The partner's home page, linked from “Originally published by …”."),
    )

    class Meta:
        model = Source
        fields = SOURCE_FIELDS
        labels = {
            "name": _("Name"),
            "kind": _("Kind"),
            "location": _("Location"),
            "interval_minutes": _("Interval (minutes)"),
            "mode": _("New stories become"),
            "extra_tags": _("Extra tags"),
            "mapping_rules": _("Mapping rules"),
            "source_name": _("Attribution name"),
            "canonical_to_original": _("Canonical link to the original"),
            "full_text": _("Full text"),
            "enabled": _("Polling on"),
        }
        help_texts = {
            "name": _("How the desk knows this source; shown in lists and the log."),
            "mode": _("Drafts wait for an editor to publish them; published stories go live as they arrive."),
            "enabled": _("Off: the source is not polled; the articles it brought stay as they are."),
        }
        widgets = {
            "mapping_rules": forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        }
