import datetime
import zoneinfo

from django.utils import timezone

from newsdesk.core.moments import machine_time


def test_whole_seconds_in_the_site_time_zone():
    moment = datetime.datetime(2026, 11, 30, 6, 2, 6, 352404, tzinfo=datetime.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Europe/Berlin")):
        assert machine_time(moment) == "2026-11-30T07:02:06+01:00"


def test_summer_time_gives_its_own_offset():
    moment = datetime.datetime(2026, 6, 10, 23, 30, 0, 999999, tzinfo=datetime.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Europe/Berlin")):
        assert machine_time(moment) == "2026-06-11T01:30:00+02:00"


def test_a_date_stays_a_date_and_nothing_gives_nothing():
    assert machine_time(datetime.date(2026, 11, 30)) == "2026-11-30"
    assert machine_time(None) == ""
    assert machine_time("") == ""


def test_a_naive_moment_loses_only_its_fraction():
    assert machine_time(datetime.datetime(2026, 11, 30, 7, 2, 6, 5)) == "2026-11-30T07:02:06"
