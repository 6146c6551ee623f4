"""Login throttling with django-axes: per account, per client, and what a locked-out person sees.

Axes counts failed `authenticate()` calls (the admin login, the password confirmation
for sensitive pages, setting up two-factor) in its AccessAttempt rows and refuses every
attempt, right password included, while a limit is reached. Two limits, because one
newsroom often reaches the site through one address (an office NAT or VPN):

- an account (the username typed, whether or not it exists) is locked after
  `AXES_FAILURE_LIMIT` failures, which stops guessing one person's password;
- a client address is locked after the higher `NEWSDESK_LOGIN_CLIENT_FAILURE_LIMIT`,
  which stops one machine trying a few passwords on every account, without a dozen
  colleagues' typos locking the whole office out.

A lock lifts `AXES_COOLOFF_TIME` after the failure that set it (tries while locked are
not counted, so they do not extend it), or when an Admin unlocks it.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.views.account import get_user_login_form, password_reset_enabled


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountAndClientHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for client addresses (`AXES_HANDLER`)."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # Axes compares this number with AXES_FAILURE_LIMIT: a client past its own limit
        # reports the account limit, so every account is refused from that address.
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        account = _failures(recent.filter(username=get_client_username(request, credentials)))
        client = _failures(recent.filter(ip_address=request.axes_ip_address))  # type: ignore[attr-defined]
        if client >= settings.NEWSDESK_LOGIN_CLIENT_FAILURE_LIMIT:
            return max(account, get_failure_limit(request, credentials))
        return account


def lockout_message() -> str:
    """The same words whichever limit was reached and whether or not the account exists."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return ngettext(
        "Too many failed sign-in attempts. Please wait %(minutes)d minute before trying again, "
        "or ask an administrator.",
        "Too many failed sign-in attempts. Please wait %(minutes)d minutes before trying again, "
        "or ask an administrator.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """Wagtail's sign-in page with the lockout message, 429 (`AXES_LOCKOUT_CALLABLE`).

    A signed-in person locked out while confirming their password (a stolen session
    guessing it) is signed out as well.
    """
    if request.user.is_authenticated:
        logout(request)
    messages.error(request, lockout_message())
    context = {
        "form": get_user_login_form()(request),
        "show_password_reset": password_reset_enabled(),
        "username_field": _("Username"),
    }
    response = TemplateResponse(request, "wagtailadmin/login.html", context, status=429)
    response["Cache-Control"] = "no-store"
    return response.render()
