"""Fixtures for the read API's tests."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from newsdesk.api.models import ApiKey
from newsdesk.api.services import api_key_create


@pytest.fixture
def api(client: Client) -> Callable[..., Any]:
    """GET an API path; returns the response (`.json()` for the body)."""

    def get(path: str, token: str | None = None, **headers: Any) -> Any:
        if token is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client.get(path, **headers)

    return get


@pytest.fixture
def make_key(db: None) -> Callable[..., tuple[ApiKey, str]]:
    def make(*, scopes: list[str] | None = None, **kwargs: Any) -> tuple[ApiKey, str]:
        return api_key_create(name=kwargs.pop("name", "Partner"), scopes=scopes or [], **kwargs)

    return make


@pytest.fixture
def page_cache_on(settings: Any) -> None:
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": True}
