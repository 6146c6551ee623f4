"""Weather providers behind one interface, chosen by settings.NEWSDESK_WEATHER."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from .base import Place, PlaceNotFound, Reading, WeatherBackend, WeatherError

__all__ = ["Place", "PlaceNotFound", "Reading", "WeatherBackend", "WeatherError", "get_backend"]


def get_backend() -> WeatherBackend:
    """The configured backend: settings.NEWSDESK_WEATHER = {"BACKEND": dotted path, "OPTIONS": kwargs}."""
    config: Mapping[str, Any] = settings.NEWSDESK_WEATHER
    backend_class = import_string(config["BACKEND"])
    return backend_class(**config.get("OPTIONS", {}))
