"""API keys: made by Admins, shown once, stored hashed; Bearer use, scopes, expiry, revocation, anonymous off."""

import datetime
import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from newsdesk.api.models import ApiKey, Scope
from newsdesk.api.services import api_key_create, api_key_revoke
from newsdesk.articles.models import ArticlePage
from newsdesk.core.roles import ADMINS, EDITORS

pytestmark = pytest.mark.django_db

MakeKey = Callable[..., tuple[ApiKey, str]]


def signed_in(group: str) -> Client:
    user = User.objects.create_user(username=group.lower(), password="x")
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


def test_only_a_digest_of_the_token_is_stored(make_key: MakeKey) -> None:
    key, token = make_key()
    stored = ApiKey.objects.get(pk=key.pk)
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(value) for value in ApiKey.objects.values().get(pk=key.pk).values()}


def test_unknown_scope_is_refused(db: None) -> None:
    with pytest.raises(ValueError, match="Unknown scopes"):
        api_key_create(name="x", scopes=["write-everything"])
    assert not ApiKey.objects.exists()


def test_a_valid_key_reads(api: Any, make_key: MakeKey, sections: Any) -> None:
    key, token = make_key()
    response = api("/api/v1/articles/", token=token)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert ApiKey.objects.get(pk=key.pk).last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer nd_not-a-key", "Bearer", "Bearer a b"])
def test_a_bad_key_is_a_401_not_anonymous(client: Client, sections: Any, header: str) -> None:
    response = client.get("/api/v1/articles/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_key_is_refused(api: Any, make_key: MakeKey, sections: Any, time_machine: Any) -> None:
    _key, token = make_key(expires_at=timezone.now() + datetime.timedelta(hours=1))
    assert api("/api/v1/articles/", token=token).status_code == 200
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=2))
    assert api("/api/v1/articles/", token=token).status_code == 401


def test_a_revoked_key_is_refused(api: Any, make_key: MakeKey, sections: Any) -> None:
    key, token = make_key()
    api_key_revoke(key=key)
    assert api("/api/v1/articles/", token=token).status_code == 401


def test_anonymous_reading_can_be_switched_off(api: Any, make_key: MakeKey, sections: Any, settings: Any) -> None:
    settings.NEWSDESK_API_ANONYMOUS = False
    _key, token = make_key()
    assert api("/api/v1/articles/").status_code == 401
    assert api("/api/v1/articles/", token=token).status_code == 200


def test_writes_are_refused(client: Client, sections: Any) -> None:
    assert client.post("/api/v1/articles/", {}, content_type="application/json").status_code == 405


# --- The admin ------------------------------------------------------------------------------


def test_an_admin_makes_a_key_and_sees_its_token_once(db: None) -> None:
    client = signed_in(ADMINS)
    response = client.post("/admin/api-keys/", {"name": "Partner preview", "scopes": [Scope.READ_DRAFTS]})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    shown = BeautifulSoup(response.content, "html.parser").select_one("#id_new_token")
    assert shown is not None
    token = str(shown["value"])
    key = ApiKey.objects.get()
    assert key.name == "Partner preview" and key.scopes == [Scope.READ_DRAFTS]
    assert key.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in client.get("/admin/api-keys/").content.decode()


def test_a_past_expiry_is_refused_and_nothing_made(db: None) -> None:
    client = signed_in(ADMINS)
    response = client.post("/admin/api-keys/", {"name": "Late", "expires_at": "2000-01-01T00:00"})
    assert response.status_code == 400
    assert not ApiKey.objects.exists()


def test_an_admin_revokes_a_key(make_key: MakeKey) -> None:
    key, _token = make_key()
    signed_in(ADMINS).post(f"/admin/api-keys/{key.pk}/revoke/")
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None


def test_editors_cannot_see_or_make_keys(make_key: MakeKey) -> None:
    key, _token = make_key()
    client = signed_in(EDITORS)
    # Wagtail answers a refused admin view with a redirect to the dashboard and a message.
    assert client.get("/admin/api-keys/")["Location"] == "/admin/"
    assert client.post("/admin/api-keys/", {"name": "Sneaky"})["Location"] == "/admin/"
    assert client.post(f"/admin/api-keys/{key.pk}/revoke/")["Location"] == "/admin/"
    assert ApiKey.objects.count() == 1 and ApiKey.objects.get().revoked_at is None


# --- What a read-drafts key sees ------------------------------------------------------------


def test_read_drafts_key_sees_a_draft_by_id_others_do_not(
    api: Any, make_key: MakeKey, article_factory: Callable[..., ArticlePage]
) -> None:
    article = article_factory(headline="Published headline")
    article.title = "Draft headline"
    article.save_revision()
    article.unpublish()
    _plain, plain_token = make_key()
    _preview, preview_token = make_key(scopes=[Scope.READ_DRAFTS])
    path = f"/api/v1/articles/{article.pk}/"
    assert api(path).status_code == 404
    assert api(path, token=plain_token).status_code == 404
    preview = api(path, token=preview_token)
    assert preview.status_code == 200
    assert preview.json()["headline"] == "Draft headline"
    # Lists stay published-only, whatever the key.
    assert api("/api/v1/articles/", token=preview_token).json()["results"] == []
