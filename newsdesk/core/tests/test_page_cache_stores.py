"""The page cache's stores and keys, without HTTP."""

import os

import pytest
from django.test import RequestFactory

from newsdesk.core import page_cache


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": True}


@pytest.fixture
def files(tmp_path):
    return page_cache.FileStore(directory=tmp_path / "pages")


def test_the_file_store_keeps_values_until_they_expire(files):
    files.set("pc-e-one", ("copy", 1), 60)
    files.set("pc-e-two", "old", -1)
    assert files.get_many(["pc-e-one", "pc-e-two", "pc-e-three"]) == {"pc-e-one": ("copy", 1)}


def test_the_file_store_treats_a_damaged_file_as_missing(files):
    (files.directory / "pc-e-one").write_bytes(b"not a pickle")
    assert files.get_many(["pc-e-one"]) == {}


def test_the_file_store_deletes_and_clears(files):
    files.set("pc-e-one", 1, 60)
    files.set("pc-e-two", 2, 60)
    files.delete("pc-e-one")
    files.delete("pc-e-missing")
    assert files.get_many(["pc-e-one", "pc-e-two"]) == {"pc-e-two": 2}
    files.clear()
    assert files.get_many(["pc-e-two"]) == {}


def test_the_file_store_writes_whole_files_only(files):
    files.set("pc-e-one", b"x" * 100_000, 60)
    assert [name for name in os.listdir(files.directory) if name.startswith(".tmp-")] == []


def environ(path="/world/", **extra):
    return RequestFactory().get(path, **extra).META


def test_keys_ignore_tracking_parameters_and_order():
    plain = page_cache.keys_for(environ("/world/?page=2"))
    tracked = page_cache.keys_for(environ("/world/?utm_source=x&page=2&gclid=y"))
    assert plain is not None
    assert plain == tracked
    assert page_cache.keys_for(environ("/world/?page=3")) != plain


def test_a_path_shares_one_marker_whatever_its_query():
    second_page, first_page = page_cache.keys_for(environ("/world/?page=2")), page_cache.keys_for(environ("/world/"))
    assert second_page is not None and first_page is not None
    assert second_page.marker == first_page.marker


def test_the_scheme_behind_a_proxy_is_part_of_the_key(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    https = page_cache.keys_for(environ(HTTP_X_FORWARDED_PROTO="https"))
    http = page_cache.keys_for(environ(HTTP_X_FORWARDED_PROTO="http"))
    assert https is not None and http is not None
    assert https.entry != http.entry
    assert https.marker == http.marker


def test_the_session_cookie_is_found_as_django_finds_it():
    assert page_cache.keys_for(environ(HTTP_COOKIE='sessionid="unterminated')) is None
    assert page_cache.keys_for(environ(HTTP_COOKIE="mysessionid_x=1; theme=dark")) is not None


@pytest.mark.parametrize("path", ["/admin/pages/", "/healthz", "/static/css/site.css", "/comments/post/"])
def test_excluded_paths_have_no_keys(path):
    assert page_cache.keys_for(environ(path)) is None


def test_a_soft_purge_keeps_an_earlier_hard_one():
    at = 1000.0
    entry = page_cache.Entry(
        created=at,
        fresh_until=at + 60,
        stale_until=at + 120,
        error_until=at + 999,
        day_bound=True,
        status=200,
        headers=[],
        etag='"x"',
        last_modified="",
        body=b"",
    )
    assert page_cache.state_of(entry, None, at + 1) == page_cache.FRESH
    assert page_cache.state_of(entry, page_cache.Marker(stale_at=at + 5, gone_at=0), at + 10) == page_cache.STALE
    gone = page_cache.Marker(stale_at=at + 5, gone_at=at + 5)
    assert page_cache.state_of(entry, gone, at + 10) == page_cache.UNUSABLE
    assert page_cache.state_of(entry, None, at + 500) == page_cache.ERROR_ONLY
    assert page_cache.state_of(entry, None, at + 1000) == page_cache.UNUSABLE


def test_a_view_s_own_shorter_lifetime_is_kept():
    from django.http import HttpResponse

    response = HttpResponse(b"<rss/>", content_type="application/rss+xml")
    response["Cache-Control"] = "public, max-age=0"
    entry = page_cache.make_entry(response, 1000.0)
    assert entry.fresh_until == 1000.0
    assert ("Cache-Control", "public, max-age=0") in entry.headers
