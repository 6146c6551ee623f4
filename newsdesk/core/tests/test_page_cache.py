"""The full-page cache: hits, misses, bypass rules, validators and lifetimes."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from newsdesk.core import page_cache

BERLIN = ZoneInfo("Europe/Berlin")
# Every test starts at a fixed afternoon unless it sets its own time: an HTML copy ends at local
# midnight, so a miss at 23:59:59 and a request a moment later would find no copy to hit. The
# clock keeps ticking: a copy made at the very instant of a purge counts as purged.
pytestmark = pytest.mark.time_machine(datetime.datetime(2026, 3, 10, 15, 0, tzinfo=BERLIN), tick=True)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": True}


@pytest.fixture
def story(article_factory):
    return article_factory(headline="Harbour bridge reopens", tags=["harbour"], authors=["Ada Reporter"])


def test_first_request_renders_and_the_next_is_a_hit(client, story, django_assert_num_queries):
    assert client.get(story.url)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get(story.url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"
    assert b"Harbour bridge reopens" in response.content


def test_two_anonymous_readers_get_byte_identical_article_html(story):
    first, second = Client(), Client()
    second.cookies["newsdesk_comment_pending"] = "42"  # a client-side notice cookie
    second.cookies["_ga"] = "GA1.2.3"
    one = first.get(story.url, HTTP_USER_AGENT="Firefox", REMOTE_ADDR="10.0.0.1")
    two = second.get(story.url, HTTP_USER_AGENT="Safari", REMOTE_ADDR="10.0.0.2")
    assert (one["X-Page-Cache"], two["X-Page-Cache"]) == ("miss", "hit")
    assert one.content == two.content


def test_two_anonymous_renders_are_byte_identical_without_the_cache(story, settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": False}
    one = Client().get(story.url, HTTP_USER_AGENT="Firefox")
    two = Client().get(story.url, HTTP_USER_AGENT="Safari")
    assert one.content == two.content


def test_signed_in_staff_bypass_the_cache_both_ways(client, admin_client, story):
    assert admin_client.get(story.url).get("X-Page-Cache") is None
    assert client.get(story.url)["X-Page-Cache"] == "miss"
    staff = admin_client.get(story.url)
    assert staff.get("X-Page-Cache") is None
    assert "public" not in staff.get("Cache-Control", "")


def test_other_cookies_do_not_bypass_the_cache(client, story):
    client.get(story.url)
    client.cookies["comment_notice"] = "1"
    assert client.get(story.url)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("query", ["q=harbour", "foo=1", "page=abc", "page=1&x=2"])
def test_query_strings_outside_the_allowlist_bypass(client, story, query):
    client.get(story.url)
    response = client.get(f"{story.url}?{query}")
    assert response.get("X-Page-Cache") is None


def test_allowed_query_values_are_cached_apart(client, sections, article_factory):
    for number in range(14):
        article_factory(section="world", variant=number)
    assert client.get("/world/?page=2")["X-Page-Cache"] == "miss"
    assert client.get("/world/?page=2")["X-Page-Cache"] == "hit"
    assert client.get("/world/")["X-Page-Cache"] == "miss"


def test_tracking_parameters_are_left_out_of_the_key(client, story):
    client.get(story.url)
    assert client.get(f"{story.url}?utm_source=newsletter&fbclid=x")["X-Page-Cache"] == "hit"


def test_non_get_requests_are_never_answered_from_the_cache(client, story):
    client.get(story.url)
    response = client.post(story.url)
    assert response.get("X-Page-Cache") is None


def test_head_is_answered_from_the_copy(client, story):
    client.get(story.url)
    response = client.head(story.url)
    assert response["X-Page-Cache"] == "hit"
    assert response.content == b""


def test_admin_pages_are_never_stored(admin_client, client):
    admin_client.get("/admin/")
    assert client.get("/admin/login/").get("X-Page-Cache") is None


def test_error_pages_are_not_stored(client, sections):
    assert client.get("/2025/01/01/no-such-story/").status_code == 404
    assert client.get("/2025/01/01/no-such-story/").get("X-Page-Cache") is None


def test_responses_that_set_cookies_are_not_stored(client, story):
    with mock.patch("newsdesk.pages.views.hooks.get_hooks", return_value=[_set_cookie]):
        first = client.get(story.url)
    assert first.cookies
    assert first.get("X-Page-Cache") is None
    assert client.get(story.url)["X-Page-Cache"] == "miss"


def _set_cookie(page, request, args, kwargs):
    from django.http import HttpResponse

    response = HttpResponse("personal", content_type="text/html")
    response["Cache-Control"] = "public, max-age=60"
    response.set_cookie("who", "you")
    return response


def test_cache_control_speaks_to_cdns(client, story, settings):
    settings.NEWSDESK_PAGE_MAX_AGE = 120
    with mock.patch("django.utils.timezone.now", return_value=datetime.datetime(2030, 6, 12, 12, tzinfo=BERLIN)):
        miss = client.get(story.url)
        hit = client.get(story.url)
    for response in (miss, hit):
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", "max-age=120", "s-maxage=120", "stale-if-error=86400"} <= directives
        assert "stale-while-revalidate=43080" in directives  # until midnight: 12 h less the 120 s


def test_a_copy_never_outlives_local_midnight(client, story):
    def at(hour, minute, second, day=12):
        return mock.patch(
            "django.utils.timezone.now",
            return_value=datetime.datetime(2030, 6, day, hour, minute, second, tzinfo=BERLIN),
        )

    with at(23, 59, 0):
        assert client.get(story.url)["X-Page-Cache"] == "miss"
    with at(23, 59, 30):
        hit = client.get(story.url)
    assert hit["X-Page-Cache"] == "hit"
    assert "max-age=30," in hit["Cache-Control"]
    assert "stale-while-revalidate=0" in hit["Cache-Control"]
    with at(0, 0, 1, day=13):
        after = client.get(story.url)
    assert after["X-Page-Cache"] == "miss"


def test_etag_gives_304(client, story):
    etag = client.get(story.url)["ETag"]
    response = client.get(story.url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert client.get(story.url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_last_modified_gives_304(client, story):
    last_modified = client.get(story.url)["Last-Modified"]
    assert client.get(story.url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(story.url, HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code == 200


def test_a_fresh_render_also_answers_304(client, story):
    etag = Client().get(story.url)["ETag"]
    page_cache.store().clear()
    response = client.get(story.url, HTTP_IF_NONE_MATCH=etag)
    assert (response.status_code, response["X-Page-Cache"]) == (304, "miss")


def test_the_cache_can_be_turned_off(client, story, settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": False}
    client.get(story.url)
    assert client.get(story.url).get("X-Page-Cache") is None


def test_scheme_and_host_are_part_of_the_key(client, story, settings):
    settings.ALLOWED_HOSTS = ["localhost", "www.example.com"]
    client.get(story.url, HTTP_HOST="localhost")
    assert client.get(story.url, HTTP_HOST="www.example.com")["X-Page-Cache"] == "miss"
    assert client.get(story.url, HTTP_HOST="localhost", secure=True)["X-Page-Cache"] == "miss"


class TestWsgiFastPath:
    def call(self, app, path, **extra):
        from django.test import RequestFactory

        environ = RequestFactory().generic(extra.pop("method", "GET"), path, **extra).META
        captured = {}

        def start_response(status, headers):
            captured["status"], captured["headers"] = status, dict(headers)

        body = b"".join(app(environ, start_response))
        return captured["status"], captured["headers"], body

    def django_must_not_run(self, environ, start_response):
        raise AssertionError("the fast path should have answered")

    def test_fresh_copies_are_answered_without_django(self, client, story, django_assert_num_queries):
        stored = client.get(story.url)
        app = page_cache.CachedPageApplication(self.django_must_not_run)
        with django_assert_num_queries(0):
            status, headers, body = self.call(app, story.url)
        assert status == "200 OK"
        assert body == stored.content
        assert headers["X-Page-Cache"] == "hit"
        assert headers["Content-Length"] == str(len(body))
        assert headers["X-Content-Type-Options"] == "nosniff"  # the other middleware's headers are kept

    def test_head_and_304(self, client, story):
        etag = client.get(story.url)["ETag"]
        app = page_cache.CachedPageApplication(self.django_must_not_run)
        assert self.call(app, story.url, method="HEAD")[2] == b""
        status, _headers, body = self.call(app, story.url, HTTP_IF_NONE_MATCH=etag)
        assert (status, body) == ("304 Not Modified", b"")

    def test_misses_and_bypasses_go_to_django(self, client, story):
        calls = []

        def django(environ, start_response):
            calls.append(environ["PATH_INFO"])
            start_response("200 OK", [])
            return [b"django"]

        app = page_cache.CachedPageApplication(django)
        assert self.call(app, story.url)[2] == b"django"  # nothing stored yet
        client.get(story.url)
        assert self.call(app, story.url, HTTP_COOKIE="sessionid=abc")[2] == b"django"
        assert self.call(app, story.url, method="POST")[2] == b"django"
        assert len(calls) == 3

    def test_stale_copies_go_to_django(self, client, story):
        client.get(story.url)
        page_cache.purge_paths([story.url])

        def django(environ, start_response):
            start_response("200 OK", [])
            return [b"django"]

        app = page_cache.CachedPageApplication(django)
        assert self.call(app, story.url)[2] == b"django"
