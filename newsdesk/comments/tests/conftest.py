import pytest

from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment

READER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


@pytest.fixture
def story(article_factory):
    return article_factory(headline="Council backs tram line", authors=["Anna Weber"])


@pytest.fixture
def regular(story):
    """A reader with an approved comment already, so their next comment is published at once."""
    return CommentFactory(article=story, name="Mara Lind", email="mara@example.org", status=Comment.Status.APPROVED)


@pytest.fixture
def post(client, story):
    """Post the comment form as a browser on this site would."""

    def send(article=None, *, ip: str = "198.51.100.7", headers: dict | None = None, **fields):
        data = {
            "comment": "The new stop will help the school run a lot.",
            "name": "Mara Lind",
            "email": "mara@example.org",
            "website": "",
        }
        data.update(fields)
        extra = {"HTTP_USER_AGENT": READER_UA, "REMOTE_ADDR": ip, "HTTP_SEC_FETCH_SITE": "same-origin"}
        extra.update(headers or {})
        return client.post(f"/comments/post/{(article or story).pk}/", data, **extra)

    return send
