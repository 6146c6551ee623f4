"""An editor composes three live entries in the block editor while a reader's open page offers them, then shows them."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from newsdesk.core.roles import EDITORS
from newsdesk.live import services

from .test_editorial import PASSWORD, log_in, submit

pytestmark = pytest.mark.django_db(transaction=True)

ENTRIES = ["Lower road closed by the council", "Sandbags handed out on the square", "Ferry stops running for the day"]
PLACES = ["Market square", "Hill Road"]
HEADING = "Ferry update"


@pytest.fixture
def coverage(sections, article_factory, settings):
    # The live server runs in this process: a reader's page asks every second, and answers stay fresh one second.
    settings.NEWSDESK_LIVE_POLL_SECONDS = 1
    settings.NEWSDESK_LIVE_UPDATES_MAX_AGE = 1
    editor = User.objects.create_user(username="editor", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    story = article_factory(headline="River rises through the old town", section="local", authors=["Mara Lindqvist"])
    return services.coverage_start(article=story, user=editor)


def test_reader_is_offered_three_new_updates_and_sees_them_without_a_reload(page, browser, live_server, coverage):
    reader_context = browser.new_context(base_url=live_server.url)
    reader = reader_context.new_page()
    reader.set_default_timeout(15_000)
    reader.goto(coverage.article.url)
    expect(reader.locator("section.live .live-empty")).to_be_visible()
    # Survives only if the page is never loaded again.
    reader.evaluate("window.sameDocument = true")

    log_in(page, "editor")
    page.goto(f"/admin/live/{coverage.pk}/")
    # 1: the paragraph the form opens with, typed into the rich text editor.
    type_paragraph(page, ENTRIES[0])
    post_entry(page, ENTRIES[0])
    # 2: a paragraph and a bulleted list ("- " starts one, as in the article editor).
    type_paragraph(page, ENTRIES[1])
    page.keyboard.press("Enter")
    page.keyboard.type("- " + PLACES[0])
    page.keyboard.press("Enter")
    page.keyboard.type(PLACES[1])
    wait_saved(page, PLACES[1])
    post_entry(page, ENTRIES[1])
    # 3: a heading block added above the paragraph from the block menu, by keyboard.
    type_paragraph(page, ENTRIES[2])
    add_heading_first(page, HEADING)
    post_entry(page, HEADING)

    button = reader.get_by_role("button", name="3 new updates")
    expect(button).to_be_visible()
    # Offered, not pushed under the reader.
    expect(reader.locator("section.live .live-entry")).to_have_count(0)

    button.click()
    entries = reader.locator("section.live .live-entry")
    expect(entries).to_have_count(3)
    expect(entries.nth(0)).to_contain_text(ENTRIES[2])
    expect(entries.nth(0).locator("h3")).to_have_text(HEADING)
    expect(entries.nth(1).locator("li")).to_have_text(PLACES)
    expect(entries.nth(2)).to_contain_text(ENTRIES[0])
    expect(button).to_be_hidden()
    assert reader.evaluate("window.sameDocument") is True
    reader_context.close()


def type_paragraph(page, text):
    editor = page.locator('[data-contentpath="body"] .public-DraftEditor-content').first
    editor.click()
    page.keyboard.type(text)
    wait_saved(page, text)


def wait_saved(page, text):
    """Draftail writes its hidden input a moment after the last key; a quick click must not beat it."""
    page.wait_for_function(
        """text => [...document.querySelectorAll('[data-contentpath="body"] input[type="hidden"]')]
            .some(input => input.value.includes(text))""",
        arg=text,
    )


def add_heading_first(page, text):
    """Open the first "Insert a block" menu with the keyboard, choose Heading, and type it."""
    page.get_by_role("button", name="Insert a block").first.focus()
    page.keyboard.press("Enter")
    # The menu opens with its search box; the first match is highlighted as one types.
    page.locator(".w-combobox__field input").focus()
    page.keyboard.type("Heading")
    page.keyboard.press("Enter")
    heading = page.locator('[data-contentpath="body"] input[maxlength="200"]')
    expect(heading).to_have_count(1)
    heading.focus()
    page.keyboard.type(text)


def post_entry(page, listed_as):
    submit(page, page.get_by_role("button", name="Post entry").click)
    expect(page.locator(".live-desk-entries")).to_contain_text(listed_as)
