"""ETag/304, Cache-Control, the page cache (anonymous only) and its purge when an article changes."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from newsdesk.articles.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_etag_and_304(api: Any, article_factory: Callable[..., ArticlePage]) -> None:
    article = article_factory()
    first = api(f"/api/v1/articles/{article.pk}/")
    assert first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"].startswith("public, max-age=")
    assert "Authorization" in first["Vary"]
    again = api(f"/api/v1/articles/{article.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = api(f"/api/v1/articles/{article.pk}/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert api("/api/v1/articles/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_lists_answer_304_to_their_etag(api: Any, article_factory: Callable[..., ArticlePage]) -> None:
    article_factory()
    first = api("/api/v1/articles/")
    assert api("/api/v1/articles/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_anonymous_answers_are_kept_and_purged_on_publish(
    api: Any, page_cache_on: None, article_factory: Callable[..., ArticlePage], django_capture_on_commit_callbacks: Any
) -> None:
    article_factory(section="world")
    api("/api/v1/articles/?section=world")
    kept = api("/api/v1/articles/?section=world")
    assert kept["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        newer = article_factory(section="world")
    fresh = api("/api/v1/articles/?section=world")
    assert fresh.get("X-Page-Cache") != "hit"
    assert newer.pk in [item["id"] for item in fresh.json()["results"]]


def test_unpublishing_purges_the_detail(
    api: Any, page_cache_on: None, article_factory: Callable[..., ArticlePage], django_capture_on_commit_callbacks: Any
) -> None:
    article = article_factory()
    path = f"/api/v1/articles/{article.pk}/"
    api(path)
    assert api(path)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert api(path).status_code == 404


def test_requests_with_a_key_never_use_the_shared_copy(
    api: Any, page_cache_on: None, make_key: Any, article_factory: Callable[..., ArticlePage]
) -> None:
    article_factory()
    _key, token = make_key()
    api("/api/v1/articles/")
    keyed = api("/api/v1/articles/", token=token)
    assert keyed.get("X-Page-Cache") is None
    # ... nor store one: the next anonymous request renders its own.
    api("/api/v1/articles/?limit=3", token=token)
    assert api("/api/v1/articles/?limit=3").get("X-Page-Cache") == "miss"


def test_cors_allow_list(client: Client, sections: Any, settings: Any) -> None:
    settings.NEWSDESK_API_CORS_ORIGINS = ["https://partner.example"]
    allowed = client.get("/api/v1/sections/", HTTP_ORIGIN="https://partner.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://partner.example"
    assert "Origin" in allowed["Vary"]
    other = client.get("/api/v1/sections/", HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in other


def test_no_cors_headers_by_default(client: Client, sections: Any) -> None:
    assert "Access-Control-Allow-Origin" not in client.get("/api/v1/sections/", HTTP_ORIGIN="https://x.example")
