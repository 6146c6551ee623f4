"""What a live article's page shows: key events, the entries, their script and LiveBlogPosting JSON-LD.

Each tag costs nothing on an ordinary article: whether an article has coverage is read from
a dict kept under the `live` generation (selectors.coverage_states), not from the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from newsdesk.articles.models import ArticlePage
from newsdesk.core.moments import machine_time

from .. import selectors
from ..models import LiveCoverage, LiveEntry
from ..services import updates_path

register = template.Library()

# Inside <script>, "<", ">" and "&" must not appear raw, or "</script>" in an entry could end it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
_ATTRIBUTE = "_live_part"


@dataclass
class LivePart:
    coverage: LiveCoverage | None = None
    entries: list[LiveEntry] = field(default_factory=list)


def live_part(page: ArticlePage) -> LivePart:
    """The page's coverage and entries, read once per render (two queries, only for a live article)."""
    found: LivePart | None = getattr(page, _ATTRIBUTE, None)
    if found is None:
        coverage = selectors.coverage_of(page)
        found = LivePart(coverage, selectors.entries_of(coverage) if coverage else [])
        setattr(page, _ATTRIBUTE, found)
    return found


@register.simple_tag
def is_live(article_id: int) -> bool:
    return selectors.is_live(article_id)


@register.inclusion_tag("live/key_events.html")
def live_key_events(page: ArticlePage) -> dict[str, Any]:
    part = live_part(page)
    return {"coverage": part.coverage, "key_events": selectors.key_events(part.entries)}


@register.inclusion_tag("live/entries.html")
def live_entries(page: ArticlePage) -> dict[str, Any]:
    part = live_part(page)
    return {
        "coverage": part.coverage,
        "entries": part.entries,
        "updates_url": updates_path(page.pk) if part.coverage else "",
        "poll_seconds": settings.NEWSDESK_LIVE_POLL_SECONDS,
    }


@register.simple_tag
def live_script(page: ArticlePage) -> SafeString:
    """The polling script, only while the coverage is open: a closed coverage's page is frozen."""
    coverage = live_part(page).coverage
    if coverage is None or not coverage.is_open:
        return mark_safe("")
    return format_html('<script src="{}" defer></script>', static("js/live.js"))


def live_blog_posting(page: ArticlePage, part: LivePart, request: HttpRequest) -> dict[str, Any]:
    """schema.org LiveBlogPosting (https://schema.org/LiveBlogPosting) with one BlogPosting per entry."""
    assert part.coverage is not None
    url = request.build_absolute_uri(page.dated_path() or page.url or "/")
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": url + "#live",
        "url": url,
        "headline": page.title,
        "description": page.standfirst,
        "coverageStartTime": machine_time(part.coverage.started_at),
    }
    if part.coverage.ended_at is not None:
        data["coverageEndTime"] = machine_time(part.coverage.ended_at)
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "@id": f"{url}#entry-{entry.pk}",
            "url": f"{url}#entry-{entry.pk}",
            "headline": entry.headline,
            "articleBody": entry.text,
            "datePublished": machine_time(entry.posted_at),
            **({"author": {"@type": "Person", "name": entry.author.name}} if entry.author else {}),
        }
        for entry in sorted(part.entries, key=lambda e: (e.posted_at, e.pk), reverse=True)
    ]
    return data


@register.simple_tag(takes_context=True)
def live_json_ld(context: template.Context, page: ArticlePage) -> SafeString:
    part = live_part(page)
    if part.coverage is None:
        return mark_safe("")
    payload = json.dumps(live_blog_posting(page, part, context["request"]), ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload.translate(_SCRIPT_ESCAPES)),  # noqa: S308 - JSON with <, > and & escaped
    )
