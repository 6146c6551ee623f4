"""An editor composes an edition of two stories, previews it, sends herself a test, sends it, sees the counts."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from playwright.sync_api import expect

from newsdesk.articles.models import ArticlePage
from newsdesk.core.roles import EDITORS
from newsdesk.newsletters import sending
from newsdesk.newsletters.factories import newsletter_factory, subscriber_factory
from newsdesk.newsletters.models import Delivery, Edition, EditionItem

from .test_editorial import PASSWORD, log_in, submit

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = "Council backs the tram line"
SECOND = "Harbour ferry keeps its winter timetable"
ADDRESS = "editor@newsdesk.example"
READERS = ["ann@example.org", "bob@example.org"]


@pytest.fixture
def newsroom(sections, article_factory, live_server, settings):
    # Links and pictures in the mail point at the site under test, not at an address off this machine.
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    article_factory(headline=FIRST, section="local")
    article_factory(headline=SECOND, section="local")
    daily = newsletter_factory(slug="daily")
    for address in READERS:
        subscriber_factory(address, daily)
    user = User.objects.create_user(username="editor", password=PASSWORD, email=ADDRESS, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return daily


def choose_story(page, index, title):
    """The inline form's page chooser: search the modal for the story and take it."""
    page.locator(f"#inline_child_items-{index}").get_by_role("button", name="Choose a page").click()
    modal = page.locator(".modal")
    modal.get_by_role("textbox", name="Search term").fill(title)
    modal.get_by_role("link", name=title).click()
    page.wait_for_selector(".modal", state="hidden")


def test_editor_composes_previews_tests_and_sends_an_edition(page, newsroom, mailoutbox):
    log_in(page, "editor")

    page.get_by_role("button", name="Newsletters").click()
    page.get_by_role("link", name="Newsletters", exact=True).click()
    page.wait_for_url("**/admin/newsletters/")
    page.get_by_role("link", name="The Morning Briefing").click()
    expect(page.locator(".newsletter-receiving")).to_have_text("2 confirmed subscribers receive it.")
    page.get_by_role("link", name="Compose an edition").click()

    expect(page.locator("#id_newsletter option:checked")).to_have_text("The Morning Briefing")
    page.fill("#id_subject", "Tonight's briefing")
    page.fill("#id_intro", "Good evening. Two stories tonight.")
    # The stories' inline panel starts with one empty form (at least one story is required).
    choose_story(page, 0, FIRST)
    page.get_by_role("button", name="Add story").click()
    choose_story(page, 1, SECOND)
    submit(page, page.get_by_role("button", name="Create", exact=True).click)

    edition = Edition.objects.get(subject="Tonight's briefing")
    assert list(edition.items.order_by("sort_order").values_list("article__title", flat=True)) == [FIRST, SECOND]
    expect(page.locator(".edition-item")).to_have_text([FIRST, SECOND])

    page.get_by_role("link", name="Preview").click()
    frame = page.frame_locator(".edition-preview-html iframe")
    expect(frame.get_by_role("link", name=FIRST)).to_be_visible()
    expect(frame.get_by_role("link", name=SECOND)).to_be_visible()
    text = page.locator(".edition-preview-text pre")
    expect(text).to_contain_text(FIRST)
    expect(text).to_contain_text(SECOND)
    page.go_back()

    # The test settings run tasks on the immediate backend: the copy is sent within the request.
    submit(page, page.get_by_role("button", name="Send a test to me").click)
    expect(page.locator(".messages")).to_contain_text(f"A test copy is on its way to {ADDRESS}.")
    assert [(message.to, message.subject) for message in mailoutbox] == [([ADDRESS], "[Test] Tonight's briefing")]

    page.get_by_role("link", name="Send now…").click()
    expect(page.locator(".edition-confirm-send")).to_contain_text("2 confirmed subscribers")
    submit(page, page.get_by_role("button", name="Yes, send it now").click)

    expect(page.locator(".messages")).to_contain_text("Sending to 2 subscribers.")
    expect(page.locator("[data-count=sent]")).to_have_text("2")
    expect(page.locator("[data-count=failed]")).to_have_text("0")
    expect(page.locator("[data-edition-status]")).to_have_text("Sent")
    # The page's script asked the counts endpoint too, and found the same numbers.
    expect(page.locator("[data-newsletter-counts]")).to_have_attribute("data-refreshed", "yes")
    assert sorted(message.to[0] for message in mailoutbox[1:]) == READERS
    assert Delivery.objects.filter(edition=edition, status=Delivery.Status.SENT).count() == 2
    expect(page.get_by_role("link", name="Send now…")).to_have_count(0)


def test_the_counts_follow_a_sending_edition_without_a_reload(page, newsroom):
    edition = Edition.objects.create(newsletter=newsroom, subject="Morning alert")
    EditionItem.objects.create(edition=edition, article=ArticlePage.objects.get(title=FIRST), sort_order=0)
    # Queued for the worker, which is not running: the page shows two deliveries waiting.
    sending.queue_edition(edition)
    log_in(page, "editor")
    page.goto(reverse("newsletter_editions:inspect", args=[edition.pk]))
    expect(page.locator("[data-count=queued]")).to_have_text("2")
    expect(page.locator("[data-edition-status]")).to_have_text("Sending")

    # The worker sends them meanwhile; the page's script picks the new numbers up.
    Delivery.objects.filter(edition=edition).update(status=Delivery.Status.SENT)
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.SENT)
    expect(page.locator("[data-count=sent]")).to_have_text("2")
    expect(page.locator("[data-count=queued]")).to_have_text("0")
    expect(page.locator("[data-edition-status]")).to_have_text("Sent")
