"""`manage.py send_newsletter SLUG`: newsroom scripts rely on its two lines of output and on what it queues."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from newsdesk.newsletters.factories import newsletter_factory, subscriber_factory
from newsdesk.newsletters.models import Delivery, Edition, Newsletter

from .conftest import BASE_URL

pytestmark = pytest.mark.django_db

MORNING = datetime.datetime(2026, 11, 30, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def morning(time_machine: Any, settings: Any) -> None:
    settings.TIME_ZONE = "UTC"
    settings.WAGTAILADMIN_BASE_URL = BASE_URL
    time_machine.move_to(MORNING, tick=False)


def run(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("send_newsletter", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def readers(daily: Newsletter) -> list[str]:
    addresses = ["ana@example.org", "ben@example.org", "cleo@example.org"]
    for address in addresses:
        subscriber_factory(address, daily)
    return addresses


def test_it_prints_the_editions_web_address(daily, readers, stories, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        lines = run("daily")
    assert lines[0] == f"Edition: {BASE_URL}/newsletters/daily/2026-11-30/"


def test_it_prints_how_many_recipients_were_queued(daily, readers, stories, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        lines = run("daily")
    assert lines[1] == "Recipients queued: 3"


def test_it_queues_one_delivery_per_recipient(daily, readers, stories, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        run("daily")
    edition = Edition.objects.get(newsletter=daily)
    assert edition.status == Edition.Status.SENDING
    assert sorted(Delivery.objects.filter(edition=edition).values_list("subscriber__email", "status")) == [
        (address, Delivery.Status.QUEUED) for address in readers
    ]


def test_it_hands_the_edition_to_the_worker(daily, readers, stories, smtp_sink, django_capture_on_commit_callbacks):
    # The test settings' immediate task backend runs the worker's job as soon as it is queued.
    with django_capture_on_commit_callbacks(execute=True):
        run("daily")
    assert sorted(received.recipients[0] for received in smtp_sink.messages) == readers


def test_other_newsletters_readers_are_not_queued(daily, readers, stories, django_capture_on_commit_callbacks):
    subscriber_factory("dan@example.org", newsletter_factory(slug="weekly"))
    with django_capture_on_commit_callbacks():
        lines = run("daily")
    assert lines[1] == "Recipients queued: 3"


def test_a_newsletter_without_readers_queues_nobody(daily, stories, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        lines = run("daily")
    assert lines[1] == "Recipients queued: 0"


def test_a_quiet_day_still_sends_the_newest_stories(daily, readers, stories, django_capture_on_commit_callbacks):
    daily.covered_until = MORNING
    daily.save(update_fields=["covered_until"])
    with django_capture_on_commit_callbacks():
        run("daily")
    assert Edition.objects.get(newsletter=daily).items.count() == 2


def test_an_unknown_slug_is_refused_naming_the_known_ones(daily, db):
    newsletter_factory(slug="weekly")
    with pytest.raises(CommandError) as refused:
        run("dialy")
    assert "'dialy'" in str(refused.value)
    assert "daily, weekly" in str(refused.value)


def test_an_unknown_slug_queues_nothing(daily, readers, stories):
    with pytest.raises(CommandError):
        run("dialy")
    assert not Edition.objects.exists()
    assert not Delivery.objects.exists()


def test_with_no_newsletter_at_all_the_refusal_says_so(db):
    with pytest.raises(CommandError, match="none yet"):
        run("daily")


def test_with_no_published_story_nothing_is_sent(daily, readers):
    with pytest.raises(CommandError, match="no published story"):
        run("daily")
    assert not Delivery.objects.exists()
