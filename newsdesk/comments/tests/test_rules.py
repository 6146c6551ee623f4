"""The posting rules at their edges: when comments close, who is held, flood windows, what is stored."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache

from newsdesk.comments import services
from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.forms import CommentForm
from newsdesk.comments.models import Comment, CommentSettings
from newsdesk.comments.services import comment_settings, comments_open
from newsdesk.core.roles import EDITORS

pytestmark = pytest.mark.django_db
FORM = {"comment": "Hello.", "name": "Mara", "email": "mara@example.org"}


def rules(**values) -> CommentSettings:
    row = comment_settings()
    for name, value in values.items():
        setattr(row, name, value)
    row.save()  # the saved signal drops the cached rules
    return row


def stored(body):
    return Comment.objects.get(body=body)


def test_comments_stay_open_up_to_the_last_second_of_the_last_day(story):
    closing = rules(close_after_days=30)
    last_moment = story.first_published_at + datetime.timedelta(days=30)
    assert comments_open(story, closing, now=last_moment) is True
    assert comments_open(story, closing, now=last_moment + datetime.timedelta(seconds=1)) is False


def test_an_article_closed_by_its_editor_is_closed_whatever_the_rules(story):
    story.comments_open = False
    assert comments_open(story, rules(close_after_days=0), now=story.first_published_at) is False


def test_saved_rules_apply_at_once(post, regular):
    assert comment_settings().moderation_words == ""  # now cached (a pickled copy)
    rules(moderation_words="referendum")
    post(comment="What about the referendum?")
    assert stored("What about the referendum?").reason == "moderation word: referendum"


def test_without_holding_first_comments_a_newcomer_is_published(post):
    rules(hold_first_comments=False)
    assert post(name="New Reader", email="new@example.org").status_code == 303
    assert Comment.objects.get(email="new@example.org").status == Comment.Status.APPROVED


def test_a_known_reader_is_known_by_email_in_any_case(post, regular):
    post(comment="Shouting my address.", email="MARA@Example.org")
    assert stored("Shouting my address.").status == Comment.Status.APPROVED


def test_a_known_email_under_a_new_name_is_held(post, regular):
    post(comment="Same address, new name.", name="Somebody Else")
    assert stored("Same address, new name.").reason == "first comment from this name and email"


def test_the_link_limit_is_a_site_setting(post, regular):
    rules(max_links=3)
    post(comment="See https://a.example/ and https://b.example/")
    assert stored("See https://a.example/ and https://b.example/").status == Comment.Status.APPROVED


def test_the_honeypot_catches_a_known_reader_too(post, regular):
    post(comment="Filled by a script.", homepage="x")
    assert stored("Filled by a script.").status == Comment.Status.SPAM


def test_a_duplicate_is_found_whatever_the_case_of_the_email(post, regular, soup):
    post(comment="Said once.")
    response = post(comment="Said once.", email="Mara@Example.org", ip="198.51.100.99")
    assert response.status_code == 400
    assert Comment.objects.filter(body="Said once.").count() == 1


def test_a_reply_to_a_comment_on_another_article_is_refused(post, article_factory, regular):
    elsewhere = CommentFactory.create(article=article_factory(headline="Elsewhere"))
    response = post(comment="Wrong thread.", parent=str(elsewhere.pk))
    assert response.status_code == 400
    assert not Comment.objects.filter(body="Wrong thread.").exists()


def test_a_reply_to_a_held_comment_is_refused(post, story, regular):
    held = CommentFactory.create(article=story, status=Comment.Status.PENDING)
    post(comment="Reply to the unseen.", parent=str(held.pk))
    assert not Comment.objects.filter(body="Reply to the unseen.").exists()


def test_a_website_without_a_scheme_gets_https(post, regular):
    post(comment="My site.", website="mara.example")
    assert stored("My site.").website == "https://mara.example"


def test_a_script_address_as_website_is_refused(post, regular, soup):
    response = post(comment="Bad site.", website="javascript:alert(1)")
    assert response.status_code == 400
    field = soup(response).select_one("input[name=website]")
    assert soup(response).select_one(f"#{field['aria-describedby']}").get_text(strip=True) == (
        "Your website's address must start with http:// or https://."
    )
    assert not Comment.objects.filter(body="Bad site.").exists()


def test_a_comment_of_only_spaces_is_refused():
    form = CommentForm({**FORM, "comment": "   \n  "})
    assert form.errors["comment"] == ["Please type your comment text."]


@pytest.mark.parametrize(("key", "kept"), [("0f8e-41c2-9a7b", "0f8e-41c2-9a7b"), ("<script>", ""), ("a b", "")])
def test_only_a_plain_key_is_kept(key, kept):
    form = CommentForm({**FORM, "key": key})
    assert form.is_valid()
    assert form.cleaned_data["key"] == kept


def test_name_and_text_are_stored_without_surrounding_space(post, regular):
    post(comment="  Padded text.  \n", name="  Mara Lind ")
    comment = stored("Padded text.")
    assert comment.name == "Mara Lind"


@pytest.mark.usefixtures("frozen_now")
def test_another_address_is_not_slowed_down(post, regular):
    post(comment="From the first address.")
    assert post(comment="From a second address.", ip="198.51.100.8").status_code == 303


@pytest.mark.usefixtures("frozen_now")
def test_a_cleared_cache_does_not_reopen_the_flood_window(post, regular):
    post(comment="First.")
    cache.clear()  # as after a restart with a process-local cache
    assert post(comment="Second.").status_code == 429


def test_the_flood_window_closes_after_its_seconds(post, regular, settings, frozen_now, time_machine):
    settings.NEWSDESK_COMMENT_FLOOD_SECONDS = 15
    post(comment="First.")
    time_machine.shift(datetime.timedelta(seconds=14))
    assert post(comment="Too soon.").status_code == 429
    time_machine.shift(datetime.timedelta(seconds=2))
    assert post(comment="Late enough.").status_code == 303


@pytest.mark.usefixtures("frozen_now")
def test_editors_are_published_at_once_and_not_slowed_down(client, story):
    editor = User.objects.create_user("ed", password="pw-ed-123456", first_name="Ed")
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    data = {"name": "Ed", "email": "ed@newsroom.example"}
    for body in ("See https://a.example/ and https://b.example/", "And a second note."):
        client.post(f"/comments/post/{story.pk}/", {**data, "comment": body}, HTTP_SEC_FETCH_SITE="same-origin")
    assert set(Comment.objects.values_list("status", flat=True)) == {Comment.Status.APPROVED}
    assert Comment.objects.count() == 2


def test_a_staff_reply_without_a_full_name_or_email_uses_the_username(story):
    parent = CommentFactory.create(article=story)
    desk = User.objects.create_user("newsdesk", password="pw-desk-123456")
    desk.groups.add(Group.objects.get(name=EDITORS))
    reply = services.staff_reply(parent=parent, user=desk, body="We have corrected it.")
    assert (reply.name, reply.email, reply.status) == ("newsdesk", "newsdesk@staff.invalid", Comment.Status.APPROVED)
