"""Per-key and per-client limits: 429 with Retry-After, counted per window."""

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_client_over_its_limit_gets_429_with_retry_after(
    api: Any, sections: Any, settings: Any, frozen_now: Any
) -> None:
    settings.NEWSDESK_API_RATE_PER_CLIENT = 2
    assert [api("/api/v1/sections/").status_code for _ in range(2)] == [200, 200]
    refused = api("/api/v1/sections/")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= settings.NEWSDESK_API_RATE_WINDOW_SECONDS
    # Another client is counted on its own.
    assert api("/api/v1/sections/", REMOTE_ADDR="10.9.9.9").status_code == 200


def test_key_has_its_own_limit(api: Any, sections: Any, settings: Any, make_key: Any, frozen_now: Any) -> None:
    settings.NEWSDESK_API_RATE_PER_CLIENT = 1
    settings.NEWSDESK_API_RATE_PER_KEY = 3
    _key, token = make_key()
    assert [api("/api/v1/sections/", token=token).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_limit_resets_in_the_next_window(
    api: Any, sections: Any, settings: Any, time_machine: Any, frozen_now: Any
) -> None:
    settings.NEWSDESK_API_RATE_PER_CLIENT = 1
    assert api("/api/v1/sections/").status_code == 200
    assert api("/api/v1/sections/").status_code == 429
    time_machine.shift(settings.NEWSDESK_API_RATE_WINDOW_SECONDS)
    assert api("/api/v1/sections/").status_code == 200
