"""The moderation queue in the Wagtail admin: menu, listing, per-comment actions, replies."""

import datetime
import json
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment, SpamToken, TrainingRecord
from newsdesk.core.roles import EDITORS, WRITERS

pytestmark = pytest.mark.django_db

LISTING = "/admin/snippets/comments/comment/"


def action_url(comment: Comment, action: str) -> str:
    return f"{LISTING}moderate/{comment.pk}/{action}/"


def member(group: str, username: str) -> User:
    user = User.objects.create_user(username=username, password="x", first_name=username.title())
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db: None) -> User:
    return member(EDITORS, "editor")


@pytest.fixture
def editor_client(client: Any, editor: User) -> Any:
    client.force_login(editor)
    return client


@pytest.fixture
def writer_client(client: Any) -> Any:
    client.force_login(member(WRITERS, "writer"))
    return client


@pytest.fixture
def article(article_factory: Any) -> Any:
    return article_factory(headline="Council agrees the budget")


@pytest.fixture
def pending(article: Any) -> Any:
    return CommentFactory.create(article=article, status=Comment.Status.PENDING, body="Cheap pills at example dot com")


def rows(page: Any) -> list[str]:
    """The commenter names in the listing, top to bottom."""
    return [cell.get_text(strip=True) for cell in page.select("table.listing tbody tr td.title .title-wrapper a")]


def comment_names_on(page: Any) -> list[str]:
    return [name.get_text(strip=True) for name in page.select(".comment-list .comment__meta b")]


def menu_label(page: Any, name: str) -> str | None:
    """The label of one item in the admin sidebar (rendered as JSON for its React app)."""
    props = json.loads(page.select_one("#wagtail-sidebar-props").string)

    def find(node: Any) -> str | None:
        if isinstance(node, dict):
            if node.get("name") == name and "label" in node:
                return node["label"]
            node = list(node.values())
        if isinstance(node, list):
            return next((found for child in node if (found := find(child)) is not None), None)
        return None

    return find(props)


def messages_on(page: Any) -> list[str]:
    return [message.get_text(" ", strip=True) for message in page.select(".messages li")]


# --- Menu -----------------------------------------------------------------------------


def test_menu_label_counts_the_comments_awaiting_moderation(editor_client, article, soup):
    CommentFactory.create_batch(3, article=article, status=Comment.Status.PENDING)
    CommentFactory.create(article=article, status=Comment.Status.APPROVED)
    CommentFactory.create(article=article, status=Comment.Status.SPAM)
    assert menu_label(soup(editor_client.get("/admin/")), "comments") == "Comments (3)"


def test_menu_label_has_no_number_when_nothing_waits(editor_client, article, soup):
    CommentFactory.create(article=article, status=Comment.Status.APPROVED)
    assert menu_label(soup(editor_client.get("/admin/")), "comments") == "Comments"


def test_menu_item_is_hidden_from_writers(writer_client, pending, soup):
    assert menu_label(soup(writer_client.get("/admin/")), "comments") is None


def test_menu_item_opens_the_listing(editor_client, soup):
    props = json.dumps(json.loads(soup(editor_client.get("/admin/")).select_one("#wagtail-sidebar-props").string))
    assert f'"url": "{LISTING}"' in props


# --- Listing --------------------------------------------------------------------------


def test_listing_shows_name_email_excerpt_article_status_reason_and_date(editor_client, article, soup):
    CommentFactory.create(
        article=article,
        name="Ann Reader",
        email="ann@example.org",
        body="A long comment " * 30,
        status=Comment.Status.PENDING,
        reason="2 links",
    )
    page = soup(editor_client.get(LISTING))
    headers = [th.get_text(" ", strip=True) for th in page.select("table.listing thead th")]
    for label in ("Name", "Email", "Comment", "Article", "Status", "Reason", "Date", "Moderate"):
        assert any(header.startswith(label) for header in headers), label
    cells = [td.get_text(" ", strip=True) for td in page.select("table.listing tbody tr")[0].select("td")]
    assert "ann@example.org" in cells
    assert "Council agrees the budget" in cells
    assert "Awaiting moderation" in cells
    assert "2 links" in cells
    assert any(cell.startswith("A long comment") and cell.endswith("…") for cell in cells)


def test_listing_puts_comments_awaiting_moderation_first(editor_client, article, soup):
    now = timezone.now()
    CommentFactory.create(
        article=article, name="Old pending", status=Comment.Status.PENDING, created_at=now - datetime.timedelta(days=2)
    )
    CommentFactory.create(article=article, name="New approved", status=Comment.Status.APPROVED, created_at=now)
    CommentFactory.create(article=article, name="New pending", status=Comment.Status.PENDING, created_at=now)
    assert rows(soup(editor_client.get(LISTING))) == ["New pending", "Old pending", "New approved"]


def test_listing_filters_by_status(editor_client, article, soup):
    CommentFactory.create(article=article, name="Spammer", status=Comment.Status.SPAM)
    CommentFactory.create(article=article, name="Reader", status=Comment.Status.APPROVED)
    assert rows(soup(editor_client.get(LISTING, {"status": "spam"}))) == ["Spammer"]


def test_listing_filters_by_article(editor_client, article, article_factory, soup):
    other = article_factory(headline="Another story")
    CommentFactory.create(article=article, name="On the budget")
    CommentFactory.create(article=other, name="On another story")
    assert rows(soup(editor_client.get(LISTING, {"article": other.pk}))) == ["On another story"]


def test_listing_filters_by_date(editor_client, article, soup):
    now = timezone.now()
    CommentFactory.create(article=article, name="Last month", created_at=now - datetime.timedelta(days=30))
    CommentFactory.create(article=article, name="Today", created_at=now)
    since = (now - datetime.timedelta(days=1)).date().isoformat()
    assert rows(soup(editor_client.get(LISTING, {"created_at_from": since}))) == ["Today"]


def test_listing_searches_names_emails_and_bodies(editor_client, article, soup):
    CommentFactory.create(article=article, name="Ann", email="ann@example.org", body="About the bridge")
    CommentFactory.create(article=article, name="Bob", email="bob@example.net", body="About the school")
    CommentFactory.create(article=article, name="Bridget", email="cat@example.org", body="Nothing")
    assert rows(soup(editor_client.get(LISTING, {"q": "example.net"}))) == ["Bob"]
    assert sorted(rows(soup(editor_client.get(LISTING, {"q": "bridge"})))) == ["Ann", "Bridget"]


def test_listing_has_no_add_button_even_for_superusers(admin_client, soup):
    page = soup(admin_client.get(LISTING))
    assert page.select(f'a[href="{LISTING}add/"]') == []
    assert admin_client.get(f"{LISTING}add/").status_code == 302


def test_listing_offers_only_the_moves_a_comment_can_make(editor_client, pending, soup):
    buttons = soup(editor_client.get(LISTING)).select(".comment-moderation form")
    assert sorted(form["action"] for form in buttons) == sorted(
        action_url(pending, action) for action in ("approve", "spam", "trash")
    )
    assert all(form["method"] == "post" for form in buttons)


def test_listing_buttons_work_with_csrf_checks_on(editor, pending, soup):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    form = soup(browser.get(LISTING)).select_one(f'.comment-moderation form[action="{action_url(pending, "approve")}"]')
    fields = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    assert browser.post(form["action"], fields).status_code == 302
    pending.refresh_from_db()
    assert pending.status == Comment.Status.APPROVED


# --- Per-comment actions ----------------------------------------------------------------


def test_approve_publishes_and_teaches_the_filter_ham(editor_client, pending):
    editor_client.post(action_url(pending, "approve"))
    pending.refresh_from_db()
    assert pending.status == Comment.Status.APPROVED
    assert pending.moderated_at is not None
    assert TrainingRecord.objects.get(comment=pending).as_spam is False
    assert SpamToken.objects.get(token="pills").ham == 1


def test_spam_teaches_the_filter_spam(editor_client, pending):
    editor_client.post(action_url(pending, "spam"))
    pending.refresh_from_db()
    assert pending.status == Comment.Status.SPAM
    assert TrainingRecord.objects.get(comment=pending).as_spam is True
    assert SpamToken.objects.get(token="pills").spam == 1


def test_unapprove_returns_to_the_queue_and_unlearns(editor_client, pending):
    editor_client.post(action_url(pending, "approve"))
    editor_client.post(action_url(pending, "unapprove"))
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PENDING
    assert not TrainingRecord.objects.filter(comment=pending).exists()
    assert SpamToken.objects.get(token="pills").ham == 0


def test_trash_moves_to_the_trash(editor_client, pending):
    editor_client.post(action_url(pending, "trash"))
    pending.refresh_from_db()
    assert pending.status == Comment.Status.TRASH
    assert not TrainingRecord.objects.filter(comment=pending).exists()


def test_action_redirects_back_with_a_message(editor_client, pending, soup):
    response = editor_client.post(action_url(pending, "approve"), {"next": f"{LISTING}?status=pending"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{LISTING}?status=pending"
    assert messages_on(soup(response)) == [f"Approved the comment by {pending.name}."]


def test_action_ignores_a_next_address_on_another_site(editor_client, pending):
    response = editor_client.post(action_url(pending, "approve"), {"next": "https://evil.example/"})
    assert response["Location"] == LISTING


def test_action_refuses_get(editor_client, pending):
    response = editor_client.get(action_url(pending, "approve"))
    assert response.status_code == 405
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PENDING
    assert not TrainingRecord.objects.exists()


def test_writer_cannot_moderate(writer_client, pending):
    response = writer_client.post(action_url(pending, "approve"))
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PENDING


def test_unknown_action_is_not_found(editor_client, pending):
    assert editor_client.post(action_url(pending, "publish")).status_code == 404


def test_approved_comment_appears_on_the_article(editor_client, client, pending, article, soup):
    assert comment_names_on(soup(client.get(article.url))) == []
    editor_client.post(action_url(pending, "approve"))
    editor_client.logout()
    assert comment_names_on(soup(client.get(article.url))) == [pending.name]


def test_unapproved_comment_leaves_the_article(editor_client, client, article, soup):
    shown = CommentFactory.create(article=article, status=Comment.Status.APPROVED)
    editor_client.post(action_url(shown, "unapprove"))
    editor_client.logout()
    assert comment_names_on(soup(client.get(article.url))) == []


# --- Edit and delete ---------------------------------------------------------------------


def test_held_comment_email_links_to_the_edit_view_with_the_moderation_buttons(editor_client, pending, soup):
    email = render_to_string(
        "comments/email/held_comment.txt",
        {"comment": pending, "article": pending.article, "base_url": "http://localhost"},
    )
    link = next(line for line in email.splitlines() if line.startswith("Moderate it: ")).removeprefix("Moderate it: ")
    response = editor_client.get(link.removeprefix("http://localhost"))
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one(".comment-status__status").get_text(strip=True) == "Awaiting moderation"
    assert action_url(pending, "approve") in [form["action"] for form in page.select(".comment-moderation form")]


def test_edit_form_changes_the_text_but_has_no_status(editor_client, pending, soup):
    edit = f"{LISTING}edit/{pending.pk}/"
    form = soup(editor_client.get(edit)).select_one("#w-editor-form")
    assert form.select_one("[name=status]") is None
    data = {"name": "Renamed", "email": pending.email, "website": "", "body": "Edited text"}
    assert editor_client.post(edit, data).status_code == 302
    pending.refresh_from_db()
    assert (pending.name, pending.body, pending.status) == ("Renamed", "Edited text", Comment.Status.PENDING)


@pytest.fixture
def page_cache_on(settings: Any) -> None:
    """Deleting must purge the article's cached copy; test settings switch the cache off."""
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": True}


def cached_names(client: Any, article: Any, soup: Any) -> list[str]:
    """The commenters an anonymous reader sees (the page cache serves this copy to the next one)."""
    client.logout()
    return comment_names_on(soup(client.get(article.url)))


def test_delete_view_deletes_the_comment_and_its_cached_article_page(
    page_cache_on, client, editor, article, django_capture_on_commit_callbacks, soup
):
    shown = CommentFactory.create(article=article, status=Comment.Status.APPROVED)
    assert cached_names(client, article, soup) == [shown.name]
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{LISTING}delete/{shown.pk}/").status_code == 302
    assert not Comment.objects.filter(pk=shown.pk).exists()
    assert cached_names(client, article, soup) == []


def test_editing_a_published_comment_refreshes_the_cached_article_page(
    page_cache_on, client, editor, article, django_capture_on_commit_callbacks, soup
):
    shown = CommentFactory.create(article=article, body="Teh figures are wrong")
    cached_names(client, article, soup)
    client.force_login(editor)
    data = {"name": shown.name, "email": shown.email, "website": "", "body": "The figures are wrong"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{LISTING}edit/{shown.pk}/", data).status_code == 302
    client.logout()
    page = soup(client.get(article.url))
    assert [body.get_text(strip=True) for body in page.select(".comment-list .comment__body")] == [
        "The figures are wrong"
    ]


# --- Bulk actions ------------------------------------------------------------------------


def bulk_url(action: str, *comments: Comment, **params: str) -> str:
    query = "&".join([f"id={comment.pk}" for comment in comments] + [f"{key}={value}" for key, value in params.items()])
    return f"/admin/bulk/comments/comment/{action}/?{query}"


def test_bulk_approve_approves_the_selected_comments(editor_client, article):
    chosen = CommentFactory.create_batch(2, article=article, status=Comment.Status.PENDING)
    left = CommentFactory.create(article=article, status=Comment.Status.PENDING)
    assert editor_client.post(bulk_url("approve", *chosen)).status_code == 302
    assert set(Comment.objects.approved().values_list("pk", flat=True)) == {comment.pk for comment in chosen}
    assert TrainingRecord.objects.filter(as_spam=False).count() == 2
    left.refresh_from_db()
    assert left.status == Comment.Status.PENDING


@pytest.mark.parametrize(
    ("action", "status"),
    [("unapprove", Comment.Status.PENDING), ("spam", Comment.Status.SPAM), ("trash", Comment.Status.TRASH)],
)
def test_bulk_moves(editor_client, article, action, status):
    chosen = CommentFactory.create_batch(2, article=article, status=Comment.Status.APPROVED)
    editor_client.post(bulk_url(action, *chosen))
    assert set(Comment.objects.filter(status=status).values_list("pk", flat=True)) == {c.pk for c in chosen}


def test_bulk_confirmation_page_changes_nothing(editor_client, pending, soup):
    page = soup(editor_client.get(bulk_url("approve", pending)))
    assert page.select_one("form[method=POST] button[type=submit]").get_text(strip=True) == "Approve"
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PENDING


def test_bulk_approve_of_all_in_listing_keeps_to_the_listing_filter(editor_client, article):
    CommentFactory.create_batch(2, article=article, status=Comment.Status.PENDING)
    trashed = CommentFactory.create(article=article, status=Comment.Status.TRASH)
    editor_client.post(bulk_url("approve", status="pending") + "&id=all")
    assert Comment.objects.approved().count() == 2
    trashed.refresh_from_db()
    assert trashed.status == Comment.Status.TRASH


def test_writer_bulk_approve_changes_nothing(writer_client, pending):
    writer_client.post(bulk_url("approve", pending))
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PENDING


def test_bulk_delete_deletes_the_comments_and_purges_the_cached_article_page(
    page_cache_on, client, editor, article, django_capture_on_commit_callbacks, soup
):
    chosen = CommentFactory.create_batch(2, article=article)
    kept = CommentFactory.create(article=article, name="Kept")
    assert len(cached_names(client, article, soup)) == 3
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(bulk_url("delete", *chosen)).status_code == 302
    assert list(Comment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert cached_names(client, article, soup) == ["Kept"]


# --- Reply as staff ----------------------------------------------------------------------


def reply_url(comment: Comment) -> str:
    return f"{LISTING}reply/{comment.pk}/"


def test_reply_form_has_a_labelled_textarea(editor_client, article, soup):
    parent = CommentFactory.create(article=article)
    page = soup(editor_client.get(reply_url(parent)))
    textarea = page.select_one("form.comment-reply textarea[name=body]")
    label = page.select_one(f'label[for="{textarea["id"]}"]')
    for mark in label.select(".w-required-mark"):
        mark.decompose()
    assert label.get_text(strip=True) == "Your reply"


def test_reply_as_staff_is_published_under_the_comment(editor_client, editor, article):
    parent = CommentFactory.create(article=article)
    response = editor_client.post(reply_url(parent), {"body": "Thanks, we have corrected the figure."})
    assert response.status_code == 302
    reply = Comment.objects.get(parent=parent)
    assert (reply.status, reply.user, reply.name) == (Comment.Status.APPROVED, editor, "Editor")


def test_reply_as_staff_shows_on_the_article(editor_client, client, article, soup):
    parent = CommentFactory.create(article=article, name="Ann")
    editor_client.post(reply_url(parent), {"body": "Thanks, we have corrected the figure."})
    editor_client.logout()
    page = soup(client.get(article.url))
    assert comment_names_on(page) == ["Ann", "Editor"]
    bodies = [body.get_text(strip=True) for body in page.select(".comment-list .comment__body")]
    assert "Thanks, we have corrected the figure." in bodies


def test_reply_needs_a_body(editor_client, article, soup):
    parent = CommentFactory.create(article=article)
    page = soup(editor_client.post(reply_url(parent), {"body": ""}))
    assert page.select_one("form.comment-reply .error-message, form.comment-reply [id$=-errors]") is not None
    assert not Comment.objects.filter(parent=parent).exists()


def test_reply_is_offered_for_published_comments_only(editor_client, article, pending, soup):
    published = CommentFactory.create(article=article)
    links = [a["href"] for a in soup(editor_client.get(LISTING)).select("a.comment-moderation__reply")]
    assert links == [reply_url(published)]


def test_writer_cannot_reply(writer_client, article):
    parent = CommentFactory.create(article=article)
    assert writer_client.post(reply_url(parent), {"body": "Hello"}).status_code == 302
    assert not Comment.objects.filter(parent=parent).exists()
