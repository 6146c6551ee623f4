"""An editor adds a correction to a live article from its admin page; a reader sees it there and on /corrections/."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from newsdesk.articles.models import Correction
from newsdesk.core.roles import EDITORS

from .test_editorial import PASSWORD, log_in, submit

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "An earlier version of this story gave the vote as 31 to 21. It was 31 to 12."


@pytest.fixture
def editor(sections):
    user = User.objects.create_user(username="editor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def test_an_editor_adds_a_correction_and_a_reader_sees_it(page, editor, article_factory):
    story = article_factory(headline="Council approves the bridge", section="local")
    # A reader's visit first: the page cache and the kept parts now hold the uncorrected page.
    page.goto(story.url)
    expect(page.locator(".corrections")).to_have_count(0)

    log_in(page, "editor")
    page.goto(f"/admin/pages/{story.pk}/edit/")
    page.get_by_role("button", name="Actions", exact=True).first.click()
    page.get_by_role("link", name="Corrections").click()
    page.wait_for_url(f"**/admin/corrections/article/{story.pk}/")
    page.get_by_label("Kind").select_option(label="Correction")
    page.get_by_label("Text").fill(TEXT)
    page.get_by_label("Significant").check()
    submit(page, page.get_by_role("button", name="Publish correction").click)
    expect(page.locator(".corrections-admin__row")).to_contain_text(TEXT)
    assert Correction.objects.get().article_id == story.pk

    # Back as an anonymous reader, so the page comes through the page cache.
    page.context.clear_cookies()
    page.goto(story.url)
    expect(page.locator("section.corrections .correction__text")).to_have_text(TEXT)
    expect(page.locator(".story__header .corrections--top .correction__text")).to_have_text(TEXT)
    expect(page.locator(".story__header .meta")).to_contain_text("Updated")
    page.goto("/corrections/")
    expect(page.locator(".correction__text").first).to_have_text(TEXT)
    expect(page.locator(".correction__article").first).to_have_text("Council approves the bridge")
