"""Signing in, failing to and signing out are in Wagtail's audit log; no password, no unknown names."""

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from wagtail.models import ModelLogEntry

from newsdesk.audit import actions

from .conftest import PASSWORD, entries

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def sign_in(client: Client, username: str, password: str = PASSWORD) -> None:
    client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def everything_stored(entry: ModelLogEntry) -> str:
    """Every column of a log entry as text, to look for what must not be there."""
    fields = {field.attname: getattr(entry, field.attname) for field in entry._meta.concrete_fields}
    return json.dumps(fields, default=str)


def test_a_sign_in_is_logged_on_the_account_by_its_owner(editor):
    sign_in(Client(), "eve")
    [entry] = entries(actions.LOGIN)
    assert (entry.object_id, entry.user_id, entry.label) == (str(editor.pk), editor.pk, "eve")


def test_a_wrong_password_is_logged_on_the_account(editor):
    sign_in(Client(), "eve", "Tr0ub4dor&3")
    [entry] = entries(actions.LOGIN_FAILED)
    assert (entry.object_id, entry.label, entry.user_id) == (str(editor.pk), "eve", None)


def test_the_wrong_password_is_not_stored(editor):
    sign_in(Client(), "eve", "Tr0ub4dor&3")
    [entry] = entries(actions.LOGIN_FAILED)
    assert "Tr0ub4dor" not in everything_stored(entry)
    assert PASSWORD not in everything_stored(entry)


def test_a_name_no_account_has_is_not_stored(editor):
    # Often a password typed into the name box.
    sign_in(Client(), "hunter2-my-password", "hunter2-my-password")
    [entry] = entries(actions.LOGIN_FAILED)
    assert "hunter2" not in everything_stored(entry)
    assert entry.data == {"unknown_account": True}


def test_a_failed_sign_in_for_an_unknown_name_points_at_no_account(editor):
    sign_in(Client(), "nobody-here")
    [entry] = entries(actions.LOGIN_FAILED)
    assert entry.object_id == "0"
    assert not User.objects.filter(pk=0).exists()


def test_a_failed_sign_in_is_not_logged_as_a_sign_in(editor):
    sign_in(Client(), "eve", "wrong")
    assert entries(actions.LOGIN) == []


def test_signing_out_is_logged(editor):
    client = Client()
    sign_in(client, "eve")
    client.post("/admin/logout/")
    [entry] = entries(actions.LOGOUT)
    assert (entry.object_id, entry.user_id) == (str(editor.pk), editor.pk)


def test_signing_out_when_not_signed_in_logs_nothing(db):
    Client().post("/admin/logout/")
    assert entries(actions.LOGOUT) == []


def test_a_sign_in_does_not_count_as_a_superuser_change(editor):
    sign_in(Client(), "eve")
    assert entries(actions.SUPERUSER) == []
