"""The polling endpoint readers' pages ask for new entries: one small public answer per article, cached for seconds."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from . import selectors


def _cursor(raw: str | None) -> int:
    """The last entry id the reader has; anything else than a small whole number counts as none."""
    if raw and raw.isascii() and raw.isdigit() and len(raw) <= 12:
        return int(raw)
    return 0


@require_safe
def updates(request: HttpRequest, article_id: int) -> JsonResponse:
    """Entries after `?after=<entry id>`, oldest first, each as its rendered HTML, and whether coverage is open.

    The script polls without `after` and compares ids itself, so every reader asks for the same
    address and one cached copy (the page cache's, a CDN's) serves them all; an entry purges it.
    """
    coverage = selectors.published_coverage(article_id)
    if coverage is None:
        raise Http404
    entries = selectors.entries_after(coverage, _cursor(request.GET.get("after")))
    response = JsonResponse(
        {
            "open": coverage.is_open,
            "entries": [
                {
                    "id": entry.pk,
                    "pinned": entry.pinned,
                    "html": render_to_string("live/entry.html", {"entry": entry}),
                }
                for entry in entries
            ],
        }
    )
    seconds = settings.NEWSDESK_LIVE_UPDATES_MAX_AGE
    # Public and short (RFC 9111 §5.2.2.10 s-maxage): a CDN keeps it for seconds, not minutes.
    response["Cache-Control"] = f"public, max-age={seconds}, s-maxage={seconds}, stale-while-revalidate={seconds}"
    return response
