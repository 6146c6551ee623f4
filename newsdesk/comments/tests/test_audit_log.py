"""Each moderation decision is in Wagtail's audit log, by its moderator, without the reader's words."""

from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.test import Client
from wagtail.log_actions import log, registry
from wagtail.models import ModelLogEntry

from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment
from newsdesk.comments.services import erase_comments, moderate
from newsdesk.core.roles import EDITORS

pytestmark = pytest.mark.django_db

LISTING = "/admin/snippets/comments/comment/"


@pytest.fixture
def editor(db: None) -> User:
    user = User.objects.create_user(username="eve", password="x")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def editors(editor: User) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def comment(article_factory: Any) -> Comment:
    article = article_factory(headline="Council agrees the budget")
    return CommentFactory.create(
        article=article, status=Comment.Status.PENDING, name="Ann Reader", body="Private words from Ann"
    )


def of_comment(pk: int) -> QuerySet[ModelLogEntry]:
    """A comment's entries, also once it is deleted (object ids are shared by every logged type)."""
    return ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Comment), object_id=str(pk))


def logged(comment: Comment) -> list[ModelLogEntry]:
    return list(registry.get_logs_for_instance(comment).order_by("pk"))


@pytest.mark.parametrize(
    ("move", "action"),
    [("approve", "comments.approve"), ("spam", "comments.spam"), ("trash", "comments.trash")],
)
def test_a_moderation_button_is_logged_with_the_moderator(editors, editor, comment, move, action):
    editors.post(f"{LISTING}moderate/{comment.pk}/{move}/")
    [entry] = logged(comment)
    assert (entry.action, entry.user_id) == (action, editor.pk)


def test_returning_a_comment_to_the_queue_is_logged(editors, comment):
    moderate(comment, Comment.Status.APPROVED)
    editors.post(f"{LISTING}moderate/{comment.pk}/unapprove/")
    assert [entry.action for entry in logged(comment)] == ["comments.approve", "comments.unapprove"]


def test_the_entry_records_the_move(comment):
    moderate(comment, Comment.Status.SPAM)
    [entry] = logged(comment)
    assert entry.data == {"from": "pending", "to": "spam"}


def test_the_entry_names_the_comment_by_number_and_article_not_by_its_reader(comment):
    moderate(comment, Comment.Status.APPROVED)
    [entry] = logged(comment)
    assert entry.label == f"Comment {comment.pk} on “Council agrees the budget”"


def test_setting_the_status_a_comment_already_has_logs_nothing(comment):
    moderate(comment, Comment.Status.PENDING)
    assert logged(comment) == []


def test_bulk_moderation_logs_each_comment_with_the_moderator(editors, editor, comment):
    other = CommentFactory.create(article=comment.article, status=Comment.Status.PENDING)
    editors.post(f"/admin/bulk/comments/comment/spam/?id={comment.pk}&id={other.pk}")
    assert [(entry.action, entry.user_id) for entry in logged(comment) + logged(other)] == [
        ("comments.spam", editor.pk),
        ("comments.spam", editor.pk),
    ]


def test_deleting_a_comment_is_logged_without_the_readers_words(editors, editor, comment):
    pk = comment.pk
    editors.post(f"{LISTING}delete/{pk}/")
    [entry] = of_comment(pk).filter(action="wagtail.delete")
    assert entry.user_id == editor.pk
    assert "Ann" not in entry.label


def test_bulk_delete_is_logged_for_each_comment(editors, editor, comment):
    other = CommentFactory.create(article=comment.article)
    editors.post(f"/admin/bulk/comments/comment/delete/?id={comment.pk}&id={other.pk}")
    deleted = ModelLogEntry.objects.filter(action="wagtail.delete", user=editor, deleted=True)
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted([str(comment.pk), str(other.pk)])


def test_moderation_actions_have_labels_for_the_site_history_filter():
    labels = dict(registry.get_choices())
    assert {"comments.approve", "comments.unapprove", "comments.spam", "comments.trash"} <= set(labels)


def test_erasing_a_readers_comments_leaves_their_words_nowhere_in_the_log(comment):
    log(instance=comment, action="wagtail.edit")  # as Wagtail's edit view titles it: "name: words"
    moderate(comment, Comment.Status.APPROVED)
    erase_comments(comment.email)
    labels = list(of_comment(comment.pk).values_list("label", flat=True))
    assert len(labels) == 3
    assert not any("Ann" in label for label in labels)


def test_erasing_keeps_the_entries_by_comment_number(comment):
    log(instance=comment, action="wagtail.edit")
    erase_comments(comment.email)
    [edit] = of_comment(comment.pk).filter(action="wagtail.edit")
    assert edit.label == f"Comment {comment.pk}"


def test_erasing_logs_each_deletion(editors, editor, comment):
    pk = comment.pk
    editors.post(f"{LISTING}privacy/", {"email": comment.email, "action": "erase", "confirm": "yes"})
    [entry] = of_comment(pk).filter(action="wagtail.delete")
    assert entry.user_id == editor.pk
