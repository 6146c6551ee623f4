"""Site chrome every page shows: the site's name, the date line, the section menu."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from newsdesk.articles.navigation import nav_sections


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "TODAY": timezone.localdate(),
        "DATE_LINE_FORMAT": settings.NEWSDESK_DATE_FORMAT,
        "NAV_SECTIONS": SimpleLazyObject(nav_sections),
    }
