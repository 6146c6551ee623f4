"""The Open-Meteo backend against a fake Open-Meteo over HTTP."""

import time

import pytest

from newsdesk.weather.backends import Place, PlaceNotFound, WeatherError, get_backend
from newsdesk.weather.backends.open_meteo import WMO_CODES

MUNICH = Place("Munich", 48.13743, 11.57549)


def test_geocodes_a_city(fake_open_meteo):
    assert get_backend().geocode("Munich") == MUNICH


def test_asks_the_geocoder_for_one_english_result(fake_open_meteo):
    get_backend().geocode("Munich")
    assert fake_open_meteo.geocoding_requests[0].query == {
        "name": "Munich",
        "count": "1",
        "language": "en",
        "format": "json",
    }


def test_an_unknown_city_is_place_not_found(fake_open_meteo):
    with pytest.raises(PlaceNotFound, match="Atlantis"):
        get_backend().geocode("Atlantis")


def test_reads_the_current_weather(fake_open_meteo):
    reading = get_backend().current(MUNICH)
    assert (reading.temperature_c, reading.condition, reading.description) == (11.9, "cloudy", "Overcast")
    assert (reading.wind_speed_ms, reading.city) == (3.2, "Munich")
    assert reading.observed_at.tzinfo is not None


def test_asks_for_wind_in_metres_per_second(fake_open_meteo):
    get_backend().current(MUNICH)
    query = fake_open_meteo.forecast_requests[0].query
    assert query["current"] == "temperature_2m,weather_code,wind_speed_10m"
    assert query["wind_speed_unit"] == "ms"


def test_an_http_error_is_a_weather_error(fake_open_meteo):
    fake_open_meteo.forecast_status = 500
    with pytest.raises(WeatherError, match="HTTP 500"):
        get_backend().current(MUNICH)


def test_malformed_json_is_a_weather_error(fake_open_meteo):
    fake_open_meteo.forecast_body = b'{"current": {"temperature_2m": 11.9,'
    with pytest.raises(WeatherError, match="JSON"):
        get_backend().current(MUNICH)


def test_a_missing_field_is_a_weather_error(fake_open_meteo):
    fake_open_meteo.forecast_body = b'{"current": {"time": "2025-01-01T12:00", "weather_code": 3}}'
    with pytest.raises(WeatherError, match="temperature_2m"):
        get_backend().current(MUNICH)


def test_an_unknown_weather_code_is_a_weather_error(fake_open_meteo):
    fake_open_meteo.weather_code = 42
    with pytest.raises(WeatherError, match="42"):
        get_backend().current(MUNICH)


def test_a_reply_slower_than_the_timeout_is_a_weather_error(fake_open_meteo):
    fake_open_meteo.delay = 10  # the backend's timeout is 1 s
    started = time.monotonic()
    with pytest.raises(WeatherError, match="timed out"):
        get_backend().current(MUNICH)
    # It gave up long before the reply came. The bound comes from the fake's delay, not
    # from the timeout: a loaded machine can add seconds to a 1 s timeout.
    assert time.monotonic() - started < fake_open_meteo.delay / 2


def test_a_trickling_reply_fails_within_the_deadline(fake_open_meteo):
    fake_open_meteo.trickle = 0.05  # a byte every 50 ms: the whole reply (300 bytes) takes over 15 s
    started = time.monotonic()
    with pytest.raises(WeatherError, match="slow"):
        get_backend().current(MUNICH)
    # The 1 s deadline ended it, not the end of the reply; the margin is for a loaded machine.
    assert time.monotonic() - started < 5


def test_every_wmo_code_maps_to_a_condition_with_an_icon():
    from newsdesk.weather.backends.base import CONDITIONS

    assert {condition for condition, _ in WMO_CODES.values()} == set(CONDITIONS)
