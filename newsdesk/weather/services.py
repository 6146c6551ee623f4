"""Writes for the weather: the refresh job's work."""

from __future__ import annotations

import logging
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from wagtail.models import Site

from .backends import Place, PlaceNotFound, WeatherBackend, WeatherError, get_backend
from .breaker import ProviderBreaker
from .models import WeatherReading, WeatherSettings
from .selectors import cache_key, weather_payload
from .validation import checked_place, checked_reading

logger = logging.getLogger(__name__)


def weather_refresh(*, site: Site, backend: WeatherBackend | None = None) -> WeatherReading | None:
    """Ask the provider for `site`'s weather and record the reading, or the error beside the
    last good reading. Returns the site's WeatherReading; None when there is nothing to fetch
    (weather hidden, or no place set)."""
    weather_settings = WeatherSettings.objects.filter(site=site).first()
    if weather_settings is None or not weather_settings.show:
        return None
    if not (weather_settings.location or weather_settings.has_coordinates):
        return None
    backend = backend or get_backend()
    breaker = ProviderBreaker.for_backend(f"{type(backend).__module__}.{type(backend).__qualname__}")
    reading, _ = WeatherReading.objects.get_or_create(site=site)
    if not breaker.allow():
        logger.info("Weather refresh for %s skipped: the provider is paused after failing", site)
        return reading
    reading.last_attempt_at = timezone.now()
    try:
        current = checked_reading(backend.current(_place(weather_settings, backend)), text_limits=_text_limits())
    except WeatherError as exc:
        if isinstance(exc, PlaceNotFound):
            breaker.record_success()  # the provider answered; an unknown place is the editor's to fix
        else:
            breaker.record_failure()
        logger.error("Weather refresh for %s failed: %s", site, exc)
        reading.last_error = str(exc)
        reading.last_error_at = reading.last_attempt_at
        reading.save(update_fields=["last_attempt_at", "last_error", "last_error_at"])
        return reading
    breaker.record_success()
    reading.temperature_c = current.temperature_c
    reading.condition = current.condition
    reading.description = current.description
    reading.wind_speed_ms = current.wind_speed_ms
    reading.city = current.city
    reading.observed_at = current.observed_at
    reading.fetched_at = reading.last_attempt_at
    reading.save()
    payload = weather_payload(weather_settings=weather_settings, reading=reading)
    cache.set(cache_key(site.pk), payload, settings.NEWSDESK_WEATHER_MAX_AGE_SECONDS)
    return reading


def _place(weather_settings: WeatherSettings, backend: WeatherBackend) -> Place:
    """The place to ask about: the editor's coordinates, or `location` looked up once and kept."""
    if weather_settings.latitude is not None and weather_settings.longitude is not None:
        return Place(
            name=weather_settings.place_name or weather_settings.location,
            latitude=float(weather_settings.latitude),
            longitude=float(weather_settings.longitude),
        )
    place = checked_place(
        backend.geocode(weather_settings.location), name_limit=_column_length(WeatherSettings, "place_name")
    )
    # Only these fields, and only if the editor has not named another place meanwhile; an
    # update() also sends no post_save, which would enqueue another refresh.
    WeatherSettings.objects.filter(
        pk=weather_settings.pk, location=weather_settings.location, latitude__isnull=True
    ).update(
        latitude=_coordinate(place.latitude),
        longitude=_coordinate(place.longitude),
        place_name=place.name,
    )
    return place


def _text_limits() -> dict[str, int]:
    # What the provider's text may fill: PostgreSQL refuses values longer than a column.
    return {field: _column_length(WeatherReading, field) for field in ("description", "city")}


def _column_length(model: type[models.Model], field: str) -> int:
    column = model._meta.get_field(field)
    assert isinstance(column, models.CharField) and column.max_length is not None
    return column.max_length


def _coordinate(value: float) -> Decimal:
    # Six decimals (about 0.1 m) is what the fields hold.
    return Decimal(str(value)).quantize(Decimal("0.000001"))
