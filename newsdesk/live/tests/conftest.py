from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from newsdesk.articles.models import ArticlePage
from newsdesk.core.roles import EDITORS, WRITERS
from newsdesk.live import services
from newsdesk.live.blocks import from_text
from newsdesk.live.models import LiveCoverage


def member(group: str, username: str) -> User:
    user = User.objects.create_user(username=username, password="correct-horse-battery", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(sections: Any) -> User:
    return member(EDITORS, "eve")


@pytest.fixture
def writer(sections: Any) -> User:
    return member(WRITERS, "wes")


@pytest.fixture
def editor_client(editor: User) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def story(article_factory: Callable[..., ArticlePage]) -> ArticlePage:
    return article_factory(headline="Storm over the bay", section="local", authors=["Mara Lindqvist"])


@pytest.fixture
def coverage(story: ArticlePage, editor: User) -> LiveCoverage:
    return services.coverage_start(article=story, user=editor)


@pytest.fixture
def post(coverage: LiveCoverage, editor: User) -> Callable[..., Any]:
    def make(body: str | list[Any], **fields: Any) -> Any:
        """An entry with `body` as blocks: plain text becomes paragraphs, a list is raw stream data."""
        blocks = from_text(body) if isinstance(body, str) else body
        return services.entry_post(coverage=coverage, user=editor, body=blocks, **fields)

    return make
