"""The live desk in the admin: start coverage, post from the quick form, correct and delete with history, close."""

import pytest
from django.test import Client
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from newsdesk.live import services
from newsdesk.live.models import LiveCoverage, LiveEntry, LiveEntryChange

pytestmark = pytest.mark.django_db


def refused(response):
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with an error message.
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def form_data(blocks=None, **fields):
    """The compose form as the block editor posts it: one paragraph unless `blocks` says otherwise."""
    blocks = [("paragraph", rich_text("<p>Bridge closed</p>"))] if blocks is None else blocks
    return nested_form_data({"body": streamfield(blocks), "posted_at": "2026-03-02 09:15", **fields})


def raw(stream):
    """A stream's blocks as stored: (type, value) pairs."""
    return [(item["type"], item["value"]) for item in stream.raw_data]


def test_editor_turns_an_article_into_live_coverage(editor_client, story):
    response = editor_client.post(f"/admin/live/start/{story.pk}/", {"order": "oldest"})
    coverage = LiveCoverage.objects.get(article=story)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/live/{coverage.pk}/"
    assert coverage.is_open
    assert coverage.order == LiveCoverage.Order.OLDEST_FIRST


def test_article_header_offers_make_live_coverage(editor_client, story, soup):
    page = soup(editor_client.get(f"/admin/pages/{story.pk}/edit/"))
    assert page.select_one(f'a[href="/admin/live/start/{story.pk}/"]') is not None


def test_compose_form_has_a_label_for_every_field(editor_client, coverage, soup):
    page = soup(editor_client.get(f"/admin/live/{coverage.pk}/"))
    form = page.select_one("form.live-compose")
    for name in ("posted_at", "author", "pinned", "key_event"):
        assert form.select_one(f'label[for="id_{name}"]') is not None, name
    # The block editor labels each block itself; its field carries the "Text" label above it.
    body = form.select_one('[data-contentpath="body"]')
    assert body.find_previous("label").get_text(strip=True).startswith("Text")


def test_editor_posts_an_entry_from_the_quick_form(editor_client, coverage, editor):
    response = editor_client.post(f"/admin/live/{coverage.pk}/", form_data(key_event="on"))
    entry = LiveEntry.objects.get(coverage=coverage)
    assert response.status_code == 302
    assert (entry.text, entry.key_event, entry.pinned, entry.created_by) == ("Bridge closed", True, False, editor)
    assert ModelLogEntry.objects.filter(action="wagtail.create", object_id=str(entry.pk)).exists()


def test_embed_link_must_be_http_or_https(editor_client, coverage):
    embed = ("embed", {"url": "javascript:alert(1)", "title": "Click"})
    response = editor_client.post(f"/admin/live/{coverage.pk}/", form_data([embed]))
    assert response.status_code == 200
    assert not LiveEntry.objects.exists()


def test_writer_without_publish_rights_cannot_post(writer, coverage):
    client = Client()
    client.force_login(writer)
    refused(client.post(f"/admin/live/{coverage.pk}/", form_data()))
    assert not LiveEntry.objects.exists()


def test_writer_cannot_start_coverage(writer, story):
    client = Client()
    client.force_login(writer)
    refused(client.post(f"/admin/live/start/{story.pk}/", {"order": "newest"}))
    assert not LiveCoverage.objects.exists()


def test_anonymous_visitor_is_sent_to_log_in(client, coverage):
    response = client.post(f"/admin/live/{coverage.pk}/", form_data())
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_closed_coverage_takes_no_entries(editor_client, coverage, editor):
    editor_client.post(f"/admin/live/{coverage.pk}/close/")
    coverage.refresh_from_db()
    assert not coverage.is_open
    assert coverage.ended_at is not None
    editor_client.post(f"/admin/live/{coverage.pk}/", form_data())
    assert not LiveEntry.objects.exists()


def test_service_refuses_an_entry_on_closed_coverage(coverage, editor):
    services.coverage_close(coverage=coverage, user=editor)
    with pytest.raises(services.CoverageClosed):
        services.entry_post(coverage=coverage, user=editor, body="Too late")


def test_correction_keeps_the_previous_blocks_in_the_history(editor_client, post, editor, soup):
    entry = post([{"type": "heading", "value": "Bridge"}, {"type": "paragraph", "value": "<p>Closed on Monday</p>"}])
    corrected = [("heading", "Bridge"), ("paragraph", rich_text("<p>Closed on Tuesday</p>"))]
    editor_client.post(f"/admin/live/entries/{entry.pk}/", form_data(corrected))
    entry.refresh_from_db()
    change = LiveEntryChange.objects.get(entry=entry)
    assert entry.text == "Bridge\n\nClosed on Tuesday"
    assert (change.action, change.changed_by) == ("edited", editor)
    assert raw(change.previous_body) == [("heading", "Bridge"), ("paragraph", "<p>Closed on Monday</p>")]
    history = soup(editor_client.get(f"/admin/live/entries/{entry.pk}/")).select_one(".live-entry-history tbody")
    assert history.select_one("h3").get_text() == "Bridge"
    assert history.select_one("p").get_text() == "Closed on Monday"


def test_wagtail_log_keeps_the_previous_blocks(editor_client, post):
    entry = post("Closed on Monday")
    editor_client.post(f"/admin/live/entries/{entry.pk}/", form_data())
    (logged,) = ModelLogEntry.objects.filter(action="wagtail.edit", object_id=str(entry.pk))
    assert [(item["type"], item["value"]) for item in logged.data["previous_body"]] == [
        ("paragraph", "<p>Closed on Monday</p>")
    ]


def test_delete_is_soft_and_recorded(editor_client, post, editor):
    entry = post("Wrong name")
    editor_client.post(f"/admin/live/entries/{entry.pk}/delete/")
    entry.refresh_from_db()
    assert entry.deleted_at is not None
    assert LiveEntryChange.objects.get(entry=entry).action == "deleted"
    assert ModelLogEntry.objects.filter(action="wagtail.delete", object_id=str(entry.pk)).exists()


def test_delete_asks_first_on_get(editor_client, post):
    entry = post("Still here")
    editor_client.get(f"/admin/live/entries/{entry.pk}/delete/")
    entry.refresh_from_db()
    assert entry.deleted_at is None
