import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from newsdesk.newsletters import services, tokens
from newsdesk.newsletters.factories import newsletter_factory, subscriber_factory
from newsdesk.newsletters.models import Newsletter, Subscriber, Subscription

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)


@pytest.fixture
def daily():
    return newsletter_factory(slug="daily")


def test_a_sign_up_sends_a_confirmation_and_stores_nothing(daily, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_signup("reader@example.org", [daily], client="10.0.0.1", source="test")
    assert Subscriber.objects.count() == 0
    assert [message.to for message in mail.outbox] == [["reader@example.org"]]
    assert daily.name in mail.outbox[0].body


def test_a_known_address_gets_the_same_treatment(daily, django_capture_on_commit_callbacks):
    subscriber_factory("known@example.org", daily)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_signup("known@example.org", [daily], client="10.0.0.1", source="test")
    assert len(mail.outbox) == 1
    assert Subscription.objects.filter(subscriber__email="known@example.org").count() == 1


@pytest.mark.parametrize(
    "address",
    ["not-an-address", "a" * 10_000 + "@example.org", "reader@example.org\nBcc: victim@example.org", ""],
)
def test_a_bad_address_is_refused_and_nothing_is_sent(daily, address, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.SignUpRefused) as refused:
        services.request_signup(address, [daily], client="10.0.0.1", source="test")
    assert refused.value.field == "email"
    assert mail.outbox == []


def test_a_newsletter_that_is_not_public_cannot_be_chosen(daily):
    hidden = newsletter_factory(slug="staff-only", public=False)
    with pytest.raises(services.SignUpRefused) as refused:
        services.request_signup("reader@example.org", [hidden], client=None, source="test")
    assert refused.value.field == "newsletters"


def test_too_many_sign_ups_for_one_address_are_refused(daily, settings):
    settings.NEWSDESK_NEWSLETTER_SIGNUPS_PER_ADDRESS = 2
    for client in ("10.0.0.1", "10.0.0.2"):
        services.request_signup("Reader@Example.org", [daily], client=client, source="test")
    with pytest.raises(services.SignUpRefused) as refused:
        services.request_signup("reader@example.org", [daily], client="10.0.0.3", source="test")
    assert refused.value.status == 429


def test_too_many_sign_ups_from_one_client_are_refused(daily, settings):
    settings.NEWSDESK_NEWSLETTER_SIGNUPS_PER_CLIENT = 2
    services.request_signup("one@example.org", [daily], client="10.0.0.1", source="test")
    services.request_signup("two@example.org", [daily], client="10.0.0.1", source="test")
    with pytest.raises(services.SignUpRefused) as refused:
        services.request_signup("three@example.org", [daily], client="10.0.0.1", source="test")
    assert refused.value.status == 429


def test_following_the_link_confirms_the_address_and_its_newsletters(daily):
    weekly = newsletter_factory(slug="weekly", cadence="weekly")
    token = tokens.confirmation_token("reader@example.org", [daily.pk, weekly.pk], "sign-up form on /")
    subscriber = services.confirm(token, now=NOON)
    assert subscriber.confirmed_at == NOON
    assert subscriber.consent_source == "sign-up form on /"
    assert set(subscriber.newsletters.values_list("slug", flat=True)) == {"daily", "weekly"}


def test_following_the_link_twice_changes_nothing(daily):
    token = tokens.confirmation_token("reader@example.org", [daily.pk], "test")
    services.confirm(token, now=NOON)
    again = services.confirm(token, now=NOON + datetime.timedelta(hours=1))
    assert again.confirmed_at == NOON
    assert Subscriber.objects.count() == 1
    assert Subscription.objects.count() == 1


def test_an_address_differing_only_in_case_is_the_same_subscriber(daily):
    subscriber_factory("Reader@Example.org", daily)
    services.confirm(tokens.confirmation_token("reader@example.org", [daily.pk], "test"))
    assert Subscriber.objects.count() == 1


def test_confirming_anew_lifts_a_suppression(daily):
    subscriber = subscriber_factory("bounced@example.org", daily)
    services.subscribers.suppress("bounced@example.org", "hard bounce")
    services.confirm(tokens.confirmation_token("bounced@example.org", [daily.pk], "test"))
    subscriber.refresh_from_db()
    assert subscriber.suppressed_at is None
    assert subscriber.receives_mail


def test_suppressing_an_unknown_address_records_it_unconfirmed(daily):
    suppressed = services.subscribers.suppress("stranger@example.org", "complaint")
    assert suppressed is not None
    assert suppressed.confirmed_at is None
    assert not suppressed.receives_mail


def test_the_one_click_link_unsubscribes_from_that_newsletter_only(daily):
    weekly = newsletter_factory(slug="weekly", cadence="weekly")
    subscriber = subscriber_factory("reader@example.org", daily, weekly)
    services.unsubscribe_by_token(services.unsubscribe_token(subscriber, daily))
    assert list(subscriber.newsletters.values_list("slug", flat=True)) == ["weekly"]


def test_erasing_the_address_voids_every_link_sent_to_it(daily):
    subscriber = subscriber_factory("reader@example.org", daily)
    manage, unsubscribe = services.manage_token(subscriber), services.unsubscribe_token(subscriber, daily)
    services.erase(subscriber)
    assert not Subscriber.objects.exists()
    with pytest.raises(tokens.BadLink):
        services.subscriber_from_manage_token(manage)
    with pytest.raises(tokens.BadLink):
        services.unsubscribe_by_token(unsubscribe)


def test_the_manage_page_choice_is_exactly_what_is_kept(daily):
    weekly = newsletter_factory(slug="weekly", cadence="weekly")
    alerts = newsletter_factory(slug="alerts", cadence="on_publish")
    subscriber = subscriber_factory("reader@example.org", daily, weekly)
    services.set_subscriptions(subscriber, [weekly, alerts])
    assert set(subscriber.newsletters.values_list("slug", flat=True)) == {"weekly", "alerts"}


def test_bulk_suppression_counts_and_lists_what_it_refused(daily):
    done, refused = services.suppress_many(["one@example.org", "", "not an address", " two@example.org "], "bounces")
    assert done == 2
    assert refused == ["not an address"]
    assert Subscriber.objects.filter(suppressed_at__isnull=False).count() == 2


@pytest.mark.parametrize("slug", ["signup", "Confirm", "manage", "unsubscribe"])
def test_a_slug_the_pages_use_is_refused(slug):
    newsletter = Newsletter(name="X", slug=slug, sender_name="Desk", sender_email="desk@example.org")
    with pytest.raises(ValidationError) as refused:
        newsletter.full_clean()
    assert "slug" in refused.value.message_dict
