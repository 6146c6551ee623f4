"""A Writer writes and submits an article; another Writer cannot open it, an Editor can."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from newsdesk.articles.models import ArticleIndexPage, ArticlePage
from newsdesk.core.roles import EDITORS, WRITERS

from .test_editorial import PASSWORD, choose_in_modal, log_in, open_more_actions, settle, submit

pytestmark = pytest.mark.django_db(transaction=True)

HEADLINE = "Harbour cranes go quiet"


@pytest.fixture
def newsroom(sections, article_factory):
    article_factory(headline="An older story", section="local", authors=["Jonas Falk"])
    for name, group in (("wes", WRITERS), ("win", WRITERS), ("eve", EDITORS)):
        user = User.objects.create_user(username=name, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=group))


def test_a_writers_draft_is_hers_and_the_editors_not_another_writers(page, newsroom):
    index = ArticleIndexPage.objects.get()

    log_in(page, "wes")
    page.goto(f"/admin/pages/add/articles/articlepage/{index.pk}/")
    page.fill("#id_title", HEADLINE)
    page.fill("#id_standfirst", "The port's night shift ends after forty years.")
    choose_in_modal(page, "Choose author", "Jonas Falk")
    page.select_option("#id_primary_section", label="Local")
    page.locator("#body-content button[title='Insert a block'], #panel-child-content-body-content button").first.click()
    page.get_by_role("option", name="Paragraph").click()
    paragraph = page.locator("#panel-child-content-body-section .Draftail-Editor [contenteditable=true]").first
    paragraph.click()
    paragraph.press_sequentially("The last crane stopped at midnight.")
    expect(paragraph).to_contain_text("last crane")
    settle(page)
    open_more_actions(page)
    submit(page, page.get_by_role("button", name="Submit to Newsroom review").click)

    article = ArticlePage.objects.get(title=HEADLINE)
    assert article.owner is not None and article.owner.username == "wes"
    assert article.current_workflow_state is not None
    assert not article.live

    log_in(page, "win")
    page.goto(f"/admin/pages/{article.pk}/edit/")
    page.wait_for_url("**/admin/")
    expect(page.get_by_text("Sorry, you do not have permission to access this area.")).to_be_visible()

    log_in(page, "eve")
    page.goto(f"/admin/pages/{article.pk}/edit/")
    expect(page.locator(".Draftail-Editor").first).to_contain_text("last crane stopped")
