"""Site search's own rows on PostgreSQL: kept with Wagtail's index, never the last word on visibility."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from wagtail.models import PageViewRestriction

from newsdesk.articles import search, search_rows
from newsdesk.articles.models import ArticlePage, ArticleSearchRow
from newsdesk.articles.search import SearchFilters, search_articles, search_results

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the search rows are PostgreSQL's"),
]

NOON = datetime.datetime(2025, 3, 4, 11, 0, tzinfo=datetime.UTC)


def found(query, **filters):
    return [page.title for page in search_articles(SearchFilters(query=query, **filters))]


def row_of(article):
    return ArticleSearchRow.objects.filter(article=article).first()


def test_a_published_article_gets_a_row_with_its_time_and_section(article_factory, sections):
    article = article_factory(headline="Harbour reopens", section="local", published_at=NOON)
    row = row_of(article)
    assert (row.published_at, row.section_id) == (NOON, sections["local"].pk)


def test_a_draft_gets_no_row(article_factory):
    draft = article_factory(headline="Harbour plans")
    draft.unpublish()
    assert row_of(draft) is None


def test_unpublishing_removes_the_row(article_factory):
    article = article_factory(headline="Harbour reopens")
    ArticlePage.objects.get(pk=article.pk).unpublish()
    assert row_of(article) is None


def test_deleting_the_article_removes_the_row(article_factory):
    article = article_factory(headline="Harbour reopens")
    ArticlePage.objects.get(pk=article.pk).delete()
    assert not ArticleSearchRow.objects.exists()


def test_a_published_edit_replaces_the_words(article_factory):
    # A standfirst of its own: the factory's names a place, and one of them is "Old Harbour".
    story = article_factory(headline="Harbour reopens", standfirst="Boats are back.", body=["Ferries return."])
    article = ArticlePage.objects.get(pk=story.pk)
    article.title = "Marina reopens"
    article.save_revision().publish()
    assert (found("harbour"), found("marina")) == ([], ["Marina reopens"])


def test_a_published_edit_moves_the_row_to_the_new_section(article_factory, sections):
    article = ArticlePage.objects.get(pk=article_factory(headline="Harbour reopens", section="local").pk)
    article.primary_section = sections["business"]
    article.save_revision().publish()
    assert row_of(article).section_id == sections["business"].pk
    assert found("harbour", section=sections["business"]) == ["Harbour reopens"]


def test_headline_words_rank_first_from_the_rows(article_factory):
    article_factory(headline="Tram depot", body=["Harbour works."], published_at=NOON + datetime.timedelta(days=1))
    article_factory(headline="Harbour tram", body=["Works."], published_at=NOON)
    article_factory(headline="Harbour works", body=["No trams."], published_at=NOON + datetime.timedelta(days=2))
    # Both words in the headline first; then one of them, newest first ("trams" is "tram" to the index).
    assert found("harbour tram") == ["Harbour tram", "Harbour works", "Tram depot"]


# --- a row is only a hint: published() decides -------------------------------------------


@pytest.fixture
def kept_row(article_factory):
    """An article whose row stays as it was while the article is hidden past Wagtail's index."""
    return article_factory(headline="Harbour secret", section="local")


def test_a_row_of_an_article_unpublished_behind_the_index_finds_nothing(kept_row):
    ArticlePage.objects.filter(pk=kept_row.pk).update(live=False)
    assert row_of(kept_row) is not None
    assert found("harbour") == []


def test_a_row_of_an_article_dated_in_the_future_finds_nothing(kept_row):
    ArticlePage.objects.filter(pk=kept_row.pk).update(first_published_at=timezone.now() + datetime.timedelta(hours=1))
    assert found("harbour") == []


def test_a_row_of_an_expired_article_finds_nothing(kept_row):
    ArticlePage.objects.filter(pk=kept_row.pk).update(expire_at=timezone.now() - datetime.timedelta(seconds=1))
    assert found("harbour") == []


def test_a_row_of_a_private_article_finds_nothing(kept_row):
    PageViewRestriction.objects.create(page=kept_row, restriction_type=PageViewRestriction.LOGIN)
    assert row_of(kept_row) is not None
    assert found("harbour") == []


def test_a_row_moved_to_another_section_behind_the_index_is_not_found_in_either(kept_row, sections):
    # The article's own section is the truth; the row's only narrows where to look.
    ArticleSearchRow.objects.filter(article=kept_row).update(section=sections["sport"])
    assert found("harbour", section=sections["sport"]) == []
    assert found("harbour", section=sections["local"]) == []


# --- refresh and rebuild ------------------------------------------------------------------


def test_refresh_drops_the_row_of_a_page_no_longer_live(kept_row):
    ArticlePage.objects.filter(pk=kept_row.pk).update(live=False)
    search_rows.refresh([kept_row.pk])
    assert row_of(kept_row) is None


def test_the_rebuild_command_writes_every_live_article_and_no_draft(article_factory):
    live = article_factory(headline="Harbour reopens")
    draft = article_factory(headline="Harbour plans")
    draft.unpublish()
    ArticleSearchRow.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_search_rows", stdout=out)
    assert list(ArticleSearchRow.objects.values_list("article_id", flat=True)) == [live.pk]
    assert out.getvalue().strip() == "Wrote 1 search rows."


def test_the_rebuild_drops_rows_left_behind(kept_row):
    ArticlePage.objects.filter(pk=kept_row.pk).update(live=False)
    search_rows.rebuild()
    assert not ArticleSearchRow.objects.exists()


# --- cost -----------------------------------------------------------------------------------


@pytest.mark.time_machine(NOON + datetime.timedelta(days=1), tick=False)
def test_a_common_word_costs_three_queries(article_factory, django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(search, "MAX_RANKED", 11)
    for n in range(12):
        article_factory(headline=f"Harbour {n}", published_at=NOON + datetime.timedelta(hours=n))
    filters = SearchFilters(query="harbour")
    search_articles(filters)  # the list of private paths is read once and kept
    # The words, the newest matches (the last month holds enough), the ten articles shown.
    with django_assert_num_queries(3):
        shown = search_results(filters)[:10]
    assert [page.title for page in shown] == [f"Harbour {n}" for n in range(11, 1, -1)]


@pytest.mark.time_machine(NOON + datetime.timedelta(days=1), tick=False)
def test_a_rare_word_is_looked_for_in_three_stretches_of_time(article_factory, django_assert_num_queries):
    article_factory(headline="Harbour now", published_at=NOON)
    article_factory(headline="Harbour last summer", published_at=NOON - datetime.timedelta(days=200))
    article_factory(headline="Harbour long ago", published_at=NOON - datetime.timedelta(days=2000))
    filters = SearchFilters(query="harbour")
    search_articles(filters)
    # The words, the last month, the year before it, all before that, the articles shown.
    with django_assert_num_queries(5):
        shown = search_results(filters)[:10]
    assert [page.title for page in shown] == ["Harbour now", "Harbour last summer", "Harbour long ago"]


@pytest.mark.time_machine(NOON + datetime.timedelta(days=1), tick=False)
def test_the_newest_matches_are_kept_across_stretches(article_factory, monkeypatch):
    monkeypatch.setattr(search, "MAX_RANKED", 2)
    article_factory(headline="Harbour now", published_at=NOON)
    article_factory(headline="Harbour last summer", published_at=NOON - datetime.timedelta(days=200))
    article_factory(headline="Harbour earlier", published_at=NOON - datetime.timedelta(days=300))
    article_factory(headline="Harbour long ago", published_at=NOON - datetime.timedelta(days=2000))
    assert found("harbour") == ["Harbour now", "Harbour last summer"]
