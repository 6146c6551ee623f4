import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from newsdesk.core.page_cache.middleware import seconds_until_local_midnight

BERLIN = ZoneInfo("Europe/Berlin")


def at(year: int, month: int, day: int, hour: int, minute: int, second: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=BERLIN)


def test_seconds_until_local_midnight_counts_in_the_site_time_zone():
    assert seconds_until_local_midnight(at(2026, 11, 27, 23, 58, 30)) == 90


def test_seconds_until_midnight_on_a_daylight_saving_day():
    # 2026-10-25 has 25 hours in Berlin: at 23:00 local there is still one hour left.
    assert seconds_until_local_midnight(at(2026, 10, 25, 23, 0, 0)) == 3600


@pytest.mark.django_db
def test_anonymous_pages_are_cacheable_until_midnight_at_most(client, sections):
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 11, 27, 23, 59, 0)):
        response = client.get("/")
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]


@pytest.mark.django_db
def test_anonymous_pages_get_the_configured_lifetime_earlier_in_the_day(client, sections, settings):
    settings.NEWSDESK_PAGE_MAX_AGE = 120
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 11, 27, 12, 0, 0)):
        response = client.get("/")
    assert "max-age=120" in response["Cache-Control"]


@pytest.mark.django_db
def test_pages_for_signed_in_staff_are_not_public(admin_client, sections):
    response = admin_client.get("/")
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_the_date_line_turns_over_at_local_midnight(client, sections, soup):
    def date_line(moment: datetime.datetime) -> str:
        with mock.patch("django.utils.timezone.now", return_value=moment):
            return soup(client.get("/")).select_one(".date-line time")["datetime"]

    assert date_line(at(2026, 11, 27, 23, 59, 59)) == "2026-11-27"
    assert date_line(at(2026, 11, 28, 0, 0, 1)) == "2026-11-28"
    # 23:30 UTC is already the next day in Berlin.
    utc_late = datetime.datetime(2026, 11, 27, 23, 30, tzinfo=datetime.UTC)
    assert date_line(utc_late) == "2026-11-28"
    assert timezone.get_current_timezone_name() == "Europe/Berlin"
