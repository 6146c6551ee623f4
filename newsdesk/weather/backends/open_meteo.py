"""Open-Meteo (https://open-meteo.com/en/docs): free, no API key, can be self-hosted."""

from __future__ import annotations

import datetime

from .base import (
    REPLY_ERRORS,
    Place,
    PlaceNotFound,
    Reading,
    WeatherBackend,
    WeatherError,
    get_json,
    json_number,
    malformed,
)

PROVIDER = "Open-Meteo"

# WMO weather interpretation codes (WMO 4677, as listed in the Open-Meteo docs under
# "Weather variable documentation"): code -> (condition, description).
WMO_CODES: dict[int, tuple[str, str]] = {
    0: ("clear", "Clear sky"),
    1: ("clear", "Mainly clear"),
    2: ("partly-cloudy", "Partly cloudy"),
    3: ("cloudy", "Overcast"),
    45: ("fog", "Fog"),
    48: ("fog", "Depositing rime fog"),
    51: ("drizzle", "Light drizzle"),
    53: ("drizzle", "Drizzle"),
    55: ("drizzle", "Dense drizzle"),
    56: ("drizzle", "Light freezing drizzle"),
    57: ("drizzle", "Dense freezing drizzle"),
    61: ("rain", "Slight rain"),
    63: ("rain", "Rain"),
    65: ("rain", "Heavy rain"),
    66: ("rain", "Light freezing rain"),
    67: ("rain", "Heavy freezing rain"),
    71: ("snow", "Slight snowfall"),
    73: ("snow", "Snowfall"),
    75: ("snow", "Heavy snowfall"),
    77: ("snow", "Snow grains"),
    80: ("showers", "Slight rain showers"),
    81: ("showers", "Rain showers"),
    82: ("showers", "Violent rain showers"),
    85: ("snow", "Slight snow showers"),
    86: ("snow", "Heavy snow showers"),
    95: ("thunderstorm", "Thunderstorm"),
    96: ("thunderstorm", "Thunderstorm with slight hail"),
    99: ("thunderstorm", "Thunderstorm with heavy hail"),
}


class OpenMeteoBackend(WeatherBackend):
    def __init__(
        self,
        *,
        base_url: str = "https://api.open-meteo.com",
        geocoding_url: str = "https://geocoding-api.open-meteo.com",
        timeout: float = 5.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.geocoding_url = geocoding_url.rstrip("/")
        self.timeout = timeout

    def geocode(self, name: str) -> Place:
        # https://open-meteo.com/en/docs/geocoding-api: no "results" key when nothing matches.
        data = get_json(
            PROVIDER,
            f"{self.geocoding_url}/v1/search",
            params={"name": name, "count": 1, "language": "en", "format": "json"},
            timeout=self.timeout,
        )
        try:
            results = data.get("results") or []
            if not results:
                raise PlaceNotFound(f"{PROVIDER} knows no place called {name!r}")
            first = results[0]
            return Place(
                name=str(first["name"]),
                latitude=json_number(first["latitude"]),
                longitude=json_number(first["longitude"]),
            )
        except (AttributeError, *REPLY_ERRORS) as exc:
            raise malformed(PROVIDER, exc) from exc

    def current(self, place: Place) -> Reading:
        data = get_json(
            PROVIDER,
            f"{self.base_url}/v1/forecast",
            params={
                "latitude": place.latitude,
                "longitude": place.longitude,
                "current": "temperature_2m,weather_code,wind_speed_10m",
                "wind_speed_unit": "ms",
            },
            timeout=self.timeout,
        )
        try:
            current = data["current"]
            code = int(current["weather_code"])
            if code not in WMO_CODES:
                raise WeatherError(f"{PROVIDER}: unknown weather code {code}")
            condition, description = WMO_CODES[code]
            return Reading(
                temperature_c=json_number(current["temperature_2m"]),
                condition=condition,
                description=description,
                wind_speed_ms=json_number(current["wind_speed_10m"]),
                city=place.name,
                observed_at=_observed_at(current["time"], int(data.get("utc_offset_seconds", 0))),
            )
        except REPLY_ERRORS as exc:
            raise malformed(PROVIDER, exc) from exc


def _observed_at(local_time: str, utc_offset_seconds: int) -> datetime.datetime:
    # "time" is ISO 8601 without an offset, in the requested timezone (GMT unless asked).
    moment = datetime.datetime.fromisoformat(local_time)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone(datetime.timedelta(seconds=utc_offset_seconds)))
    return moment.astimezone(datetime.UTC)
