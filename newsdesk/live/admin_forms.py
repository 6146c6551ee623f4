from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateTimeInput

from newsdesk.articles.models import Author

from .models import LiveCoverage, LiveEntry


class EntryForm(forms.ModelForm):
    """The quick compose form: an entry without the page's edit, review and publish cycle.

    The body is Wagtail's block editor (a StreamField's BlockField), the same widgets as the
    article body's; its media (the editor's scripts) come with `form.media`.
    """

    author = forms.ModelChoiceField(queryset=Author.objects.order_by("name"), required=False, label=_("Author"))

    class Meta:
        model = LiveEntry
        fields = ["body", "posted_at", "author", "pinned", "key_event"]
        labels = {
            "body": _("Text"),
            "posted_at": _("Time"),
            "pinned": _("Pinned"),
            "key_event": _("Key event"),
        }
        widgets = {"posted_at": AdminDateTimeInput()}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if self.instance.pk is None:
            # Read when the form is built, not when the module was imported.
            self.fields["posted_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
            # A new entry opens with an empty paragraph, so the editor starts typing at once.
            body = self.fields["body"]
            body.initial = body.block.to_python([{"type": "paragraph", "value": ""}])  # type: ignore[attr-defined]


class StartForm(forms.Form):
    order = forms.ChoiceField(
        choices=LiveCoverage.Order.choices,
        initial=LiveCoverage.Order.NEWEST_FIRST,
        label=_("Order of entries"),
        help_text=_("Pinned entries always come first."),
    )
