"""Site search over published articles with Wagtail's search backend.

Two steps keep a search's cost bounded at any archive size. First the candidates: the
newest MAX_RANKED published articles that match every word and the reader's filters.
Then only those are ordered: articles with the words in their headline first, then the
newest (readers of news look for the latest on a story). An older story is found by
narrowing the dates or the section, which apply before the bound, not after it.

On PostgreSQL the candidates come from the search index's GIN indexes on the stored
title and body vectors, one word at a time (Wagtail's own query matches the
concatenation `title || body`, which no index can serve, so it read and ranked every
entry: 6.5 s at 65,000 articles). PostgreSQL then either walks the newest articles
until it has enough matches (common words) or reads the few matches from the index
(rare words). SQLite (tests, the demo) asks Wagtail's backend for every match: it
holds demo-sized sites only.

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
from django.db.models import CharField, Exists, F, OuterRef, Q
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.search.models import IndexEntry

from .models import ArticlePage, ArticlePageQuerySet, SectionPage

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
    ranked_ids = ranked_in_index(filters) if connection.vendor == "postgresql" else ranked_in_python(filters)
    position = {pk: n for n, pk in enumerate(ranked_ids)}
    found = ArticlePage.objects.published().for_listing().filter(pk__in=ranked_ids)
    return sorted(found, key=lambda page: position[page.pk])


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


def ranked_in_python(filters: SearchFilters) -> list[int]:
    """SQLite (tests, the demo): the same order, from every match Wagtail's backend finds."""
    live = ArticlePage.objects.live().search(filters.query, operator="and", order_by_relevance=False)
    candidates = filtered(filters).filter(pk__in=[page.pk for page in live]).values_list("pk", "title")
    words = _TERM.findall(filters.query.lower())
    in_headline = [(pk, sum(word in title.lower() for word in words)) for pk, title in candidates[:MAX_RANKED]]
    return [pk for pk, _ in sorted(in_headline, key=lambda row: -row[1])]


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
    candidates = [
        str(pk) for pk in filtered(filters).filter(Exists(matching)).values_list("pk", flat=True)[:MAX_RANKED]
    ]
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
