"""The reader-facing comment addresses: methods, hidden articles, cross-site posts, caching, cookies."""

import datetime
import json

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone
from django.utils.cache import get_max_age
from wagtail.models import PageViewRestriction

from newsdesk.articles.models import ArticlePage
from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.forms import seconds_since
from newsdesk.comments.models import Comment

from .conftest import READER_UA

pytestmark = pytest.mark.django_db


def hide(article, kind):
    """Make `article` one of the kinds readers must never reach."""
    if kind == "draft":
        article.unpublish()
    elif kind == "future":
        ArticlePage.objects.filter(pk=article.pk).update(first_published_at=timezone.now() + datetime.timedelta(days=1))
    elif kind == "expired":
        ArticlePage.objects.filter(pk=article.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    elif kind == "private":
        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    return article


HIDDEN = ["draft", "future", "expired", "private"]


def pending_cookie_ids(response):
    return signing.loads(response.cookies["newsdesk_pending"].value, salt="newsdesk.comments.pending")


@pytest.mark.parametrize("kind", HIDDEN)
def test_no_comment_can_be_posted_on_a_hidden_article(post, story, regular, kind):
    hide(story, kind)
    assert post(comment="Sneaking in.").status_code == 404
    assert not Comment.objects.filter(body="Sneaking in.").exists()


@pytest.mark.parametrize("kind", HIDDEN)
def test_the_reply_page_of_a_hidden_article_is_not_found(client, story, regular, kind):
    hide(story, kind)
    assert client.get(f"/comments/reply/{regular.pk}/").status_code == 404


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH])
def test_there_is_no_reply_page_for_a_comment_readers_do_not_see(client, story, status):
    unseen = CommentFactory.create(article=story, status=status, body="Not for readers")
    response = client.get(f"/comments/reply/{unseen.pk}/")
    assert response.status_code == 404
    assert b"Not for readers" not in response.content


def test_posting_is_a_post_only(client, story):
    response = client.get(f"/comments/post/{story.pk}/", {"comment": "Via GET", "name": "A", "email": "a@example.org"})
    assert response.status_code == 405
    assert not Comment.objects.exists()


@pytest.mark.parametrize("url", ["/comments/mine/{pk}/", "/comments/start/", "/comments/reply/{comment}/"])
def test_the_helpers_are_get_only(client, story, regular, url):
    assert client.post(url.format(pk=story.pk, comment=regular.pk)).status_code == 405


def test_an_origin_on_another_host_is_cross_site(post):
    response = post(headers={"HTTP_SEC_FETCH_SITE": "", "HTTP_ORIGIN": "https://elsewhere.example"})
    assert response.status_code == 403
    assert response.content.decode() == "Comments can only be posted from this site."
    assert not Comment.objects.exists()


def test_an_opaque_origin_is_cross_site(post):
    assert post(headers={"HTTP_SEC_FETCH_SITE": "", "HTTP_ORIGIN": "null"}).status_code == 403


def test_an_origin_on_this_host_is_enough_for_a_signed_in_user(client, admin_user, story):
    client.force_login(admin_user)
    data = {"comment": "From an older browser.", "name": "Desk", "email": "desk@example.org"}
    response = client.post(f"/comments/post/{story.pk}/", data, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 303
    assert Comment.objects.filter(body="From an older browser.").exists()


def test_a_reader_without_fetch_headers_may_post(client, story, regular):
    data = {"comment": "Old browser, no headers.", "name": "Mara Lind", "email": "mara@example.org"}
    response = client.post(f"/comments/post/{story.pk}/", data, HTTP_USER_AGENT=READER_UA)
    assert response.status_code == 303


def test_every_answer_to_a_post_is_kept_out_of_caches(post, regular, soup):
    published = post(comment="Published at once.")
    held = post(name="New Reader", email="new@example.org", comment="Held.", ip="198.51.100.50")
    invalid = post(email="broken", ip="198.51.100.51")
    assert [r["Cache-Control"] for r in (published, held, invalid)] == ["no-store"] * 3


def test_the_held_notice_is_kept_from_search_engines(post, soup):
    page = soup(post(name="New Reader", email="new@example.org"))
    assert page.select_one("meta[name=robots]")["content"] == "noindex"


def test_the_pending_list_is_hidden_from_scripts_but_its_flag_is_not(post):
    response = post(name="New Reader", email="new@example.org")
    assert response.cookies["newsdesk_pending"]["httponly"] is True
    assert response.cookies["newsdesk_has_pending"].value == "1"
    assert not response.cookies["newsdesk_has_pending"]["httponly"]
    assert response.cookies["newsdesk_pending"]["samesite"] == "Lax"


def test_the_pending_list_keeps_the_last_ten(client, story, settings):
    settings.NEWSDESK_COMMENT_FLOOD_SECONDS = 0
    for number in range(12):
        data = {"comment": f"Held number {number}.", "name": f"Reader {number}", "email": f"r{number}@example.org"}
        response = client.post(f"/comments/post/{story.pk}/", data, HTTP_USER_AGENT=READER_UA)
    newest = Comment.objects.order_by("-pk").values_list("pk", flat=True)[:10]
    assert pending_cookie_ids(response) == sorted(newest)


def test_a_reader_sees_only_their_held_comments_on_that_article(client, post, story, article_factory):
    other = article_factory(headline="Another story")
    post(name="New Reader", email="new@example.org", comment="On the tram story.")
    post(other, name="New Reader", email="new@example.org", comment="On the other story.", ip="198.51.100.60")
    mine = client.get(f"/comments/mine/{story.pk}/").json()["comments"]
    assert [item["body"] for item in mine] == ["On the tram story."]


def test_a_held_comment_leaves_the_readers_list_once_approved(client, post, story):
    post(name="New Reader", email="new@example.org", comment="Soon approved.")
    Comment.objects.filter(body="Soon approved.").update(status=Comment.Status.APPROVED)
    assert client.get(f"/comments/mine/{story.pk}/").json()["comments"] == []


def test_the_readers_list_carries_what_the_page_needs_and_no_email(client, post, story, regular):
    post(name="New Reader", email="new@example.org", comment="A held reply.", parent=str(regular.pk))
    (item,) = client.get(f"/comments/mine/{story.pk}/").json()["comments"]
    assert set(item) == {"id", "parent", "name", "body", "created"}
    assert (item["parent"], item["name"]) == (regular.pk, "New Reader")


def test_the_readers_list_is_never_cached(client, story):
    assert get_max_age(client.get(f"/comments/mine/{story.pk}/")) == 0


def test_a_fresh_start_stamp_is_signed_and_never_cached(client, frozen_now):
    response = client.get("/comments/start/")
    assert get_max_age(response) == 0
    stamp = response.json()["started"]
    elapsed = seconds_since(stamp)
    assert elapsed is not None
    assert 0.0 <= elapsed < 1.0  # the stamp counts whole seconds
    assert seconds_since(stamp[:-1] + ("A" if stamp[-1] != "A" else "B")) is None


def test_the_reply_page_may_be_cached_and_is_kept_from_search_engines(client, regular, soup):
    response = client.get(f"/comments/reply/{regular.pk}/")
    assert get_max_age(response) == 300
    page = soup(response)
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    assert page.select_one(".comment-form__replying").get_text() == "Replying to Mara Lind"


def test_the_remembered_details_are_what_the_reader_typed(post, regular):
    response = post(comment="Remember me.", remember="1", website="https://mara.example/")
    cookie = response.cookies["newsdesk_commenter"]
    remembered = json.loads(signing.b64_decode(cookie.value.encode()))
    assert remembered == {"name": "Mara Lind", "email": "mara@example.org", "website": "https://mara.example/"}
    assert (cookie["samesite"], cookie["httponly"]) == ("Lax", "")


def test_the_address_a_comment_came_from_is_the_connections(post, regular):
    post(comment="Where am I from?", ip="198.51.100.77", headers={"HTTP_X_FORWARDED_FOR": "203.0.113.9"})
    assert Comment.objects.get(body="Where am I from?").ip_address == "198.51.100.77"


def test_a_long_user_agent_is_cut_to_fit(post, regular):
    post(comment="Odd browser.", headers={"HTTP_USER_AGENT": READER_UA + " x" * 200})
    assert Comment.objects.get(body="Odd browser.").user_agent == (READER_UA + " x" * 200)[:255]


def test_a_comment_without_a_remote_address_stores_no_address(story, regular):
    data = {"comment": "No address.", "name": "Mara Lind", "email": "mara@example.org"}
    response = Client().post(f"/comments/post/{story.pk}/", data, HTTP_USER_AGENT=READER_UA, REMOTE_ADDR="")
    assert response.status_code == 303
    assert Comment.objects.get(body="No address.").ip_address is None
