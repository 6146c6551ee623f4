"""Search and "More articles" figures for the database in DATABASE_URL (any archive size).

Prints `search_p95_ms=` (the site search's database work, `search_articles`, over
queries made of words from headlines spread across the archive: common and rare words,
one and two at a time), `related_job_ms=` (the median of one article's similarity
job), `related_rebuild_ms_per_article=` (the full rebuild over the newest
BENCH_REBUILD_ARTICLES) and `related_rebuild_projected_s=` (that rate times the
published articles: the rebuild is linear). Everything it writes is rolled back, so
it leaves the database as it found it.

    DJANGO_SETTINGS_MODULE=newsdesk.settings.dev DATABASE_URL=postgres://… python scripts/bench_search.py
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from newsdesk.articles.models import ArticlePage  # noqa: E402
from newsdesk.articles.search import SearchFilters, search_articles  # noqa: E402
from newsdesk.recommendations.services import compute_all_related, compute_related  # noqa: E402

SAMPLES = int(os.environ.get("BENCH_SEARCH_SAMPLES", "20"))
ROUNDS = 3
REBUILD_ARTICLES = int(os.environ.get("BENCH_REBUILD_ARTICLES", "500"))
WORD = re.compile(r"[^\W\d_]{4,}")


def spread(count: int) -> list[ArticlePage]:
    """`count` published articles evenly spaced over the archive, newest to oldest."""
    ids = list(ArticlePage.objects.published().newest_first().values_list("pk", flat=True))
    step = max(1, len(ids) // count)
    chosen = ids[::step][:count]
    return list(ArticlePage.objects.filter(pk__in=chosen).only("pk", "title"))


def queries(articles: list[ArticlePage]) -> list[str]:
    made = []
    for n, article in enumerate(articles):
        words = WORD.findall(article.title.lower())
        if words:
            made.append(" ".join(words[: 1 + n % 2]))
    return made


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def main() -> dict[str, float]:
    articles = spread(SAMPLES)
    searches = queries(articles)
    for query in searches:  # warm the caches, as a running site's are
        search_articles(SearchFilters(query=query))
    search_ms = [timed(lambda q=q: search_articles(SearchFilters(query=q))) for _ in range(ROUNDS) for q in searches]
    figures = {"search_p95_ms": round(p95(search_ms), 1), "search_median_ms": round(statistics.median(search_ms), 1)}
    with transaction.atomic():
        job_ms = [timed(lambda a=article: compute_related(a.pk)) for article in articles[:10]]
        figures["related_job_ms"] = round(statistics.median(job_ms), 1)
        figures["related_job_max_ms"] = round(max(job_ms), 1)
        started = time.perf_counter()
        rebuilt = compute_all_related(limit=REBUILD_ARTICLES)
        per_article = (time.perf_counter() - started) * 1000 / max(rebuilt, 1)
        figures["related_rebuild_ms_per_article"] = round(per_article, 2)
        published = ArticlePage.objects.published().count()
        figures["related_rebuild_projected_s"] = round(per_article * published / 1000, 1)
        figures["published_articles"] = published
        transaction.set_rollback(True)
    return figures


if __name__ == "__main__":
    for name, value in main().items():
        print(f"{name}={value}")
    print(f"load_average={os.getloadavg()[0]:.2f}")
