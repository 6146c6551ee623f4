"""Writes the search rows (models.ArticleSearchRow) from Wagtail's index entries, on PostgreSQL.

A row is copied, in SQL, from what the article's index entry and page hold at that moment:
the headline vector (weight A) and the standfirst and body vector (weight D) in one, the
headline vector again on its own, the first publication time and the primary section.
The search backend (search_backend.py) calls `refresh` each time Wagtail writes an
article's index entry, so every path that keeps Wagtail's index current keeps the rows
current too: publishing, unpublishing and editing
(the index task that follows a save), deleting, `update_index`, and bulk loads that add
entries in batches (generate_archive, the WordPress import, ingest). `rebuild` writes
them all again from the index entries in one statement (`manage.py rebuild_search_rows`).

Only live articles that have been published get a row: a draft's index entry holds its
draft text, which no reader may find. Rows are never the last word on visibility (see
the model), so one left behind by a change that bypasses Wagtail's index is harmless.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from wagtail.models import Page
from wagtail.search.models import IndexEntry

from .models import ArticlePage, ArticleSearchRow

# The rows due to live, published articles (narrowed by `where`), as their page and index entry say now.
_SELECT = """
    SELECT article.page_ptr_id, page.first_published_at, article.primary_section_id,
           setweight(entry.title, 'A') || setweight(entry.body, 'D'), entry.title
    FROM {article} article
    JOIN {page} page ON page.id = article.page_ptr_id
    JOIN {entry} entry ON entry.content_type_id = %s AND entry.object_id = article.page_ptr_id::text
    WHERE page.live AND page.first_published_at IS NOT NULL {where}
"""
_UPSERT = """
    INSERT INTO {row} (article_id, published_at, section_id, document, headline) {select}
    ON CONFLICT (article_id) DO UPDATE
    SET published_at = EXCLUDED.published_at, section_id = EXCLUDED.section_id, document = EXCLUDED.document,
        headline = EXCLUDED.headline
"""


def _sql(template: str, **parts: str) -> str:
    quote = connection.ops.quote_name
    tables = {
        "article": quote(ArticlePage._meta.db_table),
        "page": quote(Page._meta.db_table),
        "entry": quote(IndexEntry._meta.db_table),
        "row": quote(ArticleSearchRow._meta.db_table),
    }
    return template.format(**tables, **parts)


def _content_type() -> int:
    return ContentType.objects.get_for_model(ArticlePage).pk


def refresh(pks: Iterable[int | str]) -> None:
    """Bring the rows of these pages in line with their index entries: written, replaced or removed.

    Any page may be named: pages that are not live, published articles lose their row.
    """
    ids = sorted({int(pk) for pk in pks})
    if not ids or connection.vendor != "postgresql":
        return
    select = _sql(_SELECT, where="AND article.page_ptr_id = ANY(%s)")
    with transaction.atomic(), connection.cursor() as cursor:
        # Delete, then write what is still due: a page that stopped being a live article has none.
        # Upserted, not inserted: a refresh of the same page committing meanwhile wrote one.
        cursor.execute(_sql("DELETE FROM {row} WHERE article_id = ANY(%s)"), [ids])
        cursor.execute(_sql(_UPSERT, select=select), [_content_type(), ids])


def forget(pks: Iterable[int | str]) -> None:
    """Remove the rows of these pages (their index entries are being deleted)."""
    ids = sorted({int(pk) for pk in pks})
    if ids and connection.vendor == "postgresql":
        ArticleSearchRow.objects.filter(article_id__in=ids).delete()


def clear() -> None:
    if connection.vendor == "postgresql":
        ArticleSearchRow.objects.all().delete()


def rebuild() -> int:
    """Every row again from the index entries, in one transaction; returns how many there are.

    Readers searching meanwhile see the old rows until it commits. Fresh planner statistics
    follow: the choice between walking the newest rows and reading the index depends on them.
    """
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_sql("DELETE FROM {row}"))
        cursor.execute(_sql(_UPSERT, select=_sql(_SELECT, where="")), [_content_type()])
        count = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute(_sql("ANALYZE {row}"))
    return count
