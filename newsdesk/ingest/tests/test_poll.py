"""Polling over real HTTP: conditional requests, back-off, claims, and sources that cannot be read."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from newsdesk.articles.models import ArticlePage
from newsdesk.ingest.models import Source
from newsdesk.ingest.services import SourceBusy, backoff, poll, poll_due
from newsdesk.weather.tests.fakes import FakeServer

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOON = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def rss(*titles: str) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>https://partner.example.org/{number}</link>"
        f"<guid>https://partner.example.org/{number}</guid><description>About {title}.</description>"
        "<pubDate>Mon, 30 Nov 2026 08:00:00 +0000</pubDate></item>"
        for number, title in enumerate(titles, start=1)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Partner</title>'
        f"<link>https://partner.example.org/</link><description>News</description>{items}</channel></rss>"
    ).encode()


class PartnerSite(FakeServer):
    """A partner's feed with an ETag: answers 304 to a request that carries it."""

    def __init__(self) -> None:
        super().__init__()
        self.body = rss("Harbour festival opens")
        self.status = 200
        self.etag = '"v1"'
        self.content_type = "application/rss+xml"
        self.redirect_to = ""

    def respond(self, path, query):
        return self.status, self.body

    def _handler_class(self):
        base = super()._handler_class()
        fake = self

        class Handler(base):  # type: ignore[misc, valid-type]
            def do_GET(self):
                from urllib.parse import urlsplit

                from newsdesk.weather.tests.fakes import Received

                fake.received.append(Received(urlsplit(self.path).path, {}, dict(self.headers)))
                if fake._stopping.wait(fake.delay):
                    return
                if fake.status == 200 and self.headers.get("If-None-Match") == fake.etag:
                    self.send_response(304)
                    self.send_header("ETag", fake.etag)
                    self.end_headers()
                    return
                self.send_response(fake.status)
                if fake.redirect_to:
                    self.send_header("Location", fake.redirect_to)
                self.send_header("Content-Type", fake.content_type)
                self.send_header("ETag", fake.etag)
                self.send_header("Content-Length", str(len(fake.body)))
                self.end_headers()
                self.wfile.write(fake.body)

        return Handler


@pytest.fixture
def partner(settings):
    with PartnerSite() as server:
        settings.NEWSDESK_HTTP_TRUSTED_HOSTS = ["127.0.0.1"]
        settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = [server.hostport]
        yield server


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOON, tick=False)
    return NOON


@pytest.fixture
def feed(partner, sections):
    return Source.objects.create(
        name="Partner",
        kind=Source.Kind.RSS,
        location=f"{partner.url}/rss",
        mode=Source.Mode.PUBLISH,
        default_section=sections["local"],
        interval_minutes=5,
    )


def test_a_poll_creates_the_feeds_stories(feed, now):
    result = poll(feed)
    assert [touched.action for touched in result.touched] == ["created"]
    assert ArticlePage.objects.filter(title="Harbour festival opens").exists()


def test_an_unchanged_feed_costs_one_304(feed, partner, now):
    poll(feed)
    feed.refresh_from_db()
    result = poll(feed)
    assert result.not_modified
    assert result.touched == []
    assert partner.received[-1].headers.get("If-None-Match") == '"v1"'


def test_a_second_poll_of_the_same_items_creates_nothing(feed, partner, now):
    poll(feed)
    partner.etag = '"v2"'  # the server cannot tell: the items decide
    result = poll(feed)
    assert [touched.action for touched in result.touched] == ["skipped"]
    assert ArticlePage.objects.filter(title="Harbour festival opens").count() == 1


def test_success_schedules_the_next_poll_at_the_interval(feed, now):
    poll(feed)
    feed.refresh_from_db()
    assert (feed.failures, feed.last_success_at, feed.next_poll_at) == (0, now, now + datetime.timedelta(minutes=5))
    assert (feed.items_seen, feed.items_created) == (1, 1)


def test_a_failing_source_backs_off_doubling_to_an_hour(feed, partner, now):
    partner.status = 500
    waits = []
    for _ in range(6):
        result = poll(feed)
        feed.refresh_from_db()
        waits.append(feed.next_poll_at - now)
        feed.next_poll_at = None
    assert result.error == "HTTP 500"
    assert [int(wait.total_seconds() // 60) for wait in waits] == [10, 20, 40, 60, 60, 60]
    assert feed.last_error == "HTTP 500"


def test_the_back_off_starts_over_after_a_success(feed, partner, now):
    partner.status = 500
    poll(feed)
    partner.status = 200
    poll(feed)
    feed.refresh_from_db()
    assert feed.failures == 0


def test_backoff_is_capped_at_an_hour():
    assert backoff(5, 1) == datetime.timedelta(minutes=10)
    assert backoff(45, 3) == datetime.timedelta(hours=1)


def test_a_source_being_polled_is_not_polled_twice(feed, now):
    Source.objects.filter(pk=feed.pk).update(polling_until=now + datetime.timedelta(minutes=5))
    with pytest.raises(SourceBusy):
        poll(feed)


def test_one_broken_source_never_stops_the_others(feed, sections, now, tmp_path):
    Source.objects.create(
        name="Gone", kind=Source.Kind.FOLDER, location=str(tmp_path / "missing"), default_section=sections["local"]
    )
    results = {result.source: result for result in poll_due()}
    assert "does not exist" in results["Gone"].error
    assert [touched.action for touched in results["Partner"].touched] == ["created"]


def test_an_html_page_is_not_a_feed(feed, partner, now):
    partner.body = b"<!DOCTYPE html><html><head><title>Oops</title></head><body><p>Not here</p></body></html>"
    partner.content_type = "text/html"
    result = poll(feed)
    assert result.error
    assert not ArticlePage.objects.filter(title="Oops").exists()


def test_a_response_over_the_size_cap_is_refused(feed, partner, now, settings):
    settings.NEWSDESK_INGEST_MAX_BYTES = 10_000
    partner.body = rss(*[f"Story {number}" for number in range(400)])
    assert "is over 10000" in poll(feed).error


def test_a_slow_server_times_out(feed, partner, now, settings):
    settings.NEWSDESK_INGEST_TIMEOUT = 0.5
    partner.delay = 5
    assert "timed out" in poll(feed).error


def test_a_feed_on_a_private_address_is_refused(feed, partner, now, settings):
    settings.NEWSDESK_HTTP_TRUSTED_HOSTS = []
    settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = []
    assert "not allowed" in poll(feed).error or "not a public address" in poll(feed).error
    assert partner.received == []


def test_disabled_sources_are_not_due(feed, now):
    feed.enabled = False
    feed.save()
    assert poll_due() == []


# --- The commands ------------------------------------------------------------------------------


def test_ingest_poll_prints_one_line_per_story_and_a_summary(feed, now):
    out = StringIO()
    call_command("ingest_poll", "Partner", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("created http")
    assert lines[-1] == "Partner: 1 stories: 1 created, 0 updated, 0 withdrawn, 0 skipped"


def test_ingest_poll_fails_only_when_the_source_cannot_be_read(feed, partner, now):
    partner.status = 503
    with pytest.raises(CommandError, match="could not be read: HTTP 503"):
        call_command("ingest_poll", "Partner", stdout=StringIO())


def test_ingest_source_adds_lists_and_disables(sections, tmp_path):
    out = StringIO()
    call_command(
        "ingest_source",
        "add",
        "Agency",
        "--kind",
        "folder",
        "--location",
        str(tmp_path),
        "--mode",
        "draft",
        "--section",
        "world",
        "--source-name",
        "Example Agency",
        "--interval",
        "2",
        stdout=out,
    )
    source = Source.objects.get(name="Agency")
    assert (source.kind, source.mode, source.default_section, source.interval_minutes) == (
        "folder",
        "draft",
        sections["world"],
        2,
    )
    call_command("ingest_source", "list", stdout=out)
    assert "Agency\tfolder\tdraft\ton" in out.getvalue()
    call_command("ingest_source", "disable", "Agency", stdout=out)
    source.refresh_from_db()
    assert not source.enabled


def test_ingest_source_refuses_bad_input_with_the_reason(sections):
    with pytest.raises(CommandError, match="location"):
        call_command(
            "ingest_source",
            "add",
            "Bad",
            "--kind",
            "rss",
            "--location",
            "ftp://x",
            "--mode",
            "draft",
            stdout=StringIO(),
        )
    with pytest.raises(CommandError, match="no section 'nowhere'"):
        call_command(
            "ingest_source",
            "add",
            "Bad",
            "--kind",
            "rss",
            "--location",
            "https://x.example/rss",
            "--mode",
            "draft",
            "--section",
            "nowhere",
            stdout=StringIO(),
        )
    with pytest.raises(CommandError, match="interval"):
        call_command(
            "ingest_source",
            "add",
            "Bad",
            "--kind",
            "rss",
            "--location",
            "https://x.example/rss",
            "--mode",
            "draft",
            "--interval",
            "0",
            stdout=StringIO(),
        )
    assert not Source.objects.exists()


def test_a_drop_folder_outside_the_allowed_roots_is_refused(sections, settings, tmp_path):
    settings.NEWSDESK_INGEST_FOLDER_ROOTS = [tmp_path / "drops"]
    source = Source(name="Sneaky", kind=Source.Kind.FOLDER, location=str(tmp_path / "drops" / ".." / "elsewhere"))
    with pytest.raises(ValidationError, match="must lie under"):
        source.full_clean()


def test_a_drop_folder_moved_out_of_the_roots_is_not_read(sections, settings, tmp_path, now):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "keep.xml").write_text("<x/>")
    source = Source.objects.create(
        name="Sneaky", kind=Source.Kind.FOLDER, location=str(outside), default_section=sections["local"]
    )
    settings.NEWSDESK_INGEST_FOLDER_ROOTS = [tmp_path / "drops"]
    assert "not under an allowed drop-folder root" in poll(source).error
    assert (outside / "keep.xml").exists()


def test_a_redirect_to_a_private_address_is_not_followed(feed, partner, now):
    partner.status = 302
    partner.redirect_to = "http://10.1.2.3/feed"
    result = poll(feed)
    assert "not a public address" in result.error
    assert [request.path for request in partner.received] == ["/rss"]


def test_what_the_parser_cleaned_is_in_the_sources_log(feed, partner, now):
    partner.body = partner.body.replace(
        b"<pubDate>Mon, 30 Nov 2026 08:00:00 +0000</pubDate>", b"<pubDate>soon</pubDate>"
    )
    poll(feed)
    assert feed.log.filter(level="warning", message__contains="https://partner.example.org/1").exists()
