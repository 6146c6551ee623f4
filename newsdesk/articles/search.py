"""Site search over published articles with Wagtail's search backend.

Two steps keep a search's cost bounded at any archive size. First the candidates: the
newest MAX_RANKED published articles that match every word and the reader's filters.
Then only those are ranked: on PostgreSQL the words found in the headline first, then
the newest; on SQLite by Wagtail's relevance. A reader sees the best matches of the
recent news; an older story is found by narrowing the dates or the section, which apply
before the bound, not after it.

On PostgreSQL the candidates come from the search index's GIN indexes on the stored
title and body vectors, one word at a time (Wagtail's own query matches the
concatenation `title || body`, which no index can serve, so it read and ranked every
entry: 6.5 s at 65,000 articles). PostgreSQL then either walks the newest articles
until it has enough matches (common words) or reads the few matches from the index
(rare words). SQLite (tests, the demo) asks Wagtail's backend for the matches and
its ranking; it holds demo-sized sites only.

The one `published()` rule applies in the database in both steps, so a draft, future,
expired or private article can never appear, whatever the backend's index holds.
"""

from __future__ import annotations

import datetime
import operator
import re
from dataclasses import dataclass
from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.search.models import IndexEntry

from .models import ArticlePage, SectionPage

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# How many of the newest matches are ranked: the cost of a search does not grow with the archive.
MAX_RANKED = 500
PAGE_SIZE = 10
_TERM = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchFilters:
    query: str
    section: SectionPage | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None


def clean_query(raw: str) -> str:
    """At most MAX_TERMS words of at most MAX_QUERY_LENGTH characters; punctuation dropped."""
    return " ".join(_TERM.findall(raw[:MAX_QUERY_LENGTH])[:MAX_TERMS])


def search_articles(filters: SearchFilters) -> list[ArticlePage]:
    if not filters.query:
        return []
    if connection.vendor == "postgresql":
        ranked_ids = ranked_in_index(filters)
    else:
        candidates = list(filtered(filters).filter(pk__in=live_matches(filters.query))[:MAX_RANKED])
        ranked = ArticlePage.objects.filter(pk__in=candidates).search(
            filters.query, operator="and", order_by_relevance=True
        )
        ranked_ids = [page.pk for page in ranked]
    position = {pk: n for n, pk in enumerate(ranked_ids)}
    found = ArticlePage.objects.published().for_listing().filter(pk__in=ranked_ids)
    return sorted(found, key=lambda page: position[page.pk])


def filtered(filters: SearchFilters) -> QuerySet[ArticlePage, int]:
    """Ids of published articles within the reader's filters, newest first."""
    queryset = ArticlePage.objects.published()
    if filters.section is not None:
        queryset = queryset.filter(primary_section=filters.section)
    if filters.since is not None:
        queryset = queryset.filter(first_published_at__date__gte=filters.since)
    if filters.until is not None:
        queryset = queryset.filter(first_published_at__date__lte=filters.until)
    return queryset.newest_first().values_list("pk", flat=True)


def live_matches(query: str) -> list[int]:
    """Every live article matching every word, from Wagtail's backend (SQLite: tests and the demo)."""
    return [page.pk for page in ArticlePage.objects.live().search(query, operator="and", order_by_relevance=False)]


def ranked_in_index(filters: SearchFilters) -> list[int]:
    """PostgreSQL: the newest MAX_RANKED matches, headline matches first, then newest first.

    Each word is matched against the stored title and body vectors separately, so their
    GIN indexes serve it (no body vector is read). The rank reads the candidates' title
    vectors only, by their unique key: a body vector is kilobytes kept out of line
    (TOAST), and ranking 500 of them cost 430 ms at 77,000 articles, most of the search.
    """
    lexemes = query_lexemes(filters.query)
    if not lexemes:
        return []
    entries = IndexEntry.objects.filter(content_type=ContentType.objects.get_for_model(ArticlePage))
    terms = [SearchQuery(lexeme, search_type="raw", config="simple") for lexeme in lexemes]
    matching = entries.filter(object_id=Cast(OuterRef("pk"), CharField()))
    for term in terms:
        matching = matching.filter(Q(title=term) | Q(body=term))
    candidates = [str(pk) for pk in filtered(filters).filter(Exists(matching))[:MAX_RANKED]]
    newest = {object_id: n for n, object_id in enumerate(candidates)}
    rank = SearchRank(F("title"), reduce(operator.or_, terms)) * F("title_norm")
    rows = entries.filter(object_id__in=candidates).annotate(rank=rank).values_list("object_id", "rank")
    return [int(object_id) for object_id, _ in sorted(rows, key=lambda row: (-row[1], newest[row[0]]))]


def query_lexemes(query: str) -> list[str]:
    """Each word as the search index stores it (normalised by the database's text search
    configuration, as Wagtail indexed it); words it ignores, such as "the", are left out."""
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
