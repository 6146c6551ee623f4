"""The routes `pages.views` serves outside Wagtail's tree: tags, search and More articles."""

import datetime

import pytest
from django.utils import timezone

from newsdesk.comments.factories import CommentFactory
from newsdesk.recommendations.models import RelatedArticle

pytestmark = pytest.mark.django_db


def test_a_tag_whose_articles_are_all_withdrawn_lists_nothing(client, article_factory, soup):
    article_factory(headline="Withdrawn tagged", tags=["harbour"]).unpublish()
    response = client.get("/tags/harbour/")
    assert response.status_code == 200
    assert soup(response).select(".teaser") == []


def test_a_tag_page_lists_its_articles_with_their_comment_counts(client, article_factory, soup):
    story = article_factory(headline="Tagged", tags=["harbour"])
    article_factory(headline="Untagged", tags=["weather"])
    CommentFactory(article=story)
    teaser = soup(client.get("/tags/harbour/")).select(".teaser")
    assert [t.select_one(".teaser__title").get_text(strip=True) for t in teaser] == ["Tagged"]
    assert teaser[0].select_one(".teaser__comments").get_text(strip=True) == "1 comment"


def test_search_without_a_query_shows_the_form_and_no_results(client, article_factory, soup):
    article_factory(headline="Anything")
    page = soup(client.get("/search/"))
    assert page.select_one("form.search-form") is not None
    assert page.select_one("#results-title") is None


def test_search_pages_link_on_with_the_filters_and_one_page_number(client, article_factory, soup):
    for n in range(11):
        article_factory(headline=f"Ferry timetable {n}", section="local", body=["The ferry sails at dawn."])
    page = soup(client.get("/search/", {"q": "ferry", "section": "local", "page": "1"}))
    href = page.select_one(".pagination a[rel=next]")["href"]
    assert href.count("page=") == 1
    assert href.endswith("&page=2")
    assert "q=ferry" in href and "section=local" in href


def test_more_articles_of_an_unknown_article_are_404(client, sections):
    assert client.get("/related/987654/").status_code == 404


def test_more_articles_answer_get_only(client, article_factory):
    story = article_factory()
    assert client.post(f"/related/{story.pk}/").status_code == 405


def test_more_articles_beyond_the_last_related_one_are_404(client, article_factory):
    story = article_factory(section="culture")
    article_factory(section="culture")
    assert client.get(f"/related/{story.pk}/", {"page": "2"}).status_code == 404


@pytest.mark.parametrize("page", ["²", "٣", "0", "-1", "x"])
def test_more_articles_with_a_page_that_is_not_a_plain_number_are_404(client, article_factory, page):
    story = article_factory()
    assert client.get(f"/related/{story.pk}/", {"page": page}).status_code == 404


def test_more_articles_of_an_article_without_any_say_so(client, article_factory, soup):
    story = article_factory(headline="Alone", section="culture")
    response = client.get(f"/related/{story.pk}/")
    assert response.status_code == 200
    page = soup(response)
    assert page.select(".teaser") == []
    assert page.select_one(".pagination") is None
    assert page.select_one("meta[name=robots]")["content"] == "noindex, follow"


def test_more_articles_leave_out_withdrawn_and_future_ones(client, article_factory, soup):
    story = article_factory(headline="Current", section="world")
    kept = article_factory(headline="Kept", section="sport")
    gone = article_factory(headline="Gone", section="sport")
    later = article_factory(headline="Later", section="sport", published_at=timezone.now() + datetime.timedelta(days=1))
    RelatedArticle.objects.all().delete()
    for related in (kept, gone, later):
        RelatedArticle.objects.create(article=story, related=related, score=0.5)
    gone.unpublish()
    titles = [a.get_text() for a in soup(client.get(f"/related/{story.pk}/")).select(".teaser__title a")]
    assert titles == ["Kept"]


def test_the_last_more_articles_page_links_back_but_not_on(client, article_factory, soup):
    story = article_factory(headline="Current", section="world")
    for n in range(8):
        article_factory(headline=f"World {n}", section="world")
    page = soup(client.get(f"/related/{story.pk}/", {"page": "2"}))
    assert page.select_one(".pagination a[rel=prev]")["href"] == "?page=1"
    assert page.select_one(".pagination a[rel=next]") is None
    assert len(page.select(".teaser")) == 2
