"""Staff accounts for the sign-in tests, and a way to sign in the way a browser does."""

from binascii import unhexlify
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsdesk.core.roles import ADMINS, EDITORS, WRITERS

PASSWORD = "correct horse battery"
LOGIN = "/admin/login/"


@pytest.fixture
def staff(db: None) -> Callable[..., User]:
    def make(username: str, group: str | None = None, **fields: Any) -> User:
        user = User.objects.create_user(username=username, password=PASSWORD, **fields)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def editor(staff: Callable[..., User]) -> User:
    return staff("editor", EDITORS)


@pytest.fixture
def writer(staff: Callable[..., User]) -> User:
    return staff("writer", WRITERS)


@pytest.fixture
def admin(staff: Callable[..., User]) -> User:
    return staff("chief", ADMINS)


def sign_in(client: Client, username: str, password: str = PASSWORD, address: str = "10.0.0.1") -> Any:
    """Post Wagtail's sign-in form as a browser at `address` would."""
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def code_for(device_or_key: TOTPDevice | str) -> str:
    """The 6-digit code an authenticator app shows now for this key (time-machine moves the clock it reads)."""
    key = device_or_key.key if isinstance(device_or_key, TOTPDevice) else device_or_key
    return f"{totp(unhexlify(key)):06d}"
