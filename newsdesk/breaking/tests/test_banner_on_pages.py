"""The banner on reader pages: on cached pages within one request, gone at expiry, no query on a warm render."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from newsdesk.breaking.factories import make_banner
from newsdesk.breaking.services import banner_changes_announce, banner_end
from newsdesk.core import page_cache

NOON = datetime.datetime(2030, 6, 12, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": True, "WAIT_SECONDS": 0.05}


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def story(clock, article_factory):
    made = article_factory(headline="Harbour bridge reopens", authors=["Ada Reporter"])
    # Publishing purged every page at this instant; a copy rendered at the same instant would count as stale.
    clock.shift(datetime.timedelta(seconds=1))
    return made


def banner_of(soup, response):
    return soup(response).select_one('[role="region"][aria-label="Breaking news"]')


def test_a_banner_set_shows_on_the_next_request_of_a_cached_page(client, story, soup, clock):
    client.get(story.url)
    assert client.get(story.url)["X-Page-Cache"] == "hit"
    clock.shift(datetime.timedelta(seconds=1))
    make_banner(text="Harbour bridge closed", link_url="https://example.org/harbour")
    clock.shift(datetime.timedelta(seconds=1))
    response = client.get(story.url)
    banner = banner_of(soup, response)
    assert banner is not None
    assert banner.select_one("a").get_text() == "Harbour bridge closed"
    assert banner.select_one("a")["href"] == "https://example.org/harbour"


def test_no_banner_no_region(client, story, soup):
    assert banner_of(soup, client.get(story.url)) is None


def test_the_banner_shows_on_the_home_and_section_pages_too(client, story, soup):
    make_banner(text="Storm warning for the coast")
    for path in ("/", "/world/"):
        assert banner_of(soup, client.get(path)).get_text(" ", strip=True).endswith("Storm warning for the coast")


def test_a_banner_comes_before_the_top_bar_and_after_the_skip_link(client, story, soup):
    make_banner()
    body = soup(client.get(story.url)).body
    # Document order: the top bar now sits inside the page's header banner, so compare where
    # the three appear rather than the body's direct children.
    order = [tag["class"][0] for tag in body.select(".skip-link, .breaking, .top-bar")]
    assert order == ["skip-link", "breaking", "top-bar"]
    assert body.select_one(".breaking").find_parent("header") is None


def test_a_banner_linking_to_a_page_of_the_site_links_to_its_address(client, story, soup):
    make_banner(text="Read the story", link_url="", link_page=story)
    assert banner_of(soup, client.get("/")).select_one("a")["href"] == story.url


def test_a_banner_whose_page_was_unpublished_shows_without_a_link(client, story, soup):
    make_banner(text="Read the story", link_url="", link_page=story)
    story.unpublish()
    banner = banner_of(soup, client.get("/"))
    assert banner.select_one("a") is None
    assert "Read the story" in banner.get_text()


def test_hostile_text_is_shown_as_text(client, story, soup):
    make_banner(text='<script>alert("x")</script> & <b>bold</b>')
    response = client.get(story.url)
    assert b"<script>alert" not in response.content
    assert banner_of(soup, response).select_one("a").get_text() == '<script>alert("x")</script> & <b>bold</b>'


def test_only_the_newest_banner_on_shows(client, story, soup, clock):
    make_banner(text="Older news")
    clock.shift(datetime.timedelta(minutes=5))
    make_banner(text="Newer news")
    banners = soup(client.get(story.url)).select('[aria-label="Breaking news"]')
    assert [banner.select_one("a").get_text() for banner in banners] == ["Newer news"]


def test_a_scheduled_banner_does_not_show_before_its_start(client, story, soup):
    make_banner(text="Later", starts_at=timezone.now() + datetime.timedelta(minutes=10))
    assert banner_of(soup, client.get(story.url)) is None


def test_a_banner_ended_by_hand_leaves_the_cached_page_at_once(client, story, soup, clock):
    banner = make_banner()
    clock.shift(datetime.timedelta(seconds=1))
    client.get(story.url)
    assert banner_of(soup, client.get(story.url)) is not None
    clock.shift(datetime.timedelta(seconds=1))
    banner_end(banner=banner)
    assert banner_of(soup, client.get(story.url)) is None


def test_at_expiry_the_job_purges_and_the_cached_page_loses_the_banner(client, story, soup, clock):
    make_banner(lasts=datetime.timedelta(minutes=10))
    client.get(story.url)
    clock.shift(datetime.timedelta(minutes=10, seconds=1))
    assert banner_changes_announce() == 1
    response = client.get(story.url)
    assert response["X-Page-Cache"] != "hit"
    assert banner_of(soup, response) is None


def test_the_include_hides_an_expired_banner_before_the_job_runs(client, story, soup, clock, settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": False}
    make_banner(lasts=datetime.timedelta(minutes=10))
    assert banner_of(soup, client.get(story.url)) is not None
    clock.shift(datetime.timedelta(minutes=10))
    assert banner_of(soup, client.get(story.url)) is None


def test_a_scheduled_banner_appears_when_the_job_finds_it_started(client, story, soup, clock):
    make_banner(text="At eleven", starts_at=timezone.now() + datetime.timedelta(minutes=10))
    client.get(story.url)
    clock.shift(datetime.timedelta(minutes=10))
    assert banner_changes_announce() == 1
    assert banner_of(soup, client.get(story.url)).select_one("a").get_text() == "At eleven"


def test_the_job_purges_once_per_change(story, clock):
    make_banner(lasts=datetime.timedelta(minutes=10))
    clock.shift(datetime.timedelta(minutes=11))
    before = site_marker()
    assert banner_changes_announce() == 1
    marker = site_marker()
    assert marker.stale_at > before.stale_at
    clock.shift(datetime.timedelta(seconds=15))
    assert banner_changes_announce() == 0
    assert site_marker() == marker


def site_marker():
    return page_cache.store().get_many([page_cache.SITE_MARKER])[page_cache.SITE_MARKER]


def test_a_banner_set_now_gives_the_job_nothing_to_do(story):
    make_banner()
    assert banner_changes_announce() == 0


@pytest.mark.usefixtures("story")
def test_a_warm_render_asks_no_query_for_the_banner(client, django_assert_num_queries, settings):
    from newsdesk.breaking.selectors import current_banner

    make_banner()
    current_banner()
    with django_assert_num_queries(0):
        assert current_banner() is not None


@pytest.mark.usefixtures("story")
def test_no_banner_is_remembered_too(client, django_assert_num_queries):
    from newsdesk.breaking.selectors import current_banner

    assert current_banner() is None
    with django_assert_num_queries(0):
        assert current_banner() is None


def test_a_warm_article_render_with_a_banner_on_reads_nothing(
    client, story, settings, clock, django_assert_num_queries
):
    # As without a banner (newsdesk/pages/tests/test_article_page.py).
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": False}
    make_banner()
    client.get(story.url)
    with django_assert_num_queries(0):
        client.get(story.url)


def test_the_scheduler_looks_for_changes_every_few_seconds(settings):
    assert settings.NEWSDESK_RECURRING_TASKS["newsdesk.breaking.tasks.announce_banner_changes"] <= 60
