"""Admin views: the second sign-in step, setting up an authenticator, confirming one's password, unlocking."""

import io
from typing import Any, cast

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image
from django_otp.util import random_hex

from . import selectors, services
from .access import is_admin, two_factor_required
from .forms import CodeForm, ConfirmForm, SetupForm, UnlockForm
from .sessions import mark_confirmed

PENDING_KEY = "newsdesk_staff_pending_totp_key"


def next_path(request: HttpRequest) -> str:
    """Where to go afterwards: a path on this site from `next`, else the dashboard.

    Only a path ("/admin/users/"), never another site: "//evil.example", "https://…" and
    "/\\evil.example" are refused by Django's check with no host allowed.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts=set(), require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _staff(request: HttpRequest) -> User:
    # Every admin view but the sign-in page requires a signed-in user (Wagtail's require_admin_access).
    return cast(User, request.user)


def _device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = TemplateResponse(request, template, {"next": next_path(request), **context}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters("otp_token")
@never_cache
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second sign-in step for someone with an authenticator."""
    user = _staff(request)
    device = _device(user)
    if device is None or user.is_verified():  # type: ignore[attr-defined]
        return redirect(next_path(request))
    form = CodeForm(request.POST or None, user=user, device=device)
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, form.device)
        return redirect(next_path(request))
    return _page(request, "staff/verify.html", {"form": form}, status=400 if form.errors else 200)


@sensitive_post_parameters("password", "otp_token")
@never_cache
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app (or replace the one you have): scan, type a code and your password."""
    user = _staff(request)
    if request.method == "GET" or PENDING_KEY not in request.session:
        request.session[PENDING_KEY] = random_hex(20)
    key = request.session[PENDING_KEY]
    form = SetupForm(request.POST or None, request=request, user=user)
    if request.method == "POST" and form.is_valid():
        device = services.totp_device_add(user=user, key=key, token=form.cleaned_data["otp_token"])
        if device is not None:
            del request.session[PENDING_KEY]
            django_otp.login(request, device)
            messages.success(request, _("Two-factor authentication is on for your account."))
            return redirect(next_path(request))
        form.add_error("otp_token", _("That code is not right: check the app shows this site and try the next code."))
    context = {
        "form": form,
        "config_url": TOTPDevice(user=user, key=key).config_url,
        "device": _device(user),
        "required": two_factor_required(user),
    }
    return _page(request, "staff/setup.html", context, status=400 if form.errors else 200)


@never_cache
def two_factor_qr(request: HttpRequest) -> HttpResponse:
    """The pending key as a QR code (SVG), for the setup page's image."""
    key = request.session.get(PENDING_KEY)
    if not key:
        return HttpResponse(status=404)
    out = io.BytesIO()
    write_qrcode_image(TOTPDevice(user=request.user, key=key).config_url, out)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters("password", "otp_token")
@never_cache
def confirm(request: HttpRequest) -> HttpResponse:
    """Type your password (and a code) again before a sensitive page."""
    user = _staff(request)
    form = ConfirmForm(request.POST or None, request=request, user=user, device=_device(user))
    if request.method == "POST" and form.is_valid():
        mark_confirmed(request.session)
        return redirect(next_path(request))
    context = {"form": form, "reauth_minutes": settings.NEWSDESK_STAFF_REAUTH_SECONDS // 60}
    return _page(request, "staff/confirm.html", context, status=400 if form.errors else 200)


def _admins_only(request: HttpRequest) -> None:
    if not is_admin(request.user):
        raise PermissionDenied


@never_cache
def lockouts(request: HttpRequest) -> HttpResponse:
    """Recent failed sign-ins per account and per address, with an Unlock button (Admins)."""
    _admins_only(request)
    context = {
        "accounts": selectors.failed_sign_ins(by="username"),
        "clients": selectors.failed_sign_ins(by="ip_address"),
        "account_limit": settings.AXES_FAILURE_LIMIT,
        "client_limit": settings.NEWSDESK_LOGIN_CLIENT_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return _page(request, "staff/lockouts.html", context)


def _acting(request: HttpRequest) -> AbstractBaseUser:
    """The signed-in Admin as a plain user row: django-otp wraps request.user, and Wagtail's
    log() drops an entry whose user is such a wrapper."""
    return get_user_model().objects.get(pk=cast(int, request.user.pk))


@require_POST
def unlock(request: HttpRequest) -> HttpResponseRedirect:
    _admins_only(request)
    form = UnlockForm(request.POST)
    if form.is_valid():
        services.lockout_lift(
            username=form.cleaned_data["username"], ip_address=form.cleaned_data["ip_address"], by=_acting(request)
        )
        who = form.cleaned_data["username"] or form.cleaned_data["ip_address"]
        messages.success(request, _("Unlocked: %(who)s.") % {"who": who})
    else:
        messages.error(request, _("Nothing was unlocked."))
    return redirect("staff_lockouts")


@require_POST
def two_factor_reset(request: HttpRequest) -> HttpResponseRedirect:
    """Turn off someone's two-factor (a lost phone); if their role requires it, they set it up at next sign-in."""
    _admins_only(request)
    username = request.POST.get("username", "").strip()
    user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()
    if user is not None and services.totp_devices_remove(user=user, by=_acting(request)):
        messages.success(request, _("Two-factor authentication was reset for %(name)s.") % {"name": username})
    else:
        messages.error(request, _("%(name)s has no authenticator to reset.") % {"name": username})
    return redirect("staff_lockouts")
