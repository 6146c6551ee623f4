import datetime
import time

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from playwright.sync_api import expect

from newsdesk.articles.factories import make_image
from newsdesk.articles.models import ArticleIndexPage, ArticlePage
from newsdesk.articles.tasks import publish_scheduled_pages
from newsdesk.core.roles import EDITORS

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"
HEADLINE = "Night ferry returns to the lake"


@pytest.fixture
def editors(sections, article_factory):
    article_factory(headline="An older story", section="local", authors=["Jonas Falk"])
    group = Group.objects.get(name=EDITORS)
    for name in ("editor", "editor2"):
        user = User.objects.create_user(username=name, password=PASSWORD, is_staff=True)
        user.groups.add(group)


def log_in(page, username):
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def submit(page, action):
    """Run an action that posts the edit form; validation errors fail loudly."""
    with page.expect_navigation():
        action()
    errors = page.locator(".w-field--error, .error-message, .help-critical").all_inner_texts()
    assert not errors, errors


def settle(page):
    """Wagtail 8 autosaves drafts as editors type; let a save in flight finish first."""
    page.wait_for_timeout(700)
    expect(page.get_by_text("Saving…")).to_be_hidden(timeout=15_000)


def open_more_actions(page):
    """The arrow beside the footer's main button opens Submit, Approve, Publish..."""
    page.locator("footer").get_by_role("button", name="More actions").click()


def choose_in_modal(page, opener_text, link_text):
    page.get_by_role("button", name=opener_text).first.click()
    page.locator(".modal").get_by_role("link", name=link_text).first.click()
    page.wait_for_selector(".modal", state="hidden")


def test_editor_writes_another_approves_and_schedules_and_it_goes_live(page, editors, tmp_path):
    picture = make_image(tmp_path / "ferry.jpg", seed=3, colour=(10, 80, 120), size=(800, 450))
    index = ArticleIndexPage.objects.get()

    # Editor one writes the story, with an image, and submits it for review.
    log_in(page, "editor")
    page.goto(f"/admin/pages/add/articles/articlepage/{index.pk}/")
    page.fill("#id_title", HEADLINE)
    page.fill("#id_standfirst", "The service is back after two winters.")
    choose_in_modal(page, "Choose author", "Jonas Falk")
    page.select_option("#id_primary_section", label="Local")
    page.get_by_role("button", name="Choose an image").first.click()
    modal = page.locator(".modal")
    modal.get_by_role("tab", name="Upload").click()
    modal.locator("input[type=file]").set_input_files(str(picture))
    modal.locator("#id_image-chooser-upload-title").fill("Ferry at dusk")
    modal.get_by_role("button", name="Upload").click()
    page.wait_for_selector(".modal", state="hidden")
    page.fill("#id_lead_image_caption", "The ferry at the north pier")
    page.locator("#body-content button[title='Insert a block'], #panel-child-content-body-content button").first.click()
    page.get_by_role("option", name="Paragraph").click()
    paragraph = page.locator("#panel-child-content-body-section .Draftail-Editor [contenteditable=true]").first
    paragraph.click()
    paragraph.press_sequentially("The first crossing leaves at nine, and tickets cost the same as before.")
    expect(paragraph).to_contain_text("tickets cost the same")
    settle(page)
    open_more_actions(page)
    submit(page, page.get_by_role("button", name="Submit to Newsroom review").click)

    article = ArticlePage.objects.get(title=HEADLINE)
    assert not article.live
    assert article.current_workflow_state is not None
    draft = article.get_latest_revision_as_object()
    assert draft.lead_image is not None
    assert "first crossing leaves at nine" in draft.plain_text

    # Editor two approves it and schedules it for one minute ahead.
    log_in(page, "editor2")
    page.goto(f"/admin/pages/{article.pk}/edit/")
    expect(page.locator(".Draftail-Editor").first).to_contain_text("first crossing")
    go_live = timezone.localtime(timezone.now() + datetime.timedelta(minutes=1, seconds=59)).strftime("%Y-%m-%d %H:%M")
    page.locator("[data-side-panel-toggle='status']").click()
    page.get_by_role("button", name="Set schedule").first.click()
    page.fill("#id_go_live_at", go_live)
    # The date pickers cover the dialog's button, so finish as a keyboard user would:
    # Tab past the expiry field to "Save schedule" and press Enter.
    save = page.get_by_role("button", name="Save schedule")
    for _ in range(4):
        page.keyboard.press("Tab")
        if save.evaluate("button => button === document.activeElement"):
            break
    settle(page)
    submit(page, lambda: page.keyboard.press("Enter"))
    expect(page.get_by_text("Once scheduled")).to_be_visible()
    settle(page)
    open_more_actions(page)
    submit(page, page.get_by_role("button", name="Approve").first.click)

    article.refresh_from_db()
    assert not article.live, "must wait for its go-live time"
    assert article.scheduled_revision is not None
    page.goto("/")
    assert page.get_by_text(HEADLINE).count() == 0

    # The job the worker's scheduler runs every minute publishes it after go-live.
    deadline = time.monotonic() + 180
    while not ArticlePage.objects.get(pk=article.pk).live and time.monotonic() < deadline:
        publish_scheduled_pages.enqueue()
        time.sleep(5)
    page.goto("/")
    assert page.get_by_role("link", name=HEADLINE).first.is_visible()


def test_editor_previews_a_draft_beside_the_form(page, editors, article_factory):
    """The preview panel frames the reader's page inside the admin: frame-ancestors 'self' must allow it."""
    article = article_factory(headline="Lake ferry timetable", section="local")
    log_in(page, "editor")
    page.goto(f"/admin/pages/{article.pk}/edit/")
    page.fill("#id_title", "Lake ferry timetable, revised")
    page.locator("[data-side-panel-toggle='preview']").click()
    preview = page.frame_locator("#w-preview-iframe")  # Wagtail swaps in a fresh frame on each update
    expect(preview.locator("h1")).to_have_text("Lake ferry timetable, revised", timeout=20_000)
