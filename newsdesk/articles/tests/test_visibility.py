"""Drafts, future, expired and private articles never reach readers."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from newsdesk.articles.models import ArticlePage

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/local/", "/articles/", "/authors/jonas-falk/", "/tags/transport/"]


@pytest.fixture
def visible(article_factory):
    return article_factory(headline="Visible story", authors=["Jonas Falk"], tags=["transport"])


def hidden_everywhere(client, headline: str) -> None:
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert headline not in response.content.decode(), url


def test_visible_article_is_listed(client, visible):
    for url in PUBLIC_PAGES:
        assert "Visible story" in client.get(url).content.decode(), url


def test_draft_is_hidden(client, visible, article_factory):
    draft = article_factory(headline="Draft story", authors=["Jonas Falk"], tags=["transport"])
    draft.unpublish()
    hidden_everywhere(client, "Draft story")
    assert client.get(f"/2025/01/01/{draft.slug}/").status_code == 404


def test_future_article_is_hidden_and_not_live(client, visible, article_factory):
    future = article_factory(
        headline="Tomorrow story",
        authors=["Jonas Falk"],
        tags=["transport"],
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    assert not future.live
    hidden_everywhere(client, "Tomorrow story")
    assert client.get(future.dated_path()).status_code == 404


def test_live_article_with_a_future_first_publication_is_hidden(client, visible, article_factory):
    article = article_factory(headline="Embargoed story", authors=["Jonas Falk"], tags=["transport"])
    ArticlePage.objects.filter(pk=article.pk).update(first_published_at=timezone.now() + datetime.timedelta(hours=2))
    hidden_everywhere(client, "Embargoed story")


def test_expired_article_is_hidden_before_the_scheduler_runs(client, visible, article_factory):
    expired = article_factory(headline="Expired story", authors=["Jonas Falk"], tags=["transport"])
    ArticlePage.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    hidden_everywhere(client, "Expired story")
    assert client.get(expired.url).status_code == 404


def test_private_article_is_hidden(client, visible, article_factory):
    private = article_factory(headline="Private story", authors=["Jonas Falk"], tags=["transport"])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    hidden_everywhere(client, "Private story")
    assert client.get(private.url).status_code == 404


def test_private_section_hides_its_articles_from_lists(client, sections, visible, article_factory):
    article_factory(headline="Sport secret", section="sport")
    PageViewRestriction.objects.create(page=sections["sport"], restriction_type=PageViewRestriction.LOGIN)
    assert "Sport secret" not in client.get("/").content.decode()


def test_lifting_a_restriction_shows_the_article_again(client, visible, article_factory):
    article = article_factory(headline="Formerly private")
    restriction = PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    assert "Formerly private" not in client.get("/articles/").content.decode()
    restriction.delete()
    assert "Formerly private" in client.get("/articles/").content.decode()


def test_a_private_section_gets_no_row_on_the_home_page(client, sections, soup, article_factory):
    article_factory(headline="Lead story", section="culture")  # the newest: the lead, in no row
    article_factory(headline="Sport story", section="sport")
    article_factory(headline="Local story", section="local")
    assert soup(client.get("/")).select("#row-sport")
    PageViewRestriction.objects.create(page=sections["sport"], restriction_type=PageViewRestriction.LOGIN)
    rows = soup(client.get("/")).select(".section-row h2")
    assert [row["id"] for row in rows] == ["row-local"]
