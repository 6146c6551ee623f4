"""Newsroom accounts and a way to read one desk panel from the admin home."""

from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from django.contrib.auth.models import Group, User
from django.test import Client, RequestFactory
from django.utils.text import slugify

from newsdesk.articles.models import ArticleIndexPage, ArticlePage, SectionPage
from newsdesk.core.roles import ADMINS, EDITORS, WRITERS
from newsdesk.desk.panels import DeskPanel


def member(username: str, group: str | None = None, **fields: Any) -> User:
    user = User.objects.create_user(username=username, password="x", **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db: None) -> User:
    return member("eve", EDITORS)


@pytest.fixture
def writer(db: None) -> User:
    return member("ann", WRITERS)


@pytest.fixture
def chief(db: None) -> User:
    return member("chief", ADMINS)


@pytest.fixture
def dashboard() -> Callable[[User], BeautifulSoup]:
    """The admin home as `user` sees it, parsed."""

    def get(user: User) -> BeautifulSoup:
        client = Client()
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 200
        return BeautifulSoup(response.content, "html.parser")

    return get


def panel_of(page: BeautifulSoup, name: str) -> Tag | None:
    return page.select_one(f'[data-desk-panel="desk-{name}"]')


def one(page: BeautifulSoup | Tag, selector: str) -> Tag:
    found = page.select_one(selector)
    assert found is not None, selector
    return found


def text(page: BeautifulSoup | Tag, selector: str) -> str:
    return one(page, selector).get_text(strip=True)


def rendered(panel: DeskPanel, user: User) -> BeautifulSoup:
    """One panel rendered on its own, as the home view renders it (for counting its queries)."""
    request = RequestFactory().get("/admin/")
    request.user = user
    return BeautifulSoup(panel.render_html({"request": request}), "html.parser")


def titles(page: BeautifulSoup | Tag | None, heading: str | None = None) -> list[str]:
    assert page is not None
    scope: Any = page
    if heading is not None:
        found = next(h for h in page.select("h3") if h.get_text(strip=True) == heading)
        scope = found.find_next_sibling()
    return [link.get_text(strip=True) for link in scope.select(".desk-list li > a")] if scope else []


def draft_by(owner: User, title: str) -> ArticlePage:
    draft = ArticlePage(
        title=title,
        slug=slugify(title),
        standfirst="s",
        live=False,
        owner=owner,
        primary_section=SectionPage.objects.first(),
    )
    ArticleIndexPage.objects.get().add_child(instance=draft)
    draft.save_revision(user=owner)
    return draft


def submitted_by(owner: User, title: str) -> ArticlePage:
    """A draft `owner` sent to the newsroom's review workflow (Editor approval)."""
    draft = draft_by(owner, title)
    workflow = draft.get_workflow()
    assert workflow is not None
    workflow.start(draft, owner)
    return draft
