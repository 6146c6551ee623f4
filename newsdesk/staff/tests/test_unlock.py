"""Admins see recent failed sign-ins and lift locks; nobody else can."""

import datetime

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from newsdesk.staff.services import lockout_lift, totp_device_add, totp_devices_remove

from .conftest import code_for, sign_in

pytestmark = pytest.mark.django_db
LOCKOUTS = "/admin/staff/lockouts/"
UNLOCK = "/admin/staff/lockouts/unlock/"
RESET = "/admin/staff/lockouts/reset-two-factor/"


def locked(username: str, address: str = "10.0.0.1") -> None:
    client = Client()
    for attempt in range(10):
        sign_in(client, username, f"wrong-{attempt}", address)


def signed_in(username: str) -> Client:
    client = Client()
    assert sign_in(client, username, address="10.9.9.9").status_code == 302
    return client


def rows(response, soup, by: str) -> list[list[str]]:
    table = soup(response).select_one(f"table.staff-locks[data-by={by}]")
    return [[cell.get_text(" ", strip=True) for cell in row.select("td")][:2] for row in table.select("tbody tr")]


def test_an_admin_sees_locked_accounts_and_addresses(admin, editor, soup):
    locked("editor", "10.0.0.1")

    response = signed_in("chief").get(LOCKOUTS)

    assert rows(response, soup, "username") == [["editor", "10"]]
    assert rows(response, soup, "ip_address") == [["10.0.0.1", "10"]]


def test_names_that_do_not_exist_are_listed_too(admin, soup):
    locked("ghost")

    assert rows(signed_in("chief").get(LOCKOUTS), soup, "username") == [["ghost", "10"]]


def test_unlocking_lets_the_right_password_in_at_once(admin, editor):
    locked("editor")

    signed_in("chief").post(UNLOCK, {"username": "editor"})

    assert sign_in(Client(), "editor").status_code == 302


def test_unlocking_is_in_the_audit_log_with_who_did_it(admin, editor):
    locked("editor")

    signed_in("chief").post(UNLOCK, {"username": "editor"})

    entry = ModelLogEntry.objects.get(action="staff.unlock")
    assert (entry.object_id, entry.user_id, entry.label) == (str(editor.pk), admin.pk, "Unlocked account editor")
    assert entry.data["attempts"] == 1


def test_unlocking_an_address(admin, editor, settings):
    settings.NEWSDESK_LOGIN_CLIENT_FAILURE_LIMIT = 3
    for number in range(3):
        sign_in(Client(), f"guess-{number}", "x", address="192.0.2.4")

    signed_in("chief").post(UNLOCK, {"ip_address": "192.0.2.4"})

    assert sign_in(Client(), "editor", address="192.0.2.4").status_code == 302


def test_unlocking_nothing_is_refused(admin, editor):
    locked("editor")

    signed_in("chief").post(UNLOCK, {"ip_address": "not-an-address"})

    assert sign_in(Client(), "editor").status_code == 429


def refused(response) -> bool:
    # Wagtail answers PermissionDenied in the admin with a redirect to the dashboard and a message.
    return response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.parametrize("group_user", ["editor", "writer"])
def test_others_may_not_see_or_unlock(admin, editor, writer, group_user):
    locked("ghost")
    client = signed_in(group_user)

    assert refused(client.get(LOCKOUTS))
    assert refused(client.post(UNLOCK, {"username": "ghost"}))
    assert sign_in(Client(), "ghost", "x", address="10.1.1.1").status_code == 429


def test_the_menu_shows_the_page_to_admins_only(admin, editor):
    assert LOCKOUTS in signed_in("chief").get("/admin/").content.decode()
    assert LOCKOUTS not in signed_in("editor").get("/admin/").content.decode()


def test_unlocking_wants_a_recent_password(admin, editor, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
    chief = signed_in("chief")
    locked("editor")
    time_machine.shift(datetime.timedelta(minutes=10))
    time_machine.shift(datetime.timedelta(minutes=6))
    locked("editor")

    chief.post(UNLOCK, {"username": "editor"})

    assert sign_in(Client(), "editor").status_code == 429


def test_an_admin_resets_a_lost_authenticator(admin, editor):
    key = "3132333435363738393031323334353637383930"
    totp_device_add(user=editor, key=key, token=code_for(key))

    signed_in("chief").post(RESET, {"username": "editor"})

    assert not TOTPDevice.objects.filter(user=editor).exists()
    entry = ModelLogEntry.objects.get(action="staff.two_factor_reset")
    assert (entry.object_id, entry.user_id) == (str(editor.pk), admin.pk)


def test_an_editor_cannot_reset_anyone(editor, writer):
    key = "3132333435363738393031323334353637383930"
    totp_device_add(user=writer, key=key, token=code_for(key))

    assert refused(signed_in("editor").post(RESET, {"username": "writer"}))
    assert TOTPDevice.objects.filter(user=writer).exists()


def test_services_do_nothing_without_a_target(editor):
    locked("editor")

    assert lockout_lift() == 0
    assert totp_devices_remove(user=editor) == 0
