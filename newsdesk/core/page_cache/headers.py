"""Lifetimes bound by local midnight, what may be stored, and the headers a copy is served with."""

from __future__ import annotations

import datetime
import hashlib
import re
from typing import Any, TypeGuard
from wsgiref.types import WSGIEnvironment

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe

from .config import config
from .entries import Entry, now

# Response headers a copy keeps; the rest are per response (Date, Set-Cookie) or recomputed.
_NOT_STORED = {"set-cookie", "date", "cache-control", "etag", "last-modified", "content-length", "age", "x-page-cache"}


def seconds_until_local_midnight(moment: datetime.datetime | None = None) -> int:
    """Seconds until the date line changes in the site's time zone (at least 1)."""
    local = timezone.localtime(moment)
    tomorrow = datetime.datetime.combine(local.date() + datetime.timedelta(days=1), datetime.time(), local.tzinfo)
    # Recompute the zone offset for tomorrow's midnight (daylight saving may change it).
    midnight = timezone.make_aware(tomorrow.replace(tzinfo=None), timezone.get_current_timezone())
    return max(1, int((midnight - local).total_seconds()))


def shared_cache_control(max_age: int | None = None) -> str:
    """`Cache-Control` for an anonymous page: every lifetime ends by local midnight.

    `s-maxage` and `stale-while-revalidate` are for CDNs and proxies
    (RFC 9111 §5.2.2.10, RFC 5861); both stop at midnight so nobody shows
    yesterday's date line. `stale-if-error` may go past it: during an outage,
    yesterday's page is better than an error.
    """
    lifetime = config().page_max_age if max_age is None else max_age
    left = _seconds_to_midnight(now())
    fresh = max(0, min(lifetime, left))
    revalidate = max(0, min(config().stale_seconds, left - fresh))
    return (
        f"public, max-age={fresh}, s-maxage={fresh}, stale-while-revalidate={revalidate}, "
        f"stale-if-error={config().stale_if_error_seconds}"
    )


# [start, end) of a span inside one local day, and that day's end.
_day = [0.0, 0.0]


@receiver(setting_changed)
def _forget_day(*, setting: str, **kwargs: Any) -> None:
    if setting == "TIME_ZONE":
        _day[:] = [0.0, 0.0]


def _midnight(at: float) -> float:
    """The next local midnight after `at`, remembered until it passes (this runs on every hit)."""
    day_start, midnight = _day
    if not day_start <= at < midnight:
        midnight = at + seconds_until_local_midnight(datetime.datetime.fromtimestamp(at, tz=datetime.UTC))
        day_start = midnight - 22 * 60 * 60  # shorter than any day, so a moved clock is noticed
        _day[:] = [day_start, midnight]
    return midnight


def _seconds_to_midnight(at: float) -> int:
    return max(1, int(_midnight(at) - at))


def _max_age(cache_control: str) -> int | None:
    found = dict(re.findall(r"(s-maxage|max-age)=(\d+)", cache_control))
    value = found.get("s-maxage", found.get("max-age"))
    return int(value) if value is not None else None


def is_storable(response: HttpResponseBase, request_method: str) -> TypeGuard[HttpResponse]:
    """What a shared cache may keep (RFC 9111 §3): a public 200 without cookies or odd `Vary`."""
    if request_method != "GET" or response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = {part.strip().split("=")[0].lower() for part in response.get("Cache-Control", "").split(",")}
    if "public" not in directives or directives & {"private", "no-store", "no-cache"}:
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    # Requests with Authorization never reach a stored copy and Origin is in the key (entries.keys_for).
    return vary <= {"cookie", "accept-encoding", "authorization", "origin"}


def make_entry(response: HttpResponse, started: float) -> Entry:
    conf = config()
    body = bytes(response.content)
    day_bound = response.get("Content-Type", "").startswith("text/html")
    own = _max_age(response.get("Cache-Control", ""))
    lifetime = conf.fresh_seconds if own is None else min(conf.fresh_seconds, own)
    fresh_until = started + lifetime
    stale_until = fresh_until + conf.stale_seconds
    if day_bound:
        midnight = _midnight(started)
        fresh_until, stale_until = min(fresh_until, midnight), min(stale_until, midnight)
    headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_STORED]
    if not day_bound:
        headers.append(("Cache-Control", response["Cache-Control"]))
    return Entry(
        created=started,
        fresh_until=fresh_until,
        stale_until=stale_until,
        error_until=started + max(conf.stale_if_error_seconds, lifetime),
        day_bound=day_bound,
        status=response.status_code,
        headers=headers,
        etag='"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"',
        last_modified=http_date(started),
        body=body,
    )


def not_modified(entry: Entry, environ: WSGIEnvironment) -> bool:
    """RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or entry.etag in tags
    header = environ.get("HTTP_IF_MODIFIED_SINCE")
    since = parse_http_date_safe(header) if header else None
    return since is not None and since >= int(entry.created)


# Copies served past their freshness: a proxy or CDN must not keep them for a full lifetime,
# or a page purged here would live on there for minutes after one worker re-rendered it.
PAST_FRESH = ("stale", "stale-if-error")


def response_headers(entry: Entry, label: str) -> list[tuple[str, str]]:
    headers = list(entry.headers)
    if entry.day_bound:
        headers.append(("Cache-Control", shared_cache_control(0 if label in PAST_FRESH else None)))
    headers += [("ETag", entry.etag), ("Last-Modified", entry.last_modified), ("X-Page-Cache", label)]
    return headers
