"""Telling a form posted from another site apart, for endpoints that cannot carry a CSRF token.

Cached pages (articles, home) are one copy for every reader, so their forms (comments,
newsletter sign-up) hold no CSRF token and their endpoints are CSRF-exempt. Browsers'
`Origin` (RFC 6454 §7) and `Sec-Fetch-Site` (W3C Fetch Metadata) headers stand in.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest


def is_cross_site(request: HttpRequest) -> bool:
    """True when the browser says the form came from another site.

    A signed-in user's session must never post from elsewhere, so for them a missing
    header counts as cross-site; an anonymous post without either header (an old
    browser, a script) is let through, as nothing it could borrow is at stake.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site", "")
    origin = request.headers.get("Origin", "")
    if fetch_site == "cross-site" or origin == "null":
        return True
    if origin and urlsplit(origin).netloc != request.get_host():
        return True
    if request.user.is_authenticated:
        return not (fetch_site in ("same-origin", "none") or origin)
    return False
