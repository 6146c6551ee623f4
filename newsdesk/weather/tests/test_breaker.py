"""The circuit breaker: a provider that keeps failing is left alone for a while, then tried once."""

import datetime
import json
import logging
import math
from decimal import Decimal

import pytest
from wagtail.models import Site

from newsdesk.weather.breaker import CLOSED, HALF_OPEN, OPEN, BreakerStatus, ProviderBreaker
from newsdesk.weather.models import WeatherReading
from newsdesk.weather.services import weather_refresh

from .fakes import weather_for_default_site

pytestmark = pytest.mark.django_db

OPEN_METEO = "newsdesk.weather.backends.open_meteo.OpenMeteoBackend"
LOGGER = "newsdesk.weather.breaker"


@pytest.fixture
def breaker_settings(settings):
    settings.NEWSDESK_WEATHER_BREAKER_FAILURES = 3
    settings.NEWSDESK_WEATHER_BREAKER_SECONDS = 600
    return settings


@pytest.fixture
def clock(time_machine, frozen_now, breaker_settings):
    """Time stands still until a test moves it; `clock.shift(seconds)` moves it."""
    return time_machine


@pytest.fixture
def munich(fake_open_meteo, sections):
    return weather_for_default_site(location="Munich", latitude=Decimal("48.1"), longitude=Decimal("11.6"))


def fail_times(site, times):
    for _ in range(times):
        weather_refresh(site=site)


def breaker():
    return ProviderBreaker.for_backend(OPEN_METEO)


# --- Through the refresh job, against the fake provider ------------------------------------


def test_keeps_asking_below_the_threshold(munich, fake_open_meteo, clock):
    fake_open_meteo.forecast_status = 500
    fail_times(munich, 3)
    assert len(fake_open_meteo.forecast_requests) == 3


def test_stops_asking_after_the_threshold(munich, fake_open_meteo, clock):
    fake_open_meteo.forecast_status = 500
    fail_times(munich, 5)
    assert len(fake_open_meteo.forecast_requests) == 3
    assert breaker().status().state == OPEN


def test_a_skipped_refresh_keeps_the_last_attempt_and_error(munich, fake_open_meteo, clock):
    fake_open_meteo.forecast_status = 500
    fail_times(munich, 3)
    before = WeatherReading.objects.get()
    clock.shift(60)
    weather_refresh(site=munich)
    after = WeatherReading.objects.get()
    assert (after.last_attempt_at, after.last_error) == (before.last_attempt_at, before.last_error)


def test_opening_is_logged(munich, fake_open_meteo, clock, caplog):
    fake_open_meteo.forecast_status = 500
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        fail_times(munich, 3)
    assert "failed 3 times in a row" in caplog.text
    assert OPEN_METEO in caplog.text


def test_tries_once_after_the_pause_and_closes_on_success(munich, fake_open_meteo, clock, caplog):
    fake_open_meteo.forecast_status = 500
    fail_times(munich, 3)
    clock.shift(601)
    fake_open_meteo.forecast_status = 200
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        reading = weather_refresh(site=munich)
    assert reading is not None and reading.temperature_c == 11.9
    assert breaker().status().state == CLOSED
    assert "half-open" in caplog.text and "calls resume" in caplog.text


def test_a_failed_try_pauses_again_for_a_whole_period(munich, fake_open_meteo, clock):
    fake_open_meteo.forecast_status = 500
    fail_times(munich, 3)
    clock.shift(601)
    weather_refresh(site=munich)  # the one try, failing
    clock.shift(599)
    weather_refresh(site=munich)
    assert len(fake_open_meteo.forecast_requests) == 4
    assert breaker().status().state == OPEN


def test_asks_nothing_while_paused_however_often_the_job_runs(munich, fake_open_meteo, clock):
    fake_open_meteo.forecast_status = 500
    fail_times(munich, 3)
    for _ in range(5):
        clock.shift(100)
        weather_refresh(site=munich)
    assert len(fake_open_meteo.forecast_requests) == 3


def test_a_success_resets_the_count(munich, fake_open_meteo, clock):
    fake_open_meteo.forecast_status = 500
    fail_times(munich, 2)
    fake_open_meteo.forecast_status = 200
    weather_refresh(site=munich)
    fake_open_meteo.forecast_status = 500
    fail_times(munich, 2)
    assert breaker().status() == BreakerStatus(CLOSED, 2, None)
    assert len(fake_open_meteo.forecast_requests) == 5


def test_impossible_readings_count_as_failures(munich, fake_open_meteo, clock):
    current = {"time": "2000-01-01T00:00", "temperature_2m": math.nan, "weather_code": 3, "wind_speed_10m": 1.0}
    fake_open_meteo.forecast_body = json.dumps({"current": current}).encode()
    fail_times(munich, 4)
    assert len(fake_open_meteo.forecast_requests) == 3


def test_timeouts_count_as_failures(munich, fake_open_meteo, clock, breaker_settings):
    breaker_settings.NEWSDESK_WEATHER_BREAKER_FAILURES = 1
    fake_open_meteo.delay = 10  # the backend's timeout is 1 s
    fail_times(munich, 2)
    assert len(fake_open_meteo.forecast_requests) == 1


def test_an_unknown_place_does_not_count(fake_open_meteo, sections, clock):
    site = weather_for_default_site(location="Atlantis")
    fail_times(site, 4)
    assert len(fake_open_meteo.geocoding_requests) == 4
    assert breaker().status().state == CLOSED


# --- The breaker itself --------------------------------------------------------------------


def test_only_one_caller_tries_when_half_open(clock):
    first, second = breaker(), breaker()  # two workers: the state is in the shared cache
    for _ in range(3):
        first.record_failure()
    clock.shift(601)
    assert second.status().state == HALF_OPEN
    assert (first.allow(), second.allow()) == (True, False)


def test_the_state_is_shared_through_the_cache(clock):
    for _ in range(3):
        breaker().record_failure()
    assert breaker().allow() is False


def test_each_provider_has_its_own_breaker(clock):
    for _ in range(3):
        breaker().record_failure()
    assert ProviderBreaker.for_backend("newsdesk.weather.backends.dummy.DummyBackend").allow() is True


def test_the_status_says_until_when(clock, frozen_now):
    for _ in range(3):
        breaker().record_failure()
    status = breaker().status()
    assert (status.state, status.failures) == (OPEN, 3)
    assert status.open_until == frozen_now + datetime.timedelta(seconds=600)


def test_a_try_that_never_reports_back_lets_another_try_after_a_period(clock):
    for _ in range(3):
        breaker().record_failure()
    clock.shift(601)
    assert breaker().allow() is True  # this worker dies before reporting
    clock.shift(601)
    assert breaker().allow() is True


# --- In the admin --------------------------------------------------------------------------


@pytest.fixture
def admin_page(client, sections, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.org", "pw"))
    return f"/admin/settings/weather/weathersettings/{Site.objects.get(is_default_site=True).pk}/"


def breaker_text(client, admin_page, soup, settings):
    settings.NEWSDESK_WEATHER = {"BACKEND": OPEN_METEO, "OPTIONS": {}}
    shown = soup(client.get(admin_page)).select_one("[data-weather-breaker]")
    return shown["data-weather-breaker"], " ".join(shown.get_text().split())


def test_the_admin_shows_normal_calls(admin_page, client, soup, settings, clock):
    assert breaker_text(client, admin_page, soup, settings) == (CLOSED, "Normal.")


def test_the_admin_shows_a_pause_and_its_end(admin_page, client, soup, settings, clock):
    for _ in range(3):
        breaker().record_failure()
    state, text = breaker_text(client, admin_page, soup, settings)
    assert state == OPEN
    assert text.startswith("Paused after 3 failures in a row, until ")


def test_the_admin_shows_a_coming_try(admin_page, client, soup, settings, clock):
    for _ in range(3):
        breaker().record_failure()
    clock.shift(601)
    assert breaker_text(client, admin_page, soup, settings)[0] == HALF_OPEN
