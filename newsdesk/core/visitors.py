"""Who is asking: telling robots from readers for counters (views, ad impressions and clicks)."""

import datetime
import hashlib
import hmac
import ipaddress

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

# CrawlerDetect's maintained list (search engines, AI crawlers, link previewers, monitors,
# HTTP libraries, headless browsers) instead of a hand-kept pattern that falls behind.
# One shared detector keeps its per-instance cache of recent answers warm across requests;
# sharing it between threads is safe for the answer itself (only its `matches` attribute,
# which nothing here reads, is last-writer-wins).
_DETECTOR = CrawlerDetect()


def is_bot(user_agent: str) -> bool:
    """An empty or self-declared robot user agent is not a reader."""
    # CrawlerDetect calls an empty agent "not a crawler"; a browser always sends one, so here it is a robot.
    return not user_agent.strip() or _DETECTOR.is_crawler(user_agent)


def visitor_key(*, purpose: str, remote_addr: str, user_agent: str, subject: object, now: datetime.datetime) -> str:
    """A name for "this visitor did this to this subject today" that never holds the address.

    An HMAC of address, user agent and subject under a salt derived from the secret key,
    the purpose and the local date: the salt is never stored and changes every day, so a
    key cannot be turned back into an address nor linked to the same visitor's keys of
    another day or purpose. For counting once per window (`cache.add` with a timeout).
    """
    salt = hmac.new(
        settings.SECRET_KEY.encode(), f"{purpose}:{timezone.localdate(now).isoformat()}".encode(), hashlib.sha256
    ).digest()
    digest = hmac.new(salt, f"{remote_addr}|{user_agent}|{subject}".encode(), hashlib.sha256)
    return f"{purpose}:seen:{digest.hexdigest()}"


def client_address(request: HttpRequest) -> str | None:
    """The reader's address, for limits and counters (sign-in lockout, comment flood, clicks, views).

    `REMOTE_ADDR`: X-Forwarded-For is the client's to forge. gunicorn does not rewrite
    `REMOTE_ADDR` from X-Forwarded-For (`forwarded_allow_ips` only covers the scheme
    headers), so behind the shipped nginx every request comes from 127.0.0.1 and one
    reader's limit would be everyone's. When `REMOTE_ADDR` is one of
    `NEWSDESK_TRUSTED_PROXIES`, the last X-Forwarded-For entry is the address that proxy
    saw (nginx's `$proxy_add_x_forwarded_for` appends it), and that one is used.
    """
    address = request.META.get("REMOTE_ADDR") or None
    if address is None or address not in settings.NEWSDESK_TRUSTED_PROXIES:
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(forwarded))
    except ValueError:
        return address
