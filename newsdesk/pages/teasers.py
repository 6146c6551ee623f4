"""Rendered teasers shared by every page that lists them, kept until what they show changes.

The Must read and Latest lists are the same on every article page, and one article's
teaser appears in many pages' More articles. Building them from the ORM on each
render cost more than the rest of the page, so they are kept rendered, under the
`LISTS` generation (newsdesk/core/fragments.py): publishing, unpublishing, moving or
deleting a page, comment moderation and the Must read picks start a new one, so an
unpublished article is never listed again. Each teaser also carries the moment its
article expires, and is dropped from then on even if the scheduler has not
unpublished it yet. A list is rebuilt at least every `LIST_SECONDS` (most read
changes with time, not with an event).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Min, Window
from django.db.models.functions import RowNumber
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from newsdesk.articles import selectors as articles
from newsdesk.articles.models import ArticlePage, ArticlePageQuerySet
from newsdesk.comments.selectors import approved_count
from newsdesk.core import fragments
from newsdesk.core.prepared import Int, IntList, PreparedQuery, Time
from newsdesk.live.selectors import coverage_states
from newsdesk.recommendations import selectors as recommended

LIST_SECONDS = 60
LATEST_SIZE = 5
# Not published when asked: kept briefly, so a related row pointing at an
# unpublished article does not cost a query on every render.
ABSENT = 0


@dataclass(frozen=True)
class Teaser:
    pk: int
    html: SafeString
    # Epoch seconds after which the article is no longer shown (its expiry).
    until: float = math.inf

    def visible(self, at: float) -> bool:
        return at < self.until


# The columns a teaser reads (includes/teaser.html, `teaser_of`), its section's title and
# what its picture's renditions need. Building the whole page, section page and image
# rows for every teaser once cost more than the rest of a cold render's lists.
TEASER_FIELDS = (
    "title",
    "slug",
    "standfirst",
    "first_published_at",
    "last_published_at",
    "expire_at",
    "primary_section",
    "primary_section__title",
    "primary_section__slug",
    "lead_image",
    "lead_image__title",
    "lead_image__description",
    "lead_image__file",
    "lead_image__width",
    "lead_image__height",
    "lead_image__file_hash",
    "lead_image__focal_point_x",
    "lead_image__focal_point_y",
    "lead_image__focal_point_width",
    "lead_image__focal_point_height",
)


def teasers(now: datetime.datetime | None = None, private: tuple[str, ...] | None = None) -> ArticlePageQuerySet:
    """Published articles, newest first, with what a teaser shows: section, image and approved comment count.

    `now` and `private` as `published()` takes them (prepared queries pass both).
    """
    return articles.teasers(now, private).annotate(comment_count=approved_count()).only(*TEASER_FIELDS)


# The teaser reads every article page makes, compiled once per process (core/prepared.py).
_BY_ID: PreparedQuery[ArticlePage] = PreparedQuery(
    lambda ids, now, shape: teasers(now, shape).filter(pk__in=ids), shape=articles.reader_shape, ids=IntList, now=Time
)
_NEWEST: PreparedQuery[ArticlePage] = PreparedQuery(
    lambda now, shape: teasers(now, shape)[: LATEST_SIZE + 1], shape=articles.reader_shape, now=Time
)


def newest_teasers() -> list[ArticlePage]:
    """The newest `LATEST_SIZE + 1` articles as `teasers()` reads them: the home page's lead and Latest."""
    return _NEWEST(now=timezone.now())


@functools.cache
def _section_rows_query(size: int) -> PreparedQuery[ArticlePage]:
    """Each section's newest `size` teasers, one prepared query per row size (core/prepared.py)."""
    newest = Window(
        RowNumber(), partition_by=F("primary_section_id"), order_by=[F("first_published_at").desc(), F("pk").desc()]
    )
    return PreparedQuery(
        lambda sections, exclude, now, shape: (
            teasers(now, shape)
            .filter(primary_section_id__in=sections)
            .annotate(row=newest)
            .filter(row__lte=size)
            .exclude(pk=exclude)
        ),
        shape=articles.reader_shape,
        sections=IntList,
        exclude=Int,
        now=Time,
    )


def section_rows(section_ids: list[int], *, size: int, exclude: int | None = None) -> dict[int, list[ArticlePage]]:
    """Each section's newest `size` teasers (by primary section), in one query however many sections."""
    if not section_ids:
        return {}
    # No article has the id 0: leaving it out leaves out nothing, in the same prepared shape.
    rows = _section_rows_query(size)(sections=section_ids, exclude=exclude or 0, now=timezone.now())
    found: dict[int, list[ArticlePage]] = {}
    for article in rows:
        found.setdefault(article.primary_section_id, []).append(article)
    return found


def next_expiry(generation: str) -> float:
    """When the next listed article expires (epoch seconds; inf if none will): kept parts of lists key on it.

    One small query per generation of the lists, and again once that moment has passed.
    """
    key = f"teasers:next-expiry:{generation}"
    found: float | None = cache.get(key)
    if found is None or found <= time.time():
        soonest = (
            articles.published_articles().filter(expire_at__isnull=False).aggregate(soonest=Min("expire_at"))["soonest"]
        )
        found = soonest.timestamp() if soonest else math.inf
        cache.set(key, found, LIST_SECONDS * 60)
    return found


def teaser_of(article: ArticlePage) -> Teaser:
    """Render one article's teaser; `article` comes from `teasers()` (published, annotated)."""
    html = render_to_string("includes/teaser.html", {"item": article})
    until = article.expire_at.timestamp() if article.expire_at else math.inf
    return Teaser(pk=article.pk, html=mark_safe(html), until=until)  # noqa: S308 - rendered by our template


# What a teaser's markup shows that can change, as includes/teaser.html's own `{% cache %}` keys
# it: publish time (headline, standfirst, address), picture and its file, section title,
# approved comment count; and when it expires. Read as plain rows: a list whose markup is
# kept costs one small query, with no model instance built and no template rendered.
VERSION_FIELDS = (
    "pk",
    "last_published_at",
    "expire_at",
    "lead_image_id",
    "lead_image__file_hash",
    "primary_section__title",
    "comment_count",
)
Version = tuple[Any, ...]
MARKUP_SECONDS = 60 * 60

_VERSIONS_BY_ID: PreparedQuery[Version] = PreparedQuery(
    lambda ids, now, shape: teasers(now, shape).filter(pk__in=ids).values_list(*VERSION_FIELDS),
    shape=articles.reader_shape,
    ids=IntList,
    now=Time,
)
_NEWEST_VERSIONS: PreparedQuery[Version] = PreparedQuery(
    lambda now, shape: teasers(now, shape).values_list(*VERSION_FIELDS)[: LATEST_SIZE + 1],
    shape=articles.reader_shape,
    now=Time,
)
_SECTION_NEWEST_VERSIONS: PreparedQuery[Version] = PreparedQuery(
    lambda section, now, shape: (
        teasers(now, shape)
        .filter(primary_section_id=section)
        .values_list(*VERSION_FIELDS)[: recommended.SECTION_FILL_SIZE]
    ),
    shape=articles.reader_shape,
    section=Int,
    now=Time,
)


def _version_of(article: ArticlePage) -> Version:
    """An article's version as `VERSION_FIELDS` reads it, from an article `teasers()` read."""
    image = article.lead_image
    section = article.primary_section
    return (
        article.pk,
        article.last_published_at,
        article.expire_at,
        article.lead_image_id,
        image.file_hash if image else None,
        section.title if section else None,
        article.comment_count,
    )


def _markup_key(version: Version, live: bool) -> str:
    pk, published, _expires, image, file_hash, section, comments = version
    stamp = published.timestamp() if published else ""
    digest = hashlib.blake2b(f"{stamp}|{image}|{file_hash}|{section}|{comments}|{live}".encode(), digest_size=12)
    return f"teasers:markup:{pk}:{digest.hexdigest()}"


def teasers_of_versions(versions: list[Version]) -> list[Teaser]:
    """Teasers for these rows, in their order: kept markup where its version is kept, one query for the rest.

    An article unpublished between the two reads is left out.
    """
    if not versions:
        return []
    live = coverage_states()
    keys = {version[0]: _markup_key(version, live.get(version[0], False)) for version in versions}
    found: dict[str, str] = fragments.kept().get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in found]
    if missing:
        rendered = {}
        for article in _BY_ID(ids=missing, now=timezone.now()):
            html = str(teaser_of(article).html)
            # Kept under the version it was rendered from: a change landing between the two
            # reads must not leave the newer markup under the older version's key.
            fragments.kept().set(_markup_key(_version_of(article), live.get(article.pk, False)), html, MARKUP_SECONDS)
            rendered[keys[article.pk]] = html
        found.update(rendered)
    made = []
    for version in versions:
        markup = found.get(keys[version[0]])
        if markup is not None:
            until = version[2].timestamp() if version[2] else math.inf
            made.append(Teaser(pk=version[0], html=mark_safe(markup), until=until))  # noqa: S308 - our template's
    return made


def cached_list(name: str, versions: Callable[[], list[Version]]) -> list[Teaser]:
    """A site-wide list of teasers, read by `versions()` at most once per generation and minute."""
    generation = fragments.generation(fragments.LISTS)
    key = f"teasers:list:{name}:{generation}"
    items: list[Teaser] | None = fragments.kept().get(key)
    if items is None:
        items = teasers_of_versions(versions())
        fragments.kept().set(key, items, LIST_SECONDS)
    at = time.time()
    return [item for item in items if item.visible(at)]


def teasers_by_id(pks: list[int]) -> list[Teaser]:
    """These articles' teasers in the given order, leaving out any not published (one query for those not kept)."""
    if not pks:
        return []
    generation = fragments.generation(fragments.LISTS)
    keys = {pk: f"teasers:one:{generation}:{pk}" for pk in pks}
    found = fragments.kept().get_many(list(keys.values()))
    by_pk = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in pks if pk not in by_pk]
    if missing:
        made = teasers_of_versions(_VERSIONS_BY_ID(ids=missing, now=timezone.now()))
        fetched = {item.pk: item for item in made}
        for pk in missing:
            by_pk[pk] = fetched.get(pk, ABSENT)
        fragments.kept().set_many({keys[pk]: by_pk[pk] for pk in missing}, LIST_SECONDS)
    at = time.time()
    return [item for item in (by_pk[pk] for pk in pks) if isinstance(item, Teaser) and item.visible(at)]


# --- The site-wide lists, as rendered teasers ----------------------------------------------


def latest_teasers(*, exclude: Iterable[int] = ()) -> list[Teaser]:
    """The newest articles as rendered teasers, shared by every article page (one spare for the page's own)."""
    skip = set(exclude)
    items = cached_list("latest", lambda: _NEWEST_VERSIONS(now=timezone.now()))
    return [item for item in items if item.pk not in skip][:LATEST_SIZE]


def must_read_ids(*, exclude: Iterable[int] = ()) -> list[int]:
    """Must read's ids for a page (one spare, in case one has just left), without the page's own."""
    skip = set(exclude)
    return [pk for pk in recommended.must_read_ids() if pk not in skip][: recommended.MUST_READ_SIZE + 1]


def must_read_teasers(*, exclude: Iterable[int] = ()) -> list[Teaser]:
    """Must read as rendered teasers: its ids are kept per generation, its teasers per article."""
    return teasers_by_id(must_read_ids(exclude=exclude))[: recommended.MUST_READ_SIZE]


def related_candidates(article: ArticlePage, *, exclude: Iterable[int] = ()) -> list[int]:
    skip = {article.pk, *exclude}
    return [pk for pk in recommended.related_ids(article.pk) if pk not in skip]


def read_ahead(article: ArticlePage, *, latest: Iterable[int]) -> None:
    """Keep the teasers Must read and More articles will show, with one query for both lists.

    Must read first (it leaves the page's own article out); More articles leaves out
    Must read and Latest, so its first candidates are known before either is built.
    """
    must = must_read_ids(exclude=[article.pk])
    shown = [*must[: recommended.MUST_READ_SIZE], *latest]
    related = related_candidates(article, exclude=shown)[: settings.NEWSDESK_MORE_ARTICLES_SIZE + recommended.SPARE]
    teasers_by_id([*must, *related])


def more_articles_teasers(article: ArticlePage, *, exclude: Iterable[int] = ()) -> list[Teaser]:
    """`more_articles()` as rendered teasers: one small query for the related ids, teasers from the cache.

    The same order: related articles best first, then the section's newest.
    """
    limit = settings.NEWSDESK_MORE_ARTICLES_SIZE
    spare = recommended.SPARE
    skip = {article.pk, *exclude}
    candidates = related_candidates(article, exclude=skip)
    chosen = teasers_by_id(candidates[: limit + spare])[:limit]
    if len(chosen) < limit and len(candidates) > limit + spare:
        chosen = teasers_by_id(candidates)[:limit]
    if len(chosen) < limit and article.primary_section_id:
        section_id = article.primary_section_id
        newest = cached_list(
            f"section-newest:{section_id}",
            lambda: _SECTION_NEWEST_VERSIONS(section=section_id, now=timezone.now()),
        )
        taken = skip | {item.pk for item in chosen}
        chosen += [item for item in newest if item.pk not in taken][: limit - len(chosen)]
    return chosen
