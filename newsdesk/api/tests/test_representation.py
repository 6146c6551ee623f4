"""The article representation the API and the webhooks share."""

from collections.abc import Callable
from typing import Any

import pytest

from newsdesk.api.representation import article_representation
from newsdesk.articles.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_article_carries_what_its_page_shows(article_factory: Callable[..., ArticlePage]) -> None:
    article = article_factory(with_image=True, section="world", headline="Harbour reopens")
    data = article_representation(article)
    assert data["headline"] == "Harbour reopens"
    assert data["url"] == f"http://localhost{article.dated_path()}"
    assert data["canonical_url"] == data["url"]
    assert data["sections"][0]["slug"] == "world"
    assert data["authors"][0]["url"].startswith("http://localhost/authors/")
    # The page's 16:9 sizes, never larger than the 640 px original.
    sizes = [(r["width"], r["height"]) for r in data["lead_image"]["renditions"]]
    assert sizes == [(480, 270), (640, 360), (640, 360)]
    assert data["lead_image"]["renditions"][0]["url"].startswith("http://localhost/")
    assert {block["type"] for block in data["body"]} == {"paragraph", "quote"}
    assert data["body_html"].startswith("<p>")
    assert data["reading_time"].endswith("read")


def test_corrections_listed(article_factory: Callable[..., Any]) -> None:
    from newsdesk.articles.corrections import correction_add
    from newsdesk.articles.models import Correction

    article = article_factory()
    correction_add(article=article, kind=Correction.Kind.CORRECTION, text="It was 12.", significant=True, user=None)
    article = ArticlePage.objects.get(pk=article.pk)
    assert [item["text"] for item in article_representation(article)["corrections"]] == ["It was 12."]
