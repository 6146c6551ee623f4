"""The refresh job: what it fetches, what it records, what it leaves alone."""

import logging
import time
from decimal import Decimal

import pytest
from wagtail.models import Site

from newsdesk.weather.backends.dummy import DummyBackend
from newsdesk.weather.models import WeatherReading, WeatherSettings
from newsdesk.weather.services import weather_refresh
from newsdesk.weather.tasks import refresh_weather

from .fakes import weather_for_default_site

pytestmark = pytest.mark.django_db


def test_records_the_reading(fake_open_meteo, sections):
    reading = weather_refresh(site=weather_for_default_site(location="Munich"))
    assert reading is not None
    assert (reading.temperature_c, reading.condition, reading.city) == (11.9, "cloudy", "Munich")
    assert reading.fetched_at == reading.last_attempt_at


def test_stores_the_coordinates_and_name_it_found(fake_open_meteo, sections):
    weather_refresh(site=weather_for_default_site(location="munich"))
    stored = WeatherSettings.objects.get()
    assert (stored.latitude, stored.longitude) == (Decimal("48.137430"), Decimal("11.575490"))
    assert (stored.location, stored.place_name) == ("munich", "Munich")


def test_geocodes_only_once(fake_open_meteo, sections):
    site = weather_for_default_site(location="Munich")
    weather_refresh(site=site)
    weather_refresh(site=site)
    assert len(fake_open_meteo.geocoding_requests) == 1
    assert len(fake_open_meteo.forecast_requests) == 2


def test_uses_the_editors_coordinates_without_geocoding(fake_open_meteo, sections):
    weather_refresh(site=weather_for_default_site(location="Home", latitude=Decimal("52.5"), longitude=Decimal("13.4")))
    assert fake_open_meteo.geocoding_requests == []
    assert fake_open_meteo.forecast_requests[0].query["latitude"] == "52.5"


def test_an_unknown_city_is_recorded_as_an_error(fake_open_meteo, sections):
    reading = weather_refresh(site=weather_for_default_site(location="Atlantis"))
    assert reading is not None
    assert "Atlantis" in reading.last_error
    assert reading.fetched_at is None
    assert WeatherSettings.objects.get().latitude is None


def test_a_failure_keeps_the_last_good_reading(weather_in_munich, fake_open_meteo):
    fake_open_meteo.forecast_status = 500
    reading = weather_refresh(site=weather_in_munich.site)
    assert reading is not None
    reading.refresh_from_db()
    assert (reading.temperature_c, reading.fetched_at) == (11.9, weather_in_munich.fetched_at)
    assert "HTTP 500" in reading.last_error
    assert reading.last_error_at is not None and reading.fetched_at is not None
    assert reading.last_attempt_at == reading.last_error_at > reading.fetched_at


def test_a_success_after_a_failure_keeps_the_error_history(weather_in_munich, fake_open_meteo):
    fake_open_meteo.forecast_status = 500
    failed = weather_refresh(site=weather_in_munich.site)
    fake_open_meteo.forecast_status = 200
    reading = weather_refresh(site=weather_in_munich.site)
    assert failed is not None and reading is not None
    assert reading.last_error_at == failed.last_error_at
    assert reading.fetched_at is not None and reading.last_error_at is not None
    assert reading.fetched_at > reading.last_error_at


def test_a_slow_provider_fails_within_the_deadline(fake_open_meteo, sections):
    fake_open_meteo.delay = 10  # the backend's timeout is 1 s
    started = time.monotonic()
    reading = weather_refresh(site=weather_for_default_site(location="Munich", latitude=48, longitude=11))
    assert reading is not None
    # It gave up long before the reply came. The bound comes from the fake's delay, not
    # from the timeout: a loaded machine can add seconds to a 1 s timeout.
    assert time.monotonic() - started < fake_open_meteo.delay / 2
    assert "timed out" in reading.last_error


def test_a_failure_is_logged(fake_open_meteo, sections, caplog):
    fake_open_meteo.forecast_status = 500
    with caplog.at_level(logging.ERROR, logger="newsdesk.weather.services"):
        weather_refresh(site=weather_for_default_site(location="Munich"))
    assert "HTTP 500" in caplog.text


def test_does_nothing_when_the_weather_is_hidden(fake_open_meteo, sections):
    assert weather_refresh(site=weather_for_default_site(location="Munich", show=False)) is None
    assert fake_open_meteo.received == []


def test_does_nothing_without_a_place(fake_open_meteo, sections):
    assert weather_refresh(site=weather_for_default_site(location="")) is None
    assert fake_open_meteo.received == []


def test_the_task_refreshes_the_default_site(fake_open_meteo, sections):
    site = weather_for_default_site(location="Munich")
    refresh_weather.enqueue()  # the ImmediateBackend runs it now
    assert WeatherReading.objects.get(site=site).temperature_c == 11.9


def test_the_task_is_scheduled(settings):
    assert "newsdesk.weather.tasks.refresh_weather" in settings.NEWSDESK_RECURRING_TASKS


def test_a_city_renamed_while_geocoding_keeps_no_stale_coordinates(sections):
    class EditedMeanwhile(DummyBackend):
        def geocode(self, name):
            # The editor names another city while the provider is being asked about the first.
            WeatherSettings.objects.update(location="Berlin")
            return super().geocode(name)

    weather_refresh(site=weather_for_default_site(location="Munich"), backend=EditedMeanwhile())
    stored = WeatherSettings.objects.get()
    assert (stored.location, stored.latitude, stored.longitude, stored.place_name) == ("Berlin", None, None, "")


def test_a_long_place_name_is_cut_to_fit(fake_open_meteo, sections):
    fake_open_meteo.places["munich"] = ("M" * 250, 48.1, 11.6)
    weather_refresh(site=weather_for_default_site(location="Munich"))
    assert WeatherSettings.objects.get().place_name == "M" * 200
    # The reading names the place too, and its column holds 200 characters as well.
    assert WeatherReading.objects.get().city == "M" * 200


def test_coordinates_are_named_after_the_place_found_for_them(sections):
    site = weather_for_default_site(
        location="Home", latitude=Decimal("48.1"), longitude=Decimal("11.6"), place_name="Munich Centre"
    )
    reading = weather_refresh(site=site, backend=DummyBackend())
    assert reading is not None
    assert reading.city == "Munich Centre"


def test_coordinates_alone_are_enough_to_fetch(sections):
    site = weather_for_default_site(location="", latitude=Decimal("48.1"), longitude=Decimal("11.6"))
    reading = weather_refresh(site=site, backend=DummyBackend())
    assert reading is not None
    assert reading.temperature_c == 11.9


def test_the_task_does_nothing_without_a_default_site(sections):
    weather_for_default_site(location="Munich")
    Site.objects.update(is_default_site=False)
    refresh_weather.enqueue()
    assert not WeatherReading.objects.exists()


def test_saving_hidden_weather_fetches_nothing(fake_open_meteo, sections, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        WeatherSettings(site=Site.objects.get(is_default_site=True), location="Munich", show=False).save()
    assert fake_open_meteo.received == []


def test_restoring_settings_from_a_fixture_sets_nothing_off(sections, django_capture_on_commit_callbacks):
    restored = WeatherSettings(site=Site.objects.get(is_default_site=True), location="Munich")
    with django_capture_on_commit_callbacks() as callbacks:
        restored.save_base(raw=True)  # as loaddata saves
    assert callbacks == []
