"""Keys that name one visitor's act without holding the address (newsdesk.core.visitors.visitor_key)."""

import datetime

import pytest
from django.test import RequestFactory

from newsdesk.core.visitors import client_address, visitor_key

NOON = datetime.datetime(2025, 6, 30, 10, 0, tzinfo=datetime.UTC)
UA = "Mozilla/5.0 Firefox/140.0"


def key(**changes: object) -> str:
    values: dict = {"purpose": "ad-click", "remote_addr": "198.51.100.7", "user_agent": UA, "subject": 7, "now": NOON}
    values.update(changes)
    return visitor_key(**values)


def test_the_same_visitor_act_and_day_give_the_same_key():
    assert key() == key(now=NOON + datetime.timedelta(hours=3))


def test_the_key_holds_neither_address_nor_user_agent():
    assert "198.51.100.7" not in key() and "Firefox" not in key()


def test_the_key_starts_with_its_purpose():
    assert key().startswith("ad-click:seen:")


def test_another_address_agent_subject_or_purpose_gives_another_key():
    others = {
        key(remote_addr="198.51.100.8"),
        key(user_agent=UA + " x"),
        key(subject=8),
        key(purpose="view").replace("view:", "ad-click:"),
    }
    assert key() not in others and len(others) == 4


def test_the_key_changes_with_the_local_day():
    assert key() != key(now=NOON + datetime.timedelta(days=1))


def test_the_key_depends_on_the_secret_key(settings):
    before = key()
    settings.SECRET_KEY = "another-secret"
    assert key() != before


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        # Varnish (127.0.0.1) behind a TLS terminator (10.0.0.5): both skipped, the reader remains.
        (["127.0.0.1", "10.0.0.0/24"], "127.0.0.1", "203.0.113.5, 10.0.0.5", "203.0.113.5"),
        # A CDN's range as a network: its edge is skipped too; what the client wrote is not read.
        (["127.0.0.1", "198.51.100.0/24"], "127.0.0.1", "192.0.2.66, 203.0.113.7, 198.51.100.20", "203.0.113.7"),
        # Only trusted hops all the way: the nearest proxy is what there is.
        (["127.0.0.1", "10.0.0.0/24"], "127.0.0.1", "10.0.0.5", "127.0.0.1"),
        # A malformed hop ends the chain of trust.
        (["127.0.0.1"], "127.0.0.1", "203.0.113.5, junk", "127.0.0.1"),
        # IPv6 proxies and readers.
        (["::1"], "::1", "2001:db8::7", "2001:db8::7"),
    ],
)
def test_the_client_address_is_the_first_hop_no_trusted_proxy_owns(settings, trusted, remote, forwarded, expected):
    settings.NEWSDESK_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == expected
