"""The polling endpoint: new entries only, a short public lifetime, purged by every entry, never for drafts."""

import datetime
import zoneinfo

import pytest

from newsdesk.live import services

# These tests expect a page copy kept between two requests. An HTML copy ends at local midnight,
# so they run from a fixed afternoon (the clock still ticks: a copy made at the instant of a
# purge counts as purged) instead of wherever the real clock is, which may be 23:59:59.
AFTERNOON = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(AFTERNOON, tick=True)]


def updates(client, story, **query):
    return client.get(f"/live/{story.pk}/updates/", query)


def test_answers_only_entries_after_the_cursor_oldest_first(client, story, post):
    first = post("One")
    second = post("Two")
    third = post("Three")
    data = updates(client, story, after=first.pk).json()
    assert [entry["id"] for entry in data["entries"]] == [second.pk, third.pk]
    assert data["open"] is True


def test_without_a_cursor_answers_every_entry(client, story, post):
    post("One")
    post("Two")
    assert len(updates(client, story).json()["entries"]) == 2


def test_a_cursor_that_is_not_a_number_counts_as_none(client, story, post):
    post("One")
    assert len(updates(client, story, after="1 OR 1=1").json()["entries"]) == 1


def test_entries_come_rendered_and_escaped(client, story, post, soup):
    post("<b>bold?</b>")
    (entry,) = updates(client, story).json()["entries"]
    assert "<b>" not in entry["html"]
    assert "&lt;b&gt;bold?&lt;/b&gt;" in entry["html"]


def test_deleted_entries_are_not_answered(client, story, post, editor):
    gone = post("Oops")
    services.entry_delete(entry=gone, user=editor)
    assert updates(client, story).json()["entries"] == []


def test_answer_is_public_and_fresh_for_seconds(client, story, coverage, settings):
    settings.NEWSDESK_LIVE_UPDATES_MAX_AGE = 5
    cache_control = updates(client, story)["Cache-Control"]
    assert "public" in cache_control
    assert "max-age=5" in cache_control
    assert "s-maxage=5" in cache_control


def test_closed_coverage_says_so(client, story, coverage, editor):
    services.coverage_close(coverage=coverage, user=editor)
    assert updates(client, story).json()["open"] is False


def test_draft_article_never_answers(client, story, coverage, post):
    post("Secret")
    story.unpublish()
    assert updates(client, story).status_code == 404


def test_article_without_coverage_is_not_found(client, article_factory):
    plain = article_factory(headline="Plain")
    assert client.get(f"/live/{plain.pk}/updates/").status_code == 404


def test_post_is_refused_on_the_endpoint(client, story, coverage):
    assert client.post(f"/live/{story.pk}/updates/").status_code == 405


@pytest.fixture
def page_cache_on(settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": True}


def test_the_page_cache_keeps_the_answer_until_an_entry_purges_it(
    client, story, coverage, post, page_cache_on, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post("One")
    assert len(updates(client, story).json()["entries"]) == 1
    cached = updates(client, story)
    assert cached["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        post("Two")
    fresh = updates(client, story)
    assert fresh.get("X-Page-Cache") != "hit"
    assert len(fresh.json()["entries"]) == 2


def test_an_entry_purges_the_article_page(
    client, story, coverage, post, page_cache_on, soup, django_capture_on_commit_callbacks
):
    client.get(story.url)
    assert client.get(story.url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        post("Fresh news")
    page = client.get(story.url)
    assert page.get("X-Page-Cache") != "hit"
    assert "Fresh news" in soup(page).select_one("section.live").get_text()
