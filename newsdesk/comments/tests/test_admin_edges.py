"""Moderation screens at their edges: refused replies, unclear privacy requests, bulk actions, settings."""

from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from wagtail.models import Site

from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment, CommentSettings
from newsdesk.core.roles import ADMINS, EDITORS, WRITERS

pytestmark = pytest.mark.django_db

LISTING = "/admin/snippets/comments/comment/"
PRIVACY = f"{LISTING}privacy/"


def login(client: Any, group: str) -> Any:
    user = User.objects.create_user(username=group.lower(), password="x", first_name=group)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


def refused(response: Any) -> bool:
    messages = [message.message.strip() for message in get_messages(response.wsgi_request)]
    return response.status_code == 302 and "Sorry, you do not have permission to access this area." in messages


def bulk_url(action: str, **params: str) -> str:
    return f"/admin/bulk/comments/comment/{action}/?" + "&".join(f"{key}={value}" for key, value in params.items())


def test_a_staff_reply_to_a_comment_taken_down_meanwhile_is_refused(client, story, soup):
    editors = login(client, EDITORS)
    parent = CommentFactory.create(article=story, status=Comment.Status.TRASH)
    response = editors.post(f"{LISTING}reply/{parent.pk}/", {"body": "Thanks, corrected."})
    assert response.status_code == 200
    page = soup(response)
    assert "The comment you are replying to is not there any more." in page.select_one("form.comment-reply").get_text()
    assert not Comment.objects.filter(parent=parent).exists()


def test_the_reply_page_of_a_missing_comment_is_not_found_for_editors(client, sections):
    assert login(client, EDITORS).get(f"{LISTING}reply/999999/").status_code == 404


def test_the_reply_page_tells_writers_nothing_about_which_comments_exist(client, sections):
    assert refused(login(client, WRITERS).get(f"{LISTING}reply/999999/"))


def test_moderating_a_missing_comment_is_not_found(client, sections):
    assert login(client, EDITORS).post(f"{LISTING}moderate/999999/approve/").status_code == 404


def test_a_privacy_request_without_an_action_asks_for_one(client, story, soup):
    editors = login(client, EDITORS)
    CommentFactory.create(article=story, email="ann@example.org")
    page = soup(editors.post(PRIVACY, {"email": "ann@example.org"}))
    assert "Choose whether to export or to erase." in page.select_one("form.privacy-request").get_text()
    assert Comment.objects.count() == 1


def test_erasing_without_the_yes_only_asks_again(client, story, soup):
    editors = login(client, EDITORS)
    CommentFactory.create(article=story, email="ann@example.org")
    page = soup(editors.post(PRIVACY, {"email": "ann@example.org", "action": "erase", "confirm": "no"}))
    assert page.select_one(".privacy-erase-confirm button[name=confirm]")["value"] == "yes"
    assert Comment.objects.count() == 1


def test_an_export_carries_what_was_stored_about_the_reader(client, story):
    editors = login(client, EDITORS)
    CommentFactory.create(
        article=story, email="ann@example.org", ip_address="198.51.100.7", user_agent="Firefox", website=""
    )
    (row,) = editors.post(PRIVACY, {"email": " ANN@example.org ", "action": "export"}).json()["comments"]
    assert (row["ip_address"], row["user_agent"], row["status"]) == ("198.51.100.7", "Firefox", "approved")
    assert row["article_url"] == f"http://localhost{story.dated_path()}"


def test_an_export_for_an_address_without_comments_is_empty(client, sections):
    exported = login(client, EDITORS).post(PRIVACY, {"email": "nobody@example.org", "action": "export"}).json()
    assert exported == {"email": "nobody@example.org", "comments": []}


def test_approving_all_in_a_listing_with_a_broken_filter_approves_nothing(client, story):
    editors = login(client, EDITORS)
    CommentFactory.create_batch(2, article=story, status=Comment.Status.PENDING)
    editors.post(bulk_url("approve", status="nonsense", id="all"))
    assert not Comment.objects.approved().exists()


def test_approving_all_in_a_searched_listing_approves_only_the_matches(client, story):
    editors = login(client, EDITORS)
    match = CommentFactory.create(article=story, status=Comment.Status.PENDING, body="About the bridge")
    CommentFactory.create(article=story, status=Comment.Status.PENDING, body="About the school")
    editors.post(bulk_url("approve", q="bridge", id="all"))
    assert list(Comment.objects.approved().values_list("pk", flat=True)) == [match.pk]


def test_the_buttons_bring_the_moderator_back_to_the_filtered_listing(client, story, soup):
    editors = login(client, EDITORS)
    CommentFactory.create(article=story, status=Comment.Status.PENDING)
    form = soup(editors.get(LISTING, {"status": "pending"})).select_one(".comment-moderation form")
    assert form.select_one("input[name=next]")["value"] == f"{LISTING}?status=pending"


def test_writers_cannot_open_or_delete_a_comment(client, story):
    writers = login(client, WRITERS)
    comment = CommentFactory.create(article=story)
    assert refused(writers.get(f"{LISTING}edit/{comment.pk}/"))
    assert refused(writers.post(f"{LISTING}delete/{comment.pk}/"))
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_an_edit_with_a_broken_email_changes_nothing(client, story, soup):
    editors = login(client, EDITORS)
    comment = CommentFactory.create(article=story, email="ann@example.org", body="Original")
    data = {"name": comment.name, "email": "not an address", "website": "", "body": "Changed"}
    response = editors.post(f"{LISTING}edit/{comment.pk}/", data)
    assert response.status_code == 200
    assert soup(response).select_one("[data-contentpath=email] .error-message") is not None
    comment.refresh_from_db()
    assert (comment.email, comment.body) == ("ann@example.org", "Original")


def settings_url() -> str:
    return f"/admin/settings/comments/commentsettings/{Site.objects.get(is_default_site=True).pk}/"


SETTINGS_FORM = {
    "close_after_days": "0",
    "hold_first_comments": "on",
    "max_links": "2",
    "moderation_words": "",
    "blocked_words": "",
    "min_fill_seconds": "3",
    "spam_threshold": "0.9",
}


def test_editors_may_not_change_the_comment_rules(client, sections):
    assert refused(login(client, EDITORS).post(settings_url(), {**SETTINGS_FORM, "blocked_words": "tram"}))
    assert not CommentSettings.objects.filter(blocked_words="tram").exists()


def test_admins_may_change_the_comment_rules(client, sections):
    assert login(client, ADMINS).post(settings_url(), {**SETTINGS_FORM, "blocked_words": "tram"}).status_code == 302
    assert CommentSettings.objects.get().blocked_words == "tram"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("spam_threshold", "0.3", "Ensure this value is greater than or equal to 0.5."),
        ("spam_threshold", "1.5", "Ensure this value is less than or equal to 1.0."),
        ("max_links", "0", "Ensure this value is greater than or equal to 1."),
    ],
)
def test_comment_rules_out_of_range_are_refused(client, sections, soup, field, value, message):
    response = login(client, ADMINS).post(settings_url(), {**SETTINGS_FORM, field: value})
    errors = soup(response).select(f"[data-contentpath={field}] .error-message")
    assert [error.get_text(strip=True) for error in errors] == [message]
    assert not CommentSettings.objects.filter(**{field: float(value)}).exists()
