"""Readers' privacy requests, handled by staff in the admin: export and erase by email address."""

import json
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User

from newsdesk.comments import services
from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment
from newsdesk.core.roles import EDITORS

pytestmark = pytest.mark.django_db

PRIVACY = "/admin/snippets/comments/comment/privacy/"


@pytest.fixture
def editor_client(client: Any) -> Any:
    editor = User.objects.create_user(username="editor", password="x")
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    return client


@pytest.fixture
def moderator_client(client: Any) -> Any:
    """May moderate comments (change) but not delete them."""
    moderator = User.objects.create_user(username="moderator", password="x")
    moderator.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="comments", codename="change_comment"),
    )
    client.force_login(moderator)
    return client


@pytest.fixture
def article(article_factory: Any) -> Any:
    return article_factory(headline="Council agrees the budget")


def messages_on(page: Any) -> list[str]:
    return [message.get_text(" ", strip=True) for message in page.select(".messages li")]


def test_listing_links_to_the_privacy_requests(editor_client, soup):
    page = soup(editor_client.get("/admin/snippets/comments/comment/"))
    assert page.select(f'a[href="{PRIVACY}"]')


def test_privacy_page_asks_for_an_email_address(editor_client, soup):
    form = soup(editor_client.get(PRIVACY)).select_one("form.privacy-request")
    assert form["method"] == "post"
    assert form.select_one("input[name=email]")["type"] == "email"
    assert sorted(button["value"] for button in form.select("button[name=action]")) == ["erase", "export"]


def test_export_is_a_json_attachment_of_exactly_that_addresses_comments(editor_client, article):
    mine = [
        CommentFactory.create(article=article, email="ann@example.org", body="First"),
        CommentFactory.create(article=article, email="Ann@Example.org", body="Second", status=Comment.Status.SPAM),
    ]
    CommentFactory.create(article=article, email="bob@example.org", body="Not hers")
    response = editor_client.post(PRIVACY, {"email": "ann@example.org", "action": "export"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "ann@example.org" not in response["Content-Disposition"]
    exported = json.loads(response.content)
    assert sorted(row["id"] for row in exported["comments"]) == sorted(comment.pk for comment in mine)
    assert {row["article"] for row in exported["comments"]} == {"Council agrees the budget"}


def test_erase_asks_for_confirmation_first(editor_client, article, soup):
    CommentFactory.create_batch(2, article=article, email="ann@example.org")
    page = soup(editor_client.post(PRIVACY, {"email": "ann@example.org", "action": "erase"}))
    assert Comment.objects.count() == 2
    confirm = page.select_one(".privacy-erase-confirm form")
    assert confirm.select_one("input[name=email]")["value"] == "ann@example.org"
    assert confirm.select_one("button[name=confirm]")["value"] == "yes"
    assert page.select_one(".privacy-erase-confirm p").get_text(" ", strip=True).startswith("2 comments")


def test_erase_confirmation_says_when_there_is_nothing_to_erase(editor_client, soup):
    page = soup(editor_client.post(PRIVACY, {"email": "nobody@example.org", "action": "erase"}))
    assert page.select_one(".privacy-erase-confirm__none") is not None
    assert page.select(".privacy-erase-confirm button[name=confirm]") == []


def test_erase_removes_that_addresses_comments_and_replies_and_keeps_others(editor_client, article, soup):
    hers = CommentFactory.create(article=article, email="ann@example.org")
    reply = CommentFactory.create(article=article, email="bob@example.org", parent=hers, depth=2)
    also_hers = CommentFactory.create(article=article, email="ANN@example.org", status=Comment.Status.PENDING)
    kept = CommentFactory.create(article=article, email="bob@example.org")
    data = {"email": "ann@example.org", "action": "erase", "confirm": "yes"}
    response = editor_client.post(PRIVACY, data, follow=True)
    assert list(Comment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not Comment.objects.filter(pk__in=[hers.pk, reply.pk, also_hers.pk]).exists()
    assert messages_on(soup(response)) == ["Erased 3 comments (written with ann@example.org, or replies to them)."]


def test_erase_count_leaves_out_the_spam_filters_records(editor_client, article, soup):
    hers = CommentFactory.create(article=article, email="ann@example.org", status=Comment.Status.PENDING)
    services.moderate(hers, Comment.Status.APPROVED)
    response = editor_client.post(
        PRIVACY, {"email": "ann@example.org", "action": "erase", "confirm": "yes"}, follow=True
    )
    assert messages_on(soup(response)) == ["Erased 1 comment (written with ann@example.org, or a reply to one)."]


def test_privacy_request_needs_a_valid_address(editor_client, article, soup):
    CommentFactory.create(article=article, email="ann@example.org")
    page = soup(editor_client.post(PRIVACY, {"email": "not an address", "action": "erase", "confirm": "yes"}))
    assert page.select_one(
        "form.privacy-request input[name=email][aria-invalid=true], form.privacy-request .error-message"
    )
    assert Comment.objects.count() == 1


def test_moderators_without_delete_permission_cannot_export_or_erase(moderator_client, article):
    CommentFactory.create(article=article, email="ann@example.org")
    export = moderator_client.post(PRIVACY, {"email": "ann@example.org", "action": "export"})
    erase = moderator_client.post(PRIVACY, {"email": "ann@example.org", "action": "erase", "confirm": "yes"})
    assert (export.status_code, export["Location"]) == (302, "/admin/")
    assert (erase.status_code, erase["Location"]) == (302, "/admin/")
    assert Comment.objects.count() == 1


def test_listing_hides_the_privacy_link_from_moderators_without_delete_permission(moderator_client, soup):
    page = soup(moderator_client.get("/admin/snippets/comments/comment/"))
    assert page.select(f'a[href="{PRIVACY}"]') == []
