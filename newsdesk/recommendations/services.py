"""Writes for recommendations: counting views, flushing them, computing related articles."""

import datetime
import logging
from collections import Counter, defaultdict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
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


class RelatedIndex:
    """Everything needed to score articles against each other, loaded once."""

    def __init__(self) -> None:
        articles = list(
            ArticlePage.objects.published()
            .newest_first()
            .only("pk", "title", "standfirst", "body", "primary_section_id")[: settings.NEWSDESK_RELATED_CORPUS_SIZE]
        )
        self.sections = {article.pk: article.primary_section_id for article in articles}
        self.tags: dict[int, set[int]] = defaultdict(set)
        for article_id, tag_id in ArticleTag.objects.filter(content_object_id__in=self.sections).values_list(
            "content_object_id", "tag_id"
        ):
            self.tags[article_id].add(tag_id)
        corpus = Corpus()
        for article in articles:
            corpus.add(
                article.pk,
                term_counts(headline=article.title, standfirst=article.standfirst, body=article.plain_text),
            )
        self.vectors = corpus.vectors()

    def neighbours(self, article_id: int) -> list[tuple[int, float]]:
        if article_id not in self.sections:
            return []
        scored = []
        mine = self.tags.get(article_id, set())
        for other, text_score in most_similar(article_id, self.vectors, self.sections):
            theirs = self.tags.get(other, set())
            shared = len(mine & theirs) / len(mine | theirs) if mine and theirs else 0.0
            same_section = self.sections[other] == self.sections[article_id]
            score = text_score + TAG_WEIGHT * shared + (SECTION_WEIGHT if same_section else 0.0)
            if score > 0:
                scored.append((other, round(score, 6)))
        scored.sort(key=lambda pair: (-pair[1], -pair[0]))
        return scored[:RELATED_KEEP]


@transaction.atomic
def store_related(index: RelatedIndex, article_id: int, *, update_neighbours: bool = True) -> int:
    neighbours = index.neighbours(article_id)
    RelatedArticle.objects.filter(article_id=article_id).delete()
    RelatedArticle.objects.bulk_create(
        [RelatedArticle(article_id=article_id, related_id=other, score=score) for other, score in neighbours]
    )
    if update_neighbours:
        # The relation is symmetric: offer this article to each neighbour's list too,
        # keeping only their best RELATED_KEEP.
        for other, score in neighbours:
            RelatedArticle.objects.update_or_create(article_id=other, related_id=article_id, defaults={"score": score})
            extra = RelatedArticle.objects.filter(article_id=other).order_by("-score", "-related_id")[RELATED_KEEP:]
            RelatedArticle.objects.filter(pk__in=list(extra.values_list("pk", flat=True))).delete()
    return len(neighbours)


def compute_related(article_id: int) -> int:
    """Recompute one article's neighbours (after it is published or changed)."""
    return store_related(RelatedIndex(), article_id)


def compute_all_related() -> int:
    index = RelatedIndex()
    for article_id in index.sections:
        store_related(index, article_id, update_neighbours=False)
    return len(index.sections)
