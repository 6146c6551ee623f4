"""Feeds stay well-formed and show hostile text as text: markup, XML's own delimiters, forbidden characters.

The text is written past the import and the admin (as rows stored before they cleaned
text, or by any other path), so this proves the feeds' own escaping and cleaning.
"""

import feedparser
import pytest
from lxml import etree
from wagtail.models import Site

from newsdesk.core.models import SiteSettings

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = 'Fish & "chips" <script>alert(1)</script> ]]> <b>bold</b>\x0b\x00\ufffe end'
# What readers must see: the same text, less the characters XML 1.0 forbids.
SHOWN = 'Fish & "chips" <script>alert(1)</script> ]]> <b>bold</b> end'
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
def hostile(hostile_story):
    return hostile_story(HOSTILE)


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return etree.fromstring(response.content)


def as_html(fragment):
    return etree.HTML(f"<div>{fragment}</div>")


def full_text_feeds():
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.full_text_feeds = True
    site_settings.save()


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_is_well_formed_and_feedparser_reads_it_cleanly(client, hostile, url):
    fetch(client, url)
    parsed = feedparser.parse(client.get(url).content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == 1


def test_rss_title_author_and_categories_are_plain_text(client, hostile):
    item = fetch(client, "/feeds/rss/").find("channel/item")
    assert item.findtext("title") == SHOWN
    assert [c.text for c in item.findall("category")] == [SHOWN, SHOWN]
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == SHOWN


def test_rss_description_has_no_live_element(client, hostile):
    description = as_html(fetch(client, "/feeds/rss/").find("channel/item").findtext("description"))
    assert description.xpath("//div/*") == []
    assert description.xpath("string(//div)") == SHOWN


def test_atom_summary_is_html_with_no_live_element(client, hostile):
    summary = fetch(client, "/feeds/atom/").find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    assert as_html(summary.text).xpath("//div/*") == []
    assert as_html(summary.text).xpath("string(//div)") == SHOWN


def test_atom_title_is_text(client, hostile):
    title = fetch(client, "/feeds/atom/").find(f"{ATOM}entry/{ATOM}title")
    assert title.get("type") in (None, "text")
    assert title.text == SHOWN


def test_full_text_description_keeps_the_standfirst_as_text(client, hostile):
    full_text_feeds()
    description = as_html(fetch(client, "/feeds/rss/").find("channel/item").findtext("description"))
    assert description.xpath("//script | //b") == []
    assert description.xpath("string(//div/p[1])") == SHOWN


def test_channel_titles_drop_forbidden_characters(client, hostile):
    channel = fetch(client, "/feeds/sections/local/rss/").find("channel")
    assert channel.findtext("title").startswith(f"{SHOWN} · ")


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_feedparser_sees_the_text_and_no_script(client, hostile, url):
    (entry,) = feedparser.parse(client.get(url).content).entries
    assert entry.title == SHOWN
    summary = as_html(entry.summary)
    assert summary.xpath("//script | //b") == []
    assert summary.xpath("string(//div)") == SHOWN
