"""Debug pages for the developer's own machine only (the demo runs with DEBUG on).

With DEBUG, Django answers an error with its technical pages: the traceback with local
variables and settings for a 500 or a refused request (a hostile Host header, too many
fields or files), the URL patterns for a 404. The demo may be reached from other machines
(`make demo HOST=0.0.0.0`), so those pages are for requests from loopback addresses; anyone
else gets the plain pages production shows. Never for production: behind a proxy on the
same machine every request comes from 127.0.0.1.

`LoopbackExceptionReporter` (DEFAULT_EXCEPTION_REPORTER) covers the traceback pages;
`RemoteErrorPagesMiddleware` covers the 404s, which Django renders without a reporter.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponseBase
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.safestring import SafeString
from django.views import defaults
from django.views.debug import ExceptionReporter


def from_this_machine(request: HttpRequest | None) -> bool:
    """True when the client's socket address is a loopback one (127.0.0.0/8, ::1, or ::ffff:127.x)."""
    if request is None:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


class LoopbackExceptionReporter(ExceptionReporter):
    """The technical 500/400 page for this machine; the site's plain error page for everyone else."""

    def get_traceback_html(self) -> SafeString:
        if from_this_machine(self.request):
            return super().get_traceback_html()
        return SafeString(loader.render_to_string(f"{self._status()}.html"))

    def get_traceback_text(self) -> SafeString:
        if from_this_machine(self.request):
            return super().get_traceback_text()
        return SafeString("Bad Request (400)\n" if self._status() == 400 else "Server Error (500)\n")

    def _status(self) -> int:
        # Django sends SuspiciousOperation and BadRequest here with status 400 under DEBUG.
        refused = self.exc_type is not None and issubclass(self.exc_type, SuspiciousOperation | BadRequest)
        return 400 if refused else 500


class RemoteErrorPagesMiddleware:
    """Plain 404 pages for other machines: no URL patterns, settings module or view names.

    Last in MIDDLEWARE: an unknown address is found here before the handler resolves it
    (Django would render its technical 404 without calling any middleware hook), and a
    view's Http404 reaches `process_exception` before Django turns it into a page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not from_this_machine(request):
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404 as error:
                return defaults.page_not_found(request, error)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseBase | None:
        if isinstance(exception, Http404) and not from_this_machine(request):
            return defaults.page_not_found(request, exception)
        return None
