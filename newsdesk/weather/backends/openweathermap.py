"""OpenWeatherMap (https://openweathermap.org/api): needs an API key.

The key travels in the query string (the API accepts it nowhere else), so it must stay
out of anything shown or stored: newsdesk.core.http keeps queries out of its error
messages, and readings carry only the values below.
"""

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

PROVIDER = "OpenWeatherMap"


def condition_for(code: int) -> str:
    """Our condition for an OpenWeatherMap condition id (https://openweathermap.org/weather-conditions)."""
    group = code // 100
    if group == 2:
        return "thunderstorm"
    if group == 3:
        return "drizzle"
    if group == 5:
        return "showers" if code >= 520 else "rain"
    if group == 6:
        return "snow"
    if group == 7:  # mist, smoke, haze, dust, fog, sand, ash, squalls, tornado
        return "fog"
    if code == 800:
        return "clear"
    if code in (801, 802):  # few and scattered clouds
        return "partly-cloudy"
    if code in (803, 804):  # broken and overcast clouds
        return "cloudy"
    raise WeatherError(f"{PROVIDER}: unknown weather condition {code}")


class OpenWeatherMapBackend(WeatherBackend):
    def __init__(self, *, api_key: str = "", base_url: str = "https://api.openweathermap.org", timeout: float = 5.0):
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def geocode(self, name: str) -> Place:
        # https://openweathermap.org/api/geocoding-api: a list, empty when nothing matches.
        data = get_json(
            PROVIDER,
            f"{self.base_url}/geo/1.0/direct",
            params={"q": name, "limit": 1, "appid": self._key()},
            timeout=self.timeout,
        )
        if data == []:
            raise PlaceNotFound(f"{PROVIDER} knows no place called {name!r}")
        try:
            first = data[0]
            return Place(
                name=str(first["name"]), latitude=json_number(first["lat"]), longitude=json_number(first["lon"])
            )
        except REPLY_ERRORS as exc:
            raise malformed(PROVIDER, exc) from exc

    def current(self, place: Place) -> Reading:
        # https://openweathermap.org/current: with units=metric, °C and wind in m/s.
        data = get_json(
            PROVIDER,
            f"{self.base_url}/data/2.5/weather",
            params={"lat": place.latitude, "lon": place.longitude, "units": "metric", "appid": self._key()},
            timeout=self.timeout,
        )
        try:
            weather = data["weather"][0]
            return Reading(
                temperature_c=json_number(data["main"]["temp"]),
                condition=condition_for(int(weather["id"])),
                description=str(weather["description"]),
                wind_speed_ms=json_number(data["wind"]["speed"]),
                # Our geocoded name: for coordinates the API names the nearest station's district.
                city=place.name or str(data["name"]),
                observed_at=datetime.datetime.fromtimestamp(int(data["dt"]), tz=datetime.UTC),
            )
        except REPLY_ERRORS as exc:
            raise malformed(PROVIDER, exc) from exc

    def _key(self) -> str:
        if not self.api_key:
            raise WeatherError(f"{PROVIDER} needs an API key: set NEWSDESK_OPENWEATHERMAP_API_KEY")
        return self.api_key
