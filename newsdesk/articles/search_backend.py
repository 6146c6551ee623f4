"""Wagtail's database search backend, which on PostgreSQL also keeps the article search rows.

Configured as the default search backend (settings: WAGTAILSEARCH_BACKENDS). Every write
to Wagtail's index goes through the index below, whoever makes it: the task that follows
a page's save, a delete, `update_index`, or a bulk load's `add_bulk`. Right after an
article's entry is written its search row is copied from it (search_rows.py), in the
same transaction. On SQLite (tests, the demo) this is Wagtail's backend unchanged, and
site search asks it directly.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.backends.database.postgres.postgres import PostgresIndex, PostgresSearchBackend
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from . import search_rows
from .models import ArticlePage


def _concerns_articles(model: type[Any]) -> bool:
    # A save of an article as a plain Page (tree moves) can change whether it is live.
    return issubclass(model, ArticlePage) or model is Page


class ArticleRowsIndex(PostgresIndex):
    def add_items(self, model: type[Any], objs: list[Any]) -> None:
        super().add_items(model, objs)
        if _concerns_articles(model):
            search_rows.refresh(obj.pk for obj in objs)

    def delete_item(self, item: Any) -> None:
        super().delete_item(item)
        if _concerns_articles(type(item)):
            search_rows.forget([item.pk])

    def reset(self) -> None:
        super().reset()
        search_rows.clear()


class ArticleRowsBackend(PostgresSearchBackend):
    index_class = ArticleRowsIndex
    keeps_search_rows = True


def SearchBackend(params: dict[str, Any]) -> Any:
    """The name Wagtail looks for in a backend module; the PostgreSQL backend keeps the search rows."""
    if connection.vendor == "postgresql":
        return ArticleRowsBackend(params)
    return database_backend(params)


def keeps_search_rows() -> bool:
    """Whether the search rows are kept current: the default backend is this one, on PostgreSQL.

    With another backend (OpenSearch) they are not, and site search asks that backend instead.
    """
    return getattr(get_search_backend(), "keeps_search_rows", False)
