"""The one way Newsdesk fetches outside URLs.

The risk is server-side request forgery: a URL that a setting, a feed or a redirect
supplies could point at the cloud metadata service, the database or an admin panel
on the private network, and the server would fetch it with its own privileges. So
every hop is checked before anything connects:

* only http and https, on their ports (80, 443), and no credentials in the URL: a
  user:pass@ URL would send a secret that logs and redirects then carry along, and an
  odd port reaches services (Redis, SMTP, admin consoles) that were never meant to
  answer a URL;
* the host name is resolved once and *every* address must be public: a name that
  resolves to one public and one private address is refused, since a connection
  could use either;
* the connection goes to the address that was checked, with the original Host header
  and TLS server name, so a DNS answer that changes between check and connect
  ("DNS rebinding") cannot swap in a private address;
* redirects are followed here, one hop at a time, each re-checked (a GET's; a POST's
  are never followed, see post());
* one deadline covers the whole fetch and the body is streamed and capped, so a slow
  or huge reply cannot hold a worker.

Operators trust private hosts by name or address in settings.NEWSDESK_HTTP_TRUSTED_HOSTS
(a self-hosted Open-Meteo on the private network; the tests' local servers), and other
ports per host in settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS ("weather.internal:8080").
See https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# RFC 9110 section 15.4; 300 and 304 carry no Location to follow.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# The ports of http and https; any other needs a "host:port" in NEWSDESK_HTTP_TRUSTED_HOSTPORTS.
STANDARD_PORTS = frozenset({80, 443})
# RFC 6052: IPv6 addresses that a NAT64 gateway turns into the IPv4 address in their last 32 bits.
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")


class _QueryRedactingFilter(logging.Filter):
    """httpx logs every request's full URL at INFO, and a query can hold an API key
    (OpenWeatherMap's appid): log the URL without it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_where(arg) if isinstance(arg, httpx.URL) else arg for arg in record.args)
        return True


logging.getLogger("httpx").addFilter(_QueryRedactingFilter())


class FetchError(Exception):
    """The URL could not be fetched, or not safely. Messages name the host, never the query,
    because queries can carry API keys and messages end up in logs and admin pages."""


class BlockedURL(FetchError):
    """The URL's scheme or one of its host's addresses is not allowed."""


class FetchTimeout(FetchError):
    """The deadline passed before the whole reply arrived."""


class TooManyRedirects(FetchError):
    pass


class ResponseTooLarge(FetchError):
    pass


class BadResponse(FetchError):
    """The reply arrived but is not what the caller asked for (an error status, not JSON)."""


class _Unreachable(FetchError):
    """Connecting to one address failed; the next address of the host may work."""


@dataclass(frozen=True)
class FetchedResponse:
    status: int
    headers: Mapping[str, str]
    content: bytes
    url: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def raise_for_status(self) -> None:
        if not self.ok:
            raise BadResponse(f"{_where(self.url)} answered HTTP {self.status}")

    def json(self) -> Any:
        try:
            return json.loads(self.content)
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError both are ValueErrors
            raise BadResponse(f"{_where(self.url)} did not answer JSON") from exc
        except RecursionError as exc:  # "[[[[…" nested deeper than the parser's stack, within max_bytes
            raise BadResponse(f"{_where(self.url)} answered JSON nested too deeply") from exc


def fetch(
    url: str,
    *,
    params: Mapping[str, str | int | float] | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 5.0,
    max_bytes: int = 1_000_000,
    max_redirects: int = 3,
) -> FetchedResponse:
    """GET `url` (plus `params`), following at most `max_redirects` redirects, within `timeout`
    seconds overall, refusing a body over `max_bytes`. Raises a FetchError subclass on failure;
    any HTTP status is returned, see FetchedResponse.raise_for_status."""
    deadline = time.monotonic() + timeout
    target = _parse(url, params)
    request_headers = dict(headers or {})
    with httpx.Client(follow_redirects=False, trust_env=False) as client:
        # trust_env=False: a proxy from the environment would make the connection somewhere
        # other than the address checked here.
        for _ in range(max_redirects + 1):
            response = _get_checked(client, target, request_headers, deadline, max_bytes)
            location = response.headers.get("location")
            if response.status not in REDIRECT_STATUSES or not location:
                return response
            next_target = _parse(str(target.join(location)))
            if _origin(next_target) != _origin(target):
                # The caller's headers may carry credentials meant for the first host only.
                request_headers = {}
            target = next_target
    raise TooManyRedirects(f"{_where(target)}: more than {max_redirects} redirects")


def post(
    url: str,
    *,
    content: bytes,
    headers: Mapping[str, str] | None = None,
    timeout: float = 10.0,
    max_bytes: int = 64_000,
) -> FetchedResponse:
    """POST `content` to `url` within `timeout` seconds overall, reading at most `max_bytes` of
    the reply. Raises a FetchError subclass on failure; any HTTP status is returned.

    Redirects are never followed: the reply (3xx and its Location) is returned as it came.
    A 301, 302 or 303 would turn the POST into a GET, so following them loses the body; a
    307 or 308 would send the body (a signed webhook, say) on to an address the operator
    never entered. A receiver that moved is reconfigured, not followed; GitHub's and
    Stripe's webhooks treat a redirect the same way.
    """
    deadline = time.monotonic() + timeout
    target = _parse(url)
    with httpx.Client(follow_redirects=False, trust_env=False) as client:
        return _send_checked(client, "POST", target, dict(headers or {}), content, deadline, max_bytes)


def pin(url: httpx.URL, address: str) -> tuple[httpx.URL, dict[str, str], dict[str, Any]]:
    """The request for `url` sent to `address`: the URL with the address as its host, and the
    original name in the Host header and (for https) as the TLS server name, which httpcore
    also uses to verify the certificate."""
    headers = {"Host": url.netloc.decode("ascii")}
    extensions: dict[str, Any] = {}
    if url.scheme == "https":
        extensions["sni_hostname"] = url.raw_host.decode("ascii")
    return url.copy_with(host=address), headers, extensions


def checked_addresses(url: httpx.URL) -> list[str]:
    """The addresses `url` may be fetched from; raises BlockedURL if any is not allowed."""
    if url.scheme not in ("http", "https") or not url.raw_host:
        raise BlockedURL(f"Only http and https URLs with a host can be fetched, not {url.scheme or 'relative'} URLs")
    if url.userinfo:
        # Before the host is even resolved; the message leaves the secret out.
        raise BlockedURL("URLs with a user name or password are not fetched; send credentials in a header")
    host = _normalise(url.raw_host.decode("ascii"))
    port = url.port or (443 if url.scheme == "https" else 80)
    if port not in STANDARD_PORTS and (host, port) not in trusted_hostports():
        raise BlockedURL(f"{host}: port {port} is not allowed (only 80 and 443, or a trusted host:port)")
    addresses = _resolve(host, port)
    trusted = {_normalise(entry) for entry in settings.NEWSDESK_HTTP_TRUSTED_HOSTS}
    if host in trusted:
        return addresses
    for address in addresses:
        if address not in trusted and not is_public_address(address):
            raise BlockedURL(f"{host} resolves to {address}, which is not a public address")
    return addresses


def trusted_hostports() -> set[tuple[str, int]]:
    """settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS as (host, port) pairs ("name:8080", "[fd00::5]:8080")."""
    pairs: set[tuple[str, int]] = set()
    for entry in settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS:
        host, _, port = entry.strip().rpartition(":")
        # A bare IPv6 address ("fd00::5") would split at its last colon: it needs brackets.
        if not (host and port.isascii() and port.isdigit()) or (":" in host and not host.startswith("[")):
            raise ImproperlyConfigured(f"NEWSDESK_HTTP_TRUSTED_HOSTPORTS: {entry!r} is not host:port")
        pairs.add((_normalise(host), int(port)))
    return pairs


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv6 forms that carry an IPv4 address reach that address; judge it instead.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in NAT64_PREFIX:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            ip = embedded
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def _get_checked(
    client: httpx.Client, target: httpx.URL, headers: dict[str, str], deadline: float, max_bytes: int
) -> FetchedResponse:
    return _send_checked(client, "GET", target, headers, None, deadline, max_bytes)


def _send_checked(
    client: httpx.Client,
    method: str,
    target: httpx.URL,
    headers: dict[str, str],
    content: bytes | None,
    deadline: float,
    max_bytes: int,
) -> FetchedResponse:
    # Like a normal client, try the host's addresses in turn: a host with an AAAA record
    # is often unreachable over IPv6 from a container. Only a failed connect moves on, so
    # a POST's body never reaches two addresses.
    for address in checked_addresses(target):
        try:
            return _send(client, method, target, address, headers, content, deadline, max_bytes)
        except _Unreachable:
            continue
    raise FetchError(f"Could not connect to {_where(target)}")


def _send(
    client: httpx.Client,
    method: str,
    target: httpx.URL,
    address: str,
    headers: dict[str, str],
    content: bytes | None,
    deadline: float,
    max_bytes: int,
) -> FetchedResponse:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchTimeout(f"{_where(target)}: timed out")
    url, pinned_headers, extensions = pin(target, address)
    try:
        with client.stream(
            method,
            url,
            headers={**headers, **pinned_headers},
            content=content,
            extensions=extensions,
            timeout=httpx.Timeout(remaining),
        ) as response:
            body = _read_body(response, target, deadline, max_bytes)
            return FetchedResponse(response.status_code, response.headers, body, str(target))
    except httpx.ConnectError as exc:
        raise _Unreachable(f"{_where(target)}: could not connect") from exc
    except httpx.TimeoutException as exc:
        raise FetchTimeout(f"{_where(target)}: timed out") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"{_where(target)}: {type(exc).__name__}") from exc


def _read_body(response: httpx.Response, target: httpx.URL, deadline: float, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
        raise ResponseTooLarge(f"{_where(target)}: reply of {declared} bytes is over {max_bytes}")
    body = bytearray()
    # httpx's read timeout bounds each wait for bytes, not the whole body; a server
    # sending a byte now and then would never trip it, so the deadline is checked per chunk
    # (the fetch thus ends at most one read wait after the deadline). Decoded bytes are
    # counted, so a small gzip bomb is capped too.
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise ResponseTooLarge(f"{_where(target)}: reply is over {max_bytes} bytes")
        if time.monotonic() > deadline:
            raise FetchTimeout(f"{_where(target)}: reply too slow")
    return bytes(body)


def _parse(url: str, params: Mapping[str, str | int | float] | None = None) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise BlockedURL("Not a URL that can be fetched") from exc
    return parsed.copy_merge_params(dict(params)) if params else parsed


def _resolve(host: str, port: int) -> list[str]:
    # getaddrinfo cannot be given a timeout; the system resolver's own limits apply.
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"Could not resolve {host}") from exc
    # Drop IPv6 zone ids ("fe80::1%eth0"); dict keeps the resolver's order without repeats.
    addresses = dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos)
    if not addresses:
        raise FetchError(f"Could not resolve {host}")
    return list(addresses)


def _normalise(host: str) -> str:
    host = host.strip().lower().rstrip(".").removeprefix("[").removesuffix("]")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


def _origin(url: httpx.URL) -> tuple[str, bytes, int | None]:
    return url.scheme, url.raw_host, url.port


def _where(url: httpx.URL | str) -> str:
    """Scheme, host and path of `url`, without the user info and query that may hold a secret."""
    parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
    return f"{parsed.scheme}://{parsed.netloc.decode('ascii')}{parsed.path}"
