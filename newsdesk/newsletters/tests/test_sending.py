import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from newsdesk.newsletters import sending
from newsdesk.newsletters.factories import newsletter_factory, subscriber_factory
from newsdesk.newsletters.models import Delivery, Edition, EditionItem, Subscriber

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)
BACKEND = "newsdesk.newsletters.tests.test_sending.ScriptedBackend"


class Crash(BaseException):
    """A worker killed mid-send: not an Exception, so nothing in the loop records it."""


class ScriptedBackend(EmailBackend):
    """The locmem backend, refusing or crashing for the addresses a test names."""

    refuse: dict[str, tuple[int, bytes]] = {}
    crash_on: set[str] = set()
    opened = 0

    def open(self) -> bool:
        ScriptedBackend.opened += 1
        return True

    def send_messages(self, messages):
        for message in messages:
            address = message.to[0]
            if address in self.crash_on:
                raise Crash
            if address in self.refuse:
                raise smtplib.SMTPRecipientsRefused({address: self.refuse[address]})
        return super().send_messages(messages)


@pytest.fixture
def scripted(settings):
    settings.EMAIL_BACKEND = BACKEND
    ScriptedBackend.refuse, ScriptedBackend.crash_on, ScriptedBackend.opened = {}, set(), 0
    return ScriptedBackend


@pytest.fixture
def edition(article_factory):
    daily = newsletter_factory(slug="daily")
    story = article_factory(headline="The harbour reopens")
    edition = Edition.objects.create(newsletter=daily, subject="Morning", web_key="2026-11-30")
    EditionItem.objects.create(edition=edition, article=story, sort_order=0)
    return edition


def _subscribe(edition, *addresses):
    return [subscriber_factory(address, edition.newsletter) for address in addresses]


def _statuses(edition) -> dict[str, str]:
    return dict(Delivery.objects.filter(edition=edition).values_list("subscriber__email", "status"))


def test_queuing_records_every_confirmed_unsuppressed_subscriber(edition):
    _subscribe(edition, "one@example.org", "two@example.org")
    Subscriber.objects.create(email="pending@example.org")  # never confirmed
    suppressed = subscriber_factory("gone@example.org", edition.newsletter)
    suppressed.suppressed_at = NOON
    suppressed.save()
    assert sending.queue_edition(edition, now=NOON) == 2
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENDING
    assert set(_statuses(edition)) == {"one@example.org", "two@example.org"}


def test_an_edition_is_queued_once(edition):
    _subscribe(edition, "one@example.org")
    sending.queue_edition(edition, now=NOON)
    with pytest.raises(sending.EditionNotReady):
        sending.queue_edition(edition, now=NOON)
    assert Delivery.objects.count() == 1


def test_an_edition_without_stories_is_not_sent(edition):
    edition.items.all().delete()
    with pytest.raises(sending.EditionNotReady):
        sending.queue_edition(edition, now=NOON)


def test_delivering_sends_each_recipient_one_copy_and_finishes(edition, scripted):
    _subscribe(edition, "one@example.org", "two@example.org", "three@example.org")
    sending.queue_edition(edition, now=NOON)
    outcome = sending.deliver(edition.pk)
    assert outcome.sent == 3 and outcome.finished
    assert sorted(message.to[0] for message in mail.outbox) == [
        "one@example.org",
        "three@example.org",
        "two@example.org",
    ]
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT
    assert sending.counts(edition)["sent"] == 3


def test_one_connection_serves_a_whole_batch(edition, scripted, settings):
    settings.NEWSDESK_NEWSLETTER_BATCH_SIZE = 2
    _subscribe(edition, "a@example.org", "b@example.org", "c@example.org", "d@example.org")
    sending.queue_edition(edition, now=NOON)
    sending.deliver(edition.pk)
    assert scripted.opened == 2


def test_someone_who_unsubscribed_after_queuing_gets_nothing(edition, scripted):
    _one, two = _subscribe(edition, "one@example.org", "two@example.org")
    sending.queue_edition(edition, now=NOON)
    two.subscriptions.all().delete()
    outcome = sending.deliver(edition.pk)
    assert [message.to for message in mail.outbox] == [["one@example.org"]]
    assert outcome.skipped == 1
    assert _statuses(edition)["two@example.org"] == Delivery.Status.FAILED


def test_a_temporary_refusal_is_tried_again_later(edition, scripted, settings):
    settings.NEWSDESK_NEWSLETTER_RETRY_DELAYS = [60, 300]
    _subscribe(edition, "busy@example.org", "fine@example.org")
    scripted.refuse = {"busy@example.org": (451, b"try again later")}
    sending.queue_edition(edition, now=NOON)
    outcome = sending.deliver(edition.pk, now=lambda: NOON)
    row = Delivery.objects.get(subscriber__email="busy@example.org")
    assert (row.status, row.next_attempt_at) == (Delivery.Status.QUEUED, NOON + datetime.timedelta(seconds=60))
    assert outcome.again_at == NOON + datetime.timedelta(seconds=60)
    scripted.refuse = {}
    later = sending.deliver(edition.pk, now=lambda: NOON + datetime.timedelta(seconds=61))
    assert later.sent == 1 and later.finished
    assert sorted(message.to[0] for message in mail.outbox) == ["busy@example.org", "fine@example.org"]


def test_a_refusal_that_never_clears_fails_after_the_last_pause(edition, scripted, settings):
    settings.NEWSDESK_NEWSLETTER_RETRY_DELAYS = [60]
    _subscribe(edition, "busy@example.org")
    scripted.refuse = {"busy@example.org": (451, b"try again later")}
    sending.queue_edition(edition, now=NOON)
    sending.deliver(edition.pk, now=lambda: NOON)
    sending.deliver(edition.pk, now=lambda: NOON + datetime.timedelta(seconds=61))
    row = Delivery.objects.get()
    assert (row.status, row.attempts) == (Delivery.Status.FAILED, 2)
    assert "451" in row.error


def test_a_mailbox_that_does_not_exist_fails_at_once_and_is_suppressed(edition, scripted):
    (gone,) = _subscribe(edition, "nobody@example.org")
    scripted.refuse = {"nobody@example.org": (550, b"no such user")}
    sending.queue_edition(edition, now=NOON)
    outcome = sending.deliver(edition.pk)
    assert outcome.failed == 1 and outcome.finished
    gone.refresh_from_db()
    assert gone.suppressed_at is not None


def test_a_crash_mid_send_sends_nobody_twice(edition, scripted):
    _subscribe(edition, "a@example.org", "b@example.org", "c@example.org", "d@example.org")
    sending.queue_edition(edition, now=NOON)
    scripted.crash_on = {"b@example.org"}
    with pytest.raises(Crash):
        sending.deliver(edition.pk, now=lambda: NOON)
    assert [message.to[0] for message in mail.outbox] == ["a@example.org"]
    scripted.crash_on = set()
    # The worker is restarted later; the row caught mid-send may have reached the server.
    resumed = sending.deliver(edition.pk, now=lambda: NOON + sending.CLAIM_LEASE + datetime.timedelta(seconds=1))
    assert resumed.finished
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "c@example.org", "d@example.org"]
    assert _statuses(edition)["b@example.org"] == Delivery.Status.UNCERTAIN


def test_a_row_being_sent_by_a_live_worker_is_left_alone(edition, scripted):
    _subscribe(edition, "a@example.org")
    sending.queue_edition(edition, now=NOON)
    Delivery.objects.update(status=Delivery.Status.SENDING, claimed_at=NOON)
    assert sending.mark_interrupted(edition, now=NOON + datetime.timedelta(seconds=30)) == 0


def test_the_time_budget_hands_over_to_the_next_run(edition, scripted, settings):
    settings.NEWSDESK_NEWSLETTER_BATCH_SIZE = 1
    _subscribe(edition, "a@example.org", "b@example.org")
    sending.queue_edition(edition, now=NOON)
    ticks = iter([0.0, 0.0, 10.0, 10.0])
    outcome = sending.deliver(edition.pk, budget_seconds=5, clock=lambda: next(ticks), now=lambda: NOON)
    assert (outcome.sent, outcome.finished, outcome.again_at) == (1, False, NOON)


def test_a_stalled_edition_is_found_for_resuming(edition):
    _subscribe(edition, "a@example.org")
    sending.queue_edition(edition, now=NOON)
    assert sending.stalled_editions(now=NOON + datetime.timedelta(minutes=1)) == []
    assert sending.stalled_editions(now=NOON + sending.STALLED_AFTER + datetime.timedelta(seconds=1)) == [edition]


def test_the_pacer_spreads_messages_over_the_minute():
    slept: list[float] = []
    moment = [100.0]

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        moment[0] += seconds

    pacer = sending.Pacer(per_minute=120, sleep=sleep, clock=lambda: moment[0])
    for _ in range(3):
        pacer.wait()
    assert slept == [0.5, 0.5]


def test_no_rate_means_no_pause():
    pacer = sending.Pacer(per_minute=0, sleep=lambda seconds: pytest.fail("slept"))
    pacer.wait()
    pacer.wait()


def test_a_message_that_cannot_be_built_fails_at_once(edition, scripted, settings):
    settings.NEWSDESK_NEWSLETTER_RETRY_DELAYS = [60, 300]
    _subscribe(edition, "reader@example.org")
    sending.queue_edition(edition, now=NOON)
    # A sender name with a line break, written past the model's validation.
    type(edition.newsletter).objects.filter(pk=edition.newsletter_id).update(sender_name="Desk\nBcc: all@example.org")
    outcome = sending.deliver(edition.pk)
    assert (outcome.failed, outcome.retrying, outcome.finished) == (1, 0, True)
    assert mail.outbox == []


def test_a_finished_send_refreshes_the_edition_page_and_the_archive(edition, scripted, monkeypatch):
    purged: list[list[str]] = []
    monkeypatch.setattr(sending.page_cache, "purge_paths", lambda paths, **kwargs: purged.append(list(paths)))
    _subscribe(edition, "a@example.org")
    sending.queue_edition(edition, now=NOON)
    sending.deliver(edition.pk)
    assert purged == [["/newsletters/daily/", "/newsletters/daily/2026-11-30/"]]
