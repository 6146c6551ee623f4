import feedparser
import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from newsdesk.core.models import SiteSettings

pytestmark = pytest.mark.django_db

FEEDS = [
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/sections/local/rss/",
    "/feeds/sections/local/atom/",
    "/feeds/authors/jonas-falk/rss/",
    "/feeds/authors/jonas-falk/atom/",
    "/feeds/tags/housing/rss/",
    "/feeds/tags/housing/atom/",
]


@pytest.fixture
def story(article_factory):
    return article_factory(
        headline="Ferry \x0bback\x00 on the lake",
        section="local",
        authors=["Jonas Falk", "Priya Raman"],
        tags=["housing"],
        with_image=True,
    )


@pytest.mark.parametrize("url", FEEDS)
def test_feed_parses_without_errors_and_lists_the_story(client, story, url):
    # The import stripped the control characters XML 1.0 cannot carry.
    parsed = feedparser.parse(client.get(url).content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [entry.title for entry in parsed.entries] == ["Ferry back on the lake"]


@pytest.mark.parametrize("url", FEEDS)
def test_hidden_articles_are_in_no_feed(client, story, hidden_articles, url):
    titles = [entry.title for entry in feedparser.parse(client.get(url).content).entries]
    assert titles == ["Ferry back on the lake"]


def test_guid_survives_an_edit_of_headline_and_slug(client, story):
    before = feedparser.parse(client.get("/feeds/rss/").content).entries[0].id
    story.title, story.slug = "Ferry returns", "ferry-returns"
    story.save_revision().publish()
    after = feedparser.parse(client.get("/feeds/rss/").content).entries[0]
    assert after.title == "Ferry returns"
    assert after.id == before


def test_entry_has_dates_with_time_zone_authors_and_image_enclosure(client, story):
    entry = feedparser.parse(client.get("/feeds/atom/").content).entries[0]
    assert entry.published.endswith(("Z", "+00:00")) or entry.published[-6] in "+-"
    assert entry.author == "Jonas Falk, Priya Raman"
    rss = feedparser.parse(client.get("/feeds/rss/").content).entries[0]
    enclosure = rss.enclosures[0]
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) > 0
    assert client.get(enclosure.href.replace("http://testserver", "")).status_code in (200, 404)


def test_summary_by_default_full_text_when_the_site_says_so(client, story):
    summary = feedparser.parse(client.get("/feeds/rss/").content).entries[0].summary
    assert summary == story.standfirst
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.full_text_feeds = True
    settings.save()
    full = feedparser.parse(client.get("/feeds/rss/").content).entries[0].summary
    # Compared as text: feedparser turns character references such as &#x27; back into characters.
    paragraphs = [p.get_text() for p in BeautifulSoup(full, "html.parser").find_all("p")]
    assert paragraphs[0] == story.standfirst
    assert BeautifulSoup(story.body[0].value.source, "html.parser").get_text() in paragraphs


def test_unknown_section_author_or_tag_feed_is_404(client, sections):
    for url in ["/feeds/sections/nope/rss/", "/feeds/authors/nobody/atom/", "/feeds/tags/none/rss/"]:
        assert client.get(url).status_code == 404


def test_pages_advertise_their_feeds(client, story, soup):
    home = soup(client.get("/"))
    assert {link["href"] for link in home.select("link[rel=alternate]")} == {"/feeds/rss/", "/feeds/atom/"}
    section = soup(client.get("/local/"))
    assert "/feeds/sections/local/rss/" in {link["href"] for link in section.select("link[rel=alternate]")}
    article = soup(client.get(story.url))
    assert "/feeds/rss/" in {link["href"] for link in article.select("link[rel=alternate]")}


def test_feed_query_count_does_not_grow_with_articles(client, article_factory, django_assert_max_num_queries):
    for n in range(6):
        article_factory(headline=f"Pictured {n}", with_image=True, authors=["A B", "C D"], tags=["x", "y"])
    client.get("/feeds/rss/")
    with django_assert_max_num_queries(10):
        client.get("/feeds/rss/")
