"""A reader signs up for a newsletter from a cached article page's aside, with the keyboard only."""

import datetime

import pytest
from django.core import mail
from playwright.sync_api import expect

from newsdesk.newsletters.factories import newsletter_factory
from newsdesk.newsletters.models import Subscriber

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "lena@example.org"


@pytest.fixture
def story(article_factory):
    return article_factory(headline="Council backs tram line", with_image=True)


@pytest.fixture
def newsletters(db):
    return [newsletter_factory(slug="daily"), newsletter_factory(slug="weekend-read", cadence="weekly")]


def tab_to(tab, element_id: str, limit: int = 400) -> None:
    """Press Tab until the element has focus, as a keyboard user would reach it."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} is not reachable with the Tab key")


def test_reader_signs_up_from_the_aside_with_the_keyboard(page, story, newsletters, settings, time_machine):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": True}
    # The clock runs, and is moved on by hand below instead of waiting out the minimum fill time.
    time_machine.move_to(datetime.datetime.now(datetime.UTC), tick=True)
    page.goto(story.url)  # another reader's visit fills the page cache
    response = page.goto(story.url)
    assert response is not None
    assert (response.headers.get("x-page-cache") or "").lower().startswith("hit")

    aside = page.locator("aside.sidebar")
    daily = newsletters[0]
    # Starting to fill the form fetches a fresh stamp: the cached page's is as old as the copy.
    with page.expect_response("**/newsletters/signup/start/") as started:
        tab_to(page, f"newsletter-choice-{daily.pk}")
    page.keyboard.press("Space")
    expect(aside.get_by_role("checkbox", name="The Morning Briefing")).to_be_checked()
    tab_to(page, "newsletter-email")
    page.keyboard.type(ADDRESS)
    expect(aside.locator("input[name=started]")).to_have_value(started.value.json()["started"])
    time_machine.shift(datetime.timedelta(seconds=5))
    page.keyboard.press("Enter")

    notice = aside.get_by_role("status")
    expect(notice).to_contain_text("Check your inbox")
    expect(notice).to_be_focused()
    expect(aside.locator("form[data-newsletter-signup]")).to_be_hidden()
    assert page.url.endswith(story.url)  # answered in place
    assert [message.to for message in mail.outbox] == [[ADDRESS]]
    assert "The Morning Briefing" in mail.outbox[0].body
    assert "Weekend Read" not in mail.outbox[0].body
    assert not Subscriber.objects.exists()


def test_without_javascript_the_form_posts_and_the_answer_is_a_page(
    browser, live_server, story, newsletters, time_machine
):
    time_machine.move_to(datetime.datetime.now(datetime.UTC), tick=True)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(story.url)
    tab_to(tab, f"newsletter-choice-{newsletters[1].pk}")
    tab.keyboard.press("Space")
    tab_to(tab, "newsletter-email")
    tab.keyboard.type(ADDRESS)
    time_machine.shift(datetime.timedelta(seconds=5))
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/newsletters/signup/")
    expect(tab.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    tab.get_by_role("link", name="Back to where you were").click()
    tab.wait_for_url(f"**{story.url}")
    context.close()
    assert [message.to for message in mail.outbox] == [[ADDRESS]]
    assert "Weekend Read" in mail.outbox[0].body


def test_a_refusal_shows_in_the_form_without_leaving_the_page(page, story, newsletters, settings, client, time_machine):
    settings.NEWSDESK_NEWSLETTER_SIGNUPS_PER_ADDRESS = 1
    time_machine.move_to(datetime.datetime.now(datetime.UTC), tick=True)
    daily = newsletters[0]
    # The address has had its sign-up for the hour already.
    client.post("/newsletters/signup/", {"email": ADDRESS, "newsletters": [daily.pk]})
    page.goto(story.url)
    aside = page.locator("aside.sidebar")
    tab_to(page, f"newsletter-choice-{daily.pk}")
    page.keyboard.press("Space")
    tab_to(page, "newsletter-email")
    page.keyboard.type(ADDRESS)
    time_machine.shift(datetime.timedelta(seconds=5))
    page.keyboard.press("Enter")

    errors = aside.locator("[data-signup-errors]")
    expect(errors).to_have_text("Too many sign-ups for this address. Please try again later.")
    expect(errors).to_be_focused()
    expect(aside.get_by_role("textbox", name="Email address")).to_have_value(ADDRESS)
    expect(aside.get_by_role("checkbox", name="The Morning Briefing")).to_be_checked()
    assert page.url.endswith(story.url)
    assert len(mail.outbox) == 1
