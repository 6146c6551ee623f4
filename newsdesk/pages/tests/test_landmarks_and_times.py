"""What validators and screen readers need from the reader pages' markup (the browser run checks
the same pages with the Nu Html Checker and axe-core: tests/e2e/test_validators.py)."""

import datetime
import re

import pytest

from newsdesk.articles.models import ArticlePage, Author
from newsdesk.comments.factories import CommentFactory

pytestmark = pytest.mark.django_db

# HTML's valid global date and time string: at most three fraction digits; we write none.
WHOLE_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
WITH_FRACTION = datetime.datetime(2026, 11, 30, 6, 2, 6, 352404, tzinfo=datetime.UTC)


@pytest.fixture
def story(article_factory):
    for n in range(4):
        article_factory(headline=f"Neighbour {n}", section="politics")
    story = article_factory(headline="Tram line", section="politics", authors=["Anna Weber", "Ben Okafor"])
    # Publish times as the database keeps them, to the microsecond (the tests' clock ticks in seconds).
    ArticlePage.objects.update(first_published_at=WITH_FRACTION, last_published_at=WITH_FRACTION)
    CommentFactory(article=story, created_at=WITH_FRACTION)
    story.refresh_from_db()
    return story


def test_every_time_element_and_meta_time_is_whole_seconds(client, story, soup):
    for path in (story.url, "/", story.primary_section.url):
        page = soup(client.get(path))
        stamps = [t["datetime"] for t in page.select("time[datetime]") if "T" in t["datetime"]]
        stamps += [m["content"] for m in page.select('meta[property$="_time"]')]
        assert stamps, path
        assert [s for s in stamps if not WHOLE_SECONDS.match(s)] == [], path


def test_article_time_element_names_the_moment_in_the_site_time_zone(client, story, soup):
    published = soup(client.get(story.url)).select_one(".story__header .meta time")
    assert published["datetime"] == "2026-11-30T07:02:06+01:00"


def test_top_bar_sits_inside_the_banner_landmark(client, story, soup):
    for path in (story.url, "/"):
        page = soup(client.get(path))
        banner = page.select_one("body > header.site-header")
        assert banner.select_one(".top-bar .date-line time") is not None, path
        assert banner.select_one(".top-bar .weather") is not None, path
        assert page.select(".top-bar") == banner.select(".top-bar"), path


def test_each_author_box_has_its_own_name(client, story, soup):
    boxes = soup(client.get(story.url)).select("section.author-box")
    assert [box["aria-label"] for box in boxes] == ["About the author: Anna Weber", "About the author: Ben Okafor"]


def test_home_and_section_pages_have_a_description(client, story, soup):
    home = soup(client.get("/")).select('head meta[name="description"]')
    assert [m["content"] for m in home] == ["Independent local and world news."]
    section = story.primary_section
    described = soup(client.get(section.url)).select('head meta[name="description"]')
    assert [m["content"] for m in described] == [section.specific.intro or section.title]


def descriptions(page) -> list[str]:
    return [meta["content"] for meta in page.select('head meta[name="description"]')]


def test_a_tag_page_has_a_description_naming_the_tag(client, article_factory, soup):
    article_factory(headline="Ferry timetable", tags=["harbour"])
    page = soup(client.get("/tags/harbour/"))
    assert descriptions(page) == ["News and stories about harbour from Newsdesk."]


def test_an_author_page_is_described_by_the_authors_bio(client, article_factory, soup):
    article_factory(headline="Mine", authors=["Jonas Falk"])
    Author.objects.filter(slug="jonas-falk").update(bio="Jonas Falk reports on the harbour.")
    assert descriptions(soup(client.get("/authors/jonas-falk/"))) == ["Jonas Falk reports on the harbour."]


def test_an_author_page_without_a_bio_still_has_a_description(client, article_factory, soup):
    article_factory(headline="Mine", authors=["Jonas Falk"])
    Author.objects.filter(slug="jonas-falk").update(bio="")
    assert descriptions(soup(client.get("/authors/jonas-falk/"))) == ["Articles by Jonas Falk for Newsdesk."]
