"""Older and Newer links carry a list position (`?before=` / `?after=`), so a deep page costs what page 2 does."""

import datetime
from typing import Any, cast

import pytest
from django.conf import settings
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from newsdesk.articles import selectors
from newsdesk.articles.pagination import CURSOR_PATTERN, Cursor, paginate_uncounted

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def seven(article_factory):
    """Seven World articles an hour apart, except "Story 3" and "Story 4", published at the same instant."""
    times = [NOON - n * HOUR for n in (0, 1, 2, 3, 3, 5, 6)]
    return [article_factory(headline=f"Story {n}", section="world", published_at=when) for n, when in enumerate(times)]


def read(sections, **query):
    request = RequestFactory().get("/world/", query)
    return paginate_uncounted(request, selectors.section_articles(sections["world"]), per_page=2)


def titles(page):
    return [article.title for article in page.object_list]


def follow(sections, query):
    """The page a link's query (`page=2&before=…`) leads to."""
    return read(sections, **dict(part.split("=") for part in query.split("&")))


def test_following_older_links_reads_every_article_once_in_list_order(seven, sections):
    page, seen, numbers = read(sections), [], []
    while True:
        seen += titles(page)
        numbers.append(page.number)
        if not page.has_next():
            break
        page = follow(sections, page.older_query)
    assert seen == titles_in_order(sections)
    assert numbers == [1, 2, 3, 4]


def titles_in_order(sections):
    return [article.title for article in selectors.section_articles(sections["world"])]


def test_articles_published_at_the_same_instant_are_split_by_id_without_loss(seven, sections):
    second = follow(sections, read(sections).older_query)
    third = follow(sections, second.older_query)
    # "Story 3" and "Story 4" share a time; the one with the higher id comes first in the list.
    assert titles(second) + titles(third) == titles_in_order(sections)[2:6]
    assert sorted(titles(second)[1:] + titles(third)[:1]) == ["Story 3", "Story 4"]


def test_a_position_page_shows_what_the_same_numbered_page_shows(seven, sections):
    second = follow(sections, read(sections).older_query)
    assert titles(second) == titles(read(sections, page="2"))


def test_newer_links_walk_back_to_the_first_page(seven, sections):
    pages = [read(sections)]
    while pages[-1].has_next():
        pages.append(follow(sections, pages[-1].older_query))
    back = pages[-1]
    walked = [titles(back)]
    while back.has_previous():
        back = follow(sections, back.newer_query)
        walked.append(titles(back))
    assert walked == [titles(page) for page in reversed(pages)]
    assert (back.number, back.has_previous()) == (1, False)


def test_the_second_pages_newer_link_is_the_plain_first_page(seven, sections):
    second = follow(sections, read(sections).older_query)
    assert second.newer_query == "page=1"


def test_a_newer_link_with_less_than_a_page_above_it_shows_the_first_page(seven, sections):
    # A position just below the newest article: only one article is newer than it.
    newest = selectors.section_articles(sections["world"]).first()
    below = Cursor(published_at=newest.first_published_at - datetime.timedelta(microseconds=1), pk=1)
    page = read(sections, page="5", after=below.token())
    assert (page.number, titles(page), page.has_previous()) == (1, titles_in_order(sections)[:2], False)


def test_a_position_below_the_oldest_article_is_not_found(seven, sections):
    oldest = Cursor.of(selectors.section_articles(sections["world"]).last())
    with pytest.raises(Http404):
        read(sections, page="9", before=oldest.token())


def test_a_position_never_reveals_a_draft_or_a_future_article(seven, sections, article_factory):
    article_factory(headline="Future", section="world", published_at=timezone.now() + datetime.timedelta(days=30))
    draft = article_factory(headline="Draft", section="world", published_at=NOON - 2 * HOUR)
    draft.unpublish()
    above_everything = Cursor(published_at=timezone.now() + datetime.timedelta(days=365), pk=10**9)
    everything = []
    page = read(sections, page="2", before=above_everything.token())
    while True:
        everything += titles(page)
        if not page.has_next():
            break
        page = follow(sections, page.older_query)
    assert everything == titles_in_order(sections)
    assert "Future" not in everything and "Draft" not in everything


def test_a_cursor_survives_its_link_to_the_microsecond():
    cursor = Cursor(published_at=datetime.datetime(2017, 3, 4, 5, 6, 7, 891234, tzinfo=datetime.UTC), pk=42)
    assert Cursor.parse(cursor.token()) == cursor


def test_the_page_cache_keeps_exactly_the_positions_a_link_can_carry():
    # settings/base.py cannot import app code, so it repeats the pattern: they must not drift.
    allowlist = cast(dict[str, Any], settings.NEWSDESK_PAGE_CACHE)["QUERY_ALLOWLIST"]
    assert allowlist["before"] == allowlist["after"] == CURSOR_PATTERN


@pytest.mark.parametrize(
    "query",
    [
        {"before": "abc"},
        {"before": "12-"},
        {"after": "-12"},
        {"before": "1 2-3"},
        {"before": "999999999999999999-1"},  # past the last date Python can hold
        {"before": "1-1", "after": "1-1"},
    ],
)
def test_anything_but_one_position_is_not_found(seven, sections, query):
    with pytest.raises(Http404):
        read(sections, page="2", **query)
