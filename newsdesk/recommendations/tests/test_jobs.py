"""Counting and flushing views, computing neighbours, and the jobs and signals that run them."""

import datetime
import logging
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, User
from wagtail.models import Site

from newsdesk.core import fragments
from newsdesk.core.counters import counter_store
from newsdesk.core.roles import EDITORS, WRITERS
from newsdesk.recommendations import services, tasks
from newsdesk.recommendations.models import ArticleViews, RelatedArticle
from newsdesk.recommendations.services import VIEWS, compute_related, flush_view_counts, reader_key, record_view

READER_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
BERLIN = ZoneInfo("Europe/Berlin")
TRAM = "The tram line extension across the river opens with new tram stops and longer tram platforms."

pytestmark = pytest.mark.django_db


def view(article_id, **extra):
    return record_view(article_id=article_id, remote_addr="198.51.100.7", user_agent=READER_UA, **extra)


def test_one_reader_counts_once_for_each_article(article_factory):
    first, second = article_factory(), article_factory()
    assert view(first.pk)
    assert view(second.pk)
    assert not view(first.pk)
    assert flush_view_counts() == 2


def test_the_reader_key_changes_with_the_local_day_and_holds_no_address():
    morning = datetime.datetime(2026, 6, 11, 8, tzinfo=BERLIN)
    evening = datetime.datetime(2026, 6, 11, 23, tzinfo=BERLIN)
    next_day = datetime.datetime(2026, 6, 12, 0, 30, tzinfo=BERLIN)

    def key(now):
        return reader_key(article_id=5, remote_addr="198.51.100.7", user_agent=READER_UA, now=now)

    assert key(morning) == key(evening)
    assert key(evening) != key(next_day)
    assert "198.51.100.7" not in key(morning)


def test_a_view_after_local_midnight_is_filed_under_its_utc_hour(article_factory):
    story = article_factory()
    assert view(story.pk, now=datetime.datetime(2026, 6, 11, 0, 30, tzinfo=BERLIN))
    flush_view_counts()
    row = ArticleViews.objects.get(article=story)
    assert row.hour == datetime.datetime(2026, 6, 10, 22, tzinfo=datetime.UTC)


def test_a_malformed_counter_is_logged_and_the_rest_written(article_factory, caplog):
    story = article_factory()
    counter_store().incr(VIEWS, "not-a-counter")
    view(story.pk)
    with caplog.at_level(logging.WARNING, logger="newsdesk.recommendations.services"):
        assert flush_view_counts() == 1
    assert "not-a-counter" in caplog.text
    assert ArticleViews.objects.get(article=story).views == 1


def test_a_flush_with_nothing_counted_touches_no_table(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert flush_view_counts() == 0


def test_the_flush_job_returns_how_many_views_it_wrote(article_factory):
    story = article_factory()
    view(story.pk)
    assert tasks.flush_view_counts.enqueue().return_value == 1


def test_an_unpublished_article_gets_no_neighbours(article_factory):
    article_factory(headline="Tram stops", body=[TRAM])
    draft = article_factory(headline="Tram platforms", body=[TRAM])
    draft.unpublish()
    RelatedArticle.objects.all().delete()
    assert tasks.compute_related_articles.enqueue(draft.pk).return_value == 0
    assert not RelatedArticle.objects.exists()


def test_offering_an_article_to_a_neighbour_keeps_only_the_neighbours_best(article_factory, monkeypatch):
    current = article_factory(headline="Tram stops open", body=[TRAM])
    neighbour = article_factory(headline="Tram platforms longer", body=[TRAM])
    favourite = article_factory(headline="Unrelated favourite")
    RelatedArticle.objects.all().delete()
    RelatedArticle.objects.create(article=neighbour, related=favourite, score=100.0)
    monkeypatch.setattr(services, "RELATED_KEEP", 1)
    assert compute_related(current.pk) == 1
    assert list(RelatedArticle.objects.filter(article=current).values_list("related_id", flat=True)) == [neighbour.pk]
    assert list(RelatedArticle.objects.filter(article=neighbour).values_list("related_id", flat=True)) == [favourite.pk]


def test_unpublishing_an_article_starts_a_new_lists_generation(article_factory):
    story = article_factory()
    before = fragments.generation(fragments.LISTS)
    story.unpublish()
    assert fragments.generation(fragments.LISTS) != before


def test_saving_the_must_read_settings_starts_a_new_lists_generation(sections):
    from newsdesk.recommendations.models import MustReadSettings

    settings = MustReadSettings.for_site(Site.objects.get(is_default_site=True))
    before = fragments.generation(fragments.LISTS)
    settings.save()
    assert fragments.generation(fragments.LISTS) != before


@pytest.mark.parametrize(("group", "status"), [(EDITORS, 200), (WRITERS, 302)])
def test_only_editors_change_the_picks(client, sections, group, status):
    user = User.objects.create_user(username=group.lower(), password="x")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    site = Site.objects.get(is_default_site=True)
    response = client.get(f"/admin/settings/recommendations/mustreadsettings/{site.pk}/")
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == "/admin/"
