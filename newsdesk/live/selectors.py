"""Reads for live coverage: which articles are live (kept under the `live` generation) and their entries."""

from __future__ import annotations

from django.db.models import QuerySet

from newsdesk.articles.models import ArticlePage
from newsdesk.core import fragments

from .models import LiveCoverage, LiveEntry

# A generation of our own (newsdesk/core/fragments.py): starting or closing coverage starts a new one,
# so an ordinary article's page never pays a query to learn it is not live.
GENERATION = "live"
STATES_SECONDS = 24 * 60 * 60
# The most entries one poll answers with; a reader further behind is told to reload.
UPDATES_LIMIT = 50


def coverage_states() -> dict[int, bool]:
    """Every article with live coverage, by id: True while the coverage is open (one query per generation)."""
    key = f"live:states:{fragments.generation(GENERATION)}"
    states: dict[int, bool] | None = fragments.kept().get(key)
    if states is None:
        states = dict(LiveCoverage.objects.values_list("article_id", "is_open"))
        fragments.kept().set(key, states, STATES_SECONDS)
    return states


def is_live(article_id: int) -> bool:
    """Whether this article's coverage is open now (the teaser's "Live" label)."""
    return coverage_states().get(article_id, False)


def coverage_of(article: ArticlePage) -> LiveCoverage | None:
    if article.pk not in coverage_states():
        return None
    return LiveCoverage.objects.filter(article_id=article.pk).first()


def ordered(coverage: LiveCoverage, entries: QuerySet[LiveEntry]) -> QuerySet[LiveEntry]:
    """Pinned entries first, then by the coverage's order (ties broken by posting order)."""
    if coverage.order == LiveCoverage.Order.OLDEST_FIRST:
        return entries.order_by("-pinned", "posted_at", "pk")
    return entries.order_by("-pinned", "-posted_at", "-pk")


def entries_of(coverage: LiveCoverage) -> list[LiveEntry]:
    return list(ordered(coverage, coverage.entries.shown()))


def key_events(entries: list[LiveEntry]) -> list[LiveEntry]:
    """Key events newest first, whatever the coverage's order: the list is a summary of the latest turns."""
    return sorted((entry for entry in entries if entry.key_event), key=lambda e: (e.posted_at, e.pk), reverse=True)


def entries_after(coverage: LiveCoverage, after: int) -> list[LiveEntry]:
    """The newest UPDATES_LIMIT entries posted after the entry with id `after` (ids only grow), oldest first."""
    newest = coverage.entries.shown().filter(pk__gt=after).order_by("-pk")[:UPDATES_LIMIT]
    return list(reversed(newest))


def published_coverage(article_id: int) -> LiveCoverage | None:
    """The coverage of a published article, or None (drafts, private and expired articles never answer)."""
    return (
        LiveCoverage.objects.select_related("article")
        .filter(article_id=article_id, article__in=ArticlePage.objects.published())
        .first()
    )
