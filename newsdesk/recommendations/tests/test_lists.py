import pytest

from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment
from newsdesk.core import fragments
from newsdesk.recommendations.factories import must_read_picks, views_rows
from newsdesk.recommendations.services import compute_all_related

pytestmark = pytest.mark.django_db


def test_teasers_show_thumbnail_section_title_date_and_comment_count(client, article_factory, soup):
    listed = article_factory(headline="Listed story", with_image=True)
    CommentFactory.create_batch(2, article=listed, status=Comment.Status.APPROVED)
    CommentFactory(article=listed, status=Comment.Status.PENDING)
    current = article_factory(headline="Reading now")
    teaser = next(
        t
        for t in soup(client.get(current.url)).select(".list-block--latest .teaser")
        if t.select_one(".teaser__title").get_text(strip=True) == "Listed story"
    )
    img = teaser.select_one("img")
    assert img["width"] and img["height"]
    assert teaser.select_one(".section-label").get_text(strip=True) == "Local"
    assert teaser.select_one("time")["datetime"]
    assert teaser.select_one(".teaser__comments").get_text(strip=True) == "2 comments"


def test_article_page_queries_stay_pinned_with_every_list_filled(client, article_factory, django_assert_num_queries):
    stories = [article_factory(headline=f"Story {n}", tags=["city"]) for n in range(10)]
    must_read_picks(stories[:2])
    views_rows(stories[3], 20, hours_ago=2)
    compute_all_related()
    current = stories[5]
    client.get(current.url)  # warm the site-wide caches (menu, picks, renditions)
    # As after any publish, every list is built again: the article; Latest; Must
    # read's ids (picks, newest); the related ids; Must read's and More articles'
    # teasers in one query; previous and next in one; comments.
    fragments.bump(fragments.LISTS)
    with django_assert_num_queries(8):
        client.get(current.url)


def test_home_page_queries_stay_pinned(client, article_factory, django_assert_num_queries):
    stories = [article_factory(headline=f"Story {n}") for n in range(8)]
    views_rows(stories[2], 20, hours_ago=2)
    client.get("/")
    # Rendered again, its lists kept: Wagtail's routing only (the page, the view
    # restrictions). Every part dropped: newsdesk/pages/tests/test_listing_kept_parts.py.
    with django_assert_num_queries(3):
        client.get("/")
