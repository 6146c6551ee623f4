"""The page cache's parts one at a time: settings, stores, keys, states, saving, headers, purges."""

import datetime
import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.utils.http import http_date

from newsdesk.core import page_cache
from newsdesk.core.page_cache.headers import _NOT_STORED

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": True}


def environ(path="/world/", method="get", **extra):
    return getattr(RequestFactory(), method)(path, **extra).META


def test_a_path_beyond_ascii_gets_the_same_keys_in_django_as_on_the_fast_path():
    # The WSGI fast path sees PATH_INFO as the server passes it (UTF-8 bytes read as Latin-1);
    # Django's request has replaced it with the decoded path by the time middleware runs.
    request = RequestFactory().get("/caf%C3%A9/%E2%80%AE/")
    raw = {**request.META, "PATH_INFO": "/café/\u202e/".encode().decode("latin-1")}
    keys = page_cache.keys_for(request.META, request.path)
    assert keys is not None
    assert keys == page_cache.keys_for(raw)


@pytest.mark.django_db
def test_a_missing_page_beyond_ascii_is_a_404_not_an_error(client):
    assert client.get("/2026/12/02/%E2%80%AEodd/").status_code == 404
    assert client.get("/caf%C3%A9/").status_code == 404


def entry_at(created, *, fresh=60, stale=120, error=999):
    return page_cache.Entry(
        created=created,
        fresh_until=created + fresh,
        stale_until=created + stale,
        error_until=created + error,
        day_bound=True,
        status=200,
        headers=[],
        etag='"abc"',
        last_modified=http_date(created),
        body=b"<p>copy</p>",
    )


# --- Settings ---------------------------------------------------------------------------


def test_settings_are_read_by_name_and_lists_become_tuples(settings):
    settings.NEWSDESK_PAGE_CACHE = {
        "FRESH_SECONDS": 30,
        "EXCLUDED_PREFIXES": ["/private/"],
        "QUERY_IGNORED": ["ref"],
        "NOT_A_SETTING": 1,
    }
    conf = page_cache.config()
    assert (conf.fresh_seconds, conf.excluded_prefixes, conf.query_ignored) == (30, ("/private/",), ("ref",))
    assert conf.enabled is True


def test_a_changed_session_cookie_name_is_noticed(settings):
    assert page_cache.keys_for(environ(HTTP_COOKIE="newsdesk_session=abc")) is not None
    settings.SESSION_COOKIE_NAME = "newsdesk_session"
    assert page_cache.config().session_cookie == "newsdesk_session"
    assert page_cache.keys_for(environ(HTTP_COOKIE="newsdesk_session=abc")) is None


def test_a_changed_allowlist_is_noticed(settings):
    assert page_cache.keys_for(environ("/search/?q=tram")) is None
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "QUERY_ALLOWLIST": {"q": r"[a-z]{1,20}"}}
    assert page_cache.keys_for(environ("/search/?q=tram")) is not None
    assert page_cache.keys_for(environ("/search/?q=Tram")) is None


def test_the_store_is_built_from_the_backend_and_its_options(settings, tmp_path):
    settings.NEWSDESK_PAGE_CACHE = {
        **settings.NEWSDESK_PAGE_CACHE,
        "BACKEND": "newsdesk.core.page_cache.FileStore",
        "OPTIONS": {"directory": str(tmp_path / "copies")},
    }
    store = page_cache.store()
    assert isinstance(store, page_cache.FileStore)
    store.set("pc-e-x", 1, 60)
    assert (tmp_path / "copies" / "pc-e-x").exists()


# --- Stores -------------------------------------------------------------------------------


@pytest.fixture(params=["locmem", "files", "redis"])
def store(request, settings, tmp_path):
    if request.param == "files":
        return page_cache.FileStore(tmp_path / "pages")
    if request.param == "redis":
        settings.CACHES = {
            **settings.CACHES,
            "pages": {
                "BACKEND": "newsdesk.core.cache.ResilientRedisCache",
                "LOCATION": settings.NEWSDESK_TEST_REDIS_URL,
                "KEY_PREFIX": f"test-parts-{uuid.uuid4().hex}",
            },
        }
        return page_cache.CacheStore("pages")
    return page_cache.CacheStore()


def test_a_store_gives_back_what_it_was_given_and_forgets_deleted_keys(store):
    store.set("pc-e-a", page_cache.Marker(1.0, 2.0), 60)
    store.set("pc-e-b", b"body", 60)
    store.delete("pc-e-b")
    assert store.get_many(["pc-e-a", "pc-e-b"]) == {"pc-e-a": page_cache.Marker(1.0, 2.0)}


def test_a_cache_store_keeps_a_value_with_a_lifetime_under_a_second():
    # Django's caches take whole seconds, and 0 means "expire at once".
    store = page_cache.CacheStore()
    store.set("pc-e-short", "kept", 0.5)
    assert store.get_many(["pc-e-short"]) == {"pc-e-short": "kept"}


def test_a_lock_has_one_holder_at_a_time(store):
    with store.lock("pc-l-one", 30) as first:
        with store.lock("pc-l-one", 30) as second:
            assert (first, second) == (True, False)
        with store.lock("pc-l-other", 30) as other:
            assert other is True
    with store.lock("pc-l-one", 30) as again:
        assert again is True


def test_a_cache_lock_taken_over_after_expiry_is_left_to_its_new_holder():
    store = page_cache.CacheStore()
    with store.lock("pc-l-taken", 30) as mine:
        assert mine
        # The lock ran out and another worker took it: leaving must not free theirs.
        store.cache.set("pc-l-taken", "their-token", 30)
    assert store.cache.get("pc-l-taken") == "their-token"


def test_the_file_store_forgets_expired_copies(tmp_path):
    files = page_cache.FileStore(tmp_path)
    with time_machine.travel(datetime.datetime(2030, 1, 1, 12, tzinfo=datetime.UTC), tick=False) as clock:
        files.set("pc-e-a", "copy", 60)
        clock.shift(59)
        assert files.get_many(["pc-e-a"]) == {"pc-e-a": "copy"}
        clock.shift(2)
        assert files.get_many(["pc-e-a"]) == {}


# --- Keys ---------------------------------------------------------------------------------


def test_head_shares_the_copy_of_get():
    assert page_cache.keys_for(environ(method="head")) == page_cache.keys_for(environ())


@pytest.mark.parametrize("method", ["post", "put", "delete", "options"])
def test_other_methods_have_no_keys(method):
    assert page_cache.keys_for(environ(method=method)) is None


def test_a_turned_off_cache_has_no_keys(settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": False}
    assert page_cache.keys_for(environ()) is None


def test_the_host_is_keyed_case_insensitively():
    upper = page_cache.keys_for(environ(HTTP_HOST="WWW.Example.com"))
    assert upper == page_cache.keys_for(environ(HTTP_HOST="www.example.com"))
    assert upper != page_cache.keys_for(environ(HTTP_HOST="news.example.com"))


def test_without_a_host_header_the_server_name_and_port_are_keyed():
    meta = environ()
    assert "HTTP_HOST" not in meta
    other = {**meta, "SERVER_PORT": "8080"}
    keys, other_keys = page_cache.keys_for(meta), page_cache.keys_for(other)
    assert keys is not None and other_keys is not None
    assert keys.entry != other_keys.entry


@pytest.mark.parametrize("query", ["page=", "page=12345", "page=1&page=x", "utm_campaign=x&ref=y"])
def test_queries_the_allowlist_does_not_match_have_no_keys(query):
    assert page_cache.keys_for(environ(f"/world/?{query}")) is None


def test_every_ignored_prefix_is_dropped_from_the_key():
    plain = page_cache.keys_for(environ("/world/"))
    assert page_cache.keys_for(environ("/world/?utm_medium=mail&utm_term=x&mc_cid=1&mc_eid=2")) == plain


def test_the_lock_and_the_copy_are_keyed_apart_per_query():
    first, second = page_cache.keys_for(environ("/world/?page=2")), page_cache.keys_for(environ("/world/?page=3"))
    assert first is not None and second is not None
    assert first.lock != second.lock
    assert first.lock.removeprefix("pc-l-") == first.entry.removeprefix("pc-e-")


# --- States and saving -----------------------------------------------------------------------


def test_a_copy_made_at_the_moment_of_a_hard_purge_is_unusable():
    entry = entry_at(1000.0)
    assert page_cache.state_of(entry, page_cache.Marker(stale_at=1000.0, gone_at=1000.0), 1001) == page_cache.UNUSABLE
    assert page_cache.state_of(None, None, 1001) == page_cache.UNUSABLE


def test_a_copy_made_after_a_purge_is_fresh():
    marker = page_cache.Marker(stale_at=999.0, gone_at=999.0)
    assert page_cache.state_of(entry_at(1000.0), marker, 1001) == page_cache.FRESH


def test_lookup_applies_the_later_of_the_path_and_site_purges():
    keys = page_cache.keys_for(environ())
    assert keys is not None
    page_cache.store().set(keys.entry, entry_at(1000.0), 600)
    page_cache.store().set(keys.marker, page_cache.Marker(stale_at=1010.0, gone_at=0.0), 600)
    page_cache.store().set(page_cache.SITE_MARKER, page_cache.Marker(stale_at=990.0, gone_at=995.0), 600)
    entry, marker = page_cache.lookup(keys)
    assert entry == entry_at(1000.0)
    assert marker == page_cache.Marker(stale_at=1010.0, gone_at=995.0)


def test_saving_without_purges_stores_the_copy_fresh():
    keys = page_cache.keys_for(environ())
    assert keys is not None
    assert page_cache.save(keys, entry_at(1000.0))
    entry, marker = page_cache.lookup(keys)
    assert page_cache.state_of(entry, marker, 1001) == page_cache.FRESH


def test_saving_after_a_soft_purge_stores_the_copy_stale():
    keys = page_cache.keys_for(environ())
    assert keys is not None
    page_cache.store().set(keys.marker, page_cache.Marker(stale_at=1005.0, gone_at=0.0), 600)
    assert page_cache.save(keys, entry_at(1000.0))
    entry, marker = page_cache.lookup(keys)
    assert entry is not None
    assert entry.fresh_until == 1000.0
    assert page_cache.state_of(entry, marker, 1001) == page_cache.STALE


@pytest.mark.parametrize("where", ["path", "site"])
def test_saving_after_a_hard_purge_stores_nothing(where):
    keys = page_cache.keys_for(environ())
    assert keys is not None
    marker_key = keys.marker if where == "path" else page_cache.SITE_MARKER
    page_cache.store().set(marker_key, page_cache.Marker(stale_at=1005.0, gone_at=1005.0), 600)
    assert not page_cache.save(keys, entry_at(1000.0))
    assert page_cache.lookup(keys)[0] is None


# --- What may be stored, and for how long -------------------------------------------------------


def public(content=b"<p>page</p>", **headers):
    response = HttpResponse(content, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def test_a_public_200_is_storable():
    assert page_cache.is_storable(public(Vary="Cookie, Accept-Encoding"), "GET")


@pytest.mark.parametrize(
    "change",
    [
        lambda r: setattr(r, "status_code", 404),
        lambda r: r.set_cookie("who", "you"),
        lambda r: r.__setitem__("Cache-Control", "max-age=300"),
        lambda r: r.__setitem__("Cache-Control", "public, private"),
        lambda r: r.__setitem__("Cache-Control", "public, no-store"),
        lambda r: r.__setitem__("Cache-Control", "public, no-cache"),
        lambda r: r.__setitem__("Vary", "Accept-Language"),
    ],
    ids=["404", "cookie", "not public", "private", "no-store", "no-cache", "vary"],
)
def test_what_a_shared_cache_may_not_keep(change):
    response = public()
    change(response)
    assert not page_cache.is_storable(response, "GET")


def test_only_get_responses_and_whole_ones_are_storable():
    assert not page_cache.is_storable(public(), "HEAD")
    streamed = StreamingHttpResponse(iter([b"x"]))
    streamed["Cache-Control"] = "public, max-age=60"
    assert not page_cache.is_storable(streamed, "GET")


def test_an_html_copy_ends_at_local_midnight():
    started = datetime.datetime(2030, 6, 12, 23, 58, tzinfo=BERLIN).timestamp()
    midnight = datetime.datetime(2030, 6, 13, tzinfo=BERLIN).timestamp()
    entry = page_cache.make_entry(public(), started)
    assert (entry.fresh_until, entry.stale_until) == (midnight, midnight)
    # While the database is down yesterday's page beats an error page.
    assert entry.error_until == started + page_cache.config().stale_if_error_seconds


def test_a_feed_copy_is_not_bound_by_midnight_and_keeps_its_own_cache_control():
    started = datetime.datetime(2030, 6, 12, 23, 58, tzinfo=BERLIN).timestamp()
    response = HttpResponse(b"<rss/>", content_type="application/rss+xml")
    response["Cache-Control"] = "public, max-age=600"
    entry = page_cache.make_entry(response, started)
    assert entry.fresh_until == started + page_cache.config().fresh_seconds
    assert not entry.day_bound
    assert page_cache.response_headers(entry, "hit").count(("Cache-Control", "public, max-age=600")) == 1


def test_a_copy_keeps_lasting_headers_only():
    response = public(X_Frame_Options="DENY", Date="Wed, 12 Jun 2030 10:00:00 GMT", Age="3")
    response.set_cookie("who", "you")
    names = {name.lower() for name, _value in page_cache.make_entry(response, 1000.0).headers}
    assert "x-frame-options" in names
    assert not names & _NOT_STORED


def test_the_etag_follows_the_body():
    one, same, other = (page_cache.make_entry(public(body), 1000.0) for body in (b"a", b"a", b"b"))
    assert one.etag == same.etag != other.etag


def test_served_html_headers_carry_the_validators_and_a_day_bound_lifetime():
    with time_machine.travel(datetime.datetime(2030, 6, 12, 12, tzinfo=BERLIN), tick=False):
        entry = page_cache.make_entry(public(), page_cache.now())
        headers = dict(page_cache.response_headers(entry, "hit"))
    assert headers["X-Page-Cache"] == "hit"
    assert headers["ETag"] == entry.etag
    assert headers["Last-Modified"] == "Wed, 12 Jun 2030 10:00:00 GMT"
    assert headers["Cache-Control"].startswith(f"public, max-age={page_cache.config().page_max_age},")


@pytest.mark.parametrize("label", ["stale", "stale-if-error"])
def test_a_copy_served_past_its_freshness_may_not_be_kept_downstream(label):
    # A CDN or Varnish that fetched it while one worker re-renders must ask again, not keep it 5 minutes.
    with time_machine.travel(datetime.datetime(2030, 6, 12, 12, tzinfo=BERLIN), tick=False):
        entry = page_cache.make_entry(public(), page_cache.now())
        headers = dict(page_cache.response_headers(entry, label))
    assert headers["Cache-Control"].startswith("public, max-age=0, s-maxage=0,")


# --- Conditional requests ---------------------------------------------------------------------


@pytest.mark.parametrize("header", ['W/"abc"', '"other", "abc"', "*"])
def test_if_none_match_matches_weak_listed_and_any_tags(header):
    assert page_cache.not_modified(entry_at(1000.0), {"HTTP_IF_NONE_MATCH": header})


def test_if_none_match_wins_over_if_modified_since():
    headers = {"HTTP_IF_NONE_MATCH": '"other"', "HTTP_IF_MODIFIED_SINCE": http_date(2000)}
    assert not page_cache.not_modified(entry_at(1000.0), headers)


@pytest.mark.parametrize(("since", "expected"), [(http_date(1000), True), (http_date(999), False), ("soon", False)])
def test_if_modified_since_compares_with_the_copy_s_creation(since, expected):
    assert page_cache.not_modified(entry_at(1000.0), {"HTTP_IF_MODIFIED_SINCE": since}) is expected


def test_the_fast_path_answers_304_without_a_type_or_a_body():
    keys = page_cache.keys_for(environ())
    assert keys is not None
    with time_machine.travel(datetime.datetime(2030, 6, 12, 12, tzinfo=BERLIN), tick=False):
        entry = page_cache.make_entry(public(), page_cache.now())
        page_cache.save(keys, entry)
        seen: list[tuple[str, dict[str, str]]] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: object = None
        ) -> Callable[[bytes], object]:
            seen.append((status, dict(headers)))
            return lambda data: None

        app = page_cache.CachedPageApplication(lambda *args: pytest.fail("Django should not run"))
        body = app(environ(HTTP_IF_NONE_MATCH=entry.etag), start_response)
    [(status, headers)] = seen
    assert (status, body) == ("304 Not Modified", [])
    assert "Content-Type" not in headers


# --- Purges -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_soft_purge_after_a_hard_one_keeps_the_hard_one():
    marker_key = page_cache.marker_key("/world/")
    with time_machine.travel(datetime.datetime(2030, 6, 12, 12, tzinfo=datetime.UTC), tick=False) as clock:
        page_cache.purge_paths(["/world/"], hard=True)
        hard_at = page_cache.now()
        clock.shift(10)
        page_cache.purge_paths(["/world/"])
        marker = page_cache.store().get_many([marker_key])[marker_key]
    assert marker == page_cache.Marker(stale_at=hard_at + 10, gone_at=hard_at)


@pytest.mark.django_db
def test_a_purge_is_marked_again_after_the_commit(django_capture_on_commit_callbacks):
    marker_key = page_cache.marker_key("/world/")
    with time_machine.travel(datetime.datetime(2030, 6, 12, 12, tzinfo=datetime.UTC), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            page_cache.purge_paths(["/world/", ""])
        first = page_cache.store().get_many([marker_key])[marker_key].stale_at
        clock.shift(5)
        for callback in callbacks:
            callback()
    assert page_cache.store().get_many([marker_key])[marker_key].stale_at == first + 5


@pytest.mark.django_db
def test_a_hard_site_wide_purge_makes_every_copy_unusable():
    keys = page_cache.keys_for(environ("/culture/"))
    assert keys is not None
    with time_machine.travel(datetime.datetime(2030, 6, 12, 12, tzinfo=datetime.UTC), tick=False) as clock:
        page_cache.save(keys, entry_at(page_cache.now()))
        clock.shift(1)
        page_cache.purge_all(hard=True)
        entry, marker = page_cache.lookup(keys)
        assert page_cache.state_of(entry, marker, page_cache.now()) == page_cache.UNUSABLE
