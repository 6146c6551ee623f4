"""Reads for article pages and lists. Every list starts from `published()`."""

import datetime
import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache as cache_backend
from django.db.models import F, Q, Subquery
from django.utils import timezone
from taggit.models import Tag

from newsdesk.core.fragments import kept
from newsdesk.core.prepared import Int, PreparedQuery, Text, Time

from .corrections import latest_correction_at
from .models import ArticleAuthor, ArticlePage, ArticlePageQuerySet, Author, SectionPage, restricted_page_paths
from .pagination import Cursor

# Previous/next links change with publishing (a new LISTS generation) and expiry (checked).
NEIGHBOURS_SECONDS = 60 * 60
# A kept article row changes with publishing (LISTS) and corrections, sections, images and
# restrictions (ARTICLES); its go-live and expiry are checked on each use.
ARTICLE_SECONDS = 60 * 60


def published_articles(
    now: datetime.datetime | None = None, private: tuple[str, ...] | None = None
) -> ArticlePageQuerySet:
    return ArticlePage.objects.published(now, private)


def teasers(now: datetime.datetime | None = None, private: tuple[str, ...] | None = None) -> ArticlePageQuerySet:
    return published_articles(now, private).for_listing().newest_first()


def reader_shape() -> tuple[str, ...]:
    """What changes the SQL of `published()` itself: the restricted paths it leaves out.

    A prepared query over `published()` takes this as its `shape` and builds with
    `published(now, shape)` (core/prepared.py).
    """
    return tuple(restricted_page_paths())


# The article row a reader's page shows, compiled once per process (core/prepared.py). Its
# newest correction's time, section and lead image come in the same query (article_for_reader).
_ARTICLE_FOR_READER: PreparedQuery[ArticlePage] = PreparedQuery(
    lambda slug, now, shape: (
        published_articles(now, shape)
        .filter(slug=slug)
        .select_related("primary_section", "lead_image")
        .annotate(latest_correction_at=latest_correction_at())
        .order_by()[:1]
    ),
    shape=reader_shape,
    slug=Text,
    now=Time,
)


def article_for_reader(slug: str, generations: tuple[str, ...] | None = None) -> ArticlePage | None:
    """One published article, in one query, or none when it is kept under these generations.

    Its byline and tags are read when a part of the page that shows them is
    rendered, which is rarely: those parts are kept between renders
    (article_page.html). No ordering: the slug is unique, and `.first()`'s ordering
    costs more to build than the query takes to run.

    `generations` (LISTS and ARTICLES, read before this, as views.article does) keep
    the row between renders: building and compiling its query was a third of a
    re-render's time. Every event that changes what the row holds or whether it is
    shown starts a new one of them (fragments.py); the time-bound part of the
    published rule, go-live and expiry, is checked again on each use.
    """
    key = None
    if generations:
        digest = hashlib.blake2b(slug.encode(), digest_size=16).hexdigest()  # a slug may be longer than a key
        key = f"article-for-reader:{':'.join(generations)}:{digest}"
        kept: ArticlePage | None = cache_backend.get(key)
        if kept is not None and _in_publication_window(kept):
            return kept
    # When its newest correction was published comes in the same query: an article
    # with none reads no correction at all (ArticlePage.corrections_shown).
    # Its section and lead image come along: the kept parts that show them are dropped
    # together, and one join costs less than two more queries when they are.
    found = _ARTICLE_FOR_READER(slug=slug, now=timezone.now())
    if not found:
        return None
    if key:
        cache_backend.set(key, found[0], ARTICLE_SECONDS)
    return found[0]


def _in_publication_window(article: ArticlePage) -> bool:
    """The time-bound half of `published()`: first published by now and not yet expired."""
    now = timezone.now()
    published = article.first_published_at is not None and article.first_published_at <= now
    return published and (article.expire_at is None or article.expire_at > now)


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
    found = kept().get(key) if generation else None
    if found is None or min((item.until for item in found if item), default=math.inf) <= time.time():

        def brief(page: ArticlePage | None) -> Neighbour | None:
            if page is None:
                return None
            until = page.expire_at.timestamp() if page.expire_at else math.inf
            return Neighbour(title=page.title, dated_path=page.dated_path(), until=until)

        found = tuple(brief(page) for page in neighbour_articles(article))
        if generation:
            kept().set(key, found, NEIGHBOURS_SECONDS)
    return found[0], found[1]


NEIGHBOUR_FIELDS = ("title", "slug", "first_published_at", "expire_at")


# Each side also states its plain range bound (`__lte`/`__gte`), which the OR implies: the
# database reads that as where to start in the publication-time index. Without it the next
# article was found by walking the index from the oldest article up to this one.


def _older(article: ArticlePage) -> Q:
    return Cursor.of(article).older()


def _newer(article: ArticlePage) -> Q:
    return Cursor.of(article).newer()


def _neighbours_query(
    at: datetime.datetime, pk: int, now: datetime.datetime, shape: tuple[str, ...]
) -> ArticlePageQuerySet:
    position = Cursor(published_at=at, pk=pk)
    older = published_articles(now, shape).filter(position.older()).newest_first().values("pk")[:1]
    newer = (
        published_articles(now, shape).filter(position.newer()).order_by("first_published_at", "pk").values("pk")[:1]
    )
    return ArticlePage.objects.filter(Q(pk=Subquery(older)) | Q(pk=Subquery(newer))).only(*NEIGHBOUR_FIELDS)


_NEIGHBOURS: PreparedQuery[ArticlePage] = PreparedQuery(
    _neighbours_query, shape=reader_shape, at=Time, pk=Int, now=Time
)


def neighbour_articles(article: ArticlePage) -> tuple[ArticlePage | None, ArticlePage | None]:
    """`previous_article()` and `next_article()` in one query: each is a subquery of one row."""
    if article.first_published_at is None:
        return None, None
    found = _NEIGHBOURS(at=article.first_published_at, pk=article.pk, now=timezone.now())
    previous = following = None
    for page in found:
        if (page.first_published_at, page.pk) < (article.first_published_at, article.pk):
            previous = page
        else:
            following = page
    return previous, following


def previous_article(article: ArticlePage) -> ArticlePage | None:
    return published_articles().filter(_older(article)).newest_first().only(*NEIGHBOUR_FIELDS).first()


def next_article(article: ArticlePage) -> ArticlePage | None:
    return (
        published_articles()
        .filter(_newer(article))
        .order_by("first_published_at", "pk")
        .only(*NEIGHBOUR_FIELDS)
        .first()
    )


# A list narrowed by a relation picks its articles by id (a subquery), never by a join: a join
# repeats an article once per matching row, and the DISTINCT that removes the repeats makes the
# database build, sort and compare every matching article in full before it can stop at one page.


def author_articles(author: Author) -> ArticlePageQuerySet:
    return teasers().filter(pk__in=ArticleAuthor.objects.filter(author=author).values("page_id"))


# The time section and tag lists are ordered by: their rows' copy of the publication time
# (models.SectionListing, models.ArticleTag).
LIST_TIME = "listed_at"


def section_articles(section: SectionPage) -> ArticlePageQuerySet:
    """A section's articles, filed under it or added to it, newest first, read from its own rows.

    An exception to picking by id (above), as a tag's list is (below): the rows hold one
    per article and section, so the join repeats nothing, and the database walks the
    section's rows in their time index instead of the articles of the whole site. Every
    publish writes the rows (signals.py).
    """
    return (
        published_articles()
        .for_listing()
        .filter(section_listings__section=section)
        .annotate(**{LIST_TIME: F("section_listings__published_at")})
        .order_by(f"-{LIST_TIME}", "-pk")
    )


def tag_articles(tag: Tag) -> ArticlePageQuerySet:
    """A tag's articles newest first, read from the tag's own rows in their time index.

    An exception to picking by id (above): the tag field keeps one row per article
    and tag, so the join repeats nothing, and it lets the database walk the tag's rows newest first
    instead of the site's articles. Every publish writes the rows' time (signals.py), so
    a row without one belongs to an article never published, and is not in the index.
    """
    return (
        published_articles()
        .for_listing()
        .filter(tagged_items__tag=tag, tagged_items__published_at__isnull=False)
        .annotate(**{LIST_TIME: F("tagged_items__published_at")})
        .order_by(f"-{LIST_TIME}", "-pk")
    )
