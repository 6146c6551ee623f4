"""The article factory dates articles on a fixed grid, so newest-first order never depends on the machine's speed."""

import datetime

import pytest
from django.utils import timezone

from newsdesk.articles.factories import PublicationClock
from newsdesk.articles.models import ArticlePage

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)


def test_slow_clock_reorders_times_read_from_the_clock_per_item(slow_clock):
    # The factory's old rule, "now minus n seconds" for the n-th article: on a slow
    # machine the later read outruns the offset and the second item comes out newer.
    # This is the failure `slow_clock` exists to reproduce on every run.
    first = timezone.now() - 1 * SECOND
    second = timezone.now() - 2 * SECOND
    assert second > first
    assert second - first >= slow_clock.step - SECOND  # the clock still ticks too, a little


def test_the_grid_reads_the_clock_once(slow_clock):
    clock = PublicationClock()
    times = [clock.next() for _ in range(3)]
    assert slow_clock.reads == 1
    assert times[0] - times[1] == times[1] - times[2] == SECOND
    assert times[0] < timezone.now()


def test_a_given_base_fixes_every_time():
    clock = PublicationClock(step=datetime.timedelta(minutes=5))
    clock.reset(base=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC))
    assert [clock.next().isoformat() for _ in range(2)] == ["2026-03-02T08:55:00+00:00", "2026-03-02T08:50:00+00:00"]


def test_articles_made_on_a_slow_machine_are_listed_newest_first_in_making_order(slow_clock, article_factory):
    made = [article_factory(headline=f"Story {n}").pk for n in range(4)]
    assert slow_clock.reads > 4  # each import read the clock, and each read moved it a minute
    assert list(ArticlePage.objects.published().newest_first().values_list("pk", flat=True)) == made


def test_each_test_gets_a_grid_just_before_its_first_article(time_machine, article_factory):
    # Even a test that travels in time first: its articles are a second apart, just
    # before that moment, so they are already published there.
    moment = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    time_machine.move_to(moment, tick=False)
    first, second = article_factory(headline="First"), article_factory(headline="Second")
    assert (first.first_published_at, second.first_published_at) == (moment - SECOND, moment - 2 * SECOND)
    assert set(ArticlePage.objects.published().values_list("pk", flat=True)) == {first.pk, second.pk}
