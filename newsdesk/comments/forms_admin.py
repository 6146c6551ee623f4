"""Forms for the comment moderation screens in the Wagtail admin."""

from django import forms
from django.utils.translation import gettext_lazy as _


class StaffReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Published at once under your name, as a reply to this comment."),
    )


class PrivacyRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("Every comment written with this address, in any letter case."),
    )
