from typing import Any

import pytest

from .fakes import fake_open_meteo, fake_openweathermap, weather_in_munich  # noqa: F401


@pytest.fixture(autouse=True)
def _dummy_weather_backend(settings: Any) -> None:
    """No test here reaches a real provider: the fakes' fixtures switch to them explicitly."""
    settings.NEWSDESK_WEATHER = {"BACKEND": "newsdesk.weather.backends.dummy.DummyBackend", "OPTIONS": {}}
