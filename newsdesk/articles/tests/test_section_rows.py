"""A section page reads the section's own rows, newest first, by their copy of the publication time
(models.SectionListing), written whole at each publish."""

import datetime
import importlib

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from newsdesk.articles import selectors
from newsdesk.articles.models import ArticlePage, SectionListing
from newsdesk.articles.pagination import paginate_uncounted
from newsdesk.articles.services import list_in_sections

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def titles(articles):
    return [article.title for article in articles]


def rows(article):
    return {(row.section.slug, row.published_at) for row in SectionListing.objects.filter(article=article)}


def listed(sections, slug):
    return titles(selectors.section_articles(sections[slug]))


def test_a_publish_lists_the_article_in_its_primary_and_extra_sections_at_its_first_publication_time(
    article_factory, sections
):
    story = article_factory(headline="Ferry", section="world", published_at=NOON)
    draft = story.get_latest_revision_as_object()
    draft.extra_sections.add(sections["local"])
    draft.save_revision().publish()
    assert rows(story) == {("world", NOON), ("local", NOON)}


def test_an_extra_section_in_an_unpublished_revision_is_not_listed_until_it_is_published(article_factory, sections):
    story = article_factory(headline="Ferry", section="world", published_at=NOON)
    draft = story.get_latest_revision_as_object()
    draft.extra_sections.add(sections["local"])
    revision = draft.save_revision()
    assert listed(sections, "local") == []
    revision.publish()
    assert listed(sections, "local") == ["Ferry"]


def test_a_section_left_out_of_the_published_revision_no_longer_lists_the_article(article_factory, sections):
    story = article_factory(headline="Ferry", section="world", published_at=NOON)
    story.extra_sections.add(sections["local"])
    story.save_revision().publish()
    page = ArticlePage.objects.get(pk=story.pk)
    page.extra_sections.clear()
    page.primary_section = sections["business"]
    page.save_revision().publish()
    assert rows(story) == {("business", NOON)}
    assert (listed(sections, "world"), listed(sections, "local"), listed(sections, "business")) == ([], [], ["Ferry"])


def test_an_extra_section_equal_to_the_primary_one_lists_the_article_once(article_factory, sections):
    story = article_factory(headline="Ferry", section="world", published_at=NOON)
    story.extra_sections.add(sections["world"])
    story.save_revision().publish()
    assert listed(sections, "world") == ["Ferry"]


def test_an_article_added_to_a_section_later_is_listed_at_its_own_time(article_factory, sections):
    story = article_factory(headline="Ferry", section="world", published_at=NOON)
    article_factory(headline="Newer", section="local", published_at=NOON + HOUR)
    story.extra_sections.add(sections["local"])
    story.save_revision().publish()
    # Below the newer article, not first as a fresh row's time would put it.
    assert listed(sections, "local") == ["Newer", "Ferry"]


def test_an_article_never_published_has_no_rows(article_factory, sections):
    story = article_factory(headline="Held back", section="world", published_at=NOON)
    story.unpublish()
    ArticlePage.objects.filter(pk=story.pk).update(first_published_at=None)
    assert list_in_sections([story.pk]) == 0
    assert rows(story) == set()


def test_an_unpublished_article_keeps_its_rows_but_is_not_listed(article_factory, sections):
    # Rows decide the order, never what may be shown: published() does.
    article_factory(headline="Shown", section="world", published_at=NOON)
    gone = article_factory(headline="Withdrawn", section="world", published_at=NOON + HOUR)
    gone.unpublish()
    assert rows(gone) == {("world", NOON + HOUR)}
    assert listed(sections, "world") == ["Shown"]


def test_the_migration_writes_the_rows_a_publish_writes(article_factory, sections):
    one = article_factory(headline="One", section="world", published_at=NOON)
    two = article_factory(headline="Two", section="local", published_at=NOON + HOUR)
    for story, extra in ((one, ["local", "world"]), (two, ["business"])):
        story.extra_sections.add(*[sections[slug] for slug in extra])
        story.save_revision().publish()
    never = article_factory(headline="Never", section="world", published_at=NOON)
    never.extra_sections.add(sections["local"])
    never.save()
    ArticlePage.objects.filter(pk=never.pk).update(first_published_at=None, live=False)
    list_in_sections([never.pk])
    written = {(row.article_id, row.section_id, row.published_at) for row in SectionListing.objects.all()}
    SectionListing.objects.all().delete()
    migration = importlib.import_module("newsdesk.articles.migrations.0008_section_listing")
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL_PRIMARY)
        cursor.execute(migration.BACKFILL_EXTRA)
    assert {(row.article_id, row.section_id, row.published_at) for row in SectionListing.objects.all()} == written
    assert len(written) == 4


@pytest.fixture
def seven(article_factory, sections):
    """Seven local articles an hour apart, two of them at the same instant, and every other one filed
    elsewhere with local as an extra section."""
    times = [NOON - n * HOUR for n in (0, 1, 2, 3, 3, 5, 6)]
    for n, when in enumerate(times):
        story = article_factory(headline=f"Story {n}", section="local" if n % 2 else "world", published_at=when)
        if not n % 2:
            story.extra_sections.add(sections["local"])
            story.save_revision().publish()


def read(sections, **query):
    request = RequestFactory().get("/local/", query)
    queryset = selectors.section_articles(sections["local"])
    return paginate_uncounted(request, queryset, per_page=2, position=selectors.LIST_TIME)


def test_older_links_through_a_section_read_every_article_once_in_order(seven, sections):
    page, seen = read(sections), []
    while True:
        seen += titles(page.object_list)
        if not page.has_next():
            break
        page = read(sections, **dict(part.split("=") for part in page.older_query.split("&")))
    assert len(seen) == 7 and len(set(seen)) == 7
    assert seen == titles(selectors.section_articles(sections["local"]))
    assert sorted(seen[3:5]) == ["Story 3", "Story 4"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
def test_a_section_page_finds_its_newest_articles_in_the_section_rows_time_index(seven, sections):
    with CaptureQueriesContext(connection) as queries:
        read(sections)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries.captured_queries[-1]["sql"])
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "section_listing_newest_idx" in plan
