"""The live desk in the admin: start coverage, post from the quick form, correct and delete with history, close."""

import pytest
from django.test import Client
from wagtail.models import ModelLogEntry

from newsdesk.live import services
from newsdesk.live.models import LiveCoverage, LiveEntry, LiveEntryChange

pytestmark = pytest.mark.django_db


def refused(response):
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with an error message.
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def form_data(**fields):
    return {"body": "Bridge closed", "posted_at": "2026-03-02 09:15", "embed_url": "", **fields}


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
    for name in ("body", "posted_at", "author", "embed_url", "pinned", "key_event"):
        assert form.select_one(f'label[for="id_{name}"]') is not None, name


def test_editor_posts_an_entry_from_the_quick_form(editor_client, coverage, editor):
    response = editor_client.post(f"/admin/live/{coverage.pk}/", form_data(key_event="on"))
    entry = LiveEntry.objects.get(coverage=coverage)
    assert response.status_code == 302
    assert (entry.body, entry.key_event, entry.pinned, entry.created_by) == ("Bridge closed", True, False, editor)
    assert ModelLogEntry.objects.filter(action="wagtail.create", object_id=str(entry.pk)).exists()


def test_embed_link_must_be_http_or_https(editor_client, coverage):
    response = editor_client.post(f"/admin/live/{coverage.pk}/", form_data(embed_url="javascript:alert(1)"))
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


def test_correction_keeps_the_previous_text_in_the_history(editor_client, post, editor, soup):
    entry = post("Bridge closed on Monday")
    editor_client.post(f"/admin/live/entries/{entry.pk}/", form_data(body="Bridge closed on Tuesday"))
    entry.refresh_from_db()
    change = LiveEntryChange.objects.get(entry=entry)
    assert entry.body == "Bridge closed on Tuesday"
    assert (change.action, change.previous_body, change.changed_by) == ("edited", "Bridge closed on Monday", editor)
    history = soup(editor_client.get(f"/admin/live/entries/{entry.pk}/")).select_one(".live-entry-history tbody")
    assert "Bridge closed on Monday" in history.get_text()


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
