"""A fixed reading and no network, for development and tests."""

from __future__ import annotations

from django.utils import timezone

from .base import Place, PlaceNotFound, Reading, WeatherBackend, WeatherError


class DummyBackend(WeatherBackend):
    """Every place exists (at `latitude`/`longitude`) except `unknown_place`, and the weather
    is always the same; set `error` to make every call fail with that message."""

    def __init__(
        self,
        *,
        temperature_c: float = 11.9,
        condition: str = "cloudy",
        description: str = "Overcast",
        wind_speed_ms: float = 3.0,
        latitude: float = 48.137,
        longitude: float = 11.575,
        unknown_place: str = "Nowhere",
        error: str = "",
    ) -> None:
        self.temperature_c = temperature_c
        self.condition = condition
        self.description = description
        self.wind_speed_ms = wind_speed_ms
        self.latitude = latitude
        self.longitude = longitude
        self.unknown_place = unknown_place
        self.error = error

    def geocode(self, name: str) -> Place:
        self._fail_if_asked()
        if name.casefold() == self.unknown_place.casefold():
            raise PlaceNotFound(f"No place called {name!r}")
        return Place(name=name, latitude=self.latitude, longitude=self.longitude)

    def current(self, place: Place) -> Reading:
        self._fail_if_asked()
        return Reading(
            temperature_c=self.temperature_c,
            condition=self.condition,
            description=self.description,
            wind_speed_ms=self.wind_speed_ms,
            city=place.name,
            observed_at=timezone.now(),
        )

    def _fail_if_asked(self) -> None:
        if self.error:
            raise WeatherError(self.error)
