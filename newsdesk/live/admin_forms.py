from __future__ import annotations

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.images.widgets import AdminImageChooser

from newsdesk.articles.models import Author

from .models import LiveCoverage, LiveEntry


class EntryForm(forms.ModelForm):
    """The quick compose form: an entry without the page's edit, review and publish cycle."""

    author = forms.ModelChoiceField(queryset=Author.objects.order_by("name"), required=False, label=_("Author"))
    embed_url = forms.URLField(
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        label=_("Embed link"),
        help_text=LiveEntry._meta.get_field("embed_url").help_text,
    )

    class Meta:
        model = LiveEntry
        fields = ["body", "posted_at", "author", "image", "embed_url", "pinned", "key_event"]
        labels = {
            "body": _("Text"),
            "posted_at": _("Time"),
            "image": _("Image"),
            "pinned": _("Pinned"),
            "key_event": _("Key event"),
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 6}),
            "posted_at": AdminDateTimeInput(),
            "image": AdminImageChooser(),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if self.instance.pk is None:
            # Read when the form is built, not when the module was imported.
            self.fields["posted_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class StartForm(forms.Form):
    order = forms.ChoiceField(
        choices=LiveCoverage.Order.choices,
        initial=LiveCoverage.Order.NEWEST_FIRST,
        label=_("Order of entries"),
        help_text=_("Pinned entries always come first."),
    )
