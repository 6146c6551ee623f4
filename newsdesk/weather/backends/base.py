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


# What reading a reply that parsed as JSON can raise: a missing key or item, a value of the
# wrong type, and OverflowError from int(Infinity) or a timestamp or offset out of range.
REPLY_ERRORS = (KeyError, IndexError, TypeError, ValueError, OverflowError)


def json_number(value: Any) -> float:
    """A JSON number as a float. float() would also take true, "12.5" or "nan" from a provider
    that sent the wrong type; those are a TypeError here, read as an unexpected reply."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{value!r} is not a number")
    return float(value)


def malformed(provider: str, exc: Exception) -> WeatherError:
    """The error for a reply that parsed as JSON but lacks a field or has one of the wrong type."""
    detail = f"missing {exc}" if isinstance(exc, KeyError | IndexError) else str(exc)
    return WeatherError(f"{provider}: unexpected reply ({detail})")
