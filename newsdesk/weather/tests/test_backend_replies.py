"""How the backends read what a provider sends that is odd: offsets, odd codes, broken places."""

import datetime
import json

import pytest
import time_machine

from newsdesk.weather.backends import Place, WeatherError, get_backend

MUNICH = Place("Munich", 48.13743, 11.57549)


def test_open_meteo_converts_the_local_time_to_utc(fake_open_meteo):
    # Open-Meteo sends local time without an offset, and the offset beside it.
    current = {"time": "2025-06-01T14:15", "temperature_2m": 20.5, "weather_code": 0, "wind_speed_10m": 1.0}
    fake_open_meteo.forecast_body = json.dumps({"utc_offset_seconds": 7200, "current": current}).encode()
    observed = get_backend().current(MUNICH).observed_at
    assert observed == datetime.datetime(2025, 6, 1, 12, 15, tzinfo=datetime.UTC)


def test_open_meteo_keeps_an_offset_given_in_the_time(fake_open_meteo):
    current = {"time": "2025-06-01T14:15+01:00", "temperature_2m": 20.5, "weather_code": 0, "wind_speed_10m": 1.0}
    fake_open_meteo.forecast_body = json.dumps({"utc_offset_seconds": 7200, "current": current}).encode()
    observed = get_backend().current(MUNICH).observed_at
    assert observed == datetime.datetime(2025, 6, 1, 13, 15, tzinfo=datetime.UTC)


def test_open_meteo_a_place_without_usable_coordinates_is_an_unexpected_reply(fake_open_meteo):
    fake_open_meteo.places["atlantis"] = ("Atlantis", "north", 1.0)
    with pytest.raises(WeatherError, match=r"^Open-Meteo: unexpected reply \(.north. is not a number"):
        get_backend().geocode("Atlantis")


def test_open_meteo_a_reply_that_is_not_an_object_is_an_unexpected_reply(fake_open_meteo):
    fake_open_meteo.forecast_body = b"[1, 2, 3]"
    with pytest.raises(WeatherError, match=r"^Open-Meteo: unexpected reply"):
        get_backend().current(MUNICH)


def test_openweathermap_an_unknown_condition_id_is_a_weather_error(fake_openweathermap):
    fake_openweathermap.condition_id = 900
    with pytest.raises(WeatherError, match=r"^OpenWeatherMap: unknown weather condition 900$"):
        get_backend().current(MUNICH)


def test_openweathermap_a_place_without_usable_coordinates_is_an_unexpected_reply(fake_openweathermap):
    fake_openweathermap.places["atlantis"] = ("Atlantis", None, 1.0)
    with pytest.raises(WeatherError, match=r"^OpenWeatherMap: unexpected reply \("):
        get_backend().geocode("Atlantis")


def test_openweathermap_a_reading_without_a_temperature_is_an_unexpected_reply(fake_openweathermap):
    fake_openweathermap.temperature = None
    with pytest.raises(WeatherError, match=r"^OpenWeatherMap: unexpected reply \("):
        get_backend().current(MUNICH)


def test_openweathermap_names_the_station_when_the_place_has_no_name(fake_openweathermap):
    assert get_backend().current(Place("", 48.1, 11.6)).city == "Altstadt"


def test_openweathermap_sends_the_coordinates_it_is_given(fake_openweathermap):
    get_backend().current(MUNICH)
    query = fake_openweathermap.requests_to("/data/2.5/weather")[0].query
    assert (query["lat"], query["lon"]) == ("48.13743", "11.57549")


def test_openweathermap_reads_the_observation_time_as_utc(fake_openweathermap):
    moment = datetime.datetime(2025, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):  # the fake stamps "dt" with now
        observed = get_backend().current(MUNICH).observed_at
    assert observed == moment
