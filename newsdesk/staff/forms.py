"""Forms for the second factor and for confirming one's password."""

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp import verify_token
from django_otp.models import Device


def _code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Authentication code"),
        max_length=8,
        help_text=_("The 6-digit code your authenticator app shows now."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _check_code(user: AbstractBaseUser, device: Device, token: str) -> Device:
    # django-otp checks in a transaction, refuses a code already used, and slows down
    # repeated wrong codes (ThrottlingMixin: 1, 2, 4 … seconds; OTP_TOTP_THROTTLE_FACTOR).
    verified = verify_token(user, device.persistent_id, token)
    if verified is None:
        raise forms.ValidationError(_("That code is not right, or has already been used."), code="invalid")
    return verified


class CodeForm(forms.Form):
    """The second step of signing in."""

    otp_token = _code_field()

    def __init__(self, *args: Any, user: AbstractBaseUser, device: Device, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = device

    def clean_otp_token(self) -> str:
        self.device = _check_code(self.user, self.device, self.cleaned_data["otp_token"])
        return self.cleaned_data["otp_token"]


class PasswordForm(forms.Form):
    """Your own current password, checked through `authenticate()` so failures count towards a lockout."""

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args: Any, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        found = authenticate(self.request, username=self.user.get_username(), password=password)
        if found is None or found.pk != self.user.pk:
            raise forms.ValidationError(_("That is not your current password."), code="invalid")
        return password


class SetupForm(PasswordForm):
    """Adding an authenticator: the password again (a borrowed session cannot add its own) and a first code."""

    otp_token = _code_field()


class ConfirmForm(PasswordForm):
    """Re-authentication before a sensitive page: the password, and a code when the person uses two-factor."""

    otp_token = _code_field()

    def __init__(self, *args: Any, device: Device | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device
        if device is None:
            del self.fields["otp_token"]

    def clean_otp_token(self) -> str:
        assert self.device is not None  # the field exists only with a device
        if "password" in self.cleaned_data:  # no code is spent behind a wrong password
            _check_code(self.user, self.device, self.cleaned_data["otp_token"])
        return self.cleaned_data["otp_token"]


class UnlockForm(forms.Form):
    username = forms.CharField(required=False, max_length=255)
    ip_address = forms.GenericIPAddressField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("username") and not data.get("ip_address"):
            raise forms.ValidationError(_("Name an account or an address to unlock."))
        return data
