import pytest

from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_heading_counts_one_comment(client, story, soup):
    CommentFactory.create(article=story)
    assert soup(client.get(story.url)).select_one(".comments__count").get_text(strip=True) == "1 comment"


def test_heading_counts_n_comments(client, story, soup):
    CommentFactory.create_batch(3, article=story)
    CommentFactory.create(article=story, status=Comment.Status.PENDING)
    assert soup(client.get(story.url)).select_one(".comments__count").get_text(strip=True) == "3 comments"


def test_held_spam_and_trashed_comments_are_not_shown(client, story, soup):
    for status in (Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH):
        CommentFactory.create(article=story, status=status, body=f"Hidden {status}")
    page = soup(client.get(story.url))
    assert page.select(".comment") == []


def test_the_author_links_to_their_website_as_user_content(client, story, soup):
    CommentFactory.create(article=story, name="Mara", website="https://mara.example/")
    link = soup(client.get(story.url)).select_one(".comment__author a")
    assert link["href"] == "https://mara.example/"
    assert set(link["rel"]) == {"nofollow", "ugc"}


def test_date_and_time_in_the_site_time_zone(client, story, soup):
    import datetime

    created = datetime.datetime(2026, 11, 27, 23, 30, tzinfo=datetime.UTC)
    CommentFactory.create(article=story, created_at=created)
    time = soup(client.get(story.url)).select_one(".comment time")
    assert time.get_text() == "November 28, 2026 at 00:30"
    assert time["datetime"] == "2026-11-28T00:30:00+01:00"


def test_each_comment_has_a_reply_link_that_works_without_javascript(client, story, soup):
    comment = CommentFactory.create(article=story, name="Mara")
    link = soup(client.get(story.url)).select_one(".comment-reply-link")
    assert link["href"] == f"/comments/reply/{comment.pk}/"
    reply_page = soup(client.get(link["href"]))
    assert reply_page.select_one("input[name=parent]")["value"] == str(comment.pk)
    assert reply_page.select_one("h1").get_text() == "Leave a reply"


def test_no_gravatar_or_other_third_party_avatar(client, story, soup):
    CommentFactory.create(article=story, name="mara")
    page = soup(client.get(story.url))
    assert page.select_one(".comment .avatar").get_text() == "M"
    assert page.select(".comments img") == []


@pytest.mark.parametrize("field", ["name", "body"])
def test_html_in_a_comment_renders_as_text(client, story, soup, field):
    CommentFactory.create(article=story, **{field: HOSTILE})
    page = soup(client.get(story.url))
    comment = page.select_one(".comment")
    assert comment.select("script") == [] and comment.select("img") == []
    assert HOSTILE in comment.get_text()


def test_a_hostile_website_cannot_become_a_script_link(client, story, soup):
    CommentFactory.create(article=story, website='https://ok.example/"onmouseover="alert(1)')
    link = soup(client.get(story.url)).select_one(".comment__author a")
    assert not link.has_attr("onmouseover")


def test_the_form_is_in_the_reference_order_with_labels(client, story, soup):
    form = soup(client.get(story.url)).select_one("#commentform")
    names = [field["name"] for field in form.select("textarea, input:not([type=hidden])")]
    assert names[:5] == ["comment", "name", "email", "website", "remember"]
    for field in form.select("textarea, input:not([type=hidden])"):
        assert form.select_one(f"label[for={field['id']}]") is not None
    assert form.select_one("input[name=email]")["type"] == "email"
    assert form.select_one("button[type=submit]").get_text() == "Post Comment"
    assert form.select_one(".comment-form__cancel").get_text() == "Cancel reply"


def test_errors_are_announced_to_screen_readers(client, story, soup):
    form = soup(client.get(story.url)).select_one("#commentform")
    for name in ("comment", "name", "email"):
        field = form.select_one(f"[name={name}]")
        error = form.select_one(f"#{field['aria-describedby']}")
        assert error["role"] == "alert"
    assert form.select_one("#id_comment-error")["data-required"] == "Please enter your comment!"
    assert form.select_one("#id_name-error")["data-required"] == "Please enter your name here"
    assert form.select_one("#id_email-error")["data-required"] == "Please enter your email address here"
    assert form.select_one("#id_email-error")["data-invalid"] == "You have entered an incorrect email address!"


def test_the_article_page_carries_no_token_and_no_reader_data(client, story, soup, post, regular):
    post(comment="Remember me.", remember="1")
    page = client.get(story.url)
    assert b"csrfmiddlewaretoken" not in page.content
    assert b"mara@example.org" not in page.content


def test_only_the_writer_sees_their_held_comment(client, post, story):
    post(name="New Reader", email="new@example.org", comment="Please approve me.")
    mine = client.get(f"/comments/mine/{story.pk}/").json()
    assert [item["body"] for item in mine["comments"]] == ["Please approve me."]
    assert mine["notice"] == "Your comment is awaiting moderation."
    from django.test import Client

    assert Client().get(f"/comments/mine/{story.pk}/").json()["comments"] == []


def test_a_tampered_pending_cookie_shows_nothing(client, post, story):
    post(name="New Reader", email="new@example.org")
    client.cookies["newsdesk_pending"] = "tampered"
    assert client.get(f"/comments/mine/{story.pk}/").json()["comments"] == []
