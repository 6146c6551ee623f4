"""The API's reads. Every list and every anonymous answer starts from `published()`."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from taggit.models import Tag

from newsdesk.articles.corrections import latest_correction_at
from newsdesk.articles.models import (
    ArticleAuthor,
    ArticlePage,
    ArticlePageQuerySet,
    ArticleTag,
    Author,
    SectionListing,
    SectionPage,
)
from newsdesk.articles.search import SearchFilters, clean_query, search_results
from newsdesk.articles.selectors import published_articles
from newsdesk.pages.selectors import home_lead_and_rows


def with_everything(queryset: ArticlePageQuerySet) -> ArticlePageQuerySet:
    """What the representation reads, in a fixed number of queries however many articles there are."""
    return (
        queryset.select_related("primary_section", "lead_image")
        .prefetch_related(
            Prefetch("byline", queryset=ArticleAuthor.objects.select_related("author__photo")),
            "byline__author__links",
            "byline__author__photo__renditions",
            "extra_sections",
            "tags",
            "lead_image__renditions",
        )
        .annotate(latest_correction_at=latest_correction_at())
    )


def api_articles() -> ArticlePageQuerySet:
    return with_everything(published_articles())


def article_any_state(pk: int) -> ArticlePage | None:
    """For a key that may read drafts: the article's newest revision, published or not."""
    page = ArticlePage.objects.filter(pk=pk).first()
    if page is None:
        return None
    latest = page.get_latest_revision_as_object()
    # A revision keeps the page's own id and times; published() is not asked here by design.
    return latest if isinstance(latest, ArticlePage) else page


def filter_articles(
    queryset: ArticlePageQuerySet,
    *,
    section: str | None = None,
    tag: str | None = None,
    author: str | None = None,
    published_since: datetime.datetime | None = None,
    published_until: datetime.datetime | None = None,
    updated_since: datetime.datetime | None = None,
    query: str | None = None,
) -> ArticlePageQuerySet:
    """The list filters; each one narrows, none widens past `queryset`. Subqueries, so no row repeats."""
    if section:
        # The section's own rows (primary and extra sections, as its page lists them): one
        # index range instead of an OR across two tables.
        listed = SectionListing.objects.filter(section__slug=section).values("article_id")
        queryset = queryset.filter(pk__in=listed)
    if tag:
        queryset = queryset.filter(pk__in=ArticleTag.objects.filter(tag__slug=tag).values("content_object_id"))
    if author:
        queryset = queryset.filter(pk__in=ArticleAuthor.objects.filter(author__slug=author).values("page_id"))
    if published_since:
        queryset = queryset.filter(first_published_at__gte=published_since)
    if published_until:
        queryset = queryset.filter(first_published_at__lt=published_until)
    if updated_since:
        # A correction changes what readers see without a new publish: it counts as an update.
        queryset = queryset.filter(Q(last_published_at__gte=updated_since) | Q(latest_correction_at__gte=updated_since))
    if query is not None:
        # The site's search finds them (articles/search.py): on PostgreSQL from the search rows,
        # the newest MAX_RANKED matches, so the API and the search page agree and cost the same.
        queryset = queryset.filter(pk__in=search_results(SearchFilters(query=clean_query(query))).ids)
    return queryset


def sections() -> QuerySet[SectionPage]:
    return SectionPage.objects.live().public().order_by("path")


def authors() -> QuerySet[Author]:
    return Author.objects.select_related("photo").prefetch_related("links", "photo__renditions")


def tags() -> QuerySet[Tag]:
    """Tags that at least one published article carries."""
    used = ArticleTag.objects.filter(content_object__in=published_articles()).values("tag_id")
    return Tag.objects.filter(pk__in=used)


def home() -> dict[str, Any]:
    """The home page's lead and rows, each article read once with what the API shows of it."""
    latest, rows = home_lead_and_rows()
    wanted = {article.pk for article in latest[:1]} | {item.pk for row in rows for item in row["articles"]}
    found = {article.pk: article for article in api_articles().filter(pk__in=wanted)}
    lead = found.get(latest[0].pk) if latest else None
    return {
        "lead": lead,
        "rows": [
            {"section": row["section"], "articles": [found[item.pk] for item in row["articles"] if item.pk in found]}
            for row in rows
        ],
    }
