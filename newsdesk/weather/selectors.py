"""Reads for the weather widget: the cache, else the database, never the provider.

The refresh job (services.weather_refresh) runs in the worker process. With the
default process-local cache its cache write never reaches the web processes, so the
database row is the durable copy; each web process caches what it read for a minute.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.text import capfirst
from wagtail.models import Site

from .models import WeatherReading, WeatherSettings

CACHE_SECONDS = 60
_MISSING = object()


@dataclass(frozen=True)
class WeatherDisplay:
    temperature: Decimal
    unit: str
    city: str
    condition: str
    label: str


def current_weather(site: Site) -> WeatherDisplay | None:
    """What the top bar shows for `site`; None when weather is hidden, never fetched, or stale."""
    payload = cache.get(cache_key(site.pk), _MISSING)
    if payload is _MISSING:
        payload = weather_payload(
            weather_settings=WeatherSettings.objects.filter(site=site).first(),
            reading=WeatherReading.objects.filter(site=site).first(),
        )
        cache.set(cache_key(site.pk), payload, CACHE_SECONDS)
    return _display(payload)


def weather_payload(*, weather_settings: WeatherSettings | None, reading: WeatherReading | None) -> dict[str, Any]:
    """The widget's data as plain values, for the cache; empty when there is nothing to show
    (cached too, so pages without weather do not ask the database each time)."""
    if weather_settings is None or not weather_settings.show or reading is None or reading.fetched_at is None:
        return {}
    if not _is_temperature(reading.temperature_c):
        # Rows stored before readings were checked (services) can hold NULL for a NaN.
        return {}
    return {
        "temperature_c": reading.temperature_c,
        "condition": reading.condition,
        "description": reading.description,
        "city": reading.city,
        "observed_at": reading.observed_at or reading.fetched_at,
        "units": weather_settings.units,
    }


def cache_key(site_id: int) -> str:
    return f"weather:site:{site_id}"


def forget_weather(*, site_id: int) -> None:
    cache.delete(cache_key(site_id))


def temperature_in(celsius: float, units: str) -> Decimal:
    """`celsius` in `units` ("C" or "F"), rounded half up to one decimal, never "-0.0"."""
    value = Decimal(str(celsius))
    if units == WeatherSettings.Units.FAHRENHEIT:
        value = value * 9 / 5 + 32
    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return rounded if rounded else Decimal("0.0")


def _display(payload: dict[str, Any]) -> WeatherDisplay | None:
    # A payload cached by an older release may lack what this one checks before caching.
    if not payload or not _is_temperature(payload.get("temperature_c")) or payload.get("observed_at") is None:
        return None
    # Checked on every read, not when caching: a reading turns stale while it sits in the cache.
    age = timezone.now() - payload["observed_at"]
    if age.total_seconds() > settings.NEWSDESK_WEATHER_MAX_AGE_SECONDS:
        return None
    fahrenheit = payload["units"] == WeatherSettings.Units.FAHRENHEIT
    return WeatherDisplay(
        temperature=temperature_in(payload["temperature_c"], payload["units"]),
        unit="°F" if fahrenheit else "°C",
        city=payload["city"],
        condition=payload["condition"],
        label=capfirst(payload["description"]) or payload["condition"],
    )


def _is_temperature(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
