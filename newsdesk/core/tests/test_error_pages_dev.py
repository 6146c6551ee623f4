"""The demo keeps DEBUG, but only this machine sees debug pages (newsdesk/core/errors.py)."""

import importlib

import pytest
from django.test import Client, RequestFactory

from newsdesk.core.errors import from_this_machine
from newsdesk.pages import views

pytestmark = pytest.mark.django_db

OUTSIDE = "203.0.113.7"
LOOPBACK = "127.0.0.1"
DEV = "newsdesk.settings.dev"


@pytest.fixture(autouse=True)
def dev_error_handling(settings):
    """What newsdesk/settings/dev.py turns on (test_dev_settings_turn_it_on checks that it does)."""
    dev = importlib.import_module(DEV)
    settings.DEBUG = True
    settings.DEFAULT_EXCEPTION_REPORTER = dev.DEFAULT_EXCEPTION_REPORTER
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, dev.MIDDLEWARE[-1]]
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]


@pytest.fixture
def broken_article(sections, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("the secret is 42")

    monkeypatch.setattr(views.articles, "article_for_reader", explode)
    return "/2025/01/01/anything/"


def get(path, address, **extra):
    return Client(raise_request_exception=False).get(path, REMOTE_ADDR=address, **extra)


def test_dev_settings_turn_it_on():
    dev = importlib.import_module(DEV)
    assert dev.DEBUG is True
    assert dev.DEFAULT_EXCEPTION_REPORTER == "newsdesk.core.errors.LoopbackExceptionReporter"
    assert dev.MIDDLEWARE[-1] == "newsdesk.core.errors.RemoteErrorPagesMiddleware"


def test_an_error_seen_from_outside_is_the_plain_500_page(broken_article, soup):
    response = get(broken_article, OUTSIDE)
    assert response.status_code == 500
    assert soup(response).h1.get_text() == "Something went wrong"
    assert b"Traceback" not in response.content
    assert b"the secret is 42" not in response.content


def test_an_error_seen_from_outside_in_plain_text_has_no_traceback(broken_article):
    response = get(broken_article, OUTSIDE, HTTP_ACCEPT="text/plain")
    assert response.status_code == 500
    assert response.content == b"Server Error (500)\n"


@pytest.mark.parametrize("address", [LOOPBACK, "127.0.0.2", "::1", "::ffff:127.0.0.1"])
def test_an_error_seen_from_this_machine_is_the_debug_page(broken_article, address):
    response = get(broken_article, address)
    assert response.status_code == 500
    assert b"Traceback" in response.content
    assert b"the secret is 42" in response.content


def test_a_hostile_host_from_outside_gets_a_plain_400(sections, soup):
    response = get("/", OUTSIDE, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert soup(response).h1.get_text() == "Bad request"
    assert b"DisallowedHost" not in response.content
    assert b"ALLOWED_HOSTS" not in response.content


def test_a_hostile_host_from_this_machine_gets_the_debug_page(sections):
    response = get("/", LOOPBACK, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert b"DisallowedHost" in response.content


def test_too_many_fields_from_outside_gets_a_plain_400(sections):
    response = get("/search/?" + "&".join(f"f{n}=1" for n in range(1001)), OUTSIDE)
    assert response.status_code == 400
    assert b"TooManyFieldsSent" not in response.content


def test_an_unknown_address_from_outside_hides_the_url_patterns(sections, soup):
    response = get("/wp-login.php", OUTSIDE)
    assert response.status_code == 404
    assert soup(response).h1.get_text() == "Page not found"
    assert b"URLconf" not in response.content


def test_an_unknown_address_from_this_machine_lists_the_url_patterns(sections):
    response = get("/wp-login.php", LOOPBACK)
    assert response.status_code == 404
    assert b"URLconf" in response.content


def test_a_missing_article_from_outside_is_the_plain_404(sections, soup):
    response = get("/2025/01/01/no-such-story/", OUTSIDE)
    assert response.status_code == 404
    assert soup(response).h1.get_text() == "Page not found"
    assert b"Raised by" not in response.content


@pytest.mark.parametrize("address", ["", "not-an-address", "10.0.0.1", "::ffff:10.0.0.1", "2001:db8::1"])
def test_other_addresses_are_not_this_machine(address):
    assert not from_this_machine(RequestFactory().get("/", REMOTE_ADDR=address))


def test_no_request_is_not_this_machine():
    assert not from_this_machine(None)
