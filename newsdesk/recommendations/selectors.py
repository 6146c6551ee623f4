"""Reads for the Must read, Most read and More articles lists.

Every list ends in `teasers()`, so drafts, future, expired and private articles
never show whatever the picks, counters or similarity rows say. The site-wide
id lists are cached briefly. Lists of articles take the queryset they are drawn
from (`within`), so the layer that shows them as teasers (newsdesk/pages/teasers.py)
can add what a teaser shows from other apps, such as comment counts, in the same query.
"""

import datetime
import functools
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, Sum
from django.utils import timezone

from newsdesk.articles.models import ArticlePage, ArticlePageQuerySet
from newsdesk.articles.selectors import reader_shape, teasers
from newsdesk.core import fragments
from newsdesk.core.prepared import Int, PreparedQuery, Time

from .models import ArticleViews, MustReadPick, RelatedArticle

MUST_READ_SIZE = 4
MOST_READ_SIZE = 5
MUST_READ_CACHE_KEY = "recommendations:must-read-ids"
IDS_CACHE_SECONDS = 60
# A margin of spare ids, so excluding the current article or an unpublished one still fills the list.
SPARE = 4
# The section's newest kept for filling More articles: enough for the largest list
# after leaving out the article, Must read and Latest.
SECTION_FILL_SIZE = 20


def _base(within: ArticlePageQuerySet | None) -> ArticlePageQuerySet:
    # Not `within or teasers()`: a queryset's truth value runs the query.
    return teasers() if within is None else within


def in_order(ids: list[int], articles: Iterable[ArticlePage]) -> list[ArticlePage]:
    by_id = {article.pk: article for article in articles}
    return [by_id[pk] for pk in ids if pk in by_id]


def most_read_ids(*, hours: int, limit: int, now: datetime.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    since = (now - datetime.timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)
    key = f"recommendations:most-read:{hours}:{limit}"
    ids = cache.get(key)
    if ids is None:
        ids = _most_read_query(limit)(since=since, now=now)
        cache.set(key, ids, IDS_CACHE_SECONDS)
    return ids


def most_read(
    *, hours: int, limit: int = MOST_READ_SIZE, exclude: Iterable[int] = (), within: ArticlePageQuerySet | None = None
) -> list[ArticlePage]:
    """The most viewed published articles of the last `hours` hours."""
    skip = set(exclude)
    ids = [pk for pk in most_read_ids(hours=hours, limit=limit + len(skip) + SPARE) if pk not in skip]
    if not ids:
        return []
    return in_order(ids, _base(within).filter(pk__in=ids))[:limit]


def most_read_windows(
    *,
    hours: Sequence[int] = (24, 24 * 7),
    limit: int = MOST_READ_SIZE,
    within: ArticlePageQuerySet | None = None,
) -> tuple[list[ArticlePage], ...]:
    """The most read of each window of `hours` (by default the last day and week), with one
    teaser query for all of them."""
    lists = [most_read_ids(hours=window, limit=limit + SPARE) for window in hours]
    wanted = {pk for ids in lists for pk in ids}
    if not wanted:
        return tuple([] for _ in lists)
    found = list(_base(within).filter(pk__in=wanted))
    return tuple(in_order(ids, found)[:limit] for ids in lists)


# The reads behind the id lists, compiled once per process (core/prepared.py).
_PICKS: PreparedQuery[int] = PreparedQuery(
    lambda now, shape: (
        MustReadPick.objects.filter(settings__site__is_default_site=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .filter(article__in=teasers(now, shape).values("pk"))
        .order_by("sort_order", "pk")
        .values_list("article_id", flat=True)[: MUST_READ_SIZE + SPARE]
    ),
    shape=reader_shape,
    now=Time,
)
_RELATED: PreparedQuery[int] = PreparedQuery(
    lambda article: (
        RelatedArticle.objects.filter(article_id=article)
        .order_by("-score", "-related__first_published_at", "-related_id")
        .values_list("related_id", flat=True)
    ),
    article=Int,
)


@functools.cache
def _most_read_query(limit: int) -> PreparedQuery[int]:
    """Most read's ids, one prepared query per list length (a handful: the lists are fixed)."""
    return PreparedQuery(
        lambda since, now, shape: (
            ArticleViews.objects.filter(hour__gte=since, article_id__in=teasers(now, shape).values("pk"))
            .values("article_id")
            .annotate(total=Sum("views"))
            .order_by("-total", "-article_id")
            .values_list("article_id", flat=True)[:limit]
        ),
        shape=reader_shape,
        since=Time,
        now=Time,
    )


def must_read_ids(now: datetime.datetime | None = None) -> list[int]:
    """Editor picks in their order, then the week's most read, then the newest."""
    # Under the lists' generation, so a change of picks in one process reaches every other.
    key = f"{MUST_READ_CACHE_KEY}:{fragments.generation(fragments.LISTS)}"
    ids = cache.get(key)
    if ids is None:
        now = now or timezone.now()
        wanted = MUST_READ_SIZE + SPARE
        ids = _PICKS(now=now)
        for pk in most_read_ids(hours=24 * 7, limit=wanted, now=now):
            if pk not in ids:
                ids.append(pk)
        if len(ids) < wanted:
            ids += list(teasers().exclude(pk__in=ids).values_list("pk", flat=True)[: wanted - len(ids)])
        # A short lifetime: an expired pick drops out within a minute, without a purge.
        cache.set(key, ids, IDS_CACHE_SECONDS)
    return ids


def forget_must_read() -> None:
    cache.delete(f"{MUST_READ_CACHE_KEY}:{fragments.generation(fragments.LISTS)}")


def must_read(
    *, exclude: Iterable[int] = (), limit: int = MUST_READ_SIZE, within: ArticlePageQuerySet | None = None
) -> list[ArticlePage]:
    skip = set(exclude)
    ids = [pk for pk in must_read_ids() if pk not in skip]
    return in_order(ids, _base(within).filter(pk__in=ids))[:limit]


def more_articles(
    article: ArticlePage,
    *,
    exclude: Iterable[int] = (),
    limit: int | None = None,
    offset: int = 0,
    within: ArticlePageQuerySet | None = None,
) -> list[ArticlePage]:
    """Articles like this one, best first, then the same section's newest.

    The section's newest fill the list while the similarity job has not run yet,
    or when too few related articles are left after the exclusions. Three small
    queries, each served by an index, rather than one that scored every article of
    the section (2.2 s for a section of 30,000).
    """
    limit = limit or settings.NEWSDESK_MORE_ARTICLES_SIZE
    skip = {article.pk, *exclude}
    ranked = [pk for pk in related_ids(article.pk) if pk not in skip]
    best = in_order(ranked, _base(within).filter(pk__in=ranked)) if ranked else []
    page = best[offset : offset + limit]
    wanted = limit - len(page)
    if wanted <= 0:
        return page
    start = max(0, offset - len(best))
    newest = (
        _base(within)
        .filter(primary_section_id=article.primary_section_id)
        .exclude(pk__in=skip | set(ranked))
        .order_by("-first_published_at", "-pk")[start : start + wanted]
    )
    return page + list(newest)


def related_ids(article_id: int) -> list[int]:
    """The similarity job's neighbours of an article, best first, kept a minute under the lists' generation."""
    key = f"recommendations:related-ids:{fragments.generation(fragments.LISTS)}:{article_id}"
    ids: list[int] | None = fragments.kept().get(key)
    if ids is None:
        ids = _RELATED(article=article_id)
        fragments.kept().set(key, ids, IDS_CACHE_SECONDS)
    return ids
