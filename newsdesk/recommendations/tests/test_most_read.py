import datetime

import pytest
from django.utils import timezone

from newsdesk.recommendations.factories import views_rows
from newsdesk.recommendations.selectors import most_read

pytestmark = pytest.mark.django_db


def titles(items) -> list[str]:
    return [item.title for item in items]


def test_most_read_in_24_hours_orders_by_views(article_factory):
    low, high = article_factory(headline="Low"), article_factory(headline="High")
    views_rows(low, 3, hours_ago=1)
    views_rows(high, 9, hours_ago=2)
    assert titles(most_read(hours=24)) == ["High", "Low"]


def test_the_24_hour_window_leaves_out_older_views(article_factory):
    today, last_week = article_factory(headline="Today"), article_factory(headline="Last week")
    views_rows(today, 2, hours_ago=3)
    views_rows(last_week, 90, hours_ago=72)
    assert titles(most_read(hours=24)) == ["Today"]
    assert titles(most_read(hours=24 * 7)) == ["Last week", "Today"]


def test_views_of_one_article_add_up_across_hours(article_factory):
    steady, spike = article_factory(headline="Steady"), article_factory(headline="Spike")
    for hour in range(1, 6):
        views_rows(steady, 3, hours_ago=hour)
    views_rows(spike, 12, hours_ago=1)
    assert titles(most_read(hours=24)) == ["Steady", "Spike"]


def test_drafts_future_and_expired_articles_never_rank(article_factory):
    shown = article_factory(headline="Shown")
    withdrawn = article_factory(headline="Withdrawn")
    future = article_factory(headline="Future", published_at=timezone.now() + datetime.timedelta(days=1))
    expired = article_factory(headline="Expired")
    for item in (shown, withdrawn, future, expired):
        views_rows(item, 10, hours_ago=1)
    withdrawn.unpublish()
    expired.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    expired.save(update_fields=["expire_at"])
    assert titles(most_read(hours=24)) == ["Shown"]


def test_the_home_page_shows_both_windows(client, article_factory, soup):
    story = article_factory(headline="Everybody read this")
    views_rows(story, 40, hours_ago=1)
    block = soup(client.get("/")).select_one(".list-block--most-read")
    assert block.select_one("h2").get_text(strip=True) == "Most read"
    assert [h.get_text(strip=True) for h in block.select("h3")] == ["Last 24 hours", "Last 7 days"]
    assert block.select_one("ol .teaser__title").get_text(strip=True) == "Everybody read this"


def test_no_most_read_block_without_views(client, article_factory, soup):
    article_factory()
    assert soup(client.get("/")).select_one(".list-block--most-read") is None
