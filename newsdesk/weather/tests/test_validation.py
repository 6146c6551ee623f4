"""A provider's impossible values are refused before they are stored; the last good reading stays."""

import datetime
import json
import logging
import math

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Site

from newsdesk.weather.backends import Place, Reading, WeatherError, get_backend
from newsdesk.weather.backends.dummy import DummyBackend
from newsdesk.weather.models import WeatherReading, WeatherSettings
from newsdesk.weather.selectors import current_weather
from newsdesk.weather.services import weather_refresh
from newsdesk.weather.validation import InvalidReading, checked_number, checked_place, checked_reading, clean_text

from .fakes import weather_for_default_site

pytestmark = pytest.mark.django_db

LIMITS = {"description": 120, "city": 200}
MUNICH = Place("Munich", 48.13743, 11.57549)


def open_meteo_reply(**current: object) -> bytes:
    """An Open-Meteo forecast reply with `current`'s values in place of good ones, written as
    Python's JSON writer writes them (NaN and Infinity unquoted, as Python's reader accepts)."""
    now = timezone.now().strftime("%Y-%m-%dT%H:%M")
    values = {"time": now, "temperature_2m": 11.9, "weather_code": 3, "wind_speed_10m": 3.2, **current}
    return json.dumps({"utc_offset_seconds": 0, "current": values}).encode()


def refresh_from(backend):
    return weather_refresh(site=weather_for_default_site(location="Munich"), backend=backend)


# --- Over real HTTP: what the issue saw ----------------------------------------------------


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_temperature_that_is_not_finite_is_refused_and_the_last_reading_stays(
    weather_in_munich, fake_open_meteo, value
):
    fake_open_meteo.forecast_body = open_meteo_reply(temperature_2m=value)
    reading = weather_refresh(site=weather_in_munich.site)
    assert reading is not None
    reading.refresh_from_db()
    assert (reading.temperature_c, reading.fetched_at) == (11.9, weather_in_munich.fetched_at)
    assert "not a finite number" in reading.last_error


def test_a_refused_reading_is_logged(weather_in_munich, fake_open_meteo, caplog):
    fake_open_meteo.forecast_body = open_meteo_reply(temperature_2m=math.nan)
    with caplog.at_level(logging.ERROR, logger="newsdesk.weather.services"):
        weather_refresh(site=weather_in_munich.site)
    assert "Refused a reading: temperature nan" in caplog.text


def test_the_page_keeps_showing_the_last_good_reading(weather_in_munich, fake_open_meteo, client, soup):
    fake_open_meteo.forecast_body = open_meteo_reply(temperature_2m=math.nan)
    weather_refresh(site=weather_in_munich.site)
    response = client.get("/")
    assert response.status_code == 200
    assert soup(response).select_one(".weather__temp").get_text() == "11.9 °C"


@pytest.mark.parametrize(
    "value",
    [75.0, -95.0, True, "12.5", None],
    ids=["too hot", "too cold", "a boolean", "a string", "null"],
)
def test_an_impossible_temperature_from_open_meteo_is_refused(fake_open_meteo, sections, value):
    fake_open_meteo.forecast_body = open_meteo_reply(temperature_2m=value)
    reading = weather_refresh(site=weather_for_default_site(location="Munich"))
    assert reading is not None
    assert reading.fetched_at is None
    assert reading.last_error


@pytest.mark.parametrize("code", [math.inf, 1e300, -1])
def test_an_impossible_weather_code_is_an_unexpected_reply(fake_open_meteo, code):
    fake_open_meteo.forecast_body = open_meteo_reply(weather_code=code)
    with pytest.raises(WeatherError, match=r"^Open-Meteo: (unexpected reply|unknown weather code)"):
        get_backend().current(MUNICH)


def test_an_offset_out_of_range_is_an_unexpected_reply(fake_open_meteo):
    body = json.loads(open_meteo_reply())
    fake_open_meteo.forecast_body = json.dumps({**body, "utc_offset_seconds": 10**20}).encode()
    with pytest.raises(WeatherError, match=r"^Open-Meteo: unexpected reply"):
        get_backend().current(MUNICH)


def test_openweathermap_a_time_out_of_range_is_an_unexpected_reply(fake_openweathermap, monkeypatch):
    original = fake_openweathermap._weather
    monkeypatch.setattr(fake_openweathermap, "_weather", lambda: {**original(), "dt": 10**30})
    with pytest.raises(WeatherError, match=r"^OpenWeatherMap: unexpected reply"):
        get_backend().current(MUNICH)


def test_coordinates_that_are_not_finite_are_not_stored(fake_open_meteo, sections):
    fake_open_meteo.places["munich"] = ("Munich", math.nan, 11.5)
    reading = weather_refresh(site=weather_for_default_site(location="Munich"))
    assert reading is not None
    assert "latitude" in reading.last_error
    assert WeatherSettings.objects.get().latitude is None


def test_a_place_name_is_stored_without_control_characters(fake_open_meteo, sections):
    fake_open_meteo.places["munich"] = ("Mün\u202echen\x00\n", 48.1, 11.6)
    weather_refresh(site=weather_for_default_site(location="Munich"))
    assert WeatherSettings.objects.get().place_name == "München"
    assert WeatherReading.objects.get().city == "München"


# --- Each value of a reading ---------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"wind_speed_ms": -1.0},
        {"wind_speed_ms": 500.0},
        {"wind_speed_ms": math.nan},
        {"condition": "sharknado"},
        {"temperature_c": 60.1},
    ],
    ids=["negative wind", "wind beyond any record", "wind not a number", "unknown condition", "just too hot"],
)
def test_an_impossible_value_refuses_the_whole_reading(sections, fields):
    reading = refresh_from(DummyBackend(**fields))
    assert reading is not None
    assert reading.fetched_at is None
    assert reading.last_error.startswith("Refused a reading")


@pytest.mark.parametrize("celsius", [-90.0, 60.0, 0, -89.2])
def test_the_extremes_ever_measured_are_accepted(sections, celsius):
    reading = refresh_from(DummyBackend(temperature_c=celsius))
    assert reading is not None
    assert reading.temperature_c == celsius


class StampedBackend(DummyBackend):
    """The dummy's reading, observed at `observed_at`."""

    def __init__(self, observed_at: datetime.datetime) -> None:
        super().__init__()
        self.observed_at = observed_at

    def current(self, place: Place) -> Reading:
        reading = super().current(place)
        return Reading(**{**reading.__dict__, "observed_at": self.observed_at})


def test_a_reading_from_the_future_is_refused(sections, frozen_now):
    reading = refresh_from(StampedBackend(frozen_now + datetime.timedelta(hours=2)))
    assert reading is not None
    assert "in the future" in reading.last_error


def test_a_reading_stamped_slightly_ahead_is_accepted(sections, frozen_now):
    # Clocks differ a little; the provider's clock may be ahead of ours.
    reading = refresh_from(StampedBackend(frozen_now + datetime.timedelta(minutes=5)))
    assert reading is not None
    assert reading.fetched_at == frozen_now


def test_a_reading_older_than_the_maximum_age_is_refused(sections, frozen_now, settings):
    settings.NEWSDESK_WEATHER_MAX_AGE_SECONDS = 3600
    reading = refresh_from(StampedBackend(frozen_now - datetime.timedelta(hours=2)))
    assert reading is not None
    assert "older than the maximum age" in reading.last_error


def test_a_reading_without_a_time_zone_is_refused(sections, frozen_now):
    reading = refresh_from(StampedBackend(frozen_now.replace(tzinfo=None)))
    assert reading is not None
    assert "no time zone" in reading.last_error


def test_description_and_city_are_cleaned_and_cut():
    raw = Reading(11.9, "cloudy", "Over\x07cast\u200b  sky\t", 3.0, "C" * 300, timezone.now())
    reading = checked_reading(raw, text_limits=LIMITS)
    assert (reading.description, reading.city) == ("Overcast sky", "C" * 200)


def test_text_that_is_not_text_is_refused():
    with pytest.raises(InvalidReading, match="not text"):
        clean_text(["Munich"], limit=10)


def test_clean_text_keeps_letters_of_every_script():
    assert clean_text("  Αθήνα — 東京 ", limit=50) == "Αθήνα — 東京"


def test_checked_number_names_the_value_and_the_range():
    with pytest.raises(InvalidReading, match=r"^Refused a reading: latitude 91 is outside -90 to 90$"):
        checked_number("latitude", 91, (-90.0, 90.0))


def test_checked_number_takes_integers():
    assert checked_number("temperature", 12, (-90.0, 60.0)) == 12.0


def test_checked_place_refuses_an_impossible_longitude():
    with pytest.raises(InvalidReading, match="longitude"):
        checked_place(Place("X", 10.0, 200.0), name_limit=200)


# --- Rows and cached copies from before readings were checked ------------------------------


def test_a_stored_reading_without_temperature_shows_nothing(weather_in_munich, client, soup):
    WeatherReading.objects.update(temperature_c=None)  # what a NaN became before the check
    cache.clear()
    response = client.get("/")
    assert response.status_code == 200
    assert soup(response).select_one(".weather__widget") is None


def test_a_cached_payload_without_temperature_shows_nothing(weather_in_munich):
    site = Site.objects.get(is_default_site=True)
    cache.set(f"weather:site:{site.pk}", {"temperature_c": None, "observed_at": timezone.now(), "units": "C"})
    assert current_weather(site) is None


def test_a_cached_payload_missing_fields_shows_nothing(weather_in_munich):
    site = Site.objects.get(is_default_site=True)
    cache.set(f"weather:site:{site.pk}", {"temperature_c": 11.9})
    assert current_weather(site) is None
