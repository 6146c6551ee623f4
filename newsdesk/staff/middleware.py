"""Staff sessions: how long they last, the second factor, and re-authentication for sensitive pages.

Placed after django-otp's OTPMiddleware (which tells whether this session passed the
second factor) in settings.MIDDLEWARE; these use `process_view`, so they know which
view a request is for.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from .access import two_factor_required
from .sessions import confirmed_recently, has_expired

View = Callable[..., HttpResponse]

# Views someone half-way through signing in may reach: leaving, and what the admin's sign-in pages load.
ALWAYS_ALLOWED = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "staff_two_factor_verify",
}
# Only while someone has no authenticator yet: otherwise a password alone could replace it.
ALLOWED_WITHOUT_DEVICE = {"staff_two_factor_setup", "staff_two_factor_qr"}


class StaffSessionMiddleware:
    """Ends sessions past `NEWSDESK_STAFF_SESSION_MAX_AGE`; asks for the password again on sensitive pages."""

    def __init__(self, get_response: View) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: View, args: Any, kwargs: Any) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        if has_expired(request.session):
            logout(request)
            messages.info(request, _("Your session has ended. Please sign in again."))
            return None  # the admin's own check now sends the anonymous request to the sign-in page
        if _is_sensitive(request.path_info) and not confirmed_recently(request.session):
            return redirect_to_login(request.get_full_path(), reverse("staff_confirm"))
        return None


def _is_sensitive(path: str) -> bool:
    admin_root = reverse("wagtailadmin_home")
    return any(path.startswith(admin_root + prefix) for prefix in settings.NEWSDESK_STAFF_REAUTH_PREFIXES)


class TwoFactorMiddleware:
    """Sends a signed-in person to the code step, or to set up an authenticator when their role requires one.

    Anyone with an authenticator gives a code at every sign-in; anyone in
    `NEWSDESK_2FA_REQUIRED_GROUPS` without one must set one up before anything else. This
    covers the public site too: until the second step, a staff session earns nothing.
    """

    def __init__(self, get_response: View) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: View, args: Any, kwargs: Any) -> HttpResponse | None:
        user = request.user
        # OTPMiddleware gave every user is_verified(); django-stubs' User does not know it.
        if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
            return None
        url_name = request.resolver_match.url_name if request.resolver_match else None
        if url_name in ALWAYS_ALLOWED:
            return None
        if user_has_device(user, confirmed=True):
            return redirect_to_login(request.get_full_path(), reverse("staff_two_factor_verify"))
        if url_name not in ALLOWED_WITHOUT_DEVICE and two_factor_required(user):
            return redirect_to_login(request.get_full_path(), reverse("staff_two_factor_setup"))
        return None
