"""The guarded HTTP client against real servers on 127.0.0.1 (trusted only where a test says so)."""

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured

from newsdesk.core import http
from newsdesk.core.http import BlockedURL, FetchError, FetchTimeout, ResponseTooLarge, TooManyRedirects, fetch

# How long /hang keeps a request waiting, and /trickle's whole body takes (100 bytes, one
# every 0.1 s). Timeout tests bound their wait by half of these, not by the timeout they
# set: a loaded machine can add seconds to a 0.5 s timeout, never 5 s.
HANG_SECONDS = 10.0
TRICKLE_SECONDS = 10.0


class Server:
    """Routes: /ok, /json, /big (declared length), /stream-big (no length), /hang (slow headers),
    /trickle (a byte every 0.1 s), /redirect/<n> (n hops, then /ok), /to?url=<location>."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.hosts: list[str] = []
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"

    def handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.paths.append(self.path)
                server.hosts.append(self.headers["Host"])
                path, _, query = self.path.partition("?")
                if path.startswith("/redirect/"):
                    hops = int(path.rsplit("/", 1)[1])
                    self.reply(302, b"", location="/ok" if hops <= 1 else f"/redirect/{hops - 1}")
                elif path == "/to":
                    self.reply(302, b"", location=query.removeprefix("url="))
                elif path == "/json":
                    self.reply(200, b'{"answer": 42}')
                elif path == "/big":
                    self.reply(200, b"x" * 5000)
                elif path == "/stream-big":
                    self.send_response(200)
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for _ in range(50):
                        self.wfile.write(b"x" * 100)
                elif path == "/hang":
                    server.stopping.wait(HANG_SECONDS)
                elif path == "/trickle":
                    self.send_response(200)
                    self.send_header("Content-Length", "100")
                    self.end_headers()
                    for _ in range(100):
                        if server.stopping.wait(TRICKLE_SECONDS / 100):
                            return
                        self.wfile.write(b"x")
                        self.wfile.flush()
                else:
                    self.reply(200, b"ok")

            def reply(self, status: int, body: bytes, location: str = "") -> None:
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def handle(self) -> None:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    super().handle()

            def log_message(self, *args: object) -> None:
                pass

        return Handler


@pytest.fixture
def server() -> Iterator[Server]:
    local = Server()
    thread = threading.Thread(target=local.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield local
    local.stopping.set()
    local.httpd.shutdown()
    local.httpd.server_close()


@pytest.fixture
def trusted(settings, server):
    settings.NEWSDESK_HTTP_TRUSTED_HOSTS = ["127.0.0.1"]
    settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = [f"127.0.0.1:{server.port}"]
    return server


def fake_dns(monkeypatch, answers: dict[str, list[str]]) -> list[str]:
    """Resolve the names in `answers` to those addresses; returns the names looked up, in order."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        asked.append(host)
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in answers[host]]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(http.socket, "getaddrinfo", getaddrinfo)
    return asked


def test_fetches_from_a_trusted_host(trusted):
    response = fetch(f"{trusted.url}/json", params={"q": "x"})
    assert (response.status, response.json()) == (200, {"answer": 42})
    assert trusted.paths == ["/json?q=x"]


def test_refuses_a_private_address_when_not_trusted(server, settings):
    settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = [f"127.0.0.1:{server.port}"]  # the port is allowed, the address not
    with pytest.raises(BlockedURL, match="not a public address"):
        fetch(f"{server.url}/ok")
    assert server.paths == []


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://[::ffff:127.0.0.1]/",
        "http://[2002:7f00:1::1]/",
    ],
)
def test_refuses_non_public_address_literals(url):
    with pytest.raises(BlockedURL):
        fetch(url)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/file", "gopher://example.org/", "/relative"])
def test_refuses_schemes_other_than_http(url):
    with pytest.raises(BlockedURL):
        fetch(url)


def test_refuses_a_name_if_any_of_its_addresses_is_private(monkeypatch):
    fake_dns(monkeypatch, {"mixed.example": ["93.184.216.34", "10.0.0.7"]})
    with pytest.raises(BlockedURL, match=r"10\.0\.0\.7"):
        fetch("http://mixed.example/")


def test_connects_to_the_checked_address_with_the_original_host_header(settings, server, monkeypatch):
    settings.NEWSDESK_HTTP_TRUSTED_HOSTS = ["weather.internal"]
    settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = [f"weather.internal:{server.port}"]
    asked = fake_dns(monkeypatch, {"weather.internal": ["127.0.0.1"]})
    fetch(f"http://weather.internal:{server.port}/ok")
    # Resolved once, by the check: the connection was made to the checked address, not the name.
    assert asked.count("weather.internal") == 1
    assert server.hosts == [f"weather.internal:{server.port}"]


def test_https_is_pinned_with_the_original_server_name():
    url, headers, extensions = http.pin(httpx.URL("https://api.example.org/v1?q=1"), "93.184.216.34")
    assert str(url) == "https://93.184.216.34/v1?q=1"
    assert headers == {"Host": "api.example.org"}
    assert extensions == {"sni_hostname": "api.example.org"}


def test_redirect_from_a_trusted_host_to_an_untrusted_private_host_is_refused(trusted):
    with pytest.raises(BlockedURL, match=r"169\.254\.169\.254"):
        fetch(f"{trusted.url}/to?url=http://169.254.169.254/latest/meta-data/")


def test_follows_redirects_within_the_limit(trusted):
    response = fetch(f"{trusted.url}/redirect/3", max_redirects=3)
    assert (response.status, response.content, response.url) == (200, b"ok", f"{trusted.url}/ok")


def test_too_many_redirects(trusted):
    with pytest.raises(TooManyRedirects):
        fetch(f"{trusted.url}/redirect/4", max_redirects=3)


def test_headers_are_dropped_on_a_redirect_to_another_host(trusted, monkeypatch, settings):
    settings.NEWSDESK_HTTP_TRUSTED_HOSTS = ["127.0.0.1", "other.internal"]
    settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = [f"127.0.0.1:{trusted.port}", f"other.internal:{trusted.port}"]
    fake_dns(monkeypatch, {"other.internal": ["127.0.0.1"]})
    seen: list[dict[str, str]] = []
    real_send = http._send

    def spy(client, method, target, address, headers, *args):
        seen.append(dict(headers))
        return real_send(client, method, target, address, headers, *args)

    monkeypatch.setattr(http, "_send", spy)
    fetch(f"{trusted.url}/to?url=http://other.internal:{trusted.port}/ok", headers={"Authorization": "Bearer s"})
    assert seen == [{"Authorization": "Bearer s"}, {}]


def test_refuses_a_body_over_the_declared_size_cap(trusted):
    with pytest.raises(ResponseTooLarge):
        fetch(f"{trusted.url}/big", max_bytes=1000)


def test_refuses_a_streamed_body_over_the_size_cap(trusted):
    with pytest.raises(ResponseTooLarge):
        fetch(f"{trusted.url}/stream-big", max_bytes=1000)


def test_a_slow_trickle_hits_the_overall_deadline(trusted):
    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetch(f"{trusted.url}/trickle", timeout=0.5)
    assert time.monotonic() - started < TRICKLE_SECONDS / 2  # the deadline ended it, not the last byte


def test_a_server_that_never_answers_times_out(trusted):
    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetch(f"{trusted.url}/hang", timeout=0.3)
    assert time.monotonic() - started < HANG_SECONDS / 2  # the timeout ended it, not the server


def test_an_unresolvable_name_is_a_fetch_error():
    with pytest.raises(FetchError, match="resolve"):
        fetch("http://no-such-host.invalid/")


def test_error_messages_leave_out_the_query(trusted):
    with pytest.raises(FetchTimeout) as caught:
        fetch(f"{trusted.url}/hang?appid=SECRET-KEY", timeout=0.2)
    assert "/hang" in str(caught.value)
    assert "SECRET-KEY" not in str(caught.value)


def test_the_http_log_leaves_out_the_query(trusted, caplog):
    with caplog.at_level(logging.INFO, logger="httpx"):
        fetch(f"{trusted.url}/ok?appid=SECRET-KEY")
    assert "/ok" in caplog.text
    assert "SECRET-KEY" not in caplog.text


def test_json_helper_raises_a_fetch_error_on_other_content(trusted):
    with pytest.raises(FetchError, match="JSON"):
        fetch(f"{trusted.url}/ok").json()


def test_is_public_address():
    assert http.is_public_address("93.184.216.34")
    assert not http.is_public_address("64:ff9b::a00:1")  # NAT64 for 10.0.0.1


# --- Credentials in URLs and ports ---------------------------------------------------------


@pytest.mark.parametrize("userinfo", ["user:secret@", "user@", ":secret@"])
def test_refuses_credentials_in_the_url(trusted, userinfo):
    with pytest.raises(BlockedURL, match="user name or password") as caught:
        fetch(f"http://{userinfo}127.0.0.1:{trusted.port}/ok")
    assert "secret" not in str(caught.value)
    assert trusted.paths == []


def test_refuses_a_redirect_to_a_url_with_credentials(trusted):
    with pytest.raises(BlockedURL, match="user name or password"):
        fetch(f"{trusted.url}/to?url=http://user:secret@127.0.0.1:{trusted.port}/ok")
    assert len(trusted.paths) == 1  # the first hop only


def test_refuses_another_port_on_a_trusted_host(settings, server):
    settings.NEWSDESK_HTTP_TRUSTED_HOSTS = ["127.0.0.1"]
    with pytest.raises(BlockedURL, match=f"port {server.port}"):
        fetch(f"{server.url}/ok")
    assert server.paths == []


def test_refuses_another_port_on_a_public_host_without_resolving_it(monkeypatch):
    asked = fake_dns(monkeypatch, {"api.example.org": ["93.184.216.34"]})
    with pytest.raises(BlockedURL, match="port 6379"):
        fetch("http://api.example.org:6379/")
    assert asked == []


def test_a_trusted_host_port_is_for_that_host_only(settings, server, monkeypatch):
    settings.NEWSDESK_HTTP_TRUSTED_HOSTS = ["127.0.0.1", "other.internal"]
    settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = [f"other.internal:{server.port}"]
    fake_dns(monkeypatch, {"other.internal": ["127.0.0.1"]})
    assert fetch(f"http://other.internal:{server.port}/ok").status == 200
    with pytest.raises(BlockedURL, match="port"):
        fetch(f"{server.url}/ok")


def test_refuses_a_redirect_to_an_untrusted_port(trusted):
    with pytest.raises(BlockedURL, match="port 25"):
        fetch(f"{trusted.url}/to?url=http://127.0.0.1:25/")


@pytest.mark.parametrize("url", ["http://93.184.216.34:80/", "https://93.184.216.34:443/", "http://93.184.216.34:443/"])
def test_the_standard_ports_need_no_trust(url):
    assert http.checked_addresses(httpx.URL(url)) == ["93.184.216.34"]


def test_trusted_host_ports_are_read_with_brackets_and_any_case(settings):
    settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = ["Weather.Internal.:8080", "[FD00::5]:8443", " 10.0.0.5:81 "]
    assert http.trusted_hostports() == {("weather.internal", 8080), ("fd00::5", 8443), ("10.0.0.5", 81)}


@pytest.mark.parametrize("entry", ["weather.internal", "weather.internal:", ":8080", "fd00::5", "host:80a", "host:٨٠"])
def test_a_malformed_trusted_host_port_is_a_configuration_error(settings, entry):
    settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = [entry]
    with pytest.raises(ImproperlyConfigured, match="host:port"):
        http.trusted_hostports()


def test_json_nested_too_deeply_is_a_fetch_error():
    response = http.FetchedResponse(200, {}, b"[" * 100_000, "http://example.org/deep")
    with pytest.raises(FetchError, match="nested"):
        response.json()
