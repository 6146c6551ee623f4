"""The recommendation reads themselves: id lists, their order and caching, and the `within=` queryset."""

import datetime

import pytest
from django.db.models import Value
from django.utils import timezone

from newsdesk.articles.selectors import teasers
from newsdesk.core import fragments
from newsdesk.recommendations.factories import must_read_picks, views_rows
from newsdesk.recommendations.models import MustReadPick, RelatedArticle
from newsdesk.recommendations.selectors import (
    most_read,
    most_read_windows,
    must_read,
    must_read_ids,
    related_ids,
)

pytestmark = pytest.mark.django_db


def test_must_read_ids_are_the_picks_then_the_most_read_then_the_newest(article_factory):
    newest = article_factory(headline="Newest")
    popular = article_factory(headline="Popular")
    picked = article_factory(headline="Picked")
    views_rows(popular, 30, hours_ago=3)
    must_read_picks([picked])
    assert must_read_ids() == [picked.pk, popular.pk, newest.pk]


def test_a_pick_that_is_also_most_read_is_listed_once(article_factory):
    picked = article_factory(headline="Picked and read")
    views_rows(picked, 30, hours_ago=3)
    must_read_picks([picked])
    assert must_read_ids().count(picked.pk) == 1


def test_a_pick_counts_until_the_moment_asked_for_passes_its_end(article_factory):
    for n in range(8):
        article_factory(headline=f"Filler {n}")
    # Older than eight fillers, so only the pick brings it into the list.
    picked = article_factory(headline="Picked until tonight")
    end = timezone.now() + datetime.timedelta(hours=1)
    must_read_picks([picked], expires_at=[end])
    assert must_read_ids(now=end - datetime.timedelta(minutes=1))[0] == picked.pk
    fragments.bump(fragments.LISTS)
    assert picked.pk not in must_read_ids(now=end + datetime.timedelta(minutes=1))


def test_must_read_ids_are_kept_within_a_generation(article_factory, django_assert_num_queries):
    article_factory()
    first = must_read_ids()
    with django_assert_num_queries(0):
        assert must_read_ids() == first


def test_deleting_a_pick_takes_it_out_at_once(article_factory):
    newer = article_factory(headline="Newer")
    picked = article_factory(headline="Older pick")
    must_read_picks([picked])
    assert must_read_ids()[0] == picked.pk
    MustReadPick.objects.get().delete()
    assert must_read_ids()[0] == newer.pk


def test_must_read_draws_only_from_the_given_queryset(article_factory, sections):
    article_factory(headline="World news", section="world")
    article_factory(headline="Local news", section="local")
    items = must_read(within=teasers().filter(primary_section=sections["local"]))
    assert [item.title for item in items] == ["Local news"]


def test_must_read_with_its_ids_kept_costs_one_query_with_what_within_adds(article_factory, django_assert_num_queries):
    for n in range(3):
        article_factory(headline=f"Story {n}")
    must_read_ids()
    within = teasers().annotate(marker=Value(7))
    with django_assert_num_queries(1):
        items = must_read(within=within)
    assert [item.marker for item in items] == [7, 7, 7]


def test_the_within_queryset_is_never_run_for_its_truth_value(article_factory):
    article_factory()
    within = teasers()
    must_read(within=within)
    most_read(hours=24, within=within)
    assert within._result_cache is None


def test_most_read_keeps_to_the_given_queryset(article_factory, sections):
    world = article_factory(headline="World", section="world")
    local = article_factory(headline="Local", section="local")
    views_rows(world, 50, hours_ago=1)
    views_rows(local, 5, hours_ago=1)
    items = most_read(hours=24, within=teasers().filter(primary_section=sections["local"]))
    assert [item.title for item in items] == ["Local"]


def test_both_most_read_windows_cost_one_teaser_query(article_factory, django_assert_num_queries):
    today, last_week = article_factory(headline="Today"), article_factory(headline="Last week")
    views_rows(today, 5, hours_ago=1)
    views_rows(last_week, 50, hours_ago=72)
    most_read_windows()  # the id lists are kept now
    with django_assert_num_queries(1):
        day, week = most_read_windows(within=teasers())
    assert [item.title for item in day] == ["Today"]
    assert [item.title for item in week] == ["Last week", "Today"]


def test_most_read_windows_without_views_run_no_teaser_query(article_factory, django_assert_num_queries):
    article_factory()
    most_read_windows()
    with django_assert_num_queries(0):
        assert most_read_windows(within=teasers()) == ([], [])


def test_related_ids_are_best_score_first_and_newer_first_on_a_tie(article_factory):
    newer, older, best = (article_factory(headline=name) for name in ("Newer", "Older", "Best"))
    current = article_factory(headline="Current")
    RelatedArticle.objects.all().delete()
    for related, score in ((older, 0.5), (best, 0.9), (newer, 0.5)):
        RelatedArticle.objects.create(article=current, related=related, score=score)
    assert related_ids(current.pk) == [best.pk, newer.pk, older.pk]


def test_related_ids_are_kept_until_the_lists_generation_changes(article_factory):
    current, neighbour = article_factory(headline="Current"), article_factory(headline="Neighbour")
    RelatedArticle.objects.all().delete()
    assert related_ids(current.pk) == []
    RelatedArticle.objects.create(article=current, related=neighbour, score=0.4)
    assert related_ids(current.pk) == []
    fragments.bump(fragments.LISTS)
    assert related_ids(current.pk) == [neighbour.pk]
