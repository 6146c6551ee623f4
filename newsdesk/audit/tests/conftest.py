from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from wagtail.models import ModelLogEntry

from newsdesk.core.roles import ADMINS, EDITORS, WRITERS

PASSWORD = "correct-horse-battery"


def member(group: str, username: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username.title(), last_name="Q")
    user.groups.add(Group.objects.get(name=group))
    return user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def entries(action: str, **filters: Any) -> list[ModelLogEntry]:
    return list(ModelLogEntry.objects.filter(action=action, **filters).order_by("pk"))


@pytest.fixture
def admin(db: None) -> User:
    return member(ADMINS, "ada")


@pytest.fixture
def editor(db: None) -> User:
    return member(EDITORS, "eve")


@pytest.fixture
def writer(db: None) -> User:
    return member(WRITERS, "wes")
