"""The admin's forms for newsletters: the newsletter itself, picks, scheduling, import and suppression."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateTimeInput, AdminPageChooser, AdminTimeInput

from newsdesk.articles.models import ArticlePage, SectionPage

from .models import Newsletter

NEWSLETTER_FIELDS = [
    "name",
    "slug",
    "description",
    "sender_name",
    "sender_email",
    "reply_to",
    "cadence",
    "send_time",
    "weekday",
    "sections",
    "breaking_tag",
    "max_items",
    "public",
    "sort_order",
]
# A CSV bigger than this is refused before it is read (about 200,000 rows of address and source).
MAX_IMPORT_BYTES = 20 * 1024 * 1024
# Lines one suppression form takes: a bounce report pasted whole, not a whole list.
MAX_SUPPRESS_LINES = 10_000


class NewsletterForm(forms.ModelForm):
    sections = forms.ModelMultipleChoiceField(
        # Sections are few and all sit under the home page: boxes to tick, not a page chooser.
        queryset=SectionPage.objects.order_by("title"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Sections"),
        help_text=Newsletter._meta.get_field("sections").help_text,
    )

    class Meta:
        model = Newsletter
        fields = NEWSLETTER_FIELDS
        labels = {
            "name": _("Name"),
            "slug": _("Slug"),
            "description": _("Description"),
            "sender_name": _("Sender name"),
            "sender_email": _("Sender address"),
            "reply_to": _("Reply-to address"),
            "cadence": _("Cadence"),
            "send_time": _("Send time"),
            "weekday": _("Weekday"),
            "breaking_tag": _("Breaking tag"),
            "max_items": _("Stories per edition"),
            "public": _("Public"),
            "sort_order": _("Sort order"),
        }
        help_texts = {
            "slug": _("Its address: /newsletters/<slug>/. Changing it breaks links to its editions."),
            "description": _("Shown to readers beside the sign-up box."),
            "sender_email": _("Editions come from this address; the mail server must be allowed to send as it."),
            "reply_to": _("Where readers' replies go; leave empty for the sender address."),
            "weekday": _("For weekly newsletters."),
            "sort_order": _("Lower numbers come first in the sign-up forms."),
        }
        widgets = {"send_time": AdminTimeInput, "description": forms.Textarea(attrs={"rows": 3})}


class PickForm(forms.Form):
    article = forms.ModelChoiceField(
        queryset=ArticlePage.objects.live(),
        label=_("Story"),
        widget=AdminPageChooser(target_models=[ArticlePage]),
        help_text=_("Goes first in the next automatic edition, then leaves the picks."),
    )


class ScheduleForm(forms.Form):
    scheduled_for = forms.DateTimeField(
        label=_("Send at"),
        widget=AdminDateTimeInput,
        help_text=_("In the site's time zone. The worker starts the sending within a minute of it."),
    )

    def __init__(self, *args: Any, now: datetime.datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now

    def clean_scheduled_for(self) -> datetime.datetime:
        moment: datetime.datetime = self.cleaned_data["scheduled_for"]
        if moment <= (self.now or timezone.now()):
            raise ValidationError(_("Choose a time in the future, or use Send now."))
        return moment


class ImportForm(forms.Form):
    newsletter = forms.ModelChoiceField(queryset=Newsletter.objects.all(), label=_("Newsletter"))
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "A header row with the columns email and consent_source (where and how each address agreed), "
            "and optionally confirmed (yes for addresses whose consent is on record; the others are sent "
            "a confirmation link and only join once they follow it)."
        ),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                _("The file is too large (at most %(mb)d MB).") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)}
            )
        try:
            # utf-8-sig: spreadsheets save UTF-8 with a byte-order mark, which would end up in "email".
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise ValidationError(_("The file must be UTF-8 text (save it as “CSV UTF-8”).")) from error


class SuppressForm(forms.Form):
    addresses = forms.CharField(
        label=_("Addresses"),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        help_text=_("One per line, as your mail server's bounce or complaint reports list them."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Kept with each address, for example “Bounced (mail server report of 30 November)”."),
    )

    def clean_addresses(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["addresses"].splitlines() if line.strip()]
        if len(lines) > MAX_SUPPRESS_LINES:
            raise ValidationError(_("At most %(max)d addresses at a time.") % {"max": MAX_SUPPRESS_LINES})
        return lines

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"]
        if any(ord(char) < 32 for char in reason):
            raise ValidationError(_("Line breaks and control characters are not allowed here."))
        return reason


class EditionForm(WagtailAdminModelForm):
    """The compose form: the same story twice in one edition is refused."""

    def is_valid(self) -> bool:
        # The stories' formset is validated after the form's own clean(), so the check comes here.
        if not super().is_valid():
            return False
        seen: set[int] = set()
        duplicate = False
        for form in self.formsets["items"].forms:
            article = form.cleaned_data.get("article")
            if article is None or form.cleaned_data.get("DELETE"):
                continue
            if article.pk in seen:
                form.add_error("article", _("This story is already in the edition."))
                duplicate = True
            seen.add(article.pk)
        return not duplicate
