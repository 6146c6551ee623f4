"""Writes for recommendations: counting views, flushing them, computing related articles."""

import datetime
import logging
from collections import Counter

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from newsdesk.articles.models import ArticlePage, ArticleTag
from newsdesk.core.counters import counter_store
from newsdesk.core.visitors import is_bot, visitor_key

from .models import ArticleViews, RelatedArticle
from .similarity import Corpus, most_similar, term_counts

logger = logging.getLogger(__name__)

VIEWS = "views"
RELATED_KEEP = 24
TAG_WEIGHT = 0.25
SECTION_WEIGHT = 0.1


def reader_key(*, article_id: int, remote_addr: str, user_agent: str, now: datetime.datetime) -> str:
    """This reader's view of this article today, as a key that holds no address (core.visitors)."""
    return visitor_key(purpose=VIEWS, remote_addr=remote_addr, user_agent=user_agent, subject=article_id, now=now)


def hour_bucket(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%d%H")


def record_view(*, article_id: int, remote_addr: str, user_agent: str, now: datetime.datetime | None = None) -> bool:
    """Count one reader's view of an article: once per hour, never for bots, no database write."""
    if is_bot(user_agent):
        return False
    now = now or timezone.now()
    # cache.add is atomic: only the first view of the hour wins the key.
    seen = reader_key(article_id=article_id, remote_addr=remote_addr, user_agent=user_agent, now=now)
    if not cache.add(seen, 1, 3600):
        return False
    counter_store().incr(VIEWS, f"{article_id}:{hour_bucket(now)}")
    return True


def flush_view_counts() -> int:
    """Add the counted views to the hourly rows; returns how many views were written."""
    written = 0
    with counter_store().drain(VIEWS) as totals:
        if not totals:
            return 0
        per_row: Counter[tuple[int, datetime.datetime]] = Counter()
        for member, amount in totals.items():
            article, _, bucket = member.partition(":")
            try:
                hour = datetime.datetime.strptime(bucket, "%Y%m%d%H").replace(tzinfo=datetime.UTC)
                per_row[(int(article), hour)] += amount
            except ValueError:
                logger.warning("Ignoring a malformed view counter %r", member)
        known = set(ArticlePage.objects.filter(pk__in={key[0] for key in per_row}).values_list("pk", flat=True))
        with transaction.atomic():
            existing = {
                (row.article_id, row.hour): row
                for row in ArticleViews.objects.select_for_update().filter(
                    article_id__in=known, hour__in={key[1] for key in per_row}
                )
            }
            new_rows = []
            for (article_id, hour), amount in per_row.items():
                if article_id not in known:
                    continue
                written += amount
                if (article_id, hour) in existing:
                    existing[(article_id, hour)].views += amount
                else:
                    new_rows.append(ArticleViews(article_id=article_id, hour=hour, views=amount))
            ArticleViews.objects.bulk_update(existing.values(), ["views"])
            ArticleViews.objects.bulk_create(new_rows)
    return written


# --- Related articles ------------------------------------------------------
#
# One article is scored against a bounded set of candidates found through indexes,
# never against the whole archive: among the articles published from CANDIDATE_LOOKBACK
# before it to CANDIDATE_WINDOW after it (a range of the date index), the newest
# CANDIDATES_EACH, the newest sharing one of its tags and the newest of its section.
# So one article's job costs the same at 50 or 200,000 articles (it grows with the
# articles published per day, not with the years kept), and the full rebuild is
# O(N·k): N articles, each against at most 3·CANDIDATES_EACH.
# Word weights (IDF) come from the candidates themselves: an approximation of the
# archive's, good enough to tell a shared subject from shared filler words.

CANDIDATES_EACH = 40
# An old article, changed, is compared with what was published around it, not with today's news.
CANDIDATE_WINDOW = datetime.timedelta(days=30)
# Without a lower bound, the section's newest before an old article meant sorting the whole section.
CANDIDATE_LOOKBACK = datetime.timedelta(days=90)
# Term counts kept between articles of one rebuild: neighbours in time share candidates.
TEXT_CACHE_SIZE = 5000


class RelatedScorer:
    """Scores articles against their candidates, keeping the texts it has read for the next article."""

    def __init__(self) -> None:
        self.texts: dict[int, Counter[str]] = {}
        self.tags: dict[int, set[int]] = {}
        self.sections: dict[int, int | None] = {}

    def neighbours(self, article: ArticlePage) -> list[tuple[int, float]]:
        candidates = self.candidates(article)
        self.load([article.pk, *candidates])
        corpus = Corpus()
        for pk in [article.pk, *candidates]:
            corpus.add(pk, self.texts[pk])
        vectors = corpus.vectors()
        mine = self.tags.get(article.pk, set())
        scored = []
        for other, text_score in most_similar(article.pk, vectors, candidates):
            theirs = self.tags.get(other, set())
            shared = len(mine & theirs) / len(mine | theirs) if mine and theirs else 0.0
            same_section = self.sections[other] == article.primary_section_id
            score = text_score + TAG_WEIGHT * shared + (SECTION_WEIGHT if same_section else 0.0)
            if score > 0:
                scored.append((other, round(score, 6)))
        scored.sort(key=lambda pair: (-pair[1], -pair[0]))
        return scored[:RELATED_KEEP]

    def candidates(self, article: ArticlePage) -> list[int]:
        """At most 3·CANDIDATES_EACH published articles, each slice read newest first through an index."""
        # Only published articles get here: published() requires the date.
        assert article.first_published_at is not None
        pool = (
            ArticlePage.objects.published()
            .filter(
                first_published_at__gte=article.first_published_at - CANDIDATE_LOOKBACK,
                first_published_at__lte=article.first_published_at + CANDIDATE_WINDOW,
            )
            .exclude(pk=article.pk)
            .newest_first()
        )
        tags = list(ArticleTag.objects.filter(content_object_id=article.pk).values_list("tag_id", flat=True))
        self.tags[article.pk] = set(tags)
        slices = [pool, pool.filter(primary_section_id=article.primary_section_id)]
        if tags:
            slices.append(pool.filter(pk__in=ArticleTag.objects.filter(tag_id__in=tags).values("content_object_id")))
        found: dict[int, None] = {}
        for queryset in slices:
            found.update(dict.fromkeys(queryset.values_list("pk", flat=True)[:CANDIDATES_EACH]))
        return list(found)

    def load(self, ids: list[int]) -> None:
        missing = [pk for pk in ids if pk not in self.texts]
        if len(self.texts) + len(missing) > TEXT_CACHE_SIZE:
            self.texts.clear()
            self.tags = {pk: self.tags[pk] for pk in ids if pk in self.tags}
        for article in ArticlePage.objects.filter(pk__in=missing).only(
            "pk", "title", "standfirst", "body", "primary_section_id"
        ):
            self.texts[article.pk] = term_counts(
                headline=article.title, standfirst=article.standfirst, body=article.plain_text
            )
            self.sections[article.pk] = article.primary_section_id
        untagged = [pk for pk in ids if pk not in self.tags]
        for pk in untagged:
            self.tags[pk] = set()
        for article_id, tag_id in ArticleTag.objects.filter(content_object_id__in=untagged).values_list(
            "content_object_id", "tag_id"
        ):
            self.tags[article_id].add(tag_id)


@transaction.atomic
def store_related(scorer: RelatedScorer, article: ArticlePage, *, update_neighbours: bool = True) -> int:
    neighbours = scorer.neighbours(article)
    RelatedArticle.objects.filter(article_id=article.pk).delete()
    RelatedArticle.objects.bulk_create(
        [RelatedArticle(article_id=article.pk, related_id=other, score=score) for other, score in neighbours]
    )
    if update_neighbours:
        offer_to_neighbours(article.pk, neighbours)
    return len(neighbours)


def offer_to_neighbours(article_id: int, neighbours: list[tuple[int, float]]) -> None:
    """The relation is symmetric: offer the article to each neighbour's list too, keeping
    only their best RELATED_KEEP (four queries, whatever the number of neighbours)."""
    others = [other for other, _ in neighbours]
    RelatedArticle.objects.filter(article_id__in=others, related_id=article_id).delete()
    RelatedArticle.objects.bulk_create(
        [RelatedArticle(article_id=other, related_id=article_id, score=score) for other, score in neighbours]
    )
    place = Window(RowNumber(), partition_by=F("article_id"), order_by=[F("score").desc(), F("related_id").desc()])
    beyond = RelatedArticle.objects.filter(article_id__in=others).annotate(place=place).filter(place__gt=RELATED_KEEP)
    RelatedArticle.objects.filter(pk__in=list(beyond.values_list("pk", flat=True))).delete()


def compute_related(article_id: int) -> int:
    """Recompute one article's neighbours (after it is published or changed) and offer it to theirs."""
    article = (
        ArticlePage.objects.published()
        .filter(pk=article_id)
        .only("pk", "primary_section_id", "first_published_at")
        .first()
    )
    if article is None:
        return 0
    return store_related(RelatedScorer(), article)


def compute_all_related(*, limit: int | None = None) -> int:
    """Recompute every published article's neighbours, newest first (`limit`: only the newest so many).

    Linear in the archive: each article costs a bounded candidate set, and texts read for
    one article are reused for the next, which shares most of its candidates.
    """
    scorer = RelatedScorer()
    articles = ArticlePage.objects.published().newest_first().only("pk", "primary_section_id", "first_published_at")
    if limit is not None:
        articles = articles[:limit]
    count = 0
    for article in articles.iterator(chunk_size=1000):
        store_related(scorer, article, update_neighbours=False)
        count += 1
    return count
