"""Listing pages (home, section, author, tag, archive) keep their parts like articles: pinned queries, same purges."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment
from newsdesk.comments.services import moderate
from newsdesk.core import fragments
from newsdesk.pages import teasers as teaser_cache
from newsdesk.recommendations.factories import views_rows

pytestmark = pytest.mark.django_db

LISTINGS = ["/", "/local/", "/authors/jonas-falk/", "/tags/housing/", "/articles/"]


@pytest.fixture
def listed(article_factory):
    stories = [
        article_factory(headline=f"Story {n}", section="local", authors=["Jonas Falk"], tags=["housing"])
        for n in range(6)
    ]
    views_rows(stories[2], 20, hours_ago=2)
    return stories


def titles(page):
    return [a.get_text(strip=True) for a in page.select(".teaser__title a")]


# Cold: every kept part dropped (as after a section, author or settings change), the
# shared caches (menu, renditions, the site's answer) warm. Warm: rendered again,
# nothing changed: only what finds the page. Wagtail's routing for home, section and
# archive (the tree down to the page, the view restrictions Wagtail checks before
# serving) costs 3 on home, 5 a level down; author and tag pages read their author or tag.
# Cold adds: the private paths and the next expiry (once per generation); then home:
# lead and Latest, the sections (their restrictions are the private paths), every row in one query, the
# most read ids and one teaser query for both windows; lists: the page, never counted
# (its ids and rows in one query; a section's articles filed under it twice are one);
# an author's photo and links.
COLD = {"/": 10, "/local/": 9, "/authors/jonas-falk/": 7, "/tags/housing/": 5, "/articles/": 9}
WARM = {"/": 3, "/local/": 5, "/authors/jonas-falk/": 1, "/tags/housing/": 1, "/articles/": 5}


@pytest.mark.parametrize("url", LISTINGS)
def test_a_listing_rendered_with_every_part_dropped_costs_a_constant_few_queries(
    client, listed, url, django_assert_num_queries
):
    client.get(url)
    fragments.bump(fragments.LISTS, fragments.ARTICLES)
    with django_assert_num_queries(COLD[url]):
        assert client.get(url).status_code == 200


# At a stopped clock: the home page's Most read part is kept per minute (pages/selectors.py),
# so a minute turning between the two requests renders it again.
@pytest.mark.time_machine(datetime.datetime(2026, 3, 10, 15, 0, 30, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize("url", LISTINGS)
def test_a_listing_rendered_again_reads_almost_nothing(client, listed, url, django_assert_num_queries):
    client.get(url)
    with django_assert_num_queries(WARM[url]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", LISTINGS)
def test_a_new_article_shows_on_kept_listings(client, listed, article_factory, soup, url):
    client.get(url)
    # The factory dates each article before the last: this one is the newest, so home leads with it.
    article_factory(
        headline="Fresh news", section="local", authors=["Jonas Falk"], tags=["housing"], published_at=timezone.now()
    )
    assert "Fresh news" in titles(soup(client.get(url)))


@pytest.mark.parametrize("url", LISTINGS)
def test_an_unpublished_article_leaves_kept_listings_at_once(client, listed, soup, url):
    assert "Story 5" in titles(soup(client.get(url)))
    listed[5].unpublish()
    assert "Story 5" not in titles(soup(client.get(url)))


@pytest.mark.parametrize("url", LISTINGS)
def test_an_expired_article_leaves_kept_listings_before_the_scheduler_unpublishes_it(
    client, listed, soup, url, monkeypatch
):
    listed[5].expire_at = timezone.now() + datetime.timedelta(hours=1)
    listed[5].save()
    assert "Story 5" in titles(soup(client.get(url)))
    later = timezone.now() + datetime.timedelta(hours=2)
    # The clock moves for the lists' keys and for the database's rule alike.
    monkeypatch.setattr(teaser_cache, "time", SimpleNamespace(time=lambda: later.timestamp()))
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert "Story 5" not in titles(soup(client.get(url)))
    assert listed[5].live


def test_a_moderated_comment_changes_the_count_on_kept_listings(
    client, listed, soup, django_capture_on_commit_callbacks
):
    held = CommentFactory.create(article=listed[5], status=Comment.Status.PENDING)
    for url in LISTINGS:
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        moderate(held, Comment.Status.APPROVED)
    for url in LISTINGS:
        teaser = next(
            t
            for t in soup(client.get(url)).select(".teaser")
            if t.select_one(".teaser__title").get_text(strip=True) == "Story 5"
        )
        assert teaser.select_one(".teaser__comments").get_text(strip=True) == "1 comment"


def test_renaming_a_section_shows_on_the_kept_home_page(client, listed, sections, soup):
    client.get("/")
    sections["local"].title = "Our town"
    sections["local"].save_revision().publish()
    page = soup(client.get("/"))
    assert "Our town" in [row.h2.get_text(strip=True) for row in page.select(".section-row")]


def test_renaming_an_author_shows_on_the_kept_author_page(client, listed, soup):
    from newsdesk.articles.models import Author

    client.get("/authors/jonas-falk/")
    author = Author.objects.get(slug="jonas-falk")
    author.bio = "Covers housing."
    author.save()
    header = soup(client.get("/authors/jonas-falk/")).select_one(".author-header")
    assert "Covers housing." in header.get_text()


@pytest.mark.parametrize("url", ["/local/", "/authors/jonas-falk/", "/tags/housing/", "/articles/"])
def test_pages_of_a_kept_list_are_kept_apart_and_past_the_end_is_still_404(client, listed, soup, settings, url):
    settings.NEWSDESK_PAGE_SIZE = 4
    first = titles(soup(client.get(url)))
    second = titles(soup(client.get(url, {"page": 2})))
    assert len(first) == 4
    assert len(second) == 2
    assert not set(first) & set(second)
    for _ in range(2):
        assert client.get(url, {"page": 3}).status_code == 404
        assert client.get(url, {"page": "x"}).status_code == 404
