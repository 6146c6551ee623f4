"""The admin's forms for pages and authors: what editors save keeps only the characters XML 1.0 allows.

Text pasted from Word or a PDF brings vertical tabs, form feeds and other control
characters; saved as they are, one of them in a headline made the news sitemap and the
feeds ill-formed for every reader. They are dropped when the form is cleaned, so the
revision, the live page and every output hold the same clean text. A separate module
from `forms.py`, whose reader forms import the models that name these classes.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.blocks import StreamValue

from newsdesk.core.text import xml_chars


def xml_value(value: Any) -> Any:
    """`value` with only XML 1.0 characters in its strings, through lists and dicts (a stream's raw data)."""
    if isinstance(value, str):
        return xml_chars(value)
    if isinstance(value, list):
        return [xml_value(item) for item in value]
    if isinstance(value, dict):
        return {key: xml_value(item) for key, item in value.items()}
    return value


def stream_xml_chars(stream: StreamValue) -> StreamValue:
    """The stream rebuilt from its raw data with the forbidden characters dropped (rich text, headings, quotes)."""
    raw = stream.stream_block.get_prep_value(stream)
    kept = xml_value(raw)
    return stream if kept == raw else stream.stream_block.to_python(kept)


class XmlCharsFormMixin:
    """Drops forbidden characters from every text field, and every text in a StreamField, once cleaned."""

    cleaned_data: dict[str, Any]
    fields: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        for name, value in list(cleaned.items()):
            kept = stream_xml_chars(value) if isinstance(value, StreamValue) else xml_value(value)
            if kept is value or kept == value:
                continue
            cleaned[name] = kept
            if isinstance(kept, str) and not kept.strip() and self.fields[name].required:
                self.add_error(name, _("This field needs text, not only control characters."))  # type: ignore[attr-defined]
        return cleaned


class PageForm(XmlCharsFormMixin, WagtailAdminPageForm):
    pass


class AuthorForm(XmlCharsFormMixin, WagtailAdminModelForm):
    pass


class CorrectionsSettingsForm(WagtailAdminModelForm):
    """The corrections policy's settings; an address typed without a scheme is taken as https."""

    policy_url = forms.URLField(
        label=_("Corrections policy address"),
        required=False,
        assume_scheme="https",
        help_text=_("Or an address elsewhere; the page above is used when both are set."),
    )
