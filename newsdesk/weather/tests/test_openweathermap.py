"""The OpenWeatherMap backend against a fake OpenWeatherMap over HTTP."""

import pytest

from newsdesk.weather.backends import Place, PlaceNotFound, WeatherError, get_backend
from newsdesk.weather.backends.openweathermap import condition_for

MUNICH = Place("Munich", 48.13743, 11.57549)


def test_geocodes_a_city(fake_openweathermap):
    assert get_backend().geocode("Munich") == MUNICH


def test_an_unknown_city_is_place_not_found(fake_openweathermap):
    with pytest.raises(PlaceNotFound):
        get_backend().geocode("Atlantis")


def test_reads_the_current_weather_in_metric_units(fake_openweathermap):
    reading = get_backend().current(MUNICH)
    assert (reading.temperature_c, reading.condition, reading.description) == (11.9, "cloudy", "overcast clouds")
    assert (reading.wind_speed_ms, reading.city) == (2.6, "Munich")
    assert fake_openweathermap.requests_to("/data/2.5/weather")[0].query["units"] == "metric"


def test_a_rejected_key_is_an_error_that_does_not_show_the_key(fake_openweathermap, settings):
    settings.NEWSDESK_WEATHER["OPTIONS"]["api_key"] = "wrong-key-7a1b"
    with pytest.raises(WeatherError, match="HTTP 401") as caught:
        get_backend().current(MUNICH)
    assert "wrong-key-7a1b" not in str(caught.value)


def test_no_key_is_an_error_before_any_request(fake_openweathermap, settings):
    settings.NEWSDESK_WEATHER["OPTIONS"]["api_key"] = ""
    with pytest.raises(WeatherError, match="NEWSDESK_OPENWEATHERMAP_API_KEY"):
        get_backend().geocode("Munich")
    assert fake_openweathermap.received == []


@pytest.mark.parametrize(
    ("code", "condition"),
    [(211, "thunderstorm"), (301, "drizzle"), (501, "rain"), (521, "showers"), (601, "snow"), (741, "fog")]
    + [(800, "clear"), (801, "partly-cloudy"), (804, "cloudy")],
)
def test_condition_ids_map_to_our_conditions(code, condition):
    assert condition_for(code) == condition
