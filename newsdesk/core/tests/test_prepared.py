"""Prepared queries: compiled once, and each call's values are the ones that count."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from newsdesk.articles.models import ArticlePage
from newsdesk.core import prepared
from newsdesk.core.prepared import Int, IntList, PreparedQuery, PreparedQueryError, Text, Time

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)


class Counted:
    """A build function that counts how often it is called."""

    def __init__(self, build: Any) -> None:
        self.build = build
        self.calls = 0

    def __call__(self, **values: Any) -> QuerySet[Any]:
        self.calls += 1
        return self.build(**values)


def tags(*names: str) -> list[Tag]:
    return [Tag.objects.create(name=name, slug=name) for name in names]


def test_each_call_runs_with_its_own_text():
    tags("harbour", "ferry")
    by_slug: PreparedQuery[Tag] = PreparedQuery(lambda slug: Tag.objects.filter(slug=slug), slug=Text)
    assert [tag.name for tag in by_slug(slug="harbour")] == ["harbour"]
    assert [tag.name for tag in by_slug(slug="ferry")] == ["ferry"]
    assert by_slug(slug="tram") == []


def test_a_shape_is_built_and_compiled_once():
    harbour, ferry = tags("harbour", "ferry")
    build = Counted(lambda pk: Tag.objects.filter(pk=pk))
    by_pk: PreparedQuery[Tag] = PreparedQuery(build, pk=Int)
    assert by_pk(pk=harbour.pk) == [harbour]
    assert by_pk(pk=ferry.pk) == [ferry]
    assert build.calls == 1


def test_the_sql_run_is_the_querysets_own():
    harbour, _ = tags("harbour", "ferry")
    by_pk: PreparedQuery[Tag] = PreparedQuery(lambda pk: Tag.objects.filter(pk=pk).order_by("name"), pk=Int)
    by_pk(pk=harbour.pk)  # compiled here
    with CaptureQueriesContext(connection) as prepared_run:
        by_pk(pk=harbour.pk)
    with CaptureQueriesContext(connection) as plain_run:
        list(Tag.objects.filter(pk=harbour.pk).order_by("name"))
    assert [query["sql"] for query in prepared_run.captured_queries] == [
        query["sql"] for query in plain_run.captured_queries
    ]


def test_every_length_of_a_list_is_its_own_shape():
    harbour, ferry, tram = tags("harbour", "ferry", "tram")
    build = Counted(lambda ids: Tag.objects.filter(pk__in=ids).order_by("name"))
    by_ids: PreparedQuery[Tag] = PreparedQuery(build, ids=IntList)
    assert by_ids(ids=[harbour.pk]) == [harbour]
    assert by_ids(ids=[harbour.pk, tram.pk]) == [harbour, tram]
    assert by_ids(ids=[ferry.pk, tram.pk]) == [ferry, tram]
    assert build.calls == 2


def test_an_empty_list_matches_nothing_without_a_query(django_assert_num_queries):
    tags("harbour")
    by_ids: PreparedQuery[Tag] = PreparedQuery(lambda ids: Tag.objects.filter(pk__in=ids), ids=IntList)
    with django_assert_num_queries(0):
        assert by_ids(ids=[]) == []


def test_a_time_is_bound_as_the_database_stores_times(article_factory):
    story = article_factory(published_at=NOON)
    published_by: PreparedQuery[ArticlePage] = PreparedQuery(
        lambda now: ArticlePage.objects.published(now).filter(pk=story.pk), now=Time
    )
    assert published_by(now=NOON - datetime.timedelta(seconds=1)) == []
    assert published_by(now=NOON) == [story]
    assert published_by(now=NOON - datetime.timedelta(days=1)) == []


def test_related_rows_and_annotations_come_as_the_queryset_makes_them(article_factory):
    story = article_factory(published_at=NOON, section="sport")
    teaser: PreparedQuery[ArticlePage] = PreparedQuery(
        lambda pk: (
            ArticlePage.objects.filter(pk=pk)
            .select_related("primary_section")
            .annotate(section_title=F("primary_section__title"))
        ),
        pk=Int,
    )
    (found,) = teaser(pk=story.pk)
    section = found.primary_section
    assert section is not None and section.slug == "sport"
    assert found.section_title == section.title
    assert found.title == story.title


def test_values_lists_come_back_flat():
    harbour, ferry = tags("harbour", "ferry")
    names: PreparedQuery[str] = PreparedQuery(
        lambda ids: Tag.objects.filter(pk__in=ids).order_by("-name").values_list("name", flat=True), ids=IntList
    )
    assert names(ids=[harbour.pk, ferry.pk]) == ["harbour", "ferry"]


def test_a_new_shape_compiles_again_from_the_value_its_key_holds():
    harbour, ferry = tags("harbour", "ferry")
    ordering = ["name"]
    given = []

    def build(ids: list[int], shape: str) -> QuerySet[Tag]:
        given.append(shape)
        return Tag.objects.filter(pk__in=ids).order_by(shape)

    by_ids: PreparedQuery[Tag] = PreparedQuery(build, shape=lambda: ordering[0], ids=IntList)
    assert by_ids(ids=[harbour.pk, ferry.pk]) == [ferry, harbour]
    ordering[0] = "-name"
    assert by_ids(ids=[harbour.pk, ferry.pk]) == [harbour, ferry]
    assert by_ids(ids=[ferry.pk, harbour.pk]) == [harbour, ferry]
    # Built once per shape, each time from the value read for its key.
    assert given == ["name", "-name"]


def test_an_empty_list_left_out_leaves_everything():
    harbour, ferry = tags("harbour", "ferry")
    others: PreparedQuery[Tag] = PreparedQuery(
        lambda ids: Tag.objects.exclude(pk__in=ids).order_by("name"), ids=IntList
    )
    assert others(ids=[]) == [ferry, harbour]
    assert others(ids=[ferry.pk]) == [harbour]


def test_a_naive_time_is_refused():
    by_time: PreparedQuery[ArticlePage] = PreparedQuery(lambda now: ArticlePage.objects.published(now), now=Time)
    with pytest.raises(TypeError, match="aware"):
        by_time(now=datetime.datetime(2026, 11, 30, 12, 0))


def test_none_is_refused_rather_than_matching_nothing():
    by_pk: PreparedQuery[Tag] = PreparedQuery(lambda pk: Tag.objects.filter(pk=pk), pk=Int)
    with pytest.raises(TypeError, match="None"):
        by_pk(pk=None)


def test_values_must_be_the_ones_declared():
    by_pk: PreparedQuery[Tag] = PreparedQuery(lambda pk: Tag.objects.filter(pk=pk), pk=Int)
    with pytest.raises(TypeError, match="expected values"):
        by_pk(slug="harbour")


def test_a_value_written_into_the_sql_cannot_be_prepared():
    # A value formatted into raw SQL is not a parameter: binding another later would be impossible.
    written: PreparedQuery[Tag] = PreparedQuery(
        lambda pk: Tag.objects.filter(pk__in=RawSQL(f"SELECT {pk}", [])), pk=Int
    )
    with pytest.raises(PreparedQueryError):
        written(pk=1)


def test_past_the_shape_limit_a_query_runs_plain(monkeypatch):
    harbour, ferry, tram = tags("harbour", "ferry", "tram")
    monkeypatch.setattr(prepared, "MAX_SHAPES", 1)
    build = Counted(lambda ids: Tag.objects.filter(pk__in=ids).order_by("name"))
    by_ids: PreparedQuery[Tag] = PreparedQuery(build, ids=IntList)
    assert by_ids(ids=[harbour.pk]) == [harbour]
    assert by_ids(ids=[harbour.pk, tram.pk]) == [harbour, tram]
    assert by_ids(ids=[ferry.pk, tram.pk]) == [ferry, tram]
    # The first shape was kept; each call of the second was built anew.
    assert build.calls == 3
