"""The admin home by role: who sees which desk panel, and what Wagtail's home no longer shows."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from .conftest import member, panel_of, submitted_by, titles

pytestmark = pytest.mark.django_db

EVERY_PANEL = [
    "awaiting-review",
    "my-drafts-in-review",
    "held-comments",
    "stale-lead",
    "ingest-errors",
    "scheduled",
    "published-today",
    "most-read",
]


def shown(page) -> list[str]:
    return [name for name in EVERY_PANEL if panel_of(page, name) is not None]


def test_an_editor_sees_every_desk_panel(sections, editor, dashboard):
    assert shown(dashboard(editor)) == EVERY_PANEL


def test_an_admin_sees_every_desk_panel(sections, chief, dashboard):
    assert shown(dashboard(chief)) == EVERY_PANEL


def test_a_superuser_sees_every_desk_panel(sections, dashboard):
    assert shown(dashboard(member("root", is_superuser=True))) == EVERY_PANEL


def test_a_writer_sees_only_her_drafts_in_review(sections, writer, dashboard):
    assert shown(dashboard(writer)) == ["my-drafts-in-review"]


def test_comment_moderation_shows_to_whoever_may_moderate(sections, writer, dashboard):
    writer.user_permissions.add(Permission.objects.get(content_type__app_label="comments", codename="change_comment"))
    assert "held-comments" in shown(dashboard(writer))


def test_ingest_errors_show_to_whoever_may_see_the_sources(sections, writer, dashboard):
    writer.user_permissions.add(Permission.objects.get(content_type__app_label="ingest", codename="view_source"))
    assert "ingest-errors" in shown(dashboard(writer))


def test_the_panels_come_in_the_desks_order_what_needs_acting_on_first(sections, editor, dashboard):
    page = dashboard(editor)
    order = [node["data-desk-panel"].removeprefix("desk-") for node in page.select("[data-desk-panel]")]
    assert order == EVERY_PANEL


def test_wagtails_unbounded_review_panels_are_replaced(sections, writer, editor, dashboard):
    submitted_by(writer, "Submitted story")
    page = dashboard(editor)
    assert page.select_one("#workflow-objects-to-moderate") is None
    assert page.select_one("#user-objects-in-workflow-moderation") is None
    assert titles(panel_of(page, "awaiting-review")) == ["Submitted story"]


def test_the_home_no_longer_counts_every_page(sections, editor, dashboard):
    page = dashboard(editor)
    assert page.select_one('a[href^="/admin/pages/"] .icon-doc-empty-inverse') is None
    assert not [item for item in page.select(".w-summary li") if "Pages" in item.get_text()]


def test_a_reader_is_sent_to_the_sign_in_page(sections, article_factory):
    article_factory(headline="Scheduled", published_at=timezone.now() + datetime.timedelta(hours=2))
    response = Client().get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_scheduled_story_shows_to_the_desk_on_the_dashboard(sections, editor, article_factory, dashboard):
    article_factory(headline="Tonight's story", published_at=timezone.now() + datetime.timedelta(hours=2))
    assert titles(panel_of(dashboard(editor), "scheduled")) == ["Tonight's story"]


def test_the_dashboard_loads_the_desks_stylesheet_once(sections, editor, dashboard):
    sheets = [link["href"] for link in dashboard(editor).select('link[rel="stylesheet"]')]
    assert len([href for href in sheets if str(href).endswith("desk/desk.css")]) == 1
