"""The flush job: counted impressions and clicks become daily rows, and nothing counted is lost."""

import datetime
import logging
import zoneinfo

import pytest
from django.db import DatabaseError

from newsdesk.ads import tasks
from newsdesk.ads.factories import make_image_creative
from newsdesk.ads.models import AdDailyStats, Placement
from newsdesk.ads.services import IMPRESSIONS, flush_ad_counts, record_click, record_impression
from newsdesk.core.counters import counter_store

pytestmark = pytest.mark.django_db
READER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
READER_ADDR = "198.51.100.7"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture
def creative(campaign, ad_workdir):
    return make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir)


def daily(creative):
    return {row.day: (row.impressions, row.clicks) for row in AdDailyStats.objects.filter(creative=creative)}


def test_counts_go_to_the_local_day_they_happened_on(creative, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    # Berlin is UTC+1 in March: 22:59 UTC is 23:59 on 1 March, 23:30 UTC is 00:30 on 2 March.
    record_impression(
        creative_id=creative.pk, user_agent=READER_UA, now=datetime.datetime(2025, 3, 1, 22, 59, tzinfo=datetime.UTC)
    )
    record_impression(
        creative_id=creative.pk, user_agent=READER_UA, now=datetime.datetime(2025, 3, 1, 23, 30, tzinfo=datetime.UTC)
    )
    flush_ad_counts()
    assert daily(creative) == {datetime.date(2025, 3, 1): (1, 0), datetime.date(2025, 3, 2): (1, 0)}


def test_a_click_and_an_impression_on_one_day_share_a_row(creative):
    moment = datetime.datetime(2025, 4, 10, 12, 0, tzinfo=BERLIN)
    record_impression(creative_id=creative.pk, user_agent=READER_UA, now=moment)
    record_click(creative_id=creative.pk, remote_addr=READER_ADDR, user_agent=READER_UA, now=moment)
    assert flush_ad_counts() == (1, 1)
    assert daily(creative) == {datetime.date(2025, 4, 10): (1, 1)}


def test_record_says_whether_it_counted(creative):
    assert record_click(creative_id=creative.pk, remote_addr=READER_ADDR, user_agent=READER_UA) is True
    assert (
        record_click(
            creative_id=creative.pk,
            remote_addr=READER_ADDR,
            user_agent="Googlebot/2.1 (+http://www.google.com/bot.html)",
        )
        is False
    )


def test_a_flush_with_nothing_counted_asks_the_database_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert flush_ad_counts() == (0, 0)


def test_a_second_flush_finds_nothing_left(creative):
    record_impression(creative_id=creative.pk, user_agent=READER_UA)
    assert flush_ad_counts() == (1, 0)
    assert flush_ad_counts() == (0, 0)


def test_a_malformed_counter_is_logged_and_skipped(creative, caplog):
    counter_store().incr(IMPRESSIONS, "not-a-creative:yesterday")
    record_impression(creative_id=creative.pk, user_agent=READER_UA)
    with caplog.at_level(logging.WARNING, logger="newsdesk.ads.services"):
        assert flush_ad_counts() == (1, 0)
    assert "not-a-creative:yesterday" in caplog.text


def test_counts_survive_a_flush_the_database_refused(creative, monkeypatch):
    record_impression(creative_id=creative.pk, user_agent=READER_UA)
    record_click(creative_id=creative.pk, remote_addr=READER_ADDR, user_agent=READER_UA)

    def refuse(*args, **kwargs):
        raise DatabaseError("database is locked")

    with monkeypatch.context() as patched:
        patched.setattr(AdDailyStats.objects, "bulk_create", refuse)
        with pytest.raises(DatabaseError):
            flush_ad_counts()
    assert not AdDailyStats.objects.exists()
    assert flush_ad_counts() == (1, 1)
    assert list(daily(creative).values()) == [(1, 1)]


def test_only_counts_of_creatives_that_still_exist_are_reported_written(creative, campaign, ad_workdir):
    gone = make_image_creative(campaign, Placement.HEADER, seed=2, workdir=ad_workdir)
    record_impression(creative_id=creative.pk, user_agent=READER_UA)
    record_impression(creative_id=gone.pk, user_agent=READER_UA)
    record_click(creative_id=gone.pk, remote_addr=READER_ADDR, user_agent=READER_UA)
    gone.delete()
    assert flush_ad_counts() == (1, 0)


def test_the_job_returns_what_it_wrote(creative):
    record_impression(creative_id=creative.pk, user_agent=READER_UA)
    record_click(creative_id=creative.pk, remote_addr=READER_ADDR, user_agent=READER_UA)
    assert tasks.flush_ad_counts.enqueue().return_value == [1, 1]
