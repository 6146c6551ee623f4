"""The reader's newsletter forms: sign up (from any page, cached or not), manage, erase."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from newsdesk.core import form_stamps

from . import signup_block, subscribers
from .models import MAX_ADDRESS_LENGTH, Newsletter

STARTED_SALT = "newsdesk.newsletters.form-started"
# People take longer than this to type an address and tick a box; form-stuffing scripts do not.
MIN_FILL_SECONDS = 2.0
# Where a sign-up came from is kept as its consent source: a short local path, nothing else.
MAX_SOURCE_LENGTH = 200


def started_token() -> str:
    """A signed "the form was opened now" stamp, for the minimum fill time."""
    return form_stamps.started_token(STARTED_SALT, "signup")


def seconds_since(token: str) -> float | None:
    """Seconds since the stamp was issued; None if it is missing or forged."""
    return form_stamps.seconds_since(token, STARTED_SALT)


def local_path(value: str) -> str:
    """`value` if it is a path on this site ("/2026/11/30/tram/"), else "".

    It is echoed in a link back and stored as the consent source, so a full address,
    a protocol-relative "//host", a backslash trick or a control character is dropped.
    """
    path = (value or "").strip()
    if not path.startswith("/") or path.startswith(("//", "/\\")) or len(path) > MAX_SOURCE_LENGTH:
        return ""
    if any(ord(char) < 33 or ord(char) == 127 or char in "\\<>\"'" for char in path):
        return ""
    return path


class SignUpForm(forms.Form):
    """Address and newsletters; the trap, the stamp and the page it came from ride along hidden.

    The newsletters offered are the sign-up block's cached list (no query), so a cached page's
    choices and the ones checked here are the same list; an id not in it is refused.
    """

    email = forms.CharField(
        label=_("Email address"),
        # The address check (subscribers.clean_address) says "too long" in words; this only
        # keeps a megabyte of text out of memory twice.
        max_length=20_000,
        strip=True,
        error_messages={
            "required": _("Please enter your email address."),
            "max_length": _("That email address is too long."),
        },
    )
    newsletters = forms.TypedMultipleChoiceField(
        label=_("Newsletters"),
        coerce=int,
        error_messages={
            "required": _("Please choose at least one newsletter."),
            "invalid_choice": _("That newsletter is not offered any more. Please choose again."),
        },
    )
    # Hidden fields take anything: an error on a field the reader cannot see would be no help.
    # A bad source is dropped (clean_source), a bad stamp is no stamp (seconds_since).
    source = forms.CharField(required=False)
    started = forms.CharField(required=False)
    # A trap for robots: hidden from people (and screen readers), filled in by form-stuffing scripts.
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args: object, choices: Iterable[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["newsletters"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(str(pk), name) for pk, name in choices]

    def clean_email(self) -> str:
        try:
            return subscribers.clean_address(self.cleaned_data["email"])
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from error

    def clean_source(self) -> str:
        return local_path(self.cleaned_data["source"])

    @property
    def looks_automated(self) -> bool:
        """The trap was filled or the form was sent faster than a person fills it.

        Read from the raw data, so it holds even when the rest of the form is invalid.
        """
        if self.data.get("homepage", ""):
            return True
        seconds = seconds_since(str(self.data.get("started", "")))
        return seconds is not None and seconds < MIN_FILL_SECONDS


class ManageForm(forms.Form):
    """The newsletters a confirmed reader receives: exactly the ones ticked."""

    newsletters = forms.ModelMultipleChoiceField(
        label=_("Newsletters"),
        queryset=Newsletter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("That newsletter is not offered any more. Please choose again.")},
    )

    def __init__(self, *args: object, offered: Iterable[Newsletter], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["newsletters"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Newsletter.objects.filter(pk__in=[newsletter.pk for newsletter in offered])


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, erase my address and every subscription"),
        error_messages={"required": _("Please tick the box to confirm that your address should be erased.")},
    )


def signup_context(
    choices: list[signup_block.Choice],
    *,
    source: str,
    form: SignUpForm | None = None,
    checked: Iterable[int] = (),
) -> dict[str, object]:
    """What the sign-up form template shows: fresh, or sent back with the reader's values and errors.

    A form sent back keeps the reader's own stamp: they have spent their time on it already,
    and a fresh one would make their corrected form look too quick.
    """
    if form is None:
        return {
            "choices": choices,
            "checked": {str(pk) for pk in checked},
            "email": "",
            "errors": {},
            "started": started_token(),
            "source": local_path(source),
        }
    posted_stamp = str(form.data.get("started", ""))
    return {
        "choices": choices,
        "checked": {str(value) for value in form.data.getlist("newsletters")}
        if hasattr(form.data, "getlist")
        else set(),
        "email": str(form.data.get("email", ""))[:MAX_ADDRESS_LENGTH],
        # Errors of the whole form under "general": templates cannot read "__all__".
        "errors": {
            ("general" if name == "__all__" else name): [str(error) for error in errors]
            for name, errors in form.errors.items()
        },
        "started": posted_stamp if seconds_since(posted_stamp) is not None else started_token(),
        "source": local_path(str(form.data.get("source", ""))),
    }
