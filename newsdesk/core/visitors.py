"""Who is asking: telling robots from readers for counters (views, ad impressions and clicks)."""

import datetime
import hashlib
import hmac

from crawlerdetect import CrawlerDetect
from django.conf import settings
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
