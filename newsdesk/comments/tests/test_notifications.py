"""Who the comment job emails, and when it stays quiet."""

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from newsdesk.articles.models import Author
from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment
from newsdesk.comments.tasks import moderator_emails, notify_about_comment
from newsdesk.core.roles import ADMINS, EDITORS, WRITERS

pytestmark = pytest.mark.django_db


def staff(username, group, *, email, active=True):
    user = User.objects.create_user(username, email=email, password="pw-123456789", is_active=active)
    user.groups.add(Group.objects.get(name=group))
    return user


def notify(comment):
    return notify_about_comment.enqueue(comment.pk).return_value


def test_moderators_are_active_editors_and_admins_with_an_address(db):
    staff("ed", EDITORS, email="ed@newsroom.example")
    staff("boss", ADMINS, email="boss@newsroom.example")
    staff("wri", WRITERS, email="writer@newsroom.example")
    staff("gone", EDITORS, email="gone@newsroom.example", active=False)
    staff("silent", EDITORS, email="")
    assert moderator_emails() == ["boss@newsroom.example", "ed@newsroom.example"]


def test_extra_moderator_addresses_are_added_once(db, settings):
    staff("ed", EDITORS, email="ed@newsroom.example")
    settings.NEWSDESK_COMMENT_MODERATOR_EMAILS = ["desk@newsroom.example", "ed@newsroom.example"]
    assert moderator_emails() == ["desk@newsroom.example", "ed@newsroom.example"]


def test_a_member_of_both_groups_gets_one_email(story):
    both = staff("ed", EDITORS, email="ed@newsroom.example")
    both.groups.add(Group.objects.get(name=ADMINS))
    assert notify(CommentFactory.create(article=story, status=Comment.Status.PENDING)) == 1
    assert [message.to for message in mail.outbox] == [["ed@newsroom.example"]]


def test_the_held_comment_email_says_why_and_links_to_moderation(story):
    staff("ed", EDITORS, email="ed@newsroom.example")
    held = CommentFactory.create(article=story, status=Comment.Status.PENDING, reason="2 links", name="Ann")
    notify(held)
    lines = mail.outbox[0].body.splitlines()
    assert "Reason: 2 links" in lines
    assert f"Moderate it: http://localhost/admin/snippets/comments/comment/edit/{held.pk}/" in lines


def test_the_published_comment_email_links_to_the_comment(story):
    Author.objects.filter(slug="anna-weber").update(email="anna@newsroom.example")
    shown = CommentFactory.create(article=story, status=Comment.Status.APPROVED)
    notify(shown)
    assert mail.outbox[0].subject == "New comment on “Council backs tram line”"
    assert f"Read it: http://localhost{story.dated_path()}#comment-{shown.pk}" in mail.outbox[0].body.splitlines()


def test_an_email_shows_the_comment_as_typed(story):
    Author.objects.filter(slug="anna-weber").update(email="anna@newsroom.example")
    notify(CommentFactory.create(article=story, body="Fish & chips <b>now</b>", status=Comment.Status.APPROVED))
    assert "Fish & chips <b>now</b>" in mail.outbox[0].body.splitlines()


def test_authors_without_an_address_get_no_email(story):
    assert notify(CommentFactory.create(article=story, status=Comment.Status.APPROVED)) == 0
    assert mail.outbox == []


@pytest.mark.parametrize("status", [Comment.Status.SPAM, Comment.Status.TRASH])
def test_rejected_comments_email_nobody(story, status):
    staff("ed", EDITORS, email="ed@newsroom.example")
    assert notify(CommentFactory.create(article=story, status=status)) == 0
    assert mail.outbox == []


def test_a_comment_gone_before_the_job_ran_emails_nobody(story):
    staff("ed", EDITORS, email="ed@newsroom.example")
    comment = CommentFactory.create(article=story, status=Comment.Status.PENDING)
    pk = comment.pk
    comment.delete()
    assert notify_about_comment.enqueue(pk).return_value == 0
    assert mail.outbox == []


def test_a_spam_or_trashed_post_sets_off_no_job(post, regular, django_capture_on_commit_callbacks):
    staff("ed", EDITORS, email="ed@newsroom.example")
    with django_capture_on_commit_callbacks(execute=True):
        post(comment="Filled by a robot.", homepage="http://spam.example")
    assert mail.outbox == []
