"""Sending editions to a real SMTP server (aiosmtpd on a free port): the mail, batches, retries, a crash, the pace."""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.mail.backends.smtp import EmailBackend
from django.utils import timezone

from newsdesk.articles.models import ArticlePage
from newsdesk.newsletters import editions, sending
from newsdesk.newsletters.factories import subscriber_factory
from newsdesk.newsletters.models import Delivery, Edition, Newsletter, Subscriber

from .conftest import BASE_URL
from .smtp import SMTPSink

pytestmark = pytest.mark.django_db


def send(edition: Edition, **options: Any) -> sending.Outcome:
    sending.queue_edition(edition)
    return sending.deliver(edition.pk, **options)


def subscribe(newsletter: Newsletter, count: int) -> list[Subscriber]:
    return [subscriber_factory(f"reader{number}@example.org", newsletter) for number in range(count)]


def part(message: EmailMessage, content_type: str) -> str:
    found = [p for p in message.walk() if p.get_content_type() == content_type]
    assert len(found) == 1, [p.get_content_type() for p in message.walk()]
    return str(found[0].get_content())


def html_of(message: EmailMessage) -> BeautifulSoup:
    return BeautifulSoup(part(message, "text/html"), "html.parser")


def delivered(smtp_sink: SMTPSink, edition: Edition, address: str) -> EmailMessage:
    [message] = smtp_sink.to(address)
    return message


# The message itself


def test_an_edition_arrives_with_a_plain_text_and_an_html_part(smtp_sink, daily, edition):
    subscriber_factory("ana@example.org", daily)
    send(edition)
    message = delivered(smtp_sink, edition, "ana@example.org")
    assert message.get_content_type() == "multipart/alternative"
    assert "Council backs the tram line" in part(message, "text/plain")
    assert html_of(message).find("a", string="Council backs the tram line") is not None


def test_every_link_in_the_html_part_is_absolute(smtp_sink, daily, edition):
    subscriber_factory("ana@example.org", daily)
    send(edition)
    links = [str(a["href"]) for a in html_of(delivered(smtp_sink, edition, "ana@example.org")).find_all("a", href=True)]
    assert links
    assert all(link.startswith(f"{BASE_URL}/") for link in links), links


def test_the_plain_text_part_gives_absolute_story_and_unsubscribe_addresses(smtp_sink, daily, edition, stories):
    subscriber_factory("ana@example.org", daily)
    send(edition)
    text = part(delivered(smtp_sink, edition, "ana@example.org"), "text/plain")
    assert f"{BASE_URL}{stories[0].dated_path()}" in text
    assert f"{BASE_URL}/newsletters/unsubscribe/" in text


def test_list_unsubscribe_names_a_mailto_and_an_https_address(smtp_sink, daily, edition):
    subscriber_factory("ana@example.org", daily)
    send(edition)
    header = str(delivered(smtp_sink, edition, "ana@example.org")["List-Unsubscribe"])
    addresses = [entry.strip().strip("<>") for entry in header.split(",")]
    assert [address.split(":", 1)[0] for address in addresses] == ["mailto", "https"]
    assert addresses[1].startswith(f"{BASE_URL}/newsletters/unsubscribe/")


def test_one_click_unsubscribe_is_announced_as_rfc_8058_asks(smtp_sink, daily, edition):
    subscriber_factory("ana@example.org", daily)
    send(edition)
    assert delivered(smtp_sink, edition, "ana@example.org")["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_each_recipient_gets_a_link_of_their_own(smtp_sink, daily, edition):
    subscriber_factory("ana@example.org", daily)
    subscriber_factory("ben@example.org", daily)
    send(edition)
    ana, ben = (
        delivered(smtp_sink, edition, address)["List-Unsubscribe"] for address in ("ana@example.org", "ben@example.org")
    )
    assert ana != ben


def test_the_message_has_a_message_id_and_a_date(smtp_sink, daily, edition):
    subscriber_factory("ana@example.org", daily)
    send(edition)
    message = delivered(smtp_sink, edition, "ana@example.org")
    assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith("@news.example>")
    sent_at = message["Date"].datetime
    # "-0000" (Django's default, EMAIL_USE_LOCALTIME off) is UTC with no zone claimed: RFC 5322 §3.3.
    assert abs(sent_at.replace(tzinfo=sent_at.tzinfo or datetime.UTC) - timezone.now()) < datetime.timedelta(minutes=5)


def test_no_image_tracks_who_opened_the_mail(smtp_sink, daily, article_factory):
    article_factory(headline="Library opens on Sundays", with_image=True)
    edition = editions.build_edition(daily, newest_if_empty=True)
    assert edition is not None
    subscriber_factory("ana@example.org", daily)
    subscriber_factory("ben@example.org", daily)
    send(edition)
    images = {
        address: [img["src"] for img in html_of(delivered(smtp_sink, edition, address)).find_all("img")]
        for address in ("ana@example.org", "ben@example.org")
    }
    # The story's picture only, the same for every reader: nothing in an image address tells who opened it.
    assert len(images["ana@example.org"]) == 1
    assert images["ana@example.org"] == images["ben@example.org"]


def test_pictures_carry_their_size_and_a_text_alternative(smtp_sink, daily, article_factory):
    article_factory(headline="Library opens on Sundays", with_image=True)
    edition = editions.build_edition(daily, newest_if_empty=True)
    assert edition is not None
    subscriber_factory("ana@example.org", daily)
    send(edition)
    [img] = html_of(delivered(smtp_sink, edition, "ana@example.org")).find_all("img")
    assert int(str(img["width"])) > 1 and int(str(img["height"])) > 1
    assert img["alt"]
    assert str(img["src"]).startswith(f"{BASE_URL}/")


def test_the_envelope_sender_is_the_newsletters_address(smtp_sink, daily, edition):
    subscriber_factory("ana@example.org", daily)
    send(edition)
    [received] = smtp_sink.messages
    assert received.mail_from == "briefing@newsdesk.example"
    assert received.message["From"].addresses[0].display_name == "Newsdesk Briefing"


# Batches and connections


def test_one_smtp_connection_carries_each_batch(smtp_sink, settings, daily, edition):
    settings.NEWSDESK_NEWSLETTER_BATCH_SIZE = 2
    subscribe(daily, 5)
    send(edition)
    assert smtp_sink.connections == 3
    assert sorted(Counter(received.connection for received in smtp_sink.messages).values()) == [1, 2, 2]


def test_only_confirmed_unsuppressed_subscribers_of_the_newsletter_are_sent_to(smtp_sink, daily, edition):
    subscriber_factory("ana@example.org", daily)
    Subscriber.objects.filter(pk=subscriber_factory("ben@example.org", daily).pk).update(suppressed_at=timezone.now())
    Subscriber.objects.create(email="cleo@example.org")  # never confirmed
    subscriber_factory("dan@example.org")  # confirmed, another newsletter's reader
    send(edition)
    assert [received.recipients for received in smtp_sink.messages] == [("ana@example.org",)]


def test_a_finished_send_marks_the_edition_sent(smtp_sink, daily, edition):
    subscribe(daily, 2)
    outcome = send(edition)
    edition.refresh_from_db()
    assert (outcome.sent, outcome.finished, edition.status) == (2, True, Edition.Status.SENT)


# Refusals


def test_a_temporary_refusal_puts_the_recipient_back_in_the_queue_for_later(smtp_sink, settings, daily, edition):
    settings.NEWSDESK_NEWSLETTER_RETRY_DELAYS = [60, 300]
    busy = subscriber_factory("busy@example.org", daily)
    subscriber_factory("ana@example.org", daily)
    smtp_sink.refuse("busy@example.org", "450 4.2.1 Mailbox busy, try again later")
    moment = timezone.now()
    outcome = send(edition, now=lambda: moment)
    row = Delivery.objects.get(subscriber=busy)
    assert (row.status, row.next_attempt_at, row.attempts) == (
        Delivery.Status.QUEUED,
        moment + datetime.timedelta(seconds=60),
        1,
    )
    assert outcome.again_at == moment + datetime.timedelta(seconds=60)
    assert [received.recipients for received in smtp_sink.messages] == [("ana@example.org",)]


def test_a_temporarily_refused_recipient_is_not_tried_again_before_its_time(smtp_sink, daily, edition):
    subscriber_factory("busy@example.org", daily)
    smtp_sink.refuse("busy@example.org", "451 4.3.0 Try later")
    moment = timezone.now()
    send(edition, now=lambda: moment)
    smtp_sink.accept("busy@example.org")
    sending.deliver(edition.pk, now=lambda: moment + datetime.timedelta(seconds=30))
    assert smtp_sink.to("busy@example.org") == []


def test_a_temporarily_refused_recipient_gets_the_edition_on_the_next_try(smtp_sink, daily, edition):
    busy = subscriber_factory("busy@example.org", daily)
    smtp_sink.refuse("busy@example.org", "451 4.3.0 Try later")
    moment = timezone.now()
    send(edition, now=lambda: moment)
    smtp_sink.accept("busy@example.org")
    outcome = sending.deliver(edition.pk, now=lambda: moment + datetime.timedelta(hours=1))
    assert len(smtp_sink.to("busy@example.org")) == 1
    assert Delivery.objects.get(subscriber=busy).status == Delivery.Status.SENT
    assert outcome.finished


def test_a_permanent_refusal_fails_the_delivery_for_good(smtp_sink, daily, edition):
    refused = subscriber_factory("refused@example.org", daily)
    smtp_sink.refuse("refused@example.org", "554 5.7.1 Delivery not authorised")
    send(edition)
    row = Delivery.objects.get(subscriber=refused)
    assert row.status == Delivery.Status.FAILED
    assert "554" in row.error
    refused.refresh_from_db()
    assert refused.suppressed_at is None  # a policy refusal says nothing about the mailbox


def test_a_mailbox_the_server_says_does_not_exist_is_suppressed(smtp_sink, daily, edition):
    gone = subscriber_factory("gone@example.org", daily)
    smtp_sink.refuse("gone@example.org", "550 5.1.1 No such user here")
    send(edition)
    gone.refresh_from_db()
    assert Delivery.objects.get(subscriber=gone).status == Delivery.Status.FAILED
    assert gone.suppressed_at is not None


def test_a_refused_recipient_does_not_stop_the_batch(smtp_sink, daily, edition):
    subscriber_factory("a@example.org", daily)
    subscriber_factory("gone@example.org", daily)
    subscriber_factory("z@example.org", daily)
    smtp_sink.refuse("gone@example.org", "550 5.1.1 No such user here")
    send(edition)
    assert sorted(received.recipients[0] for received in smtp_sink.messages) == ["a@example.org", "z@example.org"]


# A crash in the middle of a send


class WorkerKilled(BaseException):
    """What the worker's process dying looks like from inside: nothing catches it."""


class CrashingBackend(EmailBackend):
    """Django's SMTP backend whose process "dies" right after the server accepted message number `crash_after`."""

    crash_after = 0
    accepted = 0

    def send_messages(self, email_messages: Any) -> int:
        sent = super().send_messages(email_messages)
        type(self).accepted += sent
        if type(self).accepted >= type(self).crash_after:
            raise WorkerKilled
        return sent


@pytest.fixture
def crash_after(settings: Any, smtp_sink: SMTPSink) -> Callable[[int], None]:
    def arm(count: int) -> None:
        CrashingBackend.crash_after, CrashingBackend.accepted = count, 0
        settings.EMAIL_BACKEND = f"{__name__}.CrashingBackend"

    return arm


def test_a_send_resumed_after_a_crash_mails_nobody_twice(smtp_sink, settings, crash_after, daily, edition):
    settings.NEWSDESK_NEWSLETTER_BATCH_SIZE = 3
    readers = subscribe(daily, 7)
    crash_after(4)
    sending.queue_edition(edition)
    with pytest.raises(WorkerKilled):
        sending.deliver(edition.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    later = timezone.now() + sending.CLAIM_LEASE + datetime.timedelta(minutes=1)
    sending.deliver(edition.pk, now=lambda: later)
    copies = Counter(received.recipients[0] for received in smtp_sink.messages)
    assert copies == {reader.email: 1 for reader in readers}


def test_the_row_caught_mid_send_is_marked_uncertain(smtp_sink, settings, crash_after, daily, edition):
    settings.NEWSDESK_NEWSLETTER_BATCH_SIZE = 3
    readers = subscribe(daily, 7)
    crash_after(4)
    sending.queue_edition(edition)
    with pytest.raises(WorkerKilled):
        sending.deliver(edition.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    later = timezone.now() + sending.CLAIM_LEASE + datetime.timedelta(minutes=1)
    outcome = sending.deliver(edition.pk, now=lambda: later)
    statuses = dict(Delivery.objects.values_list("subscriber__email", "status"))
    assert statuses.pop(readers[3].email) == Delivery.Status.UNCERTAIN
    assert set(statuses.values()) == {Delivery.Status.SENT}
    assert outcome.finished


def test_a_resume_before_the_lease_runs_out_leaves_the_claimed_row_alone(
    smtp_sink, settings, crash_after, daily, edition
):
    readers = subscribe(daily, 3)
    crash_after(2)
    sending.queue_edition(edition)
    with pytest.raises(WorkerKilled):
        sending.deliver(edition.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    outcome = sending.deliver(edition.pk)
    assert Delivery.objects.get(subscriber=readers[1]).status == Delivery.Status.SENDING
    assert Counter(received.recipients[0] for received in smtp_sink.messages)[readers[1].email] == 1
    assert not outcome.finished


# Bad input


def test_a_line_break_in_the_sender_name_is_refused(daily):
    daily.sender_name = "Briefing\r\nBcc: everyone@example.net"
    with pytest.raises(ValidationError) as refused:
        daily.full_clean()
    assert "sender_name" in refused.value.message_dict


def test_a_line_break_in_the_newsletter_name_is_refused(daily):
    daily.name = "Briefing\nX-Injected: yes"
    with pytest.raises(ValidationError) as refused:
        daily.full_clean()
    assert "name" in refused.value.message_dict


def test_an_injected_sender_name_stored_past_validation_reaches_no_mail_server(smtp_sink, daily, edition):
    # As an old import or a database edit could have stored it: Django's mail refuses the header itself.
    Newsletter.objects.filter(pk=daily.pk).update(sender_name="Briefing\r\nBcc: everyone@example.net")
    subscriber_factory("ana@example.org", daily)
    send(edition)
    assert smtp_sink.messages == []
    assert Delivery.objects.get().status != Delivery.Status.SENT


# Pace


class FakeTime:
    """A monotonic clock that only moves when something sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def test_the_pacer_spreads_messages_evenly_over_the_minute():
    fake = FakeTime()
    pacer = sending.Pacer(120, sleep=fake.sleep, clock=fake.clock)
    for _ in range(4):
        pacer.wait()
    assert fake.sleeps == [0.5, 0.5, 0.5]


def test_the_pacer_does_not_wait_when_sending_is_slower_than_the_rate():
    fake = FakeTime()
    pacer = sending.Pacer(60, sleep=fake.sleep, clock=fake.clock)
    pacer.wait()
    fake.now += 5
    pacer.wait()
    assert fake.sleeps == []


def test_a_rate_of_zero_never_waits():
    fake = FakeTime()
    pacer = sending.Pacer(0, sleep=fake.sleep, clock=fake.clock)
    for _ in range(5):
        pacer.wait()
    assert fake.sleeps == []


def test_sending_keeps_to_the_configured_rate_per_minute(smtp_sink, settings, monkeypatch, daily, edition):
    settings.NEWSDESK_NEWSLETTER_RATE_PER_MINUTE = 30
    fake = FakeTime()
    monkeypatch.setattr(sending, "Pacer", functools.partial(sending.Pacer, sleep=fake.sleep, clock=fake.clock))
    subscribe(daily, 3)
    send(edition)
    assert fake.sleeps == [2.0, 2.0]
    assert len(smtp_sink.messages) == 3


def test_stories_unpublished_since_drop_out_of_the_mail(smtp_sink, daily, edition, stories: list[ArticlePage]):
    stories[1].unpublish()
    subscriber_factory("ana@example.org", daily)
    send(edition)
    text = part(delivered(smtp_sink, edition, "ana@example.org"), "text/plain")
    assert stories[0].title in text
    assert stories[1].title not in text
