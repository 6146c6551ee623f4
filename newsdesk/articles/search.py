"""Site search over published articles.

Two steps keep a search's cost bounded at any archive size. First the candidates: the
newest MAX_RANKED published articles that match every word and the reader's filters.
Then only those are ordered: articles with the words in their headline first, then the
newest (readers of news look for the latest on a story). An older story is found by
narrowing the dates or the section, which apply before the bound, not after it. Only
the page of results shown is read as articles.

On PostgreSQL the candidates come from the search rows (models.ArticleSearchRow): one row
per live article with its headline and body words in one vector, GIN-indexed, beside
its publication time and section. PostgreSQL either walks the newest rows until it has
enough matches (common words) or reads the few matches from the index (rare words);
whether a word is in the headline is read from the row's copy of the headline's words.
Wagtail's own index keeps the headline and body in two vectors keyed by text ids, and
finding the newest matches there cost 865-1,200 ms at 200,000 articles.

Elsewhere (SQLite in tests and the demo; OpenSearch when configured, which keeps no
rows) Wagtail's backend is asked for every match: the same order, for demo-sized sites.

The one `published()` rule applies in the database in both steps, so a draft, future,
expired or private article can never appear, whatever a row or the backend's index holds.
"""

from __future__ import annotations

import datetime
import operator
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import overload

from django.contrib.postgres.search import SearchQuery, SearchVectorExact
from django.db import connection
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import ArticlePage, ArticlePageQuerySet, SectionPage
from .search_backend import keeps_search_rows

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# How many of the newest matches are ranked: the cost of a search does not grow with the archive.
# A hundred: ten pages of results. Finding the newest 500 of a word in one article of ten
# read 5,000 rows, and cost a search at 200,000 articles half again what it costs at demo
# size; the reader is told when more matched, and reaches them with the dates or a section.
MAX_RANKED = 100
PAGE_SIZE = 10
# The stretches of time the newest matches are looked for in, newest first. A word in one
# article of forty still matches 5,000 of 200,000: reading them all to sort them by time
# cost 60-150 ms, as each row holds its words. The last month and the last year hold the
# newest MAX_RANKED of all but rare words, which have few rows to read in the last stretch.
SEGMENTS = (datetime.timedelta(days=31), datetime.timedelta(days=366), None)
_TERM = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchFilters:
    query: str
    section: SectionPage | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None


class SearchResults(Sequence[ArticlePage]):
    """The ranked matches: their ids, and the articles of a slice read when it is asked for.

    A reader sees ten results of up to MAX_RANKED; reading them all as articles cost more
    than finding them. Each read goes through `published()` again, so an article hidden
    since the search was ranked is left out of its page.
    """

    def __init__(self, ids: list[int], *, more: bool = False) -> None:
        self.ids = ids
        # More articles matched than the newest MAX_RANKED ranked here.
        self.more = more

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> ArticlePage: ...

    @overload
    def __getitem__(self, index: slice) -> list[ArticlePage]: ...

    def __getitem__(self, index: int | slice) -> ArticlePage | list[ArticlePage]:
        if isinstance(index, slice):
            return _articles(self.ids[index])
        found = _articles([self.ids[index]])
        if not found:
            raise IndexError(index)
        return found[0]

    def __iter__(self) -> Iterator[ArticlePage]:
        return iter(_articles(self.ids))


def _articles(ids: list[int]) -> list[ArticlePage]:
    if not ids:
        return []
    found = ArticlePage.objects.published().for_listing().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def clean_query(raw: str) -> str:
    """At most MAX_TERMS words of at most MAX_QUERY_LENGTH characters; punctuation dropped."""
    return " ".join(_TERM.findall(raw[:MAX_QUERY_LENGTH])[:MAX_TERMS])


def search_results(filters: SearchFilters) -> SearchResults:
    """The matches in the order readers see them; articles are read a page at a time."""
    if not filters.query:
        return SearchResults([])
    if connection.vendor == "postgresql" and keeps_search_rows():
        newest = newest_in_rows(filters)
    else:
        newest = newest_by_backend(filters)
    # One candidate past the bound says that more matched; it is not ranked.
    ranked = newest[:MAX_RANKED]
    # A stable sort: the newest first among equals.
    return SearchResults([pk for pk, _ in sorted(ranked, key=lambda row: -row[1])], more=len(newest) > MAX_RANKED)


def search_articles(filters: SearchFilters) -> list[ArticlePage]:
    """Every match, read as articles, in order."""
    return list(search_results(filters))


def filtered(filters: SearchFilters) -> ArticlePageQuerySet:
    """Published articles within the reader's filters, newest first."""
    queryset = ArticlePage.objects.published()
    if filters.section is not None:
        queryset = queryset.filter(primary_section=filters.section)
    if filters.since is not None:
        queryset = queryset.filter(first_published_at__date__gte=filters.since)
    if filters.until is not None:
        queryset = queryset.filter(first_published_at__date__lte=filters.until)
    return queryset.newest_first()


def newest_by_backend(filters: SearchFilters) -> list[tuple[int, int]]:
    """SQLite (tests, the demo) or OpenSearch: the same candidates, from every match Wagtail's backend finds.

    The newest MAX_RANKED + 1 matches, newest first, each with how many of the words its headline holds.
    """
    live = ArticlePage.objects.live().search(filters.query, operator="and", order_by_relevance=False)
    candidates = filtered(filters).filter(pk__in=[page.pk for page in live]).values_list("pk", "title")
    words = _TERM.findall(filters.query.lower())
    return [(pk, sum(word in title.lower() for word in words)) for pk, title in candidates[: MAX_RANKED + 1]]


def newest_in_rows(filters: SearchFilters) -> list[tuple[int, int]]:
    """PostgreSQL: the newest MAX_RANKED + 1 matches in the search rows, newest first, each with
    how many of the words its headline holds.

    The articles' own filters (`filtered`: published, section, dates) say what may be
    found; the same section and dates asked of the rows let PostgreSQL start from the
    right rows. The count of words in the headline is computed for the candidates only.
    """
    words = query_words(filters.query)
    if not words:
        return []
    terms = [SearchQuery(text, search_type="raw", config="simple") for text in words]
    match = reduce(operator.and_, terms)
    rows = filtered(filters).filter(search_row__document=match)
    if filters.section is not None:
        rows = rows.filter(search_row__section=filters.section)
    if filters.since is not None:
        rows = rows.filter(search_row__published_at__gte=_start_of(filters.since))
    if filters.until is not None:
        rows = rows.filter(search_row__published_at__lt=_start_of(filters.until + datetime.timedelta(days=1)))
    in_headline = reduce(
        operator.add,
        [
            Case(When(SearchVectorExact(F("search_row__headline"), headline), then=Value(1)), default=Value(0))
            for headline in terms
        ],
    )
    ordered = (
        rows.order_by("-search_row__published_at", "-pk")
        .annotate(in_headline=in_headline)
        .values_list("pk", "in_headline")
    )
    wanted = MAX_RANKED + 1
    candidates: list[tuple[int, int]] = []
    now, newer_than = timezone.now(), None
    for age in SEGMENTS:
        # Back in time a stretch at a time, until enough are found: each stretch's
        # matches are read and sorted alone (see SEGMENTS).
        since = now - age if age is not None else None
        segment = ordered
        if newer_than is not None:
            segment = segment.filter(search_row__published_at__lt=newer_than)
        if since is not None:
            segment = segment.filter(search_row__published_at__gte=since)
        candidates += segment[: wanted - len(candidates)]
        if len(candidates) >= wanted:
            break
        newer_than = since
    return candidates


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight starting `day` in the site's time zone: the date filters are the reader's days."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def query_words(query: str) -> list[str]:
    """Each word as the search rows store it (tsquery text), normalised by the database's text
    search configuration as Wagtail indexed the words; words it ignores, such as "the", are left out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsquery(quote_literal(word))::text FROM unnest(%s::text[]) AS word",
            [query.split()],
        )
        return [row[0] for row in cursor.fetchall() if row[0]]


def highlight(text: str, query: str) -> SafeString:
    """Wrap each word starting with a query term in <mark>, escaping the text around and inside the marks.

    The words are found in the text as readers see it, not in its escaped form: there a
    search for "amp" or "lt" matched inside `&amp;` and `&lt;` and broke the entities.
    """
    terms = sorted({term.lower() for term in _TERM.findall(query)}, key=len, reverse=True)
    if not terms:
        return escape(text)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\w*", re.IGNORECASE)
    parts: list[str] = []
    end = 0
    for match in pattern.finditer(text):
        parts += [escape(text[end : match.start()]), f"<mark>{escape(match.group(0))}</mark>"]
        end = match.end()
    parts.append(escape(text[end:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of the text is escaped above
