"""Response headers that browsers enforce, and the cap on form fields per request.

Both header middlewares sit after `PageCacheMiddleware`, so a stored copy (and the WSGI fast
path that answers from it) carries the same headers as a fresh render. That is also why the
Content-Security-Policy has no nonces: a cached page would repeat one nonce to every reader.
The reader policy allows scripts and styles from files only; the Wagtail admin renders inline
scripts and style attributes of its own (panels, date pickers), so `/admin/` gets a looser
policy of its own (`NEWSDESK_ADMIN_CONTENT_SECURITY_POLICY`) instead of loosening every page.
"""

from __future__ import annotations

from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponseBase

ADMIN_PREFIX = "/admin/"
# What browsers enforce, as the middleware here and Django's SecurityMiddleware set it.
POLICY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "Cross-Origin-Resource-Policy",
    "Cross-Origin-Opener-Policy",
    "Referrer-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with one policy for the admin and another (`CONTENT_SECURITY_POLICY`) for the rest."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if parts.config is None and not report_only and request.path.startswith(ADMIN_PREFIX):
            parts.config = default_config(settings.NEWSDESK_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts


def permissions_policy(features: dict[str, list[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` -> `camera=(), fullscreen=(self)` (W3C Permissions Policy, §5)."""
    return ", ".join(f"{name}=({' '.join(allowed)})" for name, allowed in features.items())


def resource_policy(path: str) -> str:
    """The `Cross-Origin-Resource-Policy` of a path: the longest matching prefix in the setting wins."""
    policies: dict[str, str] = settings.NEWSDESK_CROSS_ORIGIN_RESOURCE_POLICY
    prefix = max((prefix for prefix in policies if path.startswith(prefix)), key=len)
    return policies[prefix]


class SecurityHeadersMiddleware:
    """Adds the headers Django's SecurityMiddleware has no setting for; a view's own value wins."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.permissions = permissions_policy(settings.NEWSDESK_PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        response.headers.setdefault("Cross-Origin-Resource-Policy", resource_policy(request.path))
        return response


class FormFieldLimitMiddleware:
    """Refuses (400) a request with more than `NEWSDESK_MAX_NUMBER_FIELDS` fields, unless staff edit in the admin.

    Django's parsers read one process-wide `DATA_UPLOAD_MAX_NUMBER_FIELDS` when
    `request.GET`/`request.POST` is first touched, and a setting cannot change for one
    request while other threads of the worker parse theirs. So that setting is the
    ceiling the page editor needs (a long article's StreamField posts about five fields
    a block, its preview and autosave post the whole form again), and this middleware
    holds everyone else to Django's default before any view or CsrfViewMiddleware
    reads a field. It comes after AuthenticationMiddleware: only signed-in users who
    may use the admin get the ceiling, not anyone who posts to an `/admin/` address.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _edits_in_admin(request):
            limit = settings.NEWSDESK_MAX_NUMBER_FIELDS
            if _field_count(request) > limit:
                # Django answers 400 and marks the body unreadable, as for its own limit.
                raise TooManyFieldsSent(f"More than {limit} GET/POST fields (NEWSDESK_MAX_NUMBER_FIELDS).")
        return self.get_response(request)


def _edits_in_admin(request: HttpRequest) -> bool:
    if not request.path.startswith(ADMIN_PREFIX):
        return False
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _field_count(request: HttpRequest) -> int:
    count = sum(len(values) for _name, values in request.GET.lists())
    if request.method == "POST" and request.content_type in FORM_TYPES:
        count += sum(len(values) for _name, values in request.POST.lists())
    return count
