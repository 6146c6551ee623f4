"""The reader's comment form: the reference's fields, order and messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from newsdesk.core import form_stamps

from .models import WebsiteValidator
from .services import MAX_COMMENT_BYTES, TOO_LONG

STARTED_SALT = "newsdesk.comments.form-started"


def started_token() -> str:
    """A signed "the form was opened now" stamp, for the minimum fill time."""
    return form_stamps.started_token(STARTED_SALT, "form")


def seconds_since(token: str) -> float | None:
    """Seconds since the stamp was issued; None if it is missing or forged."""
    return form_stamps.seconds_since(token, STARTED_SALT)


class WebsiteField(forms.URLField):
    default_validators = [WebsiteValidator()]


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 45, "placeholder": _("Comment:")}),
        error_messages={"required": _("Please type your comment text.")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=245,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Please fill the required fields."), "max_length": _("Your name is too long.")},
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=100,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Please fill the required fields."),
            "invalid": _("Please enter a valid email address."),
            "max_length": _("Your email address is too long."),
        },
    )
    website = WebsiteField(
        label=_("Website"),
        max_length=200,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
        error_messages={"invalid": _("Please enter a valid web address."), "max_length": _("Your URL is too long.")},
    )
    remember = forms.BooleanField(
        label=_("Save my name, email, and website in this browser for the next time I comment."), required=False
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    started = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    # A trap for robots: hidden from people (and screen readers), filled in by form-stuffing scripts.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_comment(self) -> str:
        text: str = self.cleaned_data["comment"]
        if len(text.encode()) > MAX_COMMENT_BYTES:
            raise forms.ValidationError(TOO_LONG)
        if not text.strip():
            raise forms.ValidationError(_("Please type your comment text."))
        return text

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        # A name of zero-width and other invisible characters only would show as nothing.
        if not any(char.isprintable() and not char.isspace() for char in name):
            raise forms.ValidationError(_("Please fill the required fields."))
        return name

    def clean_key(self) -> str:
        key: str = self.cleaned_data["key"]
        return key if key.replace("-", "").isalnum() else ""

    @property
    def seconds_to_fill(self) -> float | None:
        return seconds_since(self.cleaned_data.get("started", ""))
