"""Two-factor authentication: required for the roles a setting names, open to everyone, never skipped once on."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from newsdesk.staff.services import totp_device_add
from newsdesk.staff.views import PENDING_KEY

from .conftest import PASSWORD, code_for, is_signed_in, sign_in

pytestmark = pytest.mark.django_db
VERIFY = "/admin/staff/two-factor/"
SETUP = "/admin/staff/two-factor/setup/"
NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOON, tick=False)


@pytest.fixture
def required(settings):
    settings.NEWSDESK_2FA_REQUIRED_GROUPS = ["Admins", "Editors"]


def device_for(user: User) -> TOTPDevice:
    key = random_hex(20)
    device = totp_device_add(user=user, key=key, token=code_for(key))
    assert device is not None
    device.last_t = -1  # a fresh code may be used to sign in, as if set up long ago
    device.save()
    return device


def redirected_to(response) -> str:
    assert response.status_code == 302
    return urlsplit(response["Location"]).path


def signed_in_client(username: str) -> Client:
    client = Client()
    assert sign_in(client, username).status_code == 302
    return client


def test_an_editor_without_an_authenticator_is_sent_to_set_one_up(required, editor):
    client = signed_in_client("editor")

    response = client.get("/admin/")

    assert redirected_to(response) == SETUP
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == ["/admin/"]


def test_the_requirement_covers_the_public_site_too(required, editor):
    assert redirected_to(signed_in_client("editor").get("/")) == SETUP


def test_an_admin_by_superuser_flag_is_required_too(required, staff):
    staff("boss", is_superuser=True, is_staff=True)

    assert redirected_to(signed_in_client("boss").get("/admin/")) == SETUP


def test_a_writer_is_not_forced(required, writer):
    assert signed_in_client("writer").get("/admin/").status_code == 200


def test_nobody_is_forced_when_no_group_is_named(editor):
    assert signed_in_client("editor").get("/admin/").status_code == 200


def test_setting_up_with_a_current_code_and_the_password_lets_the_editor_in(required, editor, soup):
    client = signed_in_client("editor")
    page = soup(client.get(SETUP))
    key = client.session[PENDING_KEY]
    assert page.select_one(".staff-config-url").get_text().startswith("otpauth://totp/")

    response = client.post(SETUP, {"otp_token": code_for(key), "password": PASSWORD, "next": "/admin/"})

    assert redirected_to(response) == "/admin/"
    assert TOTPDevice.objects.get(user=editor).key == key
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_sets_nothing_up(required, editor):
    client = signed_in_client("editor")
    client.get(SETUP)

    response = client.post(SETUP, {"otp_token": "000000", "password": PASSWORD})

    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert redirected_to(client.get("/admin/")) == SETUP


def test_a_wrong_password_sets_nothing_up(required, editor):
    client = signed_in_client("editor")
    client.get(SETUP)
    key = client.session[PENDING_KEY]

    response = client.post(SETUP, {"otp_token": code_for(key), "password": "not-mine"})

    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=editor).exists()


def test_the_qr_code_shows_the_pending_key(editor, soup):
    client = signed_in_client("editor")
    client.get(SETUP)

    response = client.get(SETUP + "qr.svg")

    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml")


def test_with_an_authenticator_the_password_alone_does_not_get_in(required, editor):
    device_for(editor)
    client = signed_in_client("editor")

    response = client.get("/admin/pages/")

    assert redirected_to(response) == VERIFY
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == ["/admin/pages/"]


def test_the_right_code_lets_them_in(required, editor):
    device = device_for(editor)
    client = signed_in_client("editor")

    response = client.post(VERIFY, {"otp_token": code_for(device), "next": "/admin/pages/"})

    assert redirected_to(response) == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_does_not(required, editor, soup):
    device_for(editor)
    client = signed_in_client("editor")

    response = client.post(VERIFY, {"otp_token": "123456"})

    assert response.status_code == 400
    assert soup(response).select_one("[role=alert], .error-message, .w-field__errors") is not None
    assert redirected_to(client.get("/admin/")) == VERIFY


def test_a_code_is_good_once(required, editor):
    device = device_for(editor)
    code = code_for(device)
    first = signed_in_client("editor")
    first.post(VERIFY, {"otp_token": code})

    second = signed_in_client("editor")
    response = second.post(VERIFY, {"otp_token": code})

    assert response.status_code == 400


def test_the_code_step_sends_elsewhere_only_within_the_site(required, editor):
    device = device_for(editor)
    client = signed_in_client("editor")

    response = client.post(VERIFY, {"otp_token": code_for(device), "next": "https://evil.example/"})

    assert response["Location"] == "/admin/"


def test_a_writer_who_turned_it_on_is_asked_for_a_code(writer):
    device_for(writer)

    assert redirected_to(signed_in_client("writer").get("/admin/")) == VERIFY


def test_a_writer_can_turn_it_on(writer):
    client = signed_in_client("writer")
    client.get(SETUP)

    client.post(SETUP, {"otp_token": code_for(client.session[PENDING_KEY]), "password": PASSWORD})

    assert TOTPDevice.objects.filter(user=writer, confirmed=True).count() == 1


def test_half_signed_in_with_an_authenticator_one_cannot_replace_it(required, editor):
    device_for(editor)
    client = signed_in_client("editor")

    assert redirected_to(client.get(SETUP)) == VERIFY


def test_setting_up_again_replaces_the_old_authenticator(editor):
    old = device_for(editor)
    client = signed_in_client("editor")
    client.post(VERIFY, {"otp_token": code_for(old)})
    client.get(SETUP)
    new_key = client.session[PENDING_KEY]

    client.post(SETUP, {"otp_token": code_for(new_key), "password": PASSWORD})

    assert list(TOTPDevice.objects.filter(user=editor).values_list("key", flat=True)) == [new_key]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_signing_out_stays_possible_half_way(required, editor):
    device_for(editor)
    client = signed_in_client("editor")

    client.post("/admin/logout/")

    assert not is_signed_in(client)
