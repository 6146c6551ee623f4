"""Constant query counts: a list or an answer costs the same number of queries however many articles it shows."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsdesk.articles.models import ArticlePage

pytestmark = pytest.mark.django_db

# The articles with their section and lead image; bylines with authors and photos; author links;
# extra sections; tags; lead image renditions (authors' photo renditions add one when an author
# has a photo). The rate-limit counter is in the cache, the site root in Wagtail's cached site list.
LIST_QUERIES = 6


def count(api: Any, path: str) -> int:
    api(path)  # shared caches (site roots, restricted paths, renditions) warm, as in production
    with CaptureQueriesContext(connection) as queries:
        response = api(path)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_article_list_queries_do_not_grow_with_the_list(api: Any, article_factory: Callable[..., ArticlePage]) -> None:
    for _ in range(2):
        article_factory(with_image=True, tags=["Harbour", "Trams"])
    few = count(api, "/api/v1/articles/")
    for _ in range(3):
        article_factory(with_image=True, tags=["Council"])
    assert count(api, "/api/v1/articles/") == few == LIST_QUERIES


def test_article_detail_queries(api: Any, article_factory: Callable[..., ArticlePage]) -> None:
    article = article_factory(with_image=True, tags=["Harbour", "Trams"])
    assert count(api, f"/api/v1/articles/{article.pk}/") == LIST_QUERIES


def test_home_queries_do_not_grow_with_its_rows(api: Any, article_factory: Callable[..., ArticlePage]) -> None:
    article_factory(section="world")
    article_factory(section="world")
    few = count(api, "/api/v1/home/")
    for section in ("local", "world", "sport"):
        article_factory(section=section)
    assert count(api, "/api/v1/home/") == few
