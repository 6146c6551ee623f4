"""Reads for article pages and lists. Every list starts from `published()`."""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from taggit.models import Tag

from .models import ArticleAuthor, ArticlePage, ArticlePageQuerySet, Author, SectionPage

LATEST_SIZE = 5
HOME_SECTION_ROW_SIZE = 4


def published_articles() -> ArticlePageQuerySet:
    return ArticlePage.objects.published()


def teasers() -> ArticlePageQuerySet:
    return published_articles().for_listing().newest_first()


def article_for_reader(slug: str) -> ArticlePage | None:
    """One published article with everything its page shows, in a fixed number of queries."""
    byline = ArticleAuthor.objects.select_related("author__photo").prefetch_related("author__links")
    return (
        published_articles()
        .filter(slug=slug)
        .select_related("primary_section", "lead_image")
        .prefetch_related(Prefetch("byline", queryset=byline), "tags")
        .first()
    )


def article_blocks(article: ArticlePage) -> dict[str, Any]:
    # Recommendations build on this module's teasers(), so they are imported late.
    from newsdesk.recommendations import selectors as recommended

    must_read = recommended.must_read(exclude=[article.pk])
    latest = list(teasers().exclude(pk=article.pk)[:LATEST_SIZE])
    # "More articles" never repeats the article or anything else on the page.
    shown = [item.pk for item in must_read + latest]
    more_articles = recommended.more_articles(article, exclude=shown)
    from newsdesk.comments import selectors as comment_selectors
    from newsdesk.comments.forms import CommentForm
    from newsdesk.comments.services import comment_settings, comments_open

    comments = comment_selectors.approved_comments(article)
    return {
        "must_read": must_read,
        "more_articles": more_articles,
        "more_articles_url": reverse("related-articles", args=[article.pk]) if more_articles else None,
        "latest_articles": latest,
        "previous_article": previous_article(article),
        "next_article": next_article(article),
        "comments": comments,
        "comment_count": len(comments),
        "comment_threads": comment_selectors.threads(comments),
        "comments_are_open": comments_open(article, comment_settings()),
        "comment_form": CommentForm(),
    }


def previous_article(article: ArticlePage) -> ArticlePage | None:
    older = Q(first_published_at__lt=article.first_published_at) | Q(
        first_published_at=article.first_published_at, pk__lt=article.pk
    )
    return published_articles().filter(older).newest_first().only("title", "slug", "first_published_at").first()


def next_article(article: ArticlePage) -> ArticlePage | None:
    newer = Q(first_published_at__gt=article.first_published_at) | Q(
        first_published_at=article.first_published_at, pk__gt=article.pk
    )
    return (
        published_articles()
        .filter(newer)
        .order_by("first_published_at", "pk")
        .only("title", "slug", "first_published_at")
        .first()
    )


def section_articles(section: SectionPage) -> QuerySet[ArticlePage]:
    return teasers().filter(Q(primary_section=section) | Q(extra_sections=section)).distinct()


def author_articles(author: Author) -> QuerySet[ArticlePage]:
    return teasers().filter(byline__author=author).distinct()


def tag_articles(tag: Tag) -> QuerySet[ArticlePage]:
    return teasers().filter(tagged_items__tag=tag).distinct()


def home_blocks() -> dict[str, Any]:
    latest = list(teasers()[: LATEST_SIZE + 1])
    lead = latest[0] if latest else None
    rows = []
    for section in SectionPage.objects.live().public().order_by("path"):
        items = list(
            teasers().filter(primary_section=section).exclude(pk=getattr(lead, "pk", None))[:HOME_SECTION_ROW_SIZE]
        )
        if items:
            rows.append({"section": section, "articles": items})
    from newsdesk.recommendations import selectors as recommended

    most_read_day, most_read_week = recommended.most_read_windows()
    return {
        "lead": lead,
        "latest_articles": latest[1:],
        "section_rows": rows,
        "most_read_day": most_read_day,
        "most_read_week": most_read_week,
    }
