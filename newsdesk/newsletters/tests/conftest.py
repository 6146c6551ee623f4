"""Newsletter fixtures: a real SMTP server the mail goes to, a newsletter, and an edition of real stories."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from newsdesk.articles.models import ArticlePage
from newsdesk.newsletters import editions
from newsdesk.newsletters.factories import newsletter_factory
from newsdesk.newsletters.models import Edition, Newsletter

from .smtp import SMTPSink

BASE_URL = "https://news.example"


@pytest.fixture
def smtp_sink(settings: Any) -> Iterator[SMTPSink]:
    """aiosmtpd on a free port of 127.0.0.1, and Django's SMTP backend pointed at it."""
    sink = SMTPSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = sink.host
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    # Mail links point at the public site, over HTTPS as RFC 8058 asks of the one-click address.
    settings.WAGTAILADMIN_BASE_URL = BASE_URL
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture
def daily(db: None) -> Newsletter:
    return newsletter_factory(slug="daily")


@pytest.fixture
def stories(article_factory: Callable[..., ArticlePage]) -> list[ArticlePage]:
    return [
        article_factory(headline="Council backs the tram line", section="local"),
        article_factory(headline="Harbour ferry keeps its winter timetable", section="local"),
    ]


@pytest.fixture
def edition(daily: Newsletter, stories: list[ArticlePage]) -> Edition:
    """Today's edition of the daily newsletter with both stories, not yet queued."""
    made = editions.build_edition(daily, newest_if_empty=True)
    assert made is not None
    return made
