"""200 readers post at once: 200 comments, no "database is locked", on SQLite and PostgreSQL."""

import pytest
from django.test import Client

from newsdesk.comments.models import Comment

from .conftest import READER_UA

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_hundred_concurrent_posts_make_two_hundred_comments(article_factory, at_once):
    story = article_factory(headline="Busy story")

    def send(number: int) -> int:
        response = Client().post(
            f"/comments/post/{story.pk}/",
            {
                "comment": f"Reader {number} says hello.",
                "name": f"Reader {number}",
                "email": f"r{number}@example.org",
            },
            HTTP_USER_AGENT=READER_UA,
            REMOTE_ADDR=f"10.1.{number // 250}.{number % 250 + 1}",
            HTTP_SEC_FETCH_SITE="same-origin",
        )
        return response.status_code

    codes = at_once(send, 200)
    assert codes == [200] * 200  # first comments: each gets the "awaiting moderation" page
    assert Comment.objects.filter(article=story).count() == 200


def test_the_same_submission_sent_twenty_times_at_once_makes_one_comment(article_factory, at_once):
    story = article_factory(headline="Double click")

    def send(_: int) -> int:
        return (
            Client()
            .post(
                f"/comments/post/{story.pk}/",
                {"comment": "Clicked many times.", "name": "Quick", "email": "quick@example.org", "key": "k" * 32},
                HTTP_USER_AGENT=READER_UA,
                REMOTE_ADDR="10.9.9.9",
                HTTP_SEC_FETCH_SITE="same-origin",
            )
            .status_code
        )

    codes = at_once(send, 20)
    assert Comment.objects.filter(body="Clicked many times.").count() == 1
    assert 200 in codes
