"""Which changes become which events, with what in them, delivered to a real receiver after commit."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from newsdesk.api.representation import article_representation
from newsdesk.articles import corrections
from newsdesk.articles.models import ArticlePage
from newsdesk.comments.services import Submission, post_comment
from newsdesk.newsletters.factories import newsletter_factory, subscriber_factory
from newsdesk.newsletters.models import Edition, EditionItem
from newsdesk.newsletters.tasks import start_sending
from newsdesk.webhooks.models import Delivery, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the tests' transaction never commits), jobs included (immediate backend)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def events(receiver) -> list[str]:
    return [request.payload["event"] for request in receiver.received]


def test_publishing_an_article_sends_its_api_representation(webhook, receiver, article_factory, committed):
    with committed():
        article = article_factory(headline="The harbour reopens")
    [request] = receiver.received
    assert request.verified
    payload = request.payload
    assert payload["event"] == "article.published"
    assert payload["data"]["article"]["id"] == article.pk
    assert payload["data"]["article"]["headline"] == "The harbour reopens"
    assert payload["data"]["article"]["url"].endswith(article.dated_path())
    assert payload["data"]["article"] == article_representation(ArticlePage.objects.get(pk=article.pk))
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED


def test_publishing_a_live_article_again_is_an_update(webhook, receiver, article_factory, committed):
    article = article_factory()
    with committed():
        article.save_revision().publish()
    assert events(receiver) == ["article.updated"]


def test_a_draft_is_never_sent(webhook, receiver, article_factory, committed):
    article = article_factory()
    with committed():
        article.title = "A draft headline"
        article.save_revision()
    assert receiver.received == []


def test_a_publish_scheduled_for_later_is_not_sent_until_it_goes_live(webhook, receiver, article_factory, committed):
    with committed():
        article = article_factory(published_at=timezone.now() + datetime.timedelta(hours=2))
    assert not article.live and receiver.received == []


def test_an_article_behind_a_restriction_is_not_sent(webhook, receiver, article_factory, committed):
    article = article_factory()
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    with committed():
        article.save_revision().publish()
    assert receiver.received == []


def test_unpublishing_sends_only_the_id_and_former_address(webhook, receiver, article_factory, committed):
    article = article_factory()
    url = article.get_full_url()
    with committed():
        article.unpublish()
    [request] = receiver.received
    assert request.payload["event"] == "article.unpublished"
    assert request.payload["data"] == {"article": {"id": article.pk, "url": url}}


def test_deleting_a_live_article_is_one_deleted_event(webhook, receiver, article_factory, committed):
    article = article_factory()
    article_id, url = article.pk, article.get_full_url()
    with committed():
        ArticlePage.objects.get(pk=article_id).delete()
    assert events(receiver) == ["article.deleted"]
    assert receiver.received[0].payload["data"] == {"article": {"id": article_id, "url": url}}


def test_deleting_a_never_published_draft_sends_nothing(webhook, receiver, article_factory, committed):
    article = article_factory()
    article.unpublish()
    receiver.received.clear()
    with committed():
        ArticlePage.objects.get(pk=article.pk).delete()
    assert receiver.received == []


def test_a_webhook_gets_only_the_events_it_chose(make_webhook, receiver, article_factory, committed):
    make_webhook(receiver.url, events=[Event.ARTICLE_UNPUBLISHED], receiver=receiver)
    with committed():
        article = article_factory()
        article.unpublish()
    assert events(receiver) == ["article.unpublished"]


def test_an_inactive_webhook_gets_nothing(make_webhook, receiver, article_factory, committed):
    make_webhook(receiver.url, active=False, receiver=receiver)
    with committed():
        article_factory()
    assert receiver.received == [] and not Delivery.objects.exists()


def test_a_held_comment_is_sent_without_personal_data(webhook, receiver, article_factory, committed):
    article = article_factory()
    receiver.received.clear()
    submission = Submission(
        article=article, name="Greta M.", email="greta@example.org", website="", body="First!", ip_address="192.0.2.7"
    )
    with committed():
        comment, _ = post_comment(submission)
    [request] = receiver.received
    assert request.payload["event"] == "comment.held"
    data = request.payload["data"]
    assert data["comment"]["id"] == comment.pk and data["comment"]["status"] == "pending"
    assert data["comment"]["moderation_url"].endswith(f"/admin/snippets/comments/comment/edit/{comment.pk}/")
    assert data["article"]["id"] == article.pk
    for private in ("greta@example.org", "Greta M.", "192.0.2.7", "First!"):
        assert private not in request.body.decode()


def test_a_correction_is_sent_with_its_article(webhook, receiver, article_factory, committed):
    article = article_factory()
    receiver.received.clear()
    with committed():
        correction = corrections.correction_add(
            article=article, kind="correction", text="The bridge opened in 1911, not 1912.", significant=True, user=None
        )
    [request] = receiver.received
    assert request.payload["event"] == "correction.added"
    assert request.payload["data"]["correction"]["id"] == correction.pk
    assert request.payload["data"]["correction"]["text"] == "The bridge opened in 1911, not 1912."
    assert request.payload["data"]["article"]["id"] == article.pk


def test_a_sent_newsletter_edition_is_sent(webhook, receiver, article_factory, committed):
    story = article_factory()
    receiver.received.clear()
    daily = newsletter_factory(slug="daily")
    subscriber_factory("reader@example.org", daily)
    edition = Edition.objects.create(newsletter=daily, subject="Morning", web_key="2026-11-30")
    EditionItem.objects.create(edition=edition, article=story, sort_order=0)
    with committed():
        start_sending(edition)
    [request] = receiver.received
    assert request.payload["event"] == "newsletter.edition_sent"
    sent = request.payload["data"]["edition"]
    assert (sent["id"], sent["subject"], sent["newsletter"]["slug"]) == (edition.pk, "Morning", "daily")
    assert sent["url"].endswith("/newsletters/daily/2026-11-30/")
    edition.refresh_from_db()
    assert edition.finished_at is not None
    assert sent["sent_at"] == edition.finished_at.isoformat()


def test_a_failing_receiver_does_not_fail_the_publish(make_webhook, article_factory, committed, settings):
    settings.NEWSDESK_HTTP_TRUSTED_HOSTS = []
    make_webhook("http://10.0.0.5/hooks/")
    with committed():
        article = article_factory()
    assert article.live
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING and "not a public address" in delivery.error
