"""A live article as a reader gets it: entries in the HTML, key events at the top, JSON-LD, the Live label."""

import datetime
import json

import pytest
from django.utils import timezone

from newsdesk.live import services
from newsdesk.live.models import LiveCoverage

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def at(minutes: int) -> datetime.datetime:
    return START + datetime.timedelta(minutes=minutes)


def entry_texts(page):
    entries = page.select("section.live .live-entry")
    return [entry.select_one(".live-entry__body").get_text().strip() for entry in entries]


def live_json_ld(page):
    found = [json.loads(script.string) for script in page.select('script[type="application/ld+json"]')]
    return [item for item in found if item.get("@type") == "LiveBlogPosting"]


def test_entries_are_in_the_html_newest_first_without_javascript(client, story, post, soup):
    post("First word", posted_at=at(0))
    post("Second word", posted_at=at(5))
    assert entry_texts(soup(client.get(story.url))) == ["Second word", "First word"]


def test_oldest_first_coverage_lists_entries_in_posting_order(client, story, coverage, post, soup):
    LiveCoverage.objects.filter(pk=coverage.pk).update(order=LiveCoverage.Order.OLDEST_FIRST)
    post("First word", posted_at=at(0))
    post("Second word", posted_at=at(5))
    assert entry_texts(soup(client.get(story.url))) == ["First word", "Second word"]


def test_pinned_entries_come_first(client, story, post, soup):
    post("Pinned note", posted_at=at(0), pinned=True)
    post("Later news", posted_at=at(5))
    assert entry_texts(soup(client.get(story.url))) == ["Pinned note", "Later news"]


def test_key_events_are_listed_at_the_top_and_link_to_their_entries(client, story, post, soup):
    key = post("Road closed", posted_at=at(0), key_event=True)
    post("Just colour", posted_at=at(5))
    page = soup(client.get(story.url))
    links = page.select(".live-key-events a")
    assert [link.get_text(" ", strip=True) for link in links] == ["09:00 Road closed"]
    assert links[0]["href"] == f"#entry-{key.pk}"
    assert page.select_one(f"#entry-{key.pk}") is not None


def test_entry_text_is_escaped(client, story, post, soup):
    post("<script>alert(1)</script>")
    page = soup(client.get(story.url))
    assert page.select_one("section.live script") is None
    assert "<script>alert(1)</script>" in page.select_one("section.live .live-entry").get_text()


def test_open_coverage_page_loads_the_polling_script(client, story, coverage, soup):
    page = soup(client.get(story.url))
    assert page.select_one('script[src$="js/live.js"]') is not None
    assert page.select_one("section.live")["data-live-updates"] == f"/live/{story.pk}/updates/"


def test_ordinary_article_has_no_live_parts(client, article_factory, soup):
    plain = article_factory(headline="Nothing live here")
    page = soup(client.get(plain.url))
    assert page.select_one("section.live") is None
    assert page.select_one(".live-key-events") is None
    assert page.select_one('script[src$="js/live.js"]') is None
    assert live_json_ld(page) == []


def test_json_ld_is_a_live_blog_posting_with_its_updates(client, story, coverage, post, soup):
    LiveCoverage.objects.filter(pk=coverage.pk).update(started_at=START.replace(microsecond=123456))
    post("Road closed\nMore to come", posted_at=at(3).replace(microsecond=987654))
    (data,) = live_json_ld(soup(client.get(story.url)))
    assert data["coverageStartTime"] == "2026-03-02T09:00:00+01:00"
    assert "coverageEndTime" not in data
    (update,) = data["liveBlogUpdate"]
    assert update["@type"] == "BlogPosting"
    assert update["headline"] == "Road closed"
    assert update["articleBody"] == "Road closed\nMore to come"
    assert update["datePublished"] == "2026-03-02T09:03:00+01:00"


def test_json_ld_survives_a_closing_script_tag_in_an_entry(client, story, post, soup):
    post("</script><script>alert(1)</script>")
    (data,) = live_json_ld(soup(client.get(story.url)))
    assert data["liveBlogUpdate"][0]["articleBody"] == "</script><script>alert(1)</script>"


def test_closed_coverage_is_frozen_with_an_end_time_and_no_polling(client, story, coverage, post, editor, soup):
    post("Last word")
    services.coverage_close(coverage=coverage, user=editor, ended_at=at(60))
    page = soup(client.get(story.url))
    assert page.select_one('script[src$="js/live.js"]') is None
    assert page.select_one("section.live")["data-live-updates"] == ""
    assert page.select_one(".live-closed") is not None
    (data,) = live_json_ld(page)
    assert data["coverageEndTime"] == "2026-03-02T10:00:00+01:00"


def test_deleted_entry_is_gone_from_the_page(client, story, post, editor, soup):
    gone = post("Wrong street named")
    post("Right street")
    services.entry_delete(entry=gone, user=editor)
    assert entry_texts(soup(client.get(story.url))) == ["Right street"]


def test_teaser_shows_live_while_open_and_not_after_closing(client, coverage, editor, soup):
    def label_on_home():
        return soup(client.get("/")).select(".teaser .live-label")

    assert len(label_on_home()) == 1
    services.coverage_close(coverage=coverage, user=editor, ended_at=timezone.now())
    assert label_on_home() == []
