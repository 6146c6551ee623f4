"""The dummy backend that development and most tests run on: no network, fixed answers."""

import datetime

import pytest
import time_machine

from newsdesk.weather.backends import Place, PlaceNotFound, WeatherError, get_backend
from newsdesk.weather.backends.dummy import DummyBackend


def test_passes_the_configured_options(settings):
    settings.NEWSDESK_WEATHER = {
        "BACKEND": "newsdesk.weather.backends.dummy.DummyBackend",
        "OPTIONS": {"temperature_c": -3.5, "condition": "snow"},
    }
    reading = get_backend().current(Place("Oslo", 59.9, 10.7))
    assert (reading.temperature_c, reading.condition) == (-3.5, "snow")


def test_every_place_but_the_unknown_one_exists():
    assert DummyBackend(latitude=1.5, longitude=2.5).geocode("Springfield") == Place("Springfield", 1.5, 2.5)


def test_the_unknown_place_is_not_found_whatever_its_case():
    with pytest.raises(PlaceNotFound, match="'NOWHERE'"):
        DummyBackend().geocode("NOWHERE")


def test_the_reading_is_for_the_place_asked_about_and_observed_now():
    moment = datetime.datetime(2025, 1, 2, 3, 4, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        reading = DummyBackend().current(Place("Graz", 47.1, 15.4))
    assert (reading.city, reading.observed_at) == ("Graz", moment)


@pytest.mark.parametrize("call", [lambda b: b.geocode("Graz"), lambda b: b.current(Place("Graz", 47.1, 15.4))])
def test_a_set_error_makes_every_call_fail(call):
    with pytest.raises(WeatherError, match=r"^provider down$"):
        call(DummyBackend(error="provider down"))
