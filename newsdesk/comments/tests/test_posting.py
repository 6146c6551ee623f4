import datetime

import pytest
from django.core import mail
from django.utils import timezone

from newsdesk.comments.models import Comment, CommentSettings
from newsdesk.comments.services import comment_settings, forget_comment_settings

pytestmark = pytest.mark.django_db


def errors(soup, response) -> list[str]:
    page = soup(response)
    return [
        e.get_text(strip=True)
        for e in page.select(".comment-form__error, .comment-form__errors p")
        if e.get_text(strip=True)
    ]


def rules(**values) -> CommentSettings:
    settings = comment_settings()
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    forget_comment_settings()
    return settings


def test_a_known_readers_comment_is_published_at_once(post, regular, story):
    response = post(comment="A second thought on the timetable.")
    comment = Comment.objects.get(body="A second thought on the timetable.")
    assert comment.status == Comment.Status.APPROVED
    assert response.status_code == 303
    assert response["Location"] == f"{story.url}#comment-{comment.pk}"


def test_a_first_comment_waits_with_its_reason(post, soup):
    response = post(name="New Reader", email="new@example.org")
    comment = Comment.objects.get(email="new@example.org")
    assert comment.status == Comment.Status.PENDING
    assert comment.reason == "first comment from this name and email"
    notice = soup(response).select_one("[role=status]").get_text(strip=True)
    assert notice == "Your comment is awaiting moderation."


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("comment", "Please type your comment text."),
        ("name", "Please fill the required fields."),
        ("email", "Please fill the required fields."),
    ],
)
def test_required_fields(post, soup, field, message):
    response = post(**{field: ""})
    assert response.status_code == 400
    assert message in errors(soup, response)
    assert not Comment.objects.exists()


def test_an_invalid_email_is_refused(post, soup):
    response = post(email="not-an-address")
    assert "Please enter a valid email address." in errors(soup, response)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "n" * 246, "Your name is too long."),
        ("email", "e" * 90 + "@example.org", "Your email address is too long."),
        ("website", "https://example.org/" + "w" * 190, "Your URL is too long."),
    ],
)
def test_maximum_lengths(post, soup, field, value, message):
    assert message in errors(soup, post(**{field: value}))


def test_a_comment_over_65525_bytes_is_too_long(post, soup):
    # 21,842 three-byte characters: 65,526 bytes in only 21,842 characters.
    response = post(comment="€" * 21_842)
    assert "Your comment is too long." in errors(soup, response)


def test_a_comment_of_exactly_65525_bytes_is_accepted(post, regular):
    post(comment="a" * 65_525)
    assert Comment.objects.filter(body="a" * 65_525).exists()


def test_the_readers_input_comes_back_with_the_error(post, soup):
    page = soup(post(comment="Keep this text, please.", email="broken"))
    assert page.select_one("textarea[name=comment]").get_text() == "Keep this text, please."
    assert page.select_one("input[name=name]")["value"] == "Mara Lind"
    assert page.select_one("input[name=email]")["aria-invalid"] == "true"


def test_duplicates_are_refused(post, regular, soup):
    post(comment="Same words twice.")
    response = post(comment="Same words twice.", ip="198.51.100.8", key="a-different-key")
    assert "Duplicate comment detected; it looks as though you've already said that!" in errors(soup, response)
    assert Comment.objects.filter(body="Same words twice.").count() == 1


# Flood control and the minimum fill time are wall-clock windows: these tests stop the clock
# (frozen_now), so a slow machine cannot let the window close between two requests.
@pytest.mark.usefixtures("frozen_now")
def test_posting_too_quickly_is_refused(post, regular, soup):
    post(comment="First.")
    response = post(comment="Second, right away.")
    assert response.status_code == 429
    assert "You are posting comments too quickly. Slow down." in errors(soup, response)


@pytest.mark.usefixtures("frozen_now")
def test_a_forged_forwarded_for_does_not_dodge_flood_control(post, regular):
    post(comment="First.", headers={"HTTP_X_FORWARDED_FOR": "203.0.113.1"})
    response = post(comment="Second.", headers={"HTTP_X_FORWARDED_FOR": "203.0.113.2"})
    assert response.status_code == 429


@pytest.mark.usefixtures("frozen_now")
def test_behind_a_trusted_proxy_each_reader_has_a_flood_window_of_their_own(post, regular, settings):
    # The shipped nginx connects from 127.0.0.1 for every reader and appends the reader's address.
    settings.NEWSDESK_TRUSTED_PROXIES = ["127.0.0.1"]
    assert post(comment="First.", ip="127.0.0.1", headers={"HTTP_X_FORWARDED_FOR": "203.0.113.1"}).status_code == 303
    other = post(comment="Another reader.", ip="127.0.0.1", headers={"HTTP_X_FORWARDED_FOR": "203.0.113.2"})
    same = post(comment="Again, too soon.", ip="127.0.0.1", headers={"HTTP_X_FORWARDED_FOR": "203.0.113.1"})
    assert (other.status_code, same.status_code) == (303, 429)


@pytest.mark.usefixtures("frozen_now")
def test_a_forwarded_for_sent_through_a_trusted_proxy_counts_only_its_last_entry(post, regular, settings):
    settings.NEWSDESK_TRUSTED_PROXIES = ["127.0.0.1"]
    post(comment="First.", ip="127.0.0.1", headers={"HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.1"})
    forged = post(comment="Second.", ip="127.0.0.1", headers={"HTTP_X_FORWARDED_FOR": "198.51.100.2, 203.0.113.1"})
    assert forged.status_code == 429


def test_flood_interval_is_configurable(post, regular, settings):
    settings.NEWSDESK_COMMENT_FLOOD_SECONDS = 0
    post(comment="First.")
    assert post(comment="Second.").status_code == 303


def test_closed_articles_refuse_comments(post, story, soup):
    story.comments_open = False
    story.save_revision().publish()
    response = post()
    assert "Sorry, comments are closed for this item." in errors(soup, response)
    assert not Comment.objects.exists()


def test_comments_close_automatically_after_n_days(post, article_factory, soup):
    old = article_factory(published_at=timezone.now() - datetime.timedelta(days=40))
    rules(close_after_days=30)
    assert "Sorry, comments are closed for this item." in errors(soup, post(article=old))


def test_a_closed_article_says_so_and_shows_no_form(client, story, soup):
    story.comments_open = False
    story.save_revision().publish()
    page = soup(client.get(story.url))
    assert page.select_one(".comments__closed").get_text() == "Comments are closed."
    assert page.select_one("#commentform") is None


def test_blocked_words_reject_but_keep_the_comment(post, regular, soup):
    rules(blocked_words="cheap pills\ncasino")
    response = post(comment="Visit my CASINO tonight")
    comment = Comment.objects.get(body="Visit my CASINO tonight")
    assert comment.status == Comment.Status.TRASH
    assert comment.reason == "blocked word: casino"
    # The writer is told what every held comment is told: nothing for a spammer to learn.
    assert soup(response).select_one("[role=status]").get_text(strip=True) == "Your comment is awaiting moderation."


def test_moderation_words_hold(post, regular):
    rules(moderation_words="lawsuit")
    post(comment="There will be a lawsuit about this.")
    comment = Comment.objects.get(body="There will be a lawsuit about this.")
    assert (comment.status, comment.reason) == (Comment.Status.PENDING, "moderation word: lawsuit")


def test_two_links_hold(post, regular):
    post(comment="See https://a.example/one and https://b.example/two")
    comment = Comment.objects.get(body__startswith="See")
    assert (comment.status, comment.reason) == (Comment.Status.PENDING, "2 links")


def test_one_link_is_fine(post, regular):
    post(comment="See https://a.example/one for the plan.")
    assert Comment.objects.get(body__startswith="See").status == Comment.Status.APPROVED


def test_the_honeypot_marks_spam(post, regular):
    post(comment="Buy now", homepage="http://spam.example")
    comment = Comment.objects.get(body="Buy now")
    assert comment.status == Comment.Status.SPAM
    assert "hidden field" in comment.reason


@pytest.mark.usefixtures("frozen_now")
def test_a_form_sent_too_fast_is_spam(post, regular, client):
    started = client.get("/comments/start/").json()["started"]
    post(comment="Instant reply", started=started)
    comment = Comment.objects.get(body="Instant reply")
    assert comment.status == Comment.Status.SPAM
    assert comment.reason.startswith("sent ")


def test_a_forged_start_stamp_is_ignored(post, regular):
    post(comment="Honest reply", started="form:1:forged")
    assert Comment.objects.get(body="Honest reply").status == Comment.Status.APPROVED


def test_a_double_submit_makes_one_comment(post, regular):
    first = post(comment="Pressed twice.", key="0123456789abcdef")
    second = post(comment="Pressed twice.", key="0123456789abcdef")
    assert Comment.objects.filter(body="Pressed twice.").count() == 1
    assert first["Location"] == second["Location"]


def test_a_double_submit_without_javascript_makes_one_comment(post, regular):
    post(comment="No script, pressed twice.")
    response = post(comment="No script, pressed twice.")
    assert Comment.objects.filter(body="No script, pressed twice.").count() == 1
    assert response.status_code == 303


def test_replies_thread_under_their_parent(post, regular, client, story, soup):
    response = post(comment="A reply to myself.", parent=str(regular.pk))
    assert response.status_code == 303
    reply = Comment.objects.get(body="A reply to myself.")
    assert (reply.parent_id, reply.depth) == (regular.pk, 2)
    page = soup(client.get(story.url))
    assert page.select_one(f"#comment-{regular.pk} ol.children #comment-{reply.pk}") is not None


def test_threads_stop_at_depth_five(post, regular, settings):
    settings.NEWSDESK_COMMENT_FLOOD_SECONDS = 0
    parent = regular
    for level in range(2, 7):
        post(comment=f"Level {level}", parent=str(parent.pk))
        parent = Comment.objects.get(body=f"Level {level}")
    assert parent.depth == 5
    deepest = Comment.objects.get(body="Level 6")
    assert deepest.parent is not None
    assert deepest.parent.body == "Level 4"


def test_a_reply_to_a_missing_comment_is_refused(post, soup):
    response = post(parent="999999")
    assert "The comment you are replying to is not there any more." in errors(soup, response)


def test_cross_site_posts_are_refused(post):
    response = post(headers={"HTTP_ORIGIN": "https://evil.example", "HTTP_SEC_FETCH_SITE": "cross-site"})
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_staff_sessions_cannot_post_without_same_origin_proof(client, admin_user, story):
    client.force_login(admin_user)
    response = client.post(f"/comments/post/{story.pk}/", {"comment": "Hi", "name": "Admin", "email": "a@example.org"})
    assert response.status_code == 403


def test_staff_comments_from_the_site_are_published(client, admin_user, story):
    client.force_login(admin_user)
    client.post(
        f"/comments/post/{story.pk}/",
        {"comment": "From the newsroom.", "name": "Desk", "email": "desk@example.org"},
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert Comment.objects.get(body="From the newsroom.").status == Comment.Status.APPROVED


def test_remember_box_sets_a_cookie_only_when_ticked(post, regular):
    assert post(comment="No cookie please.").cookies["newsdesk_commenter"].value == ""
    remembered = post(comment="Remember me.", remember="1", ip="198.51.100.20")
    assert remembered.cookies["newsdesk_commenter"]["max-age"] == 347 * 24 * 60 * 60


def test_a_database_error_keeps_the_input_and_says_so(post, soup, monkeypatch):
    from django.db import DatabaseError

    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr("newsdesk.comments.services.post_comment", broken)
    response = post(comment="Do not lose me.")
    assert response.status_code == 503
    page = soup(response)
    assert "We could not save your comment just now" in page.select_one(".comment-form__errors").get_text()
    assert page.select_one("textarea[name=comment]").get_text() == "Do not lose me."


def test_authors_are_emailed_by_a_job_about_a_published_comment(
    post, regular, story, django_capture_on_commit_callbacks
):
    author = story.authors[0]
    author.email = "anna@newsroom.example"
    author.save()
    with django_capture_on_commit_callbacks(execute=True):
        post(comment="Worth a mail.")
    assert [message.to for message in mail.outbox] == [["anna@newsroom.example"]]
    assert "Worth a mail." in mail.outbox[0].body


def test_moderators_are_emailed_about_a_held_comment(post, django_user_model, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("ed", email="ed@newsroom.example", password="pw-ed-123456")
    editor.groups.add(Group.objects.get(name="Editors"))
    with django_capture_on_commit_callbacks(execute=True):
        post(name="Stranger", email="stranger@example.org")
    assert [message.to for message in mail.outbox] == [["ed@newsroom.example"]]
    assert "awaits moderation" in mail.outbox[0].subject


def test_no_email_is_sent_inside_the_request(post, regular, story):
    author = story.authors[0]
    author.email = "anna@newsroom.example"
    author.save()
    post(comment="Quiet until the job runs.")
    assert mail.outbox == []
