"""Failed sign-ins lock an account, and a client address, for a while; the right password does not get past a lock."""

import datetime

import pytest
from django.test import Client, RequestFactory

from newsdesk.core.visitors import client_address
from newsdesk.staff.lockout import lockout_message

from .conftest import LOGIN, PASSWORD, is_signed_in, sign_in

pytestmark = pytest.mark.django_db


def fail(client: Client, username: str, times: int, address: str = "10.0.0.1") -> None:
    for attempt in range(times):
        sign_in(client, username, f"wrong-{attempt}", address)


def messages_on(response, soup) -> list[str]:
    return [item.get_text(strip=True) for item in soup(response).select(".messages li")]


def test_twenty_wrong_passwords_lock_the_account_and_the_right_one_then_does_not_get_in(client, editor, soup):
    fail(client, "editor", 20)

    response = sign_in(client, "editor")

    assert response.status_code == 429
    assert not is_signed_in(client)
    assert messages_on(response, soup) == [lockout_message()]
    assert client.get("/admin/").status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, editor, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
    fail(client, "editor", 20)

    time_machine.shift(datetime.timedelta(minutes=15, seconds=1))
    response = sign_in(client, "editor")

    assert response.status_code == 302
    assert is_signed_in(client)


def test_trying_again_while_locked_does_not_make_the_lock_longer(client, editor, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
    fail(client, "editor", 10)
    time_machine.shift(datetime.timedelta(minutes=10))
    assert sign_in(client, "editor").status_code == 429

    time_machine.shift(datetime.timedelta(minutes=5, seconds=1))

    assert sign_in(client, "editor").status_code == 302


def test_the_tenth_failure_locks(client, editor):
    fail(client, "editor", 8)
    assert sign_in(client, "editor", "wrong-8").status_code == 200

    assert sign_in(client, "editor", "wrong-9").status_code == 429


def test_nine_failures_leave_the_right_password_working(client, editor):
    fail(client, "editor", 9)

    assert sign_in(client, "editor").status_code == 302
    assert is_signed_in(client)


def test_a_lock_holds_from_every_address(client, editor):
    fail(client, "editor", 10, address="10.0.0.1")

    assert sign_in(Client(), "editor", address="192.0.2.7").status_code == 429


def test_an_account_that_does_not_exist_gets_the_same_answer(client, editor, soup):
    fail(client, "editor", 10, address="10.0.0.1")
    fail(client, "no-such-person", 10, address="10.0.0.2")

    real = sign_in(Client(), "editor", address="10.0.0.3")
    made_up = sign_in(Client(), "no-such-person", "anything", address="10.0.0.4")

    assert (real.status_code, messages_on(real, soup)) == (made_up.status_code, messages_on(made_up, soup))


def test_the_lockout_page_is_the_sign_in_form_and_is_not_stored(client, editor, soup):
    fail(client, "editor", 10)

    response = sign_in(client, "editor")

    page = soup(response)
    assert page.select_one(f"form[action='{LOGIN}'] input[name=password]") is not None
    assert response["Cache-Control"] == "no-store"


def test_a_wrong_password_alone_says_nothing_about_locks(client, editor, soup):
    response = sign_in(client, "editor", "wrong")

    assert response.status_code == 200
    assert lockout_message() not in messages_on(response, soup)


def test_one_address_failing_on_many_accounts_is_locked_for_every_account(client, editor, settings):
    settings.NEWSDESK_LOGIN_CLIENT_FAILURE_LIMIT = 5
    for number in range(5):
        fail(client, f"guess-{number}", 1, address="198.51.100.9")

    assert sign_in(Client(), "editor", address="198.51.100.9").status_code == 429
    assert sign_in(Client(), "editor", address="198.51.100.10").status_code == 302


def test_a_few_typos_from_one_office_address_lock_nobody_else(client, staff):
    for number in range(12):
        staff(f"reporter-{number}")
        fail(client, f"reporter-{number}", 3, address="203.0.113.1")

    assert sign_in(Client(), "reporter-0", address="203.0.113.1").status_code == 302


def test_signing_in_without_a_request_is_refused_rather_than_unthrottled(editor):
    from axes.exceptions import AxesBackendRequestParameterRequired
    from django.contrib.auth import authenticate

    with pytest.raises(AxesBackendRequestParameterRequired):
        authenticate(username="editor", password=PASSWORD)


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("192.0.2.1", "", "192.0.2.1"),
        ("192.0.2.1", "203.0.113.5", "192.0.2.1"),  # not our proxy: the header is the client's own
        ("127.0.0.1", "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # what nginx saw, not what the client wrote
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("127.0.0.1", "", "127.0.0.1"),
    ],
)
def test_the_client_address_believes_only_a_trusted_proxy(settings, remote, forwarded, expected):
    settings.NEWSDESK_TRUSTED_PROXIES = ["127.0.0.1"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == expected
