import datetime
import zoneinfo

import pytest
from django.core import mail

from newsdesk.newsletters import sending, tasks
from newsdesk.newsletters.factories import newsletter_factory, subscriber_factory
from newsdesk.newsletters.models import Delivery, Edition, EditionItem

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
SEVEN_AM = datetime.datetime(2026, 11, 30, 7, 0, tzinfo=BERLIN)


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    """One run of the worker's minute job; its sends start after its commits, as in the worker."""

    def run() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            tasks.newsletters_tick.call()

    return run


@pytest.fixture
def daily(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    newsletter = newsletter_factory(slug="daily", send_time=datetime.time(7, 0))
    newsletter.created_at = SEVEN_AM - datetime.timedelta(days=3)
    newsletter.covered_until = SEVEN_AM - datetime.timedelta(days=1)
    newsletter.save()
    subscriber_factory("reader@example.org", newsletter)
    return newsletter


def test_the_tick_builds_and_sends_a_due_edition(daily, article_factory, time_machine, tick):
    article_factory(headline="Overnight story", published_at=SEVEN_AM - datetime.timedelta(hours=5))
    time_machine.move_to(SEVEN_AM + datetime.timedelta(minutes=1), tick=False)
    tick()
    assert [message.to for message in mail.outbox] == [["reader@example.org"]]
    assert "Overnight story" in mail.outbox[0].body
    assert Edition.objects.get().status == Edition.Status.SENT


def test_the_tick_sends_no_empty_edition(daily, time_machine, tick):
    time_machine.move_to(SEVEN_AM + datetime.timedelta(minutes=1), tick=False)
    tick()
    assert mail.outbox == []
    assert not Edition.objects.exists()


def test_the_tick_sends_once_per_day(daily, article_factory, time_machine, tick):
    article_factory(headline="Overnight story", published_at=SEVEN_AM - datetime.timedelta(hours=5))
    time_machine.move_to(SEVEN_AM + datetime.timedelta(minutes=1), tick=False)
    tick()
    time_machine.move_to(SEVEN_AM + datetime.timedelta(minutes=2), tick=False)
    tick()
    assert len(mail.outbox) == 1


def test_the_tick_starts_a_scheduled_edition_at_its_time(daily, article_factory, time_machine, tick):
    story = article_factory(headline="Weekend reading", published_at=SEVEN_AM - datetime.timedelta(days=2))
    edition = Edition.objects.create(
        newsletter=daily, subject="Special", status=Edition.Status.SCHEDULED, scheduled_for=SEVEN_AM
    )
    EditionItem.objects.create(edition=edition, article=story)
    time_machine.move_to(SEVEN_AM - datetime.timedelta(minutes=1), tick=False)
    tick()
    assert not any(message.subject == "Special" for message in mail.outbox)
    time_machine.move_to(SEVEN_AM + datetime.timedelta(seconds=30), tick=False)
    tick()
    assert [message.subject for message in mail.outbox if message.subject == "Special"] == ["Special"]


def test_the_tick_resumes_a_send_whose_worker_died(daily, article_factory, time_machine, tick):
    story = article_factory(headline="Story", published_at=SEVEN_AM - datetime.timedelta(days=2))
    edition = Edition.objects.create(newsletter=daily, subject="Stalled", web_key="2026-11-29")
    EditionItem.objects.create(edition=edition, article=story)
    time_machine.move_to(SEVEN_AM - datetime.timedelta(hours=2), tick=False)
    sending.queue_edition(edition)  # queued, but the job never ran
    time_machine.move_to(SEVEN_AM - datetime.timedelta(hours=1), tick=False)
    tick()
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_publishing_a_breaking_story_sends_an_alert(article_factory, django_capture_on_commit_callbacks):
    alerts = newsletter_factory(slug="alerts", cadence="on_publish", breaking_tag="breaking")
    subscriber_factory("reader@example.org", alerts)
    with django_capture_on_commit_callbacks(execute=True):
        story = article_factory(headline="Bridge closed after crash", tags=["breaking"])
    assert [message.subject for message in mail.outbox] == ["Bridge closed after crash"]
    assert Edition.objects.get().items.get().article_id == story.pk


def test_a_test_copy_goes_only_to_the_editor(daily, article_factory):
    story = article_factory(headline="Story")
    edition = Edition.objects.create(newsletter=daily, subject="Draft")
    EditionItem.objects.create(edition=edition, article=story)
    assert tasks.send_test_copy.call(edition.pk, "editor@newsdesk.example") == 1
    assert [message.to for message in mail.outbox] == [["editor@newsdesk.example"]]
    assert not Delivery.objects.exists()
