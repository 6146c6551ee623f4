"""The guarded client's POST against a real server on 127.0.0.1: the same address checks as a GET,
no redirect followed, a deadline and a cap on the reply."""

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsdesk.core.http import BlockedURL, FetchTimeout, ResponseTooLarge, post

from .test_http import fake_dns

HANG_SECONDS = 10.0


class Receiver:
    """Routes: /ok (204), /to?url=<location> (307 there), /big (5,000 bytes), /hang (slow headers)."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str, bytes, dict[str, str]]] = []
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"

    def handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                receiver.received.append(("GET", self.path, b"", dict(self.headers)))
                self.reply(200, b"got")

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.received.append(("POST", self.path, body, dict(self.headers)))
                path, _, query = self.path.partition("?")
                if path == "/to":
                    self.reply(307, b"", location=query.removeprefix("url="))
                elif path == "/big":
                    self.reply(200, b"x" * 5000)
                elif path == "/hang":
                    receiver.stopping.wait(HANG_SECONDS)
                else:
                    self.reply(204, b"")

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
def receiver() -> Iterator[Receiver]:
    local = Receiver()
    thread = threading.Thread(target=local.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield local
    local.stopping.set()
    local.httpd.shutdown()
    local.httpd.server_close()


@pytest.fixture
def trusted(settings, receiver):
    settings.NEWSDESK_HTTP_TRUSTED_HOSTS = ["127.0.0.1"]
    settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = [f"127.0.0.1:{receiver.port}"]
    return receiver


def test_posts_the_body_and_headers_to_a_trusted_host(trusted):
    response = post(f"{trusted.url}/ok", content=b'{"a": 1}', headers={"Content-Type": "application/json"})
    assert response.status == 204
    [(method, path, body, headers)] = trusted.received
    assert (method, path, body) == ("POST", "/ok", b'{"a": 1}')
    assert headers["Content-Type"] == "application/json"


def test_refuses_a_private_address_when_not_trusted(settings, receiver):
    settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = [f"127.0.0.1:{receiver.port}"]  # the port is allowed, the address not
    with pytest.raises(BlockedURL, match="not a public address"):
        post(f"{receiver.url}/ok", content=b"{}")
    assert receiver.received == []


@pytest.mark.parametrize("url", ["http://10.0.0.5/hook", "http://169.254.169.254/", "http://[::1]/", "ftp://x.org/"])
def test_refuses_private_literals_and_other_schemes(url):
    with pytest.raises(BlockedURL):
        post(url, content=b"{}")


def test_refuses_a_name_that_resolves_to_a_private_address(monkeypatch):
    fake_dns(monkeypatch, {"hooks.example": ["10.9.8.7"]})
    with pytest.raises(BlockedURL, match=r"10\.9\.8\.7"):
        post("https://hooks.example/in", content=b"{}")


def test_a_redirect_is_returned_not_followed(trusted):
    response = post(f"{trusted.url}/to?url={trusted.url}/ok", content=b"{}")
    assert (response.status, response.headers["location"]) == (307, f"{trusted.url}/ok")
    # Only the first request arrived: the body was not sent on, not even to the same trusted host.
    assert [(method, path) for method, path, *_ in trusted.received] == [("POST", f"/to?url={trusted.url}/ok")]


def test_a_redirect_to_a_private_address_reaches_nothing(trusted):
    response = post(f"{trusted.url}/to?url=http://169.254.169.254/latest/", content=b"{}")
    assert response.status == 307
    assert len(trusted.received) == 1


def test_refuses_a_reply_over_the_cap(trusted):
    with pytest.raises(ResponseTooLarge):
        post(f"{trusted.url}/big", content=b"{}", max_bytes=1000)


def test_a_receiver_that_never_answers_times_out(trusted):
    with pytest.raises(FetchTimeout):
        post(f"{trusted.url}/hang", content=b"{}", timeout=0.5)
