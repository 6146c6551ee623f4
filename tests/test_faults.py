"""Faults degrade, never fail: Redis down or restarting, a full counter spool, a refusing SMTP server.

Each test breaks a real part (a redis-server of its own that it stops and starts, a spool file
that is /dev/full, an SMTP server on 127.0.0.1 that refuses) and checks what readers and the
newsroom see. docs/deploy.md ("Faults") writes down the same behaviour. The database being down
is covered in newsdesk/core/tests/test_page_cache_database_down.py.
"""

import datetime
import logging
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import time_machine
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings
from django.test.signals import template_rendered
from django_tasks_db.models import DBTaskResult

from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment
from newsdesk.comments.tasks import notify_about_comment
from newsdesk.core.cache import ResilientRedisCache
from newsdesk.core.counters import counter_store
from newsdesk.core.models import FailedJob
from newsdesk.core.roles import EDITORS
from newsdesk.recommendations.models import ArticleViews
from newsdesk.recommendations.services import VIEWS, flush_view_counts

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """A redis-server of this test's own, to stop and start at will."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is needed (Debian package redis-server)"
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        for _ in range(200):  # waits for the server to listen, up to 10 s, not a timing assumption
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def site_on_redis(redis_server: RedisServer, settings: Any, tmp_path: Path) -> Iterator[RedisServer]:
    """Cache, page cache and counters on the test's own Redis, as production with REDIS_URL."""
    prefix = f"faults-{uuid.uuid4().hex[:8]}"
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    config = {
        alias: {
            "BACKEND": "newsdesk.core.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": f"{prefix}-{alias}",
            "OPTIONS": options,
        }
        for alias in ("default", "renditions")
    } | {"kept": settings.CACHES["kept"]}
    # The "Redis unavailable" line is logged once per interval per process: start each test afresh.
    ResilientRedisCache._last_logged = float("-inf")
    settings.REDIS_URL = redis_server.url
    settings.NEWSDESK_COUNTERS_SPOOL_DIR = tmp_path / "spool"
    counter_store.cache_clear()
    with override_settings(CACHES=config):
        yield redis_server
    counter_store.cache_clear()


def count_view(client: Any, article: Any, address: str) -> int:
    response = client.post(f"/stats/views/{article.pk}/", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=address)
    return int(response.status_code)


@pytest.mark.django_db
def test_pages_are_served_while_redis_is_down(client, site_on_redis, article_factory, caplog):
    article = article_factory(headline="Harbour reopens")
    assert client.get(article.url).status_code == 200

    site_on_redis.stop()
    with caplog.at_level(logging.WARNING, logger="newsdesk.core.cache"):
        home, page, search = client.get("/"), client.get(article.url), client.get("/search/?q=harbour")

    assert (home.status_code, page.status_code, search.status_code) == (200, 200, 200)
    assert b"Harbour reopens" in page.content
    assert "Redis unavailable" in caplog.text


@pytest.mark.django_db
def test_a_page_is_served_when_redis_goes_away_in_the_middle_of_its_render(client, site_on_redis, article_factory):
    article = article_factory(headline="Storm warning")
    caches["default"].clear()
    caches["kept"].clear()  # this process's copies of kept parts too

    def stop_redis(**kwargs: object) -> None:
        site_on_redis.stop()

    # The page cache looked Redis up (a miss) before the first template renders; Redis then
    # goes away while the page is being rendered and stored.
    template_rendered.connect(stop_redis, dispatch_uid="stop-redis")
    try:
        response = client.get(article.url)
    finally:
        template_rendered.disconnect(dispatch_uid="stop-redis")

    assert site_on_redis.process is None
    assert response.status_code == 200
    assert b"Storm warning" in response.content


@pytest.mark.django_db
def test_views_counted_while_redis_restarts_are_not_lost(client, site_on_redis, article_factory):
    article = article_factory(headline="Council vote")
    assert count_view(client, article, "192.0.2.1") == 204
    site_on_redis.stop()
    assert count_view(client, article, "192.0.2.2") == 204
    assert count_view(client, article, "192.0.2.3") == 204
    assert list(Path(counter_store().fallback.directory).glob(f"{VIEWS}.log"))  # type: ignore[attr-defined]
    site_on_redis.start()  # a restart: memory empty, the first hit was never drained
    assert count_view(client, article, "192.0.2.4") == 204

    flush_view_counts()

    # The hit counted in Redis before its restart is gone with Redis's memory (no persistence
    # here); the two counted in the spool meanwhile and the one after the restart are kept.
    assert sum(ArticleViews.objects.filter(article=article).values_list("views", flat=True)) == 3


@pytest.mark.django_db
def test_a_full_counter_spool_drops_the_hit_and_still_answers(client, counter_spool, article_factory, caplog):
    article = article_factory(headline="Dry summer")
    counter_spool.mkdir(parents=True, exist_ok=True)
    (counter_spool / f"{VIEWS}.log").symlink_to("/dev/full")  # every write: ENOSPC, "No space left on device"

    with caplog.at_level(logging.ERROR, logger="newsdesk.core.counters"):
        status = count_view(client, article, "192.0.2.9")

    assert status == 204
    assert "not writable" in caplog.text
    assert "No space left on device" in caplog.text


class Mailbox:
    """An SMTP handler that refuses every recipient until told to accept."""

    def __init__(self) -> None:
        self.refusing = True
        self.delivered: list[Any] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusing:
            return "550 5.7.1 Relaying denied"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.delivered.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    yield mailbox
    controller.stop()


START = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db(transaction=True)
def test_mail_the_smtp_server_refuses_is_retried_and_delivered_later(smtp_server, settings, article_factory):
    settings.NEWSDESK_JOB_RETRY_DELAYS = [60, 300]
    editor = get_user_model().objects.create_user("desk", email="desk@example.org")
    editor.groups.add(Group.objects.get(name=EDITORS))
    article = article_factory(headline="Bridge closed")
    comment = CommentFactory.create(article=article, status=Comment.Status.PENDING)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        DBTaskResult.objects.all().delete()
        with time_machine.travel(START, tick=False):
            notify_about_comment.enqueue(comment.pk)
            call_command("run_worker", "--batch", "--no-scheduler", verbosity=0)
        failed = FailedJob.objects.get(task_path="newsdesk.comments.tasks.notify_about_comment")
        assert (failed.attempts, failed.parked) == (1, False)
        assert "Relaying denied" in failed.traceback
        assert smtp_server.delivered == []

        smtp_server.refusing = False
        with time_machine.travel(START + datetime.timedelta(seconds=60), tick=False):
            call_command("run_worker", "--batch", "--no-scheduler", verbosity=0)

    assert [envelope.rcpt_tos for envelope in smtp_server.delivered] == [["desk@example.org"]]
    assert not FailedJob.objects.exists()
