"""Staff sessions end after a working day; sensitive pages want the password typed again."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from newsdesk.core.roles import ADMINS
from newsdesk.staff.services import totp_device_add

from .conftest import PASSWORD, code_for, is_signed_in, sign_in

pytestmark = pytest.mark.django_db
CONFIRM = "/admin/staff/confirm/"
USERS = "/admin/users/"
NINE = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NINE, tick=False)
    return time_machine


@pytest.fixture
def chief_client(admin) -> Client:
    client = Client()
    assert sign_in(client, "chief").status_code == 302
    return client


def later(clock, **delta: int) -> None:
    clock.shift(datetime.timedelta(**delta))


def test_a_session_lasts_a_working_day(clock, chief_client):
    later(clock, hours=11, minutes=59)

    assert chief_client.get("/admin/").status_code == 200


def test_a_session_ends_after_twelve_hours_however_busy(clock, chief_client):
    for _hour in range(12):
        later(clock, hours=1)
        chief_client.post(CONFIRM, {"password": PASSWORD})  # saves the session, which Django's own expiry counts
    later(clock, minutes=1)

    response = chief_client.get("/admin/")

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/admin/login/"
    assert not is_signed_in(chief_client)


def test_a_session_with_no_start_time_has_ended(chief_client):
    session = chief_client.session
    session.pop("newsdesk_staff_signed_in_at")
    session.save()

    assert chief_client.get("/admin/").status_code == 302


def test_a_sensitive_page_right_after_signing_in_is_open(clock, chief_client):
    assert chief_client.get(USERS).status_code == 200


def test_a_sensitive_page_later_asks_for_the_password(clock, chief_client):
    later(clock, minutes=15, seconds=1)

    response = chief_client.get(USERS)

    assert urlsplit(response["Location"]).path == CONFIRM
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [USERS]


def test_an_ordinary_page_later_does_not(clock, chief_client):
    later(clock, minutes=30)

    assert chief_client.get("/admin/pages/").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/admin/groups/", "/admin/sites/", "/admin/settings/core/sitesettings/", USERS, "/admin/newsletter-subscribers/"],
)
def test_these_pages_are_sensitive(clock, chief_client, path):
    later(clock, minutes=16)

    assert urlsplit(chief_client.get(path)["Location"]).path == CONFIRM


def test_a_bulk_role_change_for_users_later_asks_for_the_password(clock, chief_client, staff):
    writer = staff("someone")
    later(clock, minutes=16)

    admins = Group.objects.get(name=ADMINS)

    response = chief_client.post(f"/admin/bulk/auth/user/assign_role/?id={writer.pk}", {"role": str(admins.pk)})

    assert urlsplit(response["Location"]).path == CONFIRM
    assert not writer.groups.filter(pk=admins.pk).exists()


def test_a_post_to_a_sensitive_page_is_stopped_too(clock, chief_client, staff):
    writer = staff("someone")
    later(clock, minutes=16)

    chief_client.post(f"/admin/users/{writer.pk}/delete/")

    assert type(writer).objects.filter(pk=writer.pk).exists()


def test_confirming_opens_the_page_again(clock, chief_client):
    later(clock, minutes=16)

    response = chief_client.post(CONFIRM, {"password": PASSWORD, "next": USERS})

    assert response["Location"] == USERS
    assert chief_client.get(USERS).status_code == 200


def test_a_wrong_password_does_not(clock, chief_client, soup):
    later(clock, minutes=16)

    response = chief_client.post(CONFIRM, {"password": "guess", "next": USERS})

    assert response.status_code == 400
    assert soup(response).select_one("form input[name=password]") is not None
    assert urlsplit(chief_client.get(USERS)["Location"]).path == CONFIRM


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/admin/", "//evil.example/admin/", "/\\evil.example/", "http:/evil.example", "admin/users/"],
)
def test_confirming_never_sends_to_another_site(clock, chief_client, target):
    later(clock, minutes=16)

    response = chief_client.post(CONFIRM, {"password": PASSWORD, "next": target})

    assert response["Location"] == "/admin/"


def test_with_an_authenticator_confirming_needs_a_code_too(clock, admin, soup):
    key = "3132333435363738393031323334353637383930"
    device = totp_device_add(user=admin, key=key, token=code_for(key))
    assert device is not None
    client = Client()
    sign_in(client, "chief")
    later(clock, seconds=30)
    client.post("/admin/staff/two-factor/", {"otp_token": code_for(device)})
    later(clock, minutes=16)

    without_code = client.post(CONFIRM, {"password": PASSWORD, "next": USERS})
    later(clock, seconds=30)
    with_code = client.post(CONFIRM, {"password": PASSWORD, "otp_token": code_for(device), "next": USERS})

    assert without_code.status_code == 400
    assert soup(without_code).select_one("input[name=otp_token]") is not None
    assert with_code["Location"] == USERS


def test_guessing_the_password_at_confirmation_locks_and_signs_out(clock, chief_client):
    later(clock, minutes=16)
    for attempt in range(10):
        response = chief_client.post(CONFIRM, {"password": f"guess-{attempt}"})

    assert response.status_code == 429
    assert not is_signed_in(chief_client)
