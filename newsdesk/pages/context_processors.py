"""Site chrome every page shows: the site's name, the date line, the section menu."""

import hashlib
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from newsdesk.articles.navigation import nav_sections
from newsdesk.core import fragments


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "TODAY": timezone.localdate(),
        "DATE_LINE_FORMAT": settings.NEWSDESK_DATE_FORMAT,
        "NAV_SECTIONS": SimpleLazyObject(nav_sections),
        "CHROME_KEY": SimpleLazyObject(lambda: chrome_key(request)),
    }


def chrome_key(request: HttpRequest) -> str:
    """What the header's and footer's kept parts are kept under (`{% cachedpart CHROME_KEY … %}`).

    They show the site's name and the section menu, with the reader's own section marked
    as the current one: the menu changes only with a new `ARTICLES` generation (a section
    published, moved, deleted or restricted), the name only with a deploy. Only a menu
    section's own address has a part of its own; every other page shares one.
    """
    path = request.path
    current = path if any(item["url"] == path for item in nav_sections()) else ""
    name = hashlib.blake2b(str(settings.WAGTAIL_SITE_NAME).encode(), digest_size=6).hexdigest()
    host = split_domain_port(request.get_host())[0]  # a menu's addresses may name their site
    return f"chrome:{fragments.generation(fragments.ARTICLES)}:{get_language()}:{host}:{name}:{current}"
