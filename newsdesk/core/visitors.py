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


def _trusted_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(entry.strip(), strict=False)
        for entry in settings.NEWSDESK_TRUSTED_PROXIES
        if entry.strip()
    ]


def _is_trusted(address: str, networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The reader's address, for limits and counters (sign-in lockout, comment flood, clicks, views).

    `REMOTE_ADDR`, unless it is one of `NEWSDESK_TRUSTED_PROXIES` (addresses or networks):
    gunicorn does not rewrite `REMOTE_ADDR` from X-Forwarded-For, so behind the shipped
    nginx every request comes from 127.0.0.1 and one reader's limit would be everyone's.
    Each proxy appends the address it saw to X-Forwarded-For, so the list is read from the
    right, past every trusted proxy (TLS terminator, Varnish, nginx, a CDN's ranges), and
    the first address no trusted proxy owns is the reader. Entries left of it are the
    client's own to forge and are never read.
    """
    address = request.META.get("REMOTE_ADDR") or None
    networks = _trusted_networks()
    if address is None or not _is_trusted(address, networks):
        return address
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        try:
            candidate = str(ipaddress.ip_address(hop))
        except ValueError:
            return address  # a malformed hop: stop believing the chain here
        if not _is_trusted(candidate, networks):
            return candidate
    return address
