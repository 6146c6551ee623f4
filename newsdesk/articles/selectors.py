"""Reads for article pages and lists. Every list starts from `published()`."""

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.cache import cache as cache_backend
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from taggit.models import Tag

from newsdesk.core import fragments

from .models import ArticleAuthor, ArticlePage, ArticlePageQuerySet, Author, SectionPage
from .teaser_cache import Teaser, cached_list

LATEST_SIZE = 5
# Previous/next links change with publishing (a new LISTS generation) and expiry (checked).
NEIGHBOURS_SECONDS = 60 * 60
HOME_SECTION_ROW_SIZE = 4


def published_articles() -> ArticlePageQuerySet:
    return ArticlePage.objects.published()


def teasers() -> ArticlePageQuerySet:
    return published_articles().for_listing().newest_first()


def article_for_reader(slug: str) -> ArticlePage | None:
    """One published article, in one query.

    Its section, lead image, byline and tags are read when a part of the page that
    shows them is rendered, which is rarely: those parts are kept between renders
    (article_page.html). No ordering: the slug is unique, and `.first()`'s ordering
    costs more to build than the query takes to run.
    """
    found = list(published_articles().filter(slug=slug).order_by()[:1])
    return found[0] if found else None


def byline_of(article: ArticlePage) -> QuerySet[ArticleAuthor]:
    """The article's credits with their authors, photos and links (two queries)."""
    return article.byline.select_related("author__photo").prefetch_related("author__links")


def latest_teasers(*, exclude: Iterable[int] = ()) -> list[Teaser]:
    """The newest articles as rendered teasers, shared by every article page (one spare for the page's own)."""
    skip = set(exclude)
    items = cached_list("latest", lambda: teasers()[: LATEST_SIZE + 1])
    return [item for item in items if item.pk not in skip][:LATEST_SIZE]


def article_blocks(
    article: ArticlePage,
    *,
    preview: bool = False,
    host: str = "",
    generations: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """What an article page shows besides the article itself.

    The lists come as rendered teasers (teaser_cache.py). The parts that change only
    with the article, the site's settings (`fragment_key`) or its comments
    (`lists_key`) are kept rendered by the template, so the comment query runs
    lazily, only when that part is rendered. Previews get no keys: a draft must
    never be stored where the published page reads it. `generations` should be read
    before the article was (views.article does), so a change committed in between
    is never kept under the new number; `host` is in the keys because rendered links
    may name it when the site has several hosts.
    """
    # Recommendations build on this module's teasers(), so they are imported late.
    from newsdesk.comments import selectors as comment_selectors
    from newsdesk.comments.forms import CommentForm
    from newsdesk.comments.services import comment_settings, comments_open
    from newsdesk.recommendations import selectors as recommended

    lists, articles = generations or fragments.generations(fragments.LISTS, fragments.ARTICLES)
    must_read = recommended.must_read_teasers(exclude=[article.pk])
    latest = latest_teasers(exclude=[article.pk])
    # "More articles" never repeats the article or anything else on the page.
    shown = [item.pk for item in must_read + latest]
    more_articles = recommended.more_articles_teasers(article, exclude=shown)
    published = article.last_published_at.timestamp() if article.last_published_at else ""
    approved = cache(lambda: comment_selectors.approved_comments(article))
    previous, following = neighbours(article, None if preview else lists)
    return {
        "fragment_key": None if preview else f"{article.pk}:{published}:{articles}:{host}",
        "lists_key": None if preview else f"{article.pk}:{lists}:{host}",
        "must_read": must_read,
        "more_articles": more_articles,
        "more_articles_url": reverse("related-articles", args=[article.pk]) if more_articles else None,
        "latest_articles": latest,
        "previous_article": previous,
        "next_article": following,
        "comments": SimpleLazyObject(approved),
        "comment_threads": SimpleLazyObject(lambda: comment_selectors.threads(approved())),
        "comments_are_open": comments_open(article, comment_settings()),
        "comment_form": CommentForm(),
    }


@dataclass(frozen=True)
class Neighbour:
    title: str
    dated_path: str | None
    # Epoch seconds when it stops being shown (its expiry).
    until: float


def neighbours(article: ArticlePage, generation: str | None) -> tuple[Neighbour | None, Neighbour | None]:
    """The previous and next articles' links, kept under the lists' generation until one expires."""
    if article.first_published_at is None:  # a draft never published, in preview
        return None, None
    key = f"neighbours:{generation}:{article.pk}"
    found = cache_backend.get(key) if generation else None
    if found is None or min((item.until for item in found if item), default=math.inf) <= time.time():

        def brief(page: ArticlePage | None) -> Neighbour | None:
            if page is None:
                return None
            until = page.expire_at.timestamp() if page.expire_at else math.inf
            return Neighbour(title=page.title, dated_path=page.dated_path(), until=until)

        found = (brief(previous_article(article)), brief(next_article(article)))
        if generation:
            cache_backend.set(key, found, NEIGHBOURS_SECONDS)
    return found[0], found[1]


def previous_article(article: ArticlePage) -> ArticlePage | None:
    older = Q(first_published_at__lt=article.first_published_at) | Q(
        first_published_at=article.first_published_at, pk__lt=article.pk
    )
    return (
        published_articles()
        .filter(older)
        .newest_first()
        .only("title", "slug", "first_published_at", "expire_at")
        .first()
    )


def next_article(article: ArticlePage) -> ArticlePage | None:
    newer = Q(first_published_at__gt=article.first_published_at) | Q(
        first_published_at=article.first_published_at, pk__gt=article.pk
    )
    return (
        published_articles()
        .filter(newer)
        .order_by("first_published_at", "pk")
        .only("title", "slug", "first_published_at", "expire_at")
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
