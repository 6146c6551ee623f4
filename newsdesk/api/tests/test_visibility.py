"""Only what `published()` allows, on every endpoint: drafts, scheduled, expired and private articles are 404s."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from newsdesk.articles.models import ArticlePage

pytestmark = pytest.mark.django_db


def listed_ids(api: Any) -> set[int]:
    """Every article id the lists show: all articles, the section's, the home page's lead and rows."""
    found = {
        item["id"]
        for path in ("/api/v1/articles/", "/api/v1/articles/?section=local")
        for item in api(path).json()["results"]
    }
    home = api("/api/v1/home/").json()
    found |= {item["id"] for item in [home["lead"], *[a for row in home["rows"] for a in row["articles"]]] if item}
    return found


def hidden(api: Any, article: ArticlePage, dated: str | None) -> bool:
    by_id = api(f"/api/v1/articles/{article.pk}/").status_code
    by_path = api(f"/api/v1/articles{dated}").status_code if dated else 404
    return by_id == 404 and by_path == 404 and article.pk not in listed_ids(api)


@pytest.fixture
def shown(article_factory: Callable[..., ArticlePage]) -> ArticlePage:
    return article_factory(section="local")


def test_a_published_article_is_shown(api: Any, shown: ArticlePage) -> None:
    assert not hidden(api, shown, shown.dated_path())


def test_unpublished(api: Any, shown: ArticlePage) -> None:
    dated = shown.dated_path()
    shown.unpublish()
    assert hidden(api, shown, dated)


def test_scheduled_for_the_future(api: Any, article_factory: Callable[..., ArticlePage]) -> None:
    future = article_factory(section="local", published_at=timezone.now() + datetime.timedelta(days=1))
    assert hidden(api, future, future.dated_path())


def test_expired(api: Any, shown: ArticlePage) -> None:
    dated = shown.dated_path()
    ArticlePage.objects.filter(pk=shown.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    assert hidden(api, shown, dated)


def test_private(api: Any, shown: ArticlePage) -> None:
    PageViewRestriction.objects.create(page=shown, restriction_type=PageViewRestriction.LOGIN)
    assert hidden(api, shown, shown.dated_path())


def test_in_a_private_section(api: Any, shown: ArticlePage, sections: Any) -> None:
    PageViewRestriction.objects.create(page=sections["local"], restriction_type=PageViewRestriction.LOGIN)
    assert hidden(api, shown, shown.dated_path())
