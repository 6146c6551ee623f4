from functools import cache

from django.contrib.staticfiles import finders
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control


def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and `make demo`."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "not ready"
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@cache
def _favicon() -> bytes:
    found = finders.find("favicon.ico")
    assert isinstance(found, str), "newsdesk/static/favicon.ico is missing (scripts/make_favicon.py draws it)"
    with open(found, "rb") as icon:
        return icon.read()


# Pages link their icon (img/favicon.svg, a hashed static file), but browsers, feed readers and
# crawlers still ask for /favicon.ico at the site's root, a path with no hash to change: a week's
# lifetime keeps those requests rare and still lets a new icon reach everyone.
@cache_control(max_age=60 * 60 * 24 * 7, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_favicon(), content_type="image/vnd.microsoft.icon")
