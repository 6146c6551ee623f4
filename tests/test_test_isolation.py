"""Parallel test workers (pytest-xdist) never share a database, files or a Redis database."""

import importlib

import pytest
from django.conf import settings
from django.db import connection


@pytest.fixture
def load_test_settings(monkeypatch):
    """newsdesk.settings.test as a given xdist worker would load it, with the given environment."""
    import newsdesk.settings.base as base
    import newsdesk.settings.test as test

    def load(worker: str, **environment: str | None):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        for name, value in environment.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        importlib.reload(base)
        return importlib.reload(test)

    yield load
    # The running Django settings were read from the first import and keep those objects;
    # reloading again only puts the modules back as this process's environment has them.
    monkeypatch.undo()
    importlib.reload(base)
    importlib.reload(test)


@pytest.mark.parametrize(
    ("worker", "url", "expected"),
    [
        ("", "redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("gw0", "redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1"),
        ("gw1", "redis://127.0.0.1:6379", "redis://127.0.0.1:6379/2"),
        (
            "gw2",
            "redis://:pw@cache.internal:6380/4?socket_timeout=5",
            "redis://:pw@cache.internal:6380/7?socket_timeout=5",
        ),
        ("gw14", "redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/15"),
        ("gw15", "redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
    ],
)
def test_each_worker_gets_its_own_redis_database(load_test_settings, worker, url, expected):
    assert load_test_settings(worker)._worker_redis_url(url) == expected


def test_each_worker_gets_its_own_files_and_redis(load_test_settings):
    def isolated(module):
        return module.MEDIA_ROOT, module.NEWSDESK_COUNTERS_SPOOL_DIR, module.NEWSDESK_TEST_REDIS_URL

    unset = {"REDIS_URL": None, "NEWSDESK_TEST_REDIS_URL": None}
    gw0 = isolated(load_test_settings("gw0", **unset))
    gw1 = isolated(load_test_settings("gw1", **unset))
    assert gw0 == (
        gw0[0].with_name("test-media-gw0"),
        gw0[1].with_name("test-counters-gw0"),
        "redis://127.0.0.1:6379/1",
    )
    assert gw1 == (
        gw0[0].with_name("test-media-gw1"),
        gw0[1].with_name("test-counters-gw1"),
        "redis://127.0.0.1:6379/2",
    )


def test_a_whole_suite_on_redis_puts_every_cache_of_a_worker_on_its_database(load_test_settings):
    worker = load_test_settings("gw1", REDIS_URL="redis://127.0.0.1:6379/0", NEWSDESK_TEST_REDIS_URL=None)
    assert worker.REDIS_URL == worker.NEWSDESK_TEST_REDIS_URL == "redis://127.0.0.1:6379/2"
    assert {cache["LOCATION"] for cache in worker.CACHES.values()} == {"redis://127.0.0.1:6379/2"}


@pytest.mark.django_db
def test_this_worker_tests_against_its_own_database_and_files():
    worker = settings.XDIST_WORKER
    if not worker:
        pytest.skip("one process (no xdist worker): nothing is shared")
    assert connection.settings_dict["NAME"].endswith(f"_{worker}")
    assert settings.MEDIA_ROOT.name == f"test-media-{worker}"
