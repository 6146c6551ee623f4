import subprocess
import sys

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.views.defaults import server_error

from newsdesk.pages import views

pytestmark = pytest.mark.django_db


def test_health_reports_ok(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_health_reports_database_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_404_page_uses_the_site_design(client, sections, soup):
    response = client.get("/no/such/page/")
    page = soup(response)
    assert response.status_code == 404
    assert page.h1.get_text() == "Page not found"
    assert page.select_one(".site-header") is not None
    assert page.select_one("meta[name=robots]")["content"] == "noindex"


def test_500_page_renders_without_a_database(rf, django_assert_num_queries, soup):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert soup(response).h1.get_text() == "Something went wrong"


def test_an_exception_in_a_view_shows_the_500_page(sections, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.articles, "article_for_reader", explode)
    response = Client(raise_request_exception=False).get("/2025/01/01/anything/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"Traceback" not in response.content


def run_production(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "newsdesk.settings.production", **env},
        check=False,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_production({"ALLOWED_HOSTS": "news.example"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_production({"SECRET_KEY": "x" * 60}, "check")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_passes_the_deploy_check():
    result = run_production(
        {"SECRET_KEY": "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2, "ALLOWED_HOSTS": "news.example"},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr
    # Zero warnings, and none of them silenced (SILENCED_SYSTEM_CHECKS would pass --fail-level).
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_database_url_selects_postgresql(monkeypatch):
    import importlib

    import newsdesk.settings.base as base

    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@127.0.0.1:5432/newsdesk")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        reloaded = importlib.reload(base)
        assert reloaded.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
        assert reloaded.CACHES["default"]["BACKEND"] == "newsdesk.core.cache.ResilientRedisCache"
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_sqlite_uses_wal_and_immediate_transactions():
    from django.conf import settings

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
