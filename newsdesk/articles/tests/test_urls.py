import datetime

import pytest
from django.utils import timezone
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def berlin(year: int, month: int, day: int, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def test_article_url_is_dated_in_site_time_zone(article_factory):
    # 23:30 UTC on Oct 20 is already Oct 21 in Berlin.
    article = article_factory(
        published_at=datetime.datetime(2025, 10, 20, 23, 30, tzinfo=datetime.UTC), headline="Late vote"
    )
    assert article.url == "/2025/10/21/late-vote/"


def test_pageurl_and_full_url_emit_the_dated_url(article_factory):
    article = article_factory(published_at=berlin(2025, 3, 4, 9, 0), headline="Bridge opens")
    assert article.full_url == "http://localhost/2025/03/04/bridge-opens/"
    assert Page.objects.get(pk=article.pk).specific.url == "/2025/03/04/bridge-opens/"


def test_dated_url_serves_the_article(client, article_factory, soup):
    article = article_factory(headline="Library opens late")
    response = client.get(article.url)
    assert response.status_code == 200
    assert soup(response).h1.get_text(strip=True) == "Library opens late"


def test_wrong_date_redirects_permanently_to_the_real_one(client, article_factory):
    article = article_factory(published_at=berlin(2025, 3, 4, 9, 0), headline="Bridge opens")
    response = client.get("/2024/01/01/bridge-opens/")
    assert response.status_code == 301
    assert response["Location"] == article.url


def test_tree_url_redirects_to_the_dated_url(client, article_factory):
    article = article_factory(published_at=berlin(2025, 3, 4, 9, 0), headline="Bridge opens")
    response = client.get("/articles/bridge-opens/")
    assert response.status_code == 301
    assert response["Location"] == article.url


def test_unknown_slug_is_404(client, sections):
    assert client.get("/2025/03/04/no-such-story/").status_code == 404


def test_same_headline_twice_gets_distinct_urls(article_factory):
    first = article_factory(headline="Rain again")
    second = article_factory(headline="Rain again")
    assert first.url != second.url
    assert second.slug == "rain-again-2"


def test_long_headline_slug_is_cut_at_a_word(article_factory):
    article = article_factory(headline="A " + "very " * 30 + "long headline")
    assert len(article.slug) <= 70
    assert not article.slug.endswith("-")
    assert article.slug.rsplit("-", 1)[-1] == "very"
