"""What a provider's answer must look like before it is stored and shown.

A provider is an outside service: its JSON can hold NaN or Infinity (Python's JSON reader
accepts both), numbers in the wrong unit, clocks far off and control characters. One such
value once went into the database as NULL and made every uncached page fail (issue 18).
A reading is refused as a whole when any value is impossible (InvalidReading, a
WeatherError): the refresh job records the error beside the last good reading, which
stays shown.
"""

from __future__ import annotations

import datetime
import math
import unicodedata

from django.conf import settings
from django.utils import timezone

from .backends.base import CONDITIONS, Place, Reading, WeatherError

# Beyond the extremes ever measured on Earth (WMO World Weather and Climate Extremes
# Archive, https://wmo.asu.edu/): -89.2 °C at Vostok (1983), 56.7 °C in Death Valley
# (1913), a 113.2 m/s gust on Barrow Island (1996). A value outside is a fault, not weather.
TEMPERATURE_RANGE_C = (-90.0, 60.0)
WIND_SPEED_RANGE_MS = (0.0, 120.0)
# Providers stamp a reading with the start of its interval (Open-Meteo: 15 minutes); one
# further ahead than this comes from a wrong clock or time zone.
FUTURE_TOLERANCE = datetime.timedelta(hours=1)
# Unicode categories dropped from text: controls (Cc), format characters such as the
# right-to-left override (Cf), surrogates (Cs), private use (Co) and unassigned (Cn).
DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


class InvalidReading(WeatherError):
    """The provider answered, with a value that cannot be true."""


def checked_reading(reading: Reading, *, text_limits: dict[str, int]) -> Reading:
    """`reading` with its text cleaned and cut to `text_limits` (field -> characters);
    InvalidReading when a number, the condition or the time is impossible."""
    return Reading(
        temperature_c=checked_number("temperature", reading.temperature_c, TEMPERATURE_RANGE_C),
        condition=_checked_condition(reading.condition),
        description=clean_text(reading.description, limit=text_limits["description"]),
        wind_speed_ms=checked_number("wind speed", reading.wind_speed_ms, WIND_SPEED_RANGE_MS),
        city=clean_text(reading.city, limit=text_limits["city"]),
        observed_at=_checked_moment(reading.observed_at),
    )


def checked_place(place: Place, *, name_limit: int) -> Place:
    """`place` with its name cleaned and cut; InvalidReading when a coordinate is impossible."""
    return Place(
        name=clean_text(place.name, limit=name_limit),
        latitude=checked_number("latitude", place.latitude, (-90.0, 90.0)),
        longitude=checked_number("longitude", place.longitude, (-180.0, 180.0)),
    )


def checked_number(name: str, value: object, bounds: tuple[float, float]) -> float:
    # bool is an int to Python, but true is no temperature.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidReading(f"Refused a reading: {name} {value!r} is not a number")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidReading(f"Refused a reading: {name} {value!r} is not a finite number")
    low, high = bounds
    if not low <= number <= high:
        raise InvalidReading(f"Refused a reading: {name} {number:g} is outside {low:g} to {high:g}")
    return number


def clean_text(value: object, *, limit: int) -> str:
    """`value` without control and format characters, its spaces collapsed, cut to `limit`
    characters (a column's length: PostgreSQL refuses longer values)."""
    if not isinstance(value, str):
        raise InvalidReading(f"Refused a reading: {value!r} is not text")
    kept = "".join(" " if char.isspace() else char for char in value if not _dropped(char))
    return " ".join(kept.split())[:limit]


def _dropped(char: str) -> bool:
    return not char.isspace() and unicodedata.category(char) in DROPPED_CATEGORIES


def _checked_condition(condition: object) -> str:
    if condition not in CONDITIONS:
        raise InvalidReading(f"Refused a reading: no such condition {condition!r}")
    return str(condition)


def _checked_moment(moment: object) -> datetime.datetime:
    if not isinstance(moment, datetime.datetime) or timezone.is_naive(moment):
        raise InvalidReading(f"Refused a reading: observation time {moment!r} has no time zone")
    now = timezone.now()
    if moment > now + FUTURE_TOLERANCE:
        raise InvalidReading(f"Refused a reading: observed at {moment.isoformat()}, in the future")
    # It would be hidden at once (selectors), in place of a reading that may still be shown.
    if (now - moment).total_seconds() > settings.NEWSDESK_WEATHER_MAX_AGE_SECONDS:
        raise InvalidReading(f"Refused a reading: observed at {moment.isoformat()}, older than the maximum age")
    return moment
