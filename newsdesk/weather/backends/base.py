"""The interface every weather provider implements, and what they share."""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from newsdesk.core.http import FetchError, fetch

# The conditions the site has an icon for; each backend maps its provider's codes onto these.
CONDITIONS = ("clear", "partly-cloudy", "cloudy", "fog", "drizzle", "rain", "snow", "showers", "thunderstorm")


class WeatherError(Exception):
    """The provider could not give a reading; the message says why, for staff (never readers)."""


class PlaceNotFound(WeatherError):
    pass


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Reading:
    temperature_c: float
    condition: str
    description: str
    wind_speed_ms: float
    city: str
    observed_at: datetime.datetime


class WeatherBackend(ABC):
    @abstractmethod
    def geocode(self, name: str) -> Place:
        """The place best matching `name`; PlaceNotFound if there is none."""

    @abstractmethod
    def current(self, place: Place) -> Reading:
        """The weather at `place` now."""


def get_json(provider: str, url: str, *, params: Mapping[str, str | int | float], timeout: float) -> Any:
    """The JSON reply to GET `url`, or WeatherError naming `provider` and what went wrong."""
    try:
        response = fetch(url, params=params, timeout=timeout, max_bytes=200_000)
        response.raise_for_status()
        return response.json()
    except FetchError as exc:
        raise WeatherError(f"{provider}: {exc}") from exc


def malformed(provider: str, exc: Exception) -> WeatherError:
    """The error for a reply that parsed as JSON but lacks a field or has one of the wrong type."""
    detail = f"missing {exc}" if isinstance(exc, KeyError | IndexError) else str(exc)
    return WeatherError(f"{provider}: unexpected reply ({detail})")
