import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from newsdesk.recommendations.factories import must_read_picks, views_rows
from newsdesk.recommendations.selectors import must_read

pytestmark = pytest.mark.django_db


def titles(items) -> list[str]:
    return [item.title for item in items]


def test_picks_come_first_in_the_editors_order(article_factory):
    first, second, third = (article_factory(headline=f"Pick {n}") for n in (1, 2, 3))
    article_factory(headline="Newest, not picked")
    must_read_picks([third, first, second])
    assert titles(must_read())[:3] == ["Pick 3", "Pick 1", "Pick 2"]


def test_the_block_holds_four_articles(article_factory):
    for n in range(7):
        article_factory(headline=f"Story {n}")
    assert len(must_read()) == 4


def test_an_expired_pick_is_left_out(article_factory):
    for n in range(4):
        article_factory(headline=f"Filler {n}")
    # Older than the fillers, so only the pick could bring them into the block.
    kept, expired = article_factory(headline="Kept"), article_factory(headline="Expired")
    past = timezone.now() - datetime.timedelta(minutes=1)
    must_read_picks([expired, kept], expires_at=[past, None])
    items = titles(must_read())
    assert items[0] == "Kept"
    assert "Expired" not in items


def test_a_pick_that_is_no_longer_published_is_left_out(article_factory):
    withdrawn, kept = article_factory(headline="Withdrawn"), article_factory(headline="Kept")
    must_read_picks([withdrawn, kept])
    withdrawn.unpublish()
    assert "Withdrawn" not in titles(must_read())


def test_a_private_pick_is_left_out(article_factory):
    secret = article_factory(headline="Members only")
    must_read_picks([secret])
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)
    assert "Members only" not in titles(must_read())


def test_free_places_are_filled_with_the_weeks_most_read(article_factory):
    picked = article_factory(headline="Picked")
    popular, quiet = article_factory(headline="Popular"), article_factory(headline="Quiet")
    article_factory(headline="Newest, unread")
    views_rows(popular, 50, hours_ago=30)
    views_rows(quiet, 5, hours_ago=2)
    must_read_picks([picked])
    assert titles(must_read())[:3] == ["Picked", "Popular", "Quiet"]


def test_views_older_than_a_week_do_not_count(article_factory):
    for n in range(4):
        article_factory(headline=f"Recent {n}")
    old_hit = article_factory(headline="Last month's hit")
    views_rows(old_hit, 1000, hours_ago=24 * 8)
    assert "Last month's hit" not in titles(must_read())


@pytest.mark.usefixtures("clock_speed")
def test_with_no_picks_and_no_views_the_newest_fill_the_block(article_factory):
    for n in range(5):
        article_factory(headline=f"Story {n}")
    # The factory makes each article a step older than the one before, however slow the machine.
    assert titles(must_read()) == ["Story 0", "Story 1", "Story 2", "Story 3"]


def test_the_current_article_is_never_its_own_must_read(article_factory):
    current = article_factory(headline="Current")
    must_read_picks([current])
    assert "Current" not in titles(must_read(exclude=[current.pk]))


def test_changing_the_picks_shows_at_once(article_factory):
    first, second = article_factory(headline="First"), article_factory(headline="Second")
    must_read_picks([first])
    assert titles(must_read())[0] == "First"
    must_read_picks([second])
    assert titles(must_read())[0] == "Second"


def test_the_article_page_shows_the_picks(client, article_factory, soup):
    picked = article_factory(headline="Editors love this")
    current = article_factory(headline="Reading now")
    must_read_picks([picked])
    block = soup(client.get(current.url)).select_one(".list-block--must-read")
    assert block.select_one(".teaser__title").get_text(strip=True) == "Editors love this"
