"""Response headers that let browsers and shared caches keep anonymous pages."""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers


def seconds_until_local_midnight(now: datetime.datetime | None = None) -> int:
    """Seconds until the date line changes in the site's time zone (at least 1)."""
    local = timezone.localtime(now)
    tomorrow = datetime.datetime.combine(local.date() + datetime.timedelta(days=1), datetime.time(), local.tzinfo)
    # Recompute the zone offset for tomorrow's midnight (daylight saving may change it).
    midnight = timezone.make_aware(tomorrow.replace(tzinfo=None), timezone.get_current_timezone())
    return max(1, int((midnight - local).total_seconds()))


class PageCacheHeadersMiddleware:
    """Anonymous HTML pages may be cached briefly, and never past local midnight.

    Every page shows today's date in its top bar; bounding the lifetime by the
    local day keeps a cached copy from showing yesterday's date after midnight.
    Views that set their own Cache-Control keep it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.has_header("Cache-Control")
            and response.get("Content-Type", "").startswith("text/html")
            and not response.cookies
            and not request.user.is_authenticated
        ):
            max_age = min(settings.NEWSDESK_PAGE_MAX_AGE, seconds_until_local_midnight())
            patch_cache_control(response, public=True, max_age=max_age)
            patch_vary_headers(response, ["Cookie"])
        return response
