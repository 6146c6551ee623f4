"""Editions in the admin: compose, preview, a test copy, send now, schedule, and the delivery counts."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsdesk.core.roles import EDITORS
from newsdesk.newsletters import sending, tasks
from newsdesk.newsletters.factories import newsletter_factory, subscriber_factory
from newsdesk.newsletters.models import Delivery, Edition, EditionItem

from .admin_helpers import compose_data, edition_url, messages_of, signed_in

pytestmark = pytest.mark.django_db

ADDRESS = "desk@newsdesk.example"


@pytest.fixture
def editor(sections) -> Client:
    return signed_in(EDITORS, email=ADDRESS)


@pytest.fixture
def readers(daily):
    return [subscriber_factory(f"reader{number}@example.org", daily) for number in range(3)]


def compose(editor: Client, daily, articles, **fields: str) -> Edition:
    response = editor.post(reverse("newsletter_editions:add"), compose_data(daily, articles, **fields))
    assert response.status_code == 302, response.content[:2000]
    return Edition.objects.get(subject=fields.get("subject", "Tonight's briefing"))


# --- Composing ------------------------------------------------------------------------


def test_an_editor_composes_an_edition_with_stories_in_order(editor, daily, stories):
    edition = compose(editor, daily, [stories[1], stories[0]])
    assert list(edition.items.order_by("sort_order").values_list("article_id", flat=True)) == [
        stories[1].pk,
        stories[0].pk,
    ]
    assert (edition.kind, edition.status, edition.intro) == ("manual", "draft", "Good evening.\n\nTwo stories tonight.")


def test_composing_leads_to_the_editions_page(editor, daily, stories):
    response = editor.post(reverse("newsletter_editions:add"), compose_data(daily, stories))
    assert response["Location"] == edition_url(Edition.objects.get())


def test_an_edition_without_stories_is_refused(editor, daily, soup):
    response = editor.post(reverse("newsletter_editions:add"), compose_data(daily, []))
    assert response.status_code == 200
    assert not Edition.objects.exists()


def test_the_same_story_twice_is_refused(editor, daily, stories, soup):
    response = editor.post(reverse("newsletter_editions:add"), compose_data(daily, [stories[0], stories[0]]))
    assert response.status_code == 200
    assert "This story is already in the edition." in soup(response).get_text()
    assert not Edition.objects.exists()


def test_a_subject_with_a_line_break_is_refused(editor, daily, stories):
    response = editor.post(
        reverse("newsletter_editions:add"), compose_data(daily, stories, subject="Hello\nBcc: all@example.org")
    )
    assert response.status_code == 200
    assert not Edition.objects.exists()


def test_compose_from_a_newsletters_page_chooses_that_newsletter(editor, daily, soup):
    page = soup(editor.get(reverse("newsletter_editions:add") + f"?newsletter={daily.pk}"))
    assert page.select_one("select[name=newsletter] option[selected]")["value"] == str(daily.pk)


def test_compose_ignores_a_newsletter_that_is_not_a_number(editor, daily, soup):
    assert editor.get(reverse("newsletter_editions:add") + "?newsletter=1%27").status_code == 200


def test_a_sent_edition_cannot_be_edited(editor, edition, stories):
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.SENT)
    response = editor.post(edition_url(edition, "edit"), compose_data(edition.newsletter, stories, subject="Changed"))
    assert response["Location"] == edition_url(edition)
    assert "This edition is sending or sent, so it can no longer be changed." in messages_of(response)
    edition.refresh_from_db()
    assert edition.subject != "Changed"


def test_a_sending_edition_offers_no_edit_button(editor, edition, soup):
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.SENDING)
    page = soup(editor.get(edition_url(edition)))
    assert not page.select(f'a[href="{edition_url(edition, "edit")}"]')


def test_a_sending_edition_cannot_be_deleted(editor, edition):
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.SENDING)
    editor.post(edition_url(edition, "delete"))
    assert Edition.objects.filter(pk=edition.pk).exists()


def test_a_draft_is_edited(editor, edition, stories):
    response = editor.post(edition_url(edition, "edit"), compose_data(edition.newsletter, stories[:1], subject="New"))
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.subject == "New"


# --- Preview --------------------------------------------------------------------------


def test_the_preview_shows_the_plain_text_with_every_story(editor, edition, stories, soup):
    page = soup(editor.get(edition_url(edition, "preview")))
    text = page.select_one(".edition-preview-text pre").get_text()
    assert all(story.title in text for story in stories)


def test_the_preview_frames_the_html_mail(editor, edition, soup):
    frame = soup(editor.get(edition_url(edition, "preview"))).select_one(".edition-preview-html iframe")
    assert frame["src"] == edition_url(edition, "preview_html")
    assert frame.has_attr("sandbox")
    assert frame["title"]


def test_the_framed_mail_holds_every_story_title(editor, edition, stories, soup):
    page = soup(editor.get(edition_url(edition, "preview_html")))
    links = [link.get_text(" ", strip=True) for link in page.select("a")]
    assert all(story.title in links for story in stories)


def test_the_framed_mail_runs_sandboxed_and_only_in_our_pages(editor, edition):
    response = editor.get(edition_url(edition, "preview_html"))
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox;")
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_preview_leaves_no_placeholder_for_the_unsubscribe_link(editor, edition):
    assert b"%%NEWSDESK" not in editor.get(edition_url(edition, "preview_html")).content


def test_the_preview_shows_a_hostile_title_as_text(editor, daily, hostile_story, soup):
    story = hostile_story('<script>alert("x")</script>')
    edition = Edition.objects.create(newsletter=daily, subject="Hostile")
    EditionItem.objects.create(edition=edition, article=story, sort_order=0)
    page = soup(editor.get(edition_url(edition, "preview_html")))
    assert page.select("script") == []
    assert '<script>alert("x")</script>' in page.get_text()


def test_the_editions_page_marks_an_unpublished_story(editor, edition, stories, soup):
    stories[0].unpublish()
    page = soup(editor.get(edition_url(edition)))
    marked = {
        item.contents[0].strip(): item.select_one(".edition-item__unpublished") is not None
        for item in page.select(".edition-item")
    }
    assert marked == {stories[0].title: True, stories[1].title: False}


# --- A test copy ----------------------------------------------------------------------


def test_a_test_copy_goes_to_the_editors_own_address(editor, edition, stories, mailoutbox):
    response = editor.post(edition_url(edition, "send_test"))
    assert response["Location"] == edition_url(edition)
    [message] = mailoutbox
    assert message.to == [ADDRESS]
    assert message.subject.startswith("[Test]")
    assert all(story.title in message.body for story in stories)


def test_a_test_copy_sends_nobody_else_anything(editor, edition, readers, mailoutbox):
    editor.post(edition_url(edition, "send_test"))
    assert [message.to for message in mailoutbox] == [[ADDRESS]]
    assert not Delivery.objects.exists()
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT


def test_a_test_copy_is_refused_without_an_address(sections, edition, mailoutbox):
    editor = signed_in(EDITORS, name="no-address")
    response = editor.post(edition_url(edition, "send_test"))
    assert mailoutbox == []
    assert messages_of(response) == [
        "Your account has no valid e-mail address for a test copy; add one in your account settings."
    ]


def test_a_test_copy_is_sent_by_post_only(editor, edition, mailoutbox):
    assert editor.get(edition_url(edition, "send_test")).status_code == 405
    assert mailoutbox == []


# --- Send now -------------------------------------------------------------------------


def test_send_now_asks_first_and_says_how_many_receive_it(editor, edition, readers, soup):
    page = soup(editor.get(edition_url(edition, "send")))
    assert "3 confirmed subscribers" in page.select_one(".edition-confirm-send p").get_text()
    assert not Delivery.objects.exists()


def test_the_editions_page_counts_only_who_would_receive_it(editor, edition, readers, soup):
    readers[0].suppressed_at = readers[0].confirmed_at
    readers[0].save()
    page = soup(editor.get(edition_url(edition)))
    assert page.select_one(".edition-recipients").get_text(strip=True) == "(2 subscribers would receive it now)"


def test_send_now_writes_a_delivery_for_every_subscriber(
    editor, edition, readers, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(edition_url(edition, "send"))
    assert response["Location"] == edition_url(edition)
    assert set(Delivery.objects.values_list("subscriber__email", flat=True)) == {r.email for r in readers}
    # The test settings' immediate task backend sends within the request.
    assert sorted(message.to[0] for message in mailoutbox) == sorted(r.email for r in readers)
    assert "Sending to 3 subscribers." in messages_of(response)


def test_send_now_a_second_time_is_refused_and_sends_nobody_twice(
    editor, edition, readers, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(edition_url(edition, "send"), follow=True)
        response = editor.post(edition_url(edition, "send"))
    assert messages_of(response) == ["This edition has already been sent."]
    assert len(mailoutbox) == 3
    assert Delivery.objects.count() == 3


def test_send_now_of_an_edition_without_stories_is_refused(editor, daily, readers, mailoutbox):
    empty = Edition.objects.create(newsletter=daily, subject="Empty")
    response = editor.post(edition_url(empty, "send"))
    assert messages_of(response) == ["This edition has no stories."]
    assert mailoutbox == []


def test_the_confirmation_of_a_sent_edition_sends_back_to_its_page(editor, edition):
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.SENT)
    assert editor.get(edition_url(edition, "send"))["Location"] == edition_url(edition)


# --- Schedule -------------------------------------------------------------------------


def test_schedule_sets_the_status_and_the_time(editor, edition, settings):
    settings.TIME_ZONE = "UTC"
    response = editor.post(edition_url(edition, "schedule"), {"scheduled_for": "2099-01-02 07:30"})
    assert response["Location"] == edition_url(edition)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SCHEDULED
    assert edition.scheduled_for == datetime.datetime(2099, 1, 2, 7, 30, tzinfo=datetime.UTC)


def test_schedule_in_the_past_is_refused(editor, edition):
    response = editor.post(edition_url(edition, "schedule"), {"scheduled_for": "2001-01-02 07:30"})
    assert messages_of(response) == ["Choose a time in the future, or use Send now."]
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT


def test_schedule_of_a_sent_edition_is_refused(editor, edition):
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.SENT)
    editor.post(edition_url(edition, "schedule"), {"scheduled_for": "2099-01-02 07:30"})
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT


def test_a_schedule_is_cancelled_back_to_a_draft(editor, edition):
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.SCHEDULED)
    editor.post(edition_url(edition, "unschedule"))
    edition.refresh_from_db()
    assert (edition.status, edition.scheduled_for) == (Edition.Status.DRAFT, None)


def test_a_scheduled_edition_is_started_by_the_worker_at_its_time(
    editor, edition, readers, time_machine, django_capture_on_commit_callbacks
):
    editor.post(edition_url(edition, "schedule"), {"scheduled_for": "2099-01-02 07:30"})
    time_machine.move_to(datetime.datetime(2099, 1, 3, tzinfo=datetime.UTC), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.newsletters_tick.call()
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT


# --- Counts ---------------------------------------------------------------------------


def sent_with_one_failure(edition, readers) -> None:
    sending.queue_edition(edition, now=timezone.now())
    Delivery.objects.filter(subscriber=readers[0]).update(status=Delivery.Status.SENT)
    Delivery.objects.filter(subscriber=readers[1]).update(status=Delivery.Status.FAILED)


def test_the_counts_endpoint_answers_json(editor, edition, readers):
    sent_with_one_failure(edition, readers)
    response = editor.get(edition_url(edition, "counts"))
    data = json.loads(response.content)
    assert data["status"] == "sending"
    assert data["counts"] == {"queued": 1, "sending": 0, "sent": 1, "failed": 1, "uncertain": 0}
    assert "no-store" in response["Cache-Control"]


def test_the_editions_page_shows_the_counts_without_script(editor, edition, readers, soup):
    sent_with_one_failure(edition, readers)
    page = soup(editor.get(edition_url(edition)))
    counts = {cell["data-count"]: cell.get_text(strip=True) for cell in page.select("[data-count]")}
    assert counts == {"queued": "1", "sending": "0", "sent": "1", "failed": "1", "uncertain": "0"}
    assert page.select_one("[data-newsletter-counts]")["data-newsletter-counts"] == edition_url(edition, "counts")


def test_the_editions_page_loads_its_counts_script_deferred(editor, edition, soup):
    scripts = soup(editor.get(edition_url(edition))).select("script[src*=edition-counts]")
    assert [script.has_attr("defer") for script in scripts] == [True]


def test_the_list_of_editions_shows_queued_sent_and_failed(editor, edition, readers, soup):
    sent_with_one_failure(edition, readers)
    page = soup(editor.get(reverse("newsletter_editions:index")))
    headings = [heading.get_text(" ", strip=True) for heading in page.select("thead th")]
    cells = [cell.get_text(" ", strip=True) for cell in page.select("tbody tr td")]
    assert [cells[headings.index(name)] for name in ("Queued", "Delivered", "Failed")] == ["1", "1", "1"]


def test_the_list_of_editions_filters_by_newsletter(editor, edition, soup):
    other = Edition.objects.create(newsletter=newsletter_factory(slug="evening"), subject="Evening edition")
    page = soup(editor.get(reverse("newsletter_editions:index") + f"?newsletter={edition.newsletter_id}"))
    subjects = [link.get_text(strip=True) for link in page.select("tbody tr td:first-child a")]
    assert edition.subject in subjects and other.subject not in subjects
