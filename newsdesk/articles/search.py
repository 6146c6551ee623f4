"""Site search over published articles with Wagtail's search backend.

The backend ranks live articles; the one `published()` rule and the reader's filters
then apply in the database, so a draft, future, expired or private article can never
appear, whatever the backend's index holds.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import ArticlePage, SectionPage

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
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
    ranked = ArticlePage.objects.live().search(filters.query, operator="and", order_by_relevance=True)
    ranked_ids = [page.pk for page in ranked[:MAX_RANKED]]
    queryset = ArticlePage.objects.published().for_listing().filter(pk__in=ranked_ids)
    if filters.section is not None:
        queryset = queryset.filter(primary_section=filters.section)
    if filters.since is not None:
        queryset = queryset.filter(first_published_at__date__gte=filters.since)
    if filters.until is not None:
        queryset = queryset.filter(first_published_at__date__lte=filters.until)
    position = {pk: n for n, pk in enumerate(ranked_ids)}
    return sorted(queryset, key=lambda page: position[page.pk])


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
