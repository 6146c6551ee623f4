"""An editor adds a partner's RSS feed in the admin, polls it, reviews the drafted story and publishes it."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from newsdesk.articles.models import ArticlePage
from newsdesk.core.roles import EDITORS
from newsdesk.ingest.tests.feeds import rss_feed, rss_item
from newsdesk.weather.tests.fakes import FakeServer

from .test_editorial import PASSWORD, log_in, open_more_actions, settle, submit

pytestmark = pytest.mark.django_db(transaction=True)

HEADLINE = "Harbour festival draws a record crowd"
STANDFIRST = "Forty thousand visitors came to the quays over the weekend."
ORIGINAL = "https://partner.example.org/news/harbour-festival"
FEED_PATH = "/feed.xml"


class PartnerFeed(FakeServer):
    """The partner's site: one RSS document with one story, and no pictures for the browser to fetch."""

    def respond(self, path, query):
        if path == FEED_PATH:
            return 200, rss_feed(rss_item(title=HEADLINE, guid=ORIGINAL, link=ORIGINAL, description=STANDFIRST))
        return 404, b"not found"


@pytest.fixture
def partner_feed(settings):
    # The live server runs in this process, so the guarded HTTP client in its requests sees these settings.
    with PartnerFeed() as server:
        settings.NEWSDESK_HTTP_TRUSTED_HOSTS = ["127.0.0.1"]
        settings.NEWSDESK_HTTP_TRUSTED_HOSTPORTS = [server.hostport]
        yield server


@pytest.fixture
def editor(sections):
    user = User.objects.create_user(username="editor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def test_editor_adds_a_partner_feed_polls_it_and_publishes_the_drafted_story(page, editor, partner_feed):
    log_in(page, "editor")

    # Signing in counts as the password typed just now, so wires-and-feeds/ (a re-authentication
    # prefix) opens without asking again.
    page.get_by_role("link", name="Wires and feeds", exact=True).click()
    page.wait_for_url("**/admin/wires-and-feeds/")
    page.get_by_role("link", name="Add wire or feed").first.click()
    page.fill("#id_name", "Partner Times feed")
    page.select_option("#id_kind", label="RSS or Atom feed")
    page.fill("#id_location", partner_feed.url + FEED_PATH)
    page.select_option("#id_mode", label="Drafts for review")
    page.select_option("#id_default_section", label="Local")
    page.fill("#id_source_name", "The Partner Times")
    submit(page, page.get_by_role("button", name="Create", exact=True).click)

    page.get_by_role("button", name="More options for 'Partner Times feed'").click()
    page.get_by_role("link", name="Status").click()
    expect(page.locator(".ingest-stories")).to_contain_text("No stories yet.")

    # The test settings run tasks on django-tasks' ImmediateBackend: "Poll now" enqueues
    # poll_source_now and the poll runs within the POST, before the redirect back here.
    submit(page, page.get_by_role("button", name="Poll now").click)
    assert partner_feed.requests_to(FEED_PATH), "the poll did not fetch the feed"
    expect(page.locator(".ingest-counts")).to_have_text("1 / 0 / 0")
    expect(page.locator(".ingest-log-entry").first).to_be_visible()
    story = page.locator(".ingest-story")
    expect(story).to_have_count(1)
    expect(story).to_contain_text(ORIGINAL)
    draft = ArticlePage.objects.get(title=HEADLINE)
    assert not draft.live
    assert draft.current_workflow_state is not None

    # The poll put the draft into the Newsroom review; an editor reviews it from the status
    # page's link and approves it, which publishes it.
    story.get_by_role("link", name=HEADLINE).click()
    expect(page.locator("#id_title")).to_have_value(HEADLINE)
    expect(page.locator("#id_standfirst")).to_have_value(STANDFIRST)
    expect(page.locator("#id_primary_section option:checked")).to_have_text("Local")
    settle(page)
    open_more_actions(page)
    submit(page, page.locator("footer").get_by_role("button", name="Approve and Publish", exact=True).click)

    article = ArticlePage.objects.get(title=HEADLINE)
    assert article.live
    assert article.current_workflow_state is None

    # A reader sees the story with its attribution and a link to the original.
    page.context.clear_cookies()
    page.goto(article.url)
    expect(page.locator("h1")).to_have_text(HEADLINE)
    attribution = page.locator(".attribution")
    expect(attribution).to_have_text("Originally published by The Partner Times")
    expect(attribution.get_by_role("link", name="The Partner Times")).to_have_attribute("href", ORIGINAL)
