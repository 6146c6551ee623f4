"""NearCache: values kept in a shared cache, with a copy of each one read in the process's memory."""

import datetime
import uuid
from collections.abc import Iterator

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from newsdesk.core.cache import NearCache

START = datetime.datetime(2026, 5, 20, 10, 0, tzinfo=datetime.UTC)


def near(shared: str = "default", entries: int = 100) -> NearCache:
    """A NearCache as another process would have it: its own copies, the same shared cache."""
    cache = NearCache("", {"OPTIONS": {"SHARED": shared, "MAX_ENTRIES": entries}})
    # A process of its own: copies not shared with this test process's other instances.
    cache._copies = type(cache._copies)()
    return cache


@pytest.fixture
def shared() -> Iterator[str]:
    """A local-memory shared cache of this test's own."""
    alias = f"near-shared-{uuid.uuid4().hex[:8]}"
    config = {**settings.CACHES, alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}}
    with override_settings(CACHES=config):
        yield alias
        caches[alias].clear()


def test_a_value_kept_here_is_read_from_memory_without_the_shared_cache(shared):
    cache = near(shared)
    cache.set("part:g1:head", "<header>", 60)
    caches[shared].clear()  # nothing left in the shared cache
    assert cache.get("part:g1:head") == "<header>"


def test_a_value_another_process_kept_is_read_from_the_shared_cache_and_copied(shared):
    writer, reader = near(shared), near(shared)
    writer.set("part:g1:head", "<header>", 60)
    assert reader.get("part:g1:head") == "<header>"
    caches[shared].clear()
    assert reader.get("part:g1:head") == "<header>"


def test_a_copy_expires_when_the_value_another_process_kept_does(shared):
    writer, reader = near(shared), near(shared)
    with time_machine.travel(START, tick=False) as clock:
        writer.set("teasers:list:latest:g1", ["a"], 60)
        clock.shift(50)
        assert reader.get("teasers:list:latest:g1") == ["a"]  # copied with 10 s left
        clock.shift(11)
        assert reader.get("teasers:list:latest:g1") is None
        assert writer.get("teasers:list:latest:g1") is None


def test_get_many_takes_copies_and_asks_the_shared_cache_only_for_the_rest(shared):
    writer, reader = near(shared), near(shared)
    reader.set("a", 1, 60)
    writer.set("b", 2, 60)
    assert reader.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}


def test_the_least_recently_read_copy_leaves_memory_first_but_stays_shared(shared):
    cache = near(shared, entries=2)
    cache.set("a", 1, 60)
    cache.set("b", 2, 60)
    assert cache.get("a") == 1  # "b" is now the least recently read
    cache.set("c", 3, 60)
    assert set(cache._copies._entries) == {"1:a", "1:c"}
    assert cache.get("b") == 2  # read again from the shared cache


def test_delete_removes_the_copy_and_the_shared_value(shared):
    writer, reader = near(shared), near(shared)
    writer.set("a", 1, 60)
    writer.delete("a")
    assert writer.get("a") is None
    assert reader.get("a") is None


def test_shared_values_live_under_their_own_prefix(shared):
    """Code reading the shared cache directly never mistakes a kept value for its own."""
    near(shared).set("a", 1, 60)
    assert caches[shared].get("a") is None
    assert caches[shared].get("near:a")[1] == 1


def test_a_timeout_of_none_keeps_the_value_until_it_leaves(shared):
    writer, reader = near(shared), near(shared)
    with time_machine.travel(START, tick=False) as clock:
        writer.set("a", 1, None)
        clock.shift(10 * 365 * 24 * 3600)
        assert reader.get("a") == 1


def test_clear_drops_this_processs_copies_and_leaves_the_shared_values(shared):
    cache = near(shared)
    cache.set("a", 1, 60)
    cache.clear()
    assert "1:a" not in cache._copies._entries
    assert cache.get("a") == 1


def test_a_timeout_of_zero_keeps_nothing(shared):
    writer, reader = near(shared), near(shared)
    writer.set("a", 1, 60)
    writer.set("a", 2, 0)
    assert writer.get("a") is None
    assert reader.get("a") is None


def test_without_a_timeout_the_shared_caches_default_applies(settings):
    alias = f"near-shared-{uuid.uuid4().hex[:8]}"
    backend = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {**settings.CACHES, alias: {"BACKEND": backend, "LOCATION": alias, "TIMEOUT": 10}}
    writer, reader = near(alias), near(alias)
    with time_machine.travel(START, tick=False) as clock:
        writer.set("a", 1)
        clock.shift(11)
        assert writer.get("a") is None
        assert reader.get("a") is None


def test_a_key_given_the_default_version_is_the_key_given_none(shared):
    cache = near(shared)
    cache.set("a", 1, 60, version=1)
    cache.delete("a")
    assert cache.get("a", version=1) is None


def test_the_settings_kept_alias_is_a_near_cache_over_the_default_cache():
    assert isinstance(caches["kept"], NearCache)
    caches["kept"].set("k", "v", 60)
    assert caches["default"].get("near:k")[1] == "v"


def test_threads_of_one_process_share_the_copies(shared):
    from concurrent.futures import ThreadPoolExecutor

    near_one = NearCache("", {"OPTIONS": {"SHARED": shared}})
    near_one.set("a", 1, 60)
    caches[shared].clear()
    with ThreadPoolExecutor(1) as pool:
        # A thread's own `caches[...]` instance of the same configuration.
        assert pool.submit(lambda: NearCache("", {"OPTIONS": {"SHARED": shared}}).get("a")).result() == 1


@pytest.mark.django_db
def test_a_warm_article_render_reads_no_kept_part_from_the_shared_cache(client, article_factory, monkeypatch):
    """A process's second render of an article takes its kept parts and teasers from memory;
    another process (no copies) reads the same parts from the shared cache."""
    url = article_factory(headline="Ferry back on the lake").url
    article_factory(headline="Bridge repairs start")  # a teaser in Latest
    assert client.get(url).status_code == 200
    asked: list[str] = []
    shared = caches["default"]
    read_many = shared.get_many

    def counted(keys, version=None):
        asked.extend(key for key in keys if key.startswith(NearCache.SHARED_PREFIX))
        return read_many(keys, version)

    monkeypatch.setattr(shared, "get_many", counted)
    page = client.get(url)
    assert b"Bridge repairs start" in page.content
    assert asked == []

    caches["kept"].clear()  # this process's copies: as in another process
    page = client.get(url)
    assert b"Bridge repairs start" in page.content
    assert any(key.startswith("near:part:") for key in asked)
    assert any(key.startswith("near:teasers:") for key in asked)
