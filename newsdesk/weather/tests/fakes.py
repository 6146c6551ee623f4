"""Fake weather providers served over real HTTP on 127.0.0.1, and fixtures that use them.

The backends run their real code path (newsdesk.core.http.fetch, sockets, JSON) against
these servers. Other test packages (the browser tests) reuse the fixtures by importing
them into their conftest.py:

    from newsdesk.weather.tests.fakes import fake_open_meteo, weather_in_munich  # noqa: F401

`weather_in_munich` leaves the default site showing 11.9 °C in Munich, from a fake
Open-Meteo that settings point at.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

import pytest
from wagtail.models import Site

from newsdesk.weather.models import WeatherReading, WeatherSettings
from newsdesk.weather.services import weather_refresh

MUNICH = ("Munich", 48.13743, 11.57549)


@dataclass(frozen=True)
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


class FakeServer:
    """An HTTP server in a thread on a free port of 127.0.0.1. Subclasses answer in `respond`.

    Knobs for failure tests: `delay` seconds before answering, `trickle` seconds between
    body bytes. Every request is kept in `received`.
    """

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.delay = 0.0
        self.trickle = 0.0
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def hostport(self) -> str:
        """For NEWSDESK_HTTP_TRUSTED_HOSTPORTS: the client fetches other ports than 80/443 only when trusted."""
        return self.url.removeprefix("http://")

    def respond(self, path: str, query: dict[str, str]) -> tuple[int, bytes]:
        """Subclasses answer their API's paths; anything else is not found."""
        return 404, b'{"error": true, "reason": "Not found"}'

    def requests_to(self, path: str) -> list[Received]:
        return [request for request in self.received if request.path == path]

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()  # wakes handlers still sleeping on `delay` or `trickle`
        self._server.shutdown()
        self._server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {key: values[0] for key, values in parse_qs(parts.query).items()}
                fake.received.append(Received(parts.path, query, dict(self.headers)))
                status, body = fake.respond(parts.path, query)
                if fake._stopping.wait(fake.delay):
                    return
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self._write(body)

            def _write(self, body: bytes) -> None:
                if not fake.trickle:
                    self.wfile.write(body)
                    return
                for byte in body:
                    if fake._stopping.wait(fake.trickle):
                        return
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()

            def handle(self) -> None:
                # The client may give up first, as the timeout tests make it.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    super().handle()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


class FakeOpenMeteo(FakeServer):
    """Open-Meteo's forecast and geocoding APIs on one server (point both base URLs at `url`)."""

    def __init__(self) -> None:
        super().__init__()
        self.places: dict[str, tuple[str, float, float]] = {"munich": MUNICH}
        self.temperature = 11.9
        self.weather_code = 3  # overcast
        self.wind_speed = 3.2
        self.forecast_status = 200
        self.forecast_body: bytes | None = None  # sent as is instead of the JSON, e.g. to break it

    @property
    def geocoding_requests(self) -> list[Received]:
        return self.requests_to("/v1/search")

    @property
    def forecast_requests(self) -> list[Received]:
        return self.requests_to("/v1/forecast")

    def respond(self, path: str, query: dict[str, str]) -> tuple[int, bytes]:
        if path == "/v1/search":
            return 200, json.dumps(self._search(query.get("name", ""))).encode()
        if path == "/v1/forecast":
            return self.forecast_status, self.forecast_body or json.dumps(self._forecast(query)).encode()
        return 404, b'{"error": true, "reason": "Not Found"}'

    def _search(self, name: str) -> dict[str, Any]:
        # Shape from https://open-meteo.com/en/docs/geocoding-api; no "results" when nothing matches.
        found = self.places.get(name.casefold())
        if found is None:
            return {"generationtime_ms": 0.4}
        place, latitude, longitude = found
        return {"results": [{"id": 1, "name": place, "latitude": latitude, "longitude": longitude, "country": "X"}]}

    def _forecast(self, query: dict[str, str]) -> dict[str, Any]:
        now = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0)
        return {
            "latitude": float(query.get("latitude", 0)),
            "longitude": float(query.get("longitude", 0)),
            "utc_offset_seconds": 0,
            "timezone": "GMT",
            "current_units": {"temperature_2m": "°C", "weather_code": "wmo code", "wind_speed_10m": "m/s"},
            "current": {
                "time": now.replace(minute=now.minute // 15 * 15).strftime("%Y-%m-%dT%H:%M"),
                "interval": 900,
                "temperature_2m": self.temperature,
                "weather_code": self.weather_code,
                "wind_speed_10m": self.wind_speed,
            },
        }


class FakeOpenWeatherMap(FakeServer):
    """OpenWeatherMap's geocoding and current weather APIs; answers 401 to any other key."""

    api_key = "owm-test-key-5f2c9e"

    def __init__(self) -> None:
        super().__init__()
        self.places: dict[str, tuple[str, float, float]] = {"munich": MUNICH}
        self.temperature = 11.9
        self.condition_id = 804
        self.description = "overcast clouds"

    def respond(self, path: str, query: dict[str, str]) -> tuple[int, bytes]:
        if query.get("appid") != self.api_key:
            return 401, b'{"cod": 401, "message": "Invalid API key."}'
        if path == "/geo/1.0/direct":
            found = self.places.get(query.get("q", "").casefold())
            places = [] if found is None else [{"name": found[0], "lat": found[1], "lon": found[2], "country": "DE"}]
            return 200, json.dumps(places).encode()
        if path == "/data/2.5/weather":
            return 200, json.dumps(self._weather()).encode()
        return 404, b'{"cod": "404", "message": "Not found"}'

    def _weather(self) -> dict[str, Any]:
        # Shape from https://openweathermap.org/current#fields_json
        return {
            "weather": [{"id": self.condition_id, "main": "Clouds", "description": self.description, "icon": "04d"}],
            "main": {"temp": self.temperature, "humidity": 80},
            "wind": {"speed": 2.6, "deg": 240},
            "dt": int(datetime.datetime.now(datetime.UTC).timestamp()),
            "name": "Altstadt",
            "cod": 200,
        }


@pytest.fixture
def fake_open_meteo(settings: Any) -> Iterator[FakeOpenMeteo]:
    """A fake Open-Meteo (11.9 °C, overcast, for "Munich") that the weather backend setting points at."""
    with FakeOpenMeteo() as fake:
        settings.NEWSDESK_HTTP_TRUSTED_HOSTS = ["127.0.0.1"]
        settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = [fake.hostport]
        settings.NEWSDESK_WEATHER = {
            "BACKEND": "newsdesk.weather.backends.open_meteo.OpenMeteoBackend",
            "OPTIONS": {"base_url": fake.url, "geocoding_url": fake.url, "timeout": 1.0},
        }
        yield fake


@pytest.fixture
def fake_openweathermap(settings: Any) -> Iterator[FakeOpenWeatherMap]:
    """A fake OpenWeatherMap that the weather backend setting points at, with its key."""
    with FakeOpenWeatherMap() as fake:
        settings.NEWSDESK_HTTP_TRUSTED_HOSTS = ["127.0.0.1"]
        settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = [fake.hostport]
        settings.NEWSDESK_WEATHER = {
            "BACKEND": "newsdesk.weather.backends.openweathermap.OpenWeatherMapBackend",
            "OPTIONS": {"api_key": fake.api_key, "base_url": fake.url, "timeout": 1.0},
        }
        yield fake


def weather_for_default_site(**fields: Any) -> Site:
    """Set the default site's weather settings (and run no job); returns the site."""
    site = Site.objects.get(is_default_site=True)
    WeatherSettings.objects.update_or_create(site=site, defaults=fields)
    return site


@pytest.fixture
def weather_in_munich(fake_open_meteo: FakeOpenMeteo, sections: Any) -> WeatherReading:
    """The site set to show Munich's weather, refreshed once from the fake Open-Meteo."""
    reading = weather_refresh(site=weather_for_default_site(location="Munich"))
    assert reading is not None and reading.fetched_at is not None, reading and reading.last_error
    return reading
