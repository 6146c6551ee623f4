"""A tag page reads the tag's own rows, newest first, by their copy of the publication time (ArticleTag)."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from newsdesk.articles import selectors
from newsdesk.articles.models import ArticlePage, ArticleTag
from newsdesk.articles.pagination import paginate_uncounted

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def housing():
    return Tag.objects.get(slug="housing")


def titles(articles):
    return [article.title for article in articles]


def row_times(article):
    return set(ArticleTag.objects.filter(content_object=article).values_list("published_at", flat=True))


def test_a_publish_gives_each_tag_row_the_articles_first_publication_time(article_factory):
    story = article_factory(headline="Rents", tags=["housing", "transport"], published_at=NOON)
    assert row_times(story) == {NOON}


def test_a_tag_added_in_a_later_revision_takes_the_time_when_that_is_published(article_factory):
    story = article_factory(headline="Rents", tags=["housing"], published_at=NOON)
    article_factory(headline="Newer", tags=["council"], published_at=NOON + HOUR)
    draft = story.get_latest_revision_as_object()
    draft.tags.add("council")
    draft.save_revision().publish()
    assert row_times(story) == {NOON}
    # Listed at its own time, below the newer article, not first as a fresh row would be.
    assert titles(selectors.tag_articles(Tag.objects.get(slug="council"))) == ["Newer", "Rents"]


def test_a_tag_row_of_an_article_never_published_has_no_time_and_is_not_listed(article_factory):
    article_factory(headline="Shown", tags=["housing"], published_at=NOON)
    draft = article_factory(headline="Held back", tags=["housing"], published_at=NOON + HOUR)
    draft.unpublish()
    ArticlePage.objects.filter(pk=draft.pk).update(first_published_at=None)
    ArticleTag.objects.filter(content_object=draft).update(published_at=None)
    assert titles(selectors.tag_articles(housing())) == ["Shown"]


def test_the_tag_list_follows_the_rows_time_not_the_order_of_tagging(article_factory):
    # Tagged oldest last: the rows' ids run the other way from their times.
    for n in (1, 3, 2):
        article_factory(headline=f"Story {n}", tags=["housing"], published_at=NOON - n * HOUR)
    assert titles(selectors.tag_articles(housing())) == ["Story 1", "Story 2", "Story 3"]


@pytest.fixture
def seven(article_factory):
    """Seven housing articles an hour apart, except "Story 3" and "Story 4", published at the same instant."""
    times = [NOON - n * HOUR for n in (0, 1, 2, 3, 3, 5, 6)]
    for n, when in enumerate(times):
        article_factory(headline=f"Story {n}", tags=["housing"], published_at=when)


def read(**query):
    request = RequestFactory().get("/tags/housing/", query)
    return paginate_uncounted(request, selectors.tag_articles(housing()), per_page=2, position=selectors.LIST_TIME)


def follow(query):
    return read(**dict(part.split("=") for part in query.split("&")))


def test_older_links_through_a_tag_list_read_every_article_once_in_order(seven):
    page, seen = read(), []
    while True:
        seen += titles(page.object_list)
        if not page.has_next():
            break
        page = follow(page.older_query)
    assert seen == titles(selectors.tag_articles(housing()))
    assert len(seen) == 7 and sorted(seen[3:5]) == ["Story 3", "Story 4"]


def test_newer_links_through_a_tag_list_walk_back_to_its_first_page(seven):
    pages = [read()]
    while pages[-1].has_next():
        pages.append(follow(pages[-1].older_query))
    back, walked = pages[-1], []
    while back.has_previous():
        back = follow(back.newer_query)
        walked.append(titles(back.object_list))
    assert walked == [titles(page.object_list) for page in reversed(pages[:-1])]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
def test_a_tag_page_finds_its_newest_articles_in_the_tag_rows_time_index(seven):
    with CaptureQueriesContext(connection) as queries:
        read()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries.captured_queries[-1]["sql"])
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING COVERING INDEX article_tag_newest_idx" in plan or "USING INDEX article_tag_newest_idx" in plan
