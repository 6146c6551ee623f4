"""Security headers on pages, feeds, the admin and cached copies (newsdesk/core/security.py)."""

import datetime
import subprocess
import sys
import zoneinfo
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse, HttpResponseBase
from django.test import Client, RequestFactory

from newsdesk.core import page_cache
from newsdesk.core.security import (
    ContentSecurityPolicyMiddleware,
    SecurityHeadersMiddleware,
    permissions_policy,
    resource_policy,
)

pytestmark = pytest.mark.django_db
# An HTML copy ends at local midnight: tests that expect a hit run from a fixed afternoon (still
# ticking, as a copy made at the instant of a purge counts as purged), never at 23:59:59.
AFTERNOON = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))

# Every response of the site carries these; the value each must have, or None for "any".
REQUIRED = {
    "Content-Security-Policy": None,
    "Permissions-Policy": None,
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def directives(response) -> dict[str, list[str]]:
    """A Content-Security-Policy header as {directive: [sources]} (CSP3 §2.2: ';'-separated)."""
    parsed = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.fixture
def story(article_factory):
    return article_factory(headline="Harbour bridge reopens")


@pytest.fixture
def pages(story):
    """A reader page, a feed and the admin's sign-in page."""
    return {"article": story.url, "feed": "/feeds/rss/", "admin login": "/admin/login/"}


@pytest.mark.parametrize("name", ["article", "feed", "admin login"])
@pytest.mark.parametrize("header", sorted(REQUIRED))
def test_every_kind_of_page_carries_the_header(client, pages, name, header):
    response = client.get(pages[name])
    assert response.status_code == 200
    assert response.has_header(header), f"{header} missing on {name}"
    if REQUIRED[header] is not None:
        assert response[header] == REQUIRED[header]


def test_reader_policy_allows_scripts_and_styles_from_files_only(client, story):
    policy = directives(client.get(story.url))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]


def test_reader_policy_has_no_nonce_a_cached_copy_would_repeat(client, story):
    header = client.get(story.url)["Content-Security-Policy"]
    assert "nonce-" not in header
    assert "unsafe-inline" not in header


@pytest.mark.parametrize(
    ("directive", "sources"),
    [
        ("frame-ancestors", ["'self'"]),
        ("object-src", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("form-action", ["'self'"]),
        ("img-src", ["'self'", "data:"]),
    ],
)
def test_reader_policy_directives(client, story, directive, sources):
    assert directives(client.get(story.url))[directive] == sources


def test_admin_policy_allows_the_admins_inline_scripts(client):
    policy = directives(client.get("/admin/login/"))
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_the_admin_dashboard_asks_no_third_party_for_new_releases(client, admin_user):
    client.force_login(admin_user)
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert b"w-upgrade" not in dashboard.content
    assert directives(dashboard)["connect-src"] == ["'self'"]


def test_the_admin_policy_stays_in_the_admin(client, story):
    assert "'unsafe-inline'" not in directives(client.get("/")).get("script-src", [])


def test_a_views_own_policy_is_kept():
    """The ad frame sets a sandbox policy of its own; the site's policy must not replace it."""

    def view(request):
        response = HttpResponse("ad")
        response["Content-Security-Policy"] = "sandbox allow-scripts"
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response

    chain = ContentSecurityPolicyMiddleware(SecurityHeadersMiddleware(view))
    response = chain(RequestFactory().get("/ads/1/frame/"))
    assert isinstance(response, HttpResponseBase)
    assert response["Content-Security-Policy"] == "sandbox allow-scripts"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_pictures_may_be_shown_by_other_sites():
    assert resource_policy("/media/images/harbour.width-800.jpg") == "cross-origin"


def test_everything_else_is_same_origin():
    assert resource_policy("/2025/01/01/story/") == "same-origin"
    assert resource_policy("/mediaeval/") == "same-origin"


def test_permissions_policy_syntax():
    assert permissions_policy({"camera": [], "fullscreen": ["self"]}) == "camera=(), fullscreen=(self)"


def test_permissions_policy_denies_camera_microphone_and_location(client, story):
    features = dict(item.split("=", 1) for item in client.get(story.url)["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "browsing-topics"):
        assert features[feature] == "()"


class TestCachedCopies:
    """The page cache stores a response with its headers: a hit must carry every one the render had."""

    @pytest.fixture(autouse=True)
    def page_cache_on(self, settings):
        settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": True}

    @staticmethod
    def fast_path(path, **extra):
        """The WSGI wrapper that `newsdesk.wsgi.application` uses, with Django forbidden to run."""

        def django(environ, start_response):
            raise AssertionError("the fast path should have answered")

        environ = RequestFactory().get(path, **extra).META
        captured = {}

        def start_response(status, headers):
            captured["headers"] = dict(headers)

        app: Any = page_cache.CachedPageApplication(django)  # a test double, not a typed WSGI server
        b"".join(app(environ, start_response))
        return captured["headers"]

    @pytest.mark.time_machine(AFTERNOON, tick=True)
    @pytest.mark.parametrize("header", sorted(REQUIRED))
    def test_miss_and_both_kinds_of_hit_carry_the_header(self, client, story, header):
        miss = client.get(story.url)
        hit = client.get(story.url)
        fast = self.fast_path(story.url)
        assert (miss["X-Page-Cache"], hit["X-Page-Cache"], fast["X-Page-Cache"]) == ("miss", "hit", "hit")
        assert miss[header] == hit[header] == fast[header]

    def test_hsts_rides_along_on_https_copies(self, client, story, settings):
        settings.SECURE_HSTS_SECONDS = 31536000
        settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
        settings.SECURE_HSTS_PRELOAD = True
        expected = "max-age=31536000; includeSubDomains; preload"
        miss = Client().get(story.url, secure=True)
        assert miss["Strict-Transport-Security"] == expected
        assert self.fast_path(story.url, secure=True)["Strict-Transport-Security"] == expected


def production_settings(*names: str, **env: str) -> list[str]:
    code = f"from django.conf import settings; print(*(getattr(settings, n) for n in {names!r}), sep='|')"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "newsdesk.settings.production",
            "SECRET_KEY": "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2,
            "ALLOWED_HOSTS": "news.example",
            **env,
        },
        check=True,
    )
    return result.stdout.strip().split("|")


HSTS = ("SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD")


def test_production_sends_hsts_for_a_year_with_subdomains_and_preload():
    assert production_settings(*HSTS) == ["31536000", "True", "True"]


def test_a_first_deploy_can_start_with_a_short_hsts():
    overrides = {"NEWSDESK_HSTS_SECONDS": "300", "NEWSDESK_HSTS_INCLUDE_SUBDOMAINS": "0", "NEWSDESK_HSTS_PRELOAD": "0"}
    assert production_settings(*HSTS, **overrides) == ["300", "False", "False"]


READER_PAGES = ["/", "/world/", "article", "/search/?q=harbour", "/no/such/page/"]


@pytest.mark.parametrize("page", READER_PAGES)
def test_reader_pages_hold_nothing_the_policy_would_block(client, story, soup, page):
    """Scripts and styles come from our files; JSON-LD is data (CSP3 §4.2.2 only governs executed scripts)."""
    html = soup(client.get(story.url if page == "article" else page))
    for script in html.find_all("script"):
        assert script.get("src", "").startswith("/") or script.get("type") == "application/ld+json", script
    assert not html.find_all("style")
    for element in html.find_all(True):
        assert "style" not in element.attrs, element
        assert not [name for name in element.attrs if name.lower().startswith("on")], element


@pytest.mark.parametrize("header", sorted(REQUIRED))
def test_the_database_down_page_carries_the_header(story, settings, header):
    """The page cache answers 503 in place of the failed render; the render's policies still apply."""
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": True, "WAIT_SECONDS": 0.05}

    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(refuse):
        response = Client(raise_request_exception=False).get(story.url)
    assert response.status_code == 503
    assert response[header] == Client().get(story.url)[header]
