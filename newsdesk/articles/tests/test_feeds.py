"""RSS and Atom feeds, read as XML: channels, items, ids, text, enclosures, and what they leave out."""

import datetime
import logging

import feedparser
import pytest
from django.conf import settings
from django.utils import timezone
from lxml import etree
from wagtail.models import PageViewRestriction, Site

from newsdesk.articles import feeds
from newsdesk.articles.models import ArticlePage
from newsdesk.core.models import SiteSettings

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss(client, url="/feeds/rss/"):
    response = client.get(url)
    assert response.status_code == 200, url
    return etree.fromstring(response.content)


def items(client, url="/feeds/rss/"):
    return rss(client, url).findall("channel/item")


def item_titles(client, url="/feeds/rss/"):
    return [item.findtext("title") for item in items(client, url)]


def full_text_feeds(on=True):
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.full_text_feeds = on
    site_settings.save()


@pytest.fixture
def story(article_factory):
    return article_factory(
        headline="Ferry back on the lake",
        section="local",
        authors=["Jonas Falk"],
        tags=["transport", "lake"],
        published_at=datetime.datetime(2025, 10, 21, 7, 30, tzinfo=datetime.UTC),
        body=[
            "First <b>paragraph</b>.",
            {"type": "heading", "text": "What next"},
            {"type": "quote", "text": "About time.", "attribution": "A captain"},
        ],
    )


def test_site_feed_channel_names_the_site(client, story):
    channel = rss(client).find("channel")
    assert channel.findtext("title") == settings.WAGTAIL_SITE_NAME
    assert channel.findtext("link") == "http://testserver/"
    assert channel.findtext("description") == f"The latest articles from {settings.WAGTAIL_SITE_NAME}."


@pytest.mark.parametrize(
    ("url", "title", "link"),
    [
        ("/feeds/sections/local/rss/", "Local", "http://testserver/local/"),
        ("/feeds/authors/jonas-falk/rss/", "Jonas Falk", "http://testserver/authors/jonas-falk/"),
        ("/feeds/tags/transport/rss/", "transport", "http://testserver/tags/transport/"),
    ],
)
def test_narrowed_feeds_name_and_link_what_they_follow(client, story, url, title, link):
    channel = rss(client, url).find("channel")
    assert channel.findtext("title") == f"{title} · {settings.WAGTAIL_SITE_NAME}"
    assert channel.findtext("link") == link


def test_item_links_to_the_dated_address(client, story):
    (item,) = items(client)
    assert item.findtext("link") == "http://testserver/2025/10/21/ferry-back-on-the-lake/"


def test_item_guid_is_a_tag_uri_of_the_page_id_not_a_permalink(client, story):
    guid = items(client)[0].find("guid")
    assert guid.text == f"tag:localhost,2025:article:{story.pk}"
    assert guid.get("isPermaLink") == "false"


def test_item_guid_is_the_same_in_every_feed(client, story):
    ids = {feedparser.parse(client.get(url).content).entries[0].id for url in ["/feeds/rss/", "/feeds/atom/"]}
    ids |= {items(client, "/feeds/tags/lake/rss/")[0].findtext("guid")}
    assert ids == {f"tag:localhost,2025:article:{story.pk}"}


def test_item_categories_are_the_section_then_the_tags(client, story):
    categories = [c.text for c in items(client)[0].findall("category")]
    assert categories[0] == "Local"
    assert sorted(categories[1:]) == ["lake", "transport"]


def test_item_date_is_the_first_publication(client, story):
    pub_date = items(client)[0].findtext("pubDate")
    assert pub_date == "Tue, 21 Oct 2025 07:30:00 +0000"


def test_atom_entry_updated_follows_the_last_publication(client, story):
    later = datetime.datetime(2025, 10, 22, 8, 0, tzinfo=datetime.UTC)
    ArticlePage.objects.filter(pk=story.pk).update(last_published_at=later)
    entry = etree.fromstring(client.get("/feeds/atom/").content).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}published") == "2025-10-21T07:30:00+00:00"
    assert entry.findtext(f"{ATOM}updated") == "2025-10-22T08:00:00+00:00"


def test_atom_feed_has_the_description_as_subtitle(client, story):
    feed = etree.fromstring(client.get("/feeds/sections/local/atom/").content)
    assert feed.findtext(f"{ATOM}subtitle") == f"The latest articles from {settings.WAGTAIL_SITE_NAME}."


def test_summary_feed_carries_the_standfirst_only(client, story):
    # The description is HTML: read as HTML, it is the standfirst's text.
    assert etree.HTML(items(client)[0].findtext("description")).xpath("string(//body)") == story.standfirst


def test_full_text_feed_carries_text_blocks_as_html(client, story):
    full_text_feeds()
    html = etree.HTML(items(client)[0].findtext("description"))
    assert html.xpath("//body/p")[0].text == story.standfirst
    assert html.xpath("//body/p")[1].text == "First <b>paragraph</b>."  # imported as plain text
    assert html.xpath("//b") == []
    assert html.xpath("//h2/text()") == ["What next"]
    assert html.xpath("//blockquote//text()") == ["About time."]


def test_full_text_feed_leaves_out_pictures_embeds_and_ad_slots(client, story):
    body = list(story.body.raw_data)
    body += [
        {"type": "embed", "value": {"url": "https://video.example/1", "title": "The vote"}},
        {"type": "ad_slot", "value": None},
    ]
    story.body = body
    story.save_revision().publish()
    full_text_feeds()
    html = etree.HTML(items(client)[0].findtext("description"))
    assert html.xpath("//a") == []
    assert html.xpath("//*[contains(@class, 'ad')]") == []
    assert "The vote" not in "".join(html.itertext())


def test_full_text_feed_shows_markup_in_the_standfirst_as_text(client, story):
    # Found by these tests: the plain-text standfirst was sanitised as HTML, so an <img> reached readers.
    standfirst = 'Calm <img src="https://tracker.example/p.gif"> & <b>bold</b>'
    ArticlePage.objects.filter(pk=story.pk).update(standfirst=standfirst)
    full_text_feeds()
    html = etree.HTML(items(client)[0].findtext("description"))
    assert html.xpath("//img") == []
    assert html.xpath("//body/p")[0].text == standfirst


def test_feed_values_keep_only_xml_characters_in_strings_and_lists():
    assert feeds.xml_text("a\x00b\x0bc\ufffed\t\u00e9\n") == "abcd\t\u00e9\n"
    assert feeds.xml_text(("a\x0b", "b")) == ["a", "b"]
    assert feeds.xml_text(None) is None


def test_a_control_character_written_past_the_import_does_not_break_the_feed(client, story):
    ArticlePage.objects.filter(pk=story.pk).update(title="Ferry\x0c back", standfirst="Calm\x1b water")
    (item,) = items(client)
    assert (item.findtext("title"), item.findtext("description")) == ("Ferry back", "Calm water")


def test_item_without_a_picture_has_no_enclosure(client, story):
    assert items(client)[0].find("enclosure") is None


def test_enclosure_is_an_absolute_jpeg_rendition(client, article_factory):
    article_factory(headline="Pictured", with_image=True)
    enclosure = items(client)[0].find("enclosure")
    assert enclosure.get("type") == "image/jpeg"
    assert enclosure.get("url").startswith("http://testserver/")
    assert enclosure.get("url").endswith(".jpg")
    assert int(enclosure.get("length")) > 0


def test_a_rendition_whose_file_is_gone_leaves_its_item_without_an_enclosure(client, article_factory, caplog):
    pictured = article_factory(headline="Pictured", with_image=True)
    rendition = pictured.lead_image.get_rendition("width-1200|format-jpeg")
    rendition.file.storage.delete(rendition.file.name)
    with caplog.at_level(logging.WARNING, logger="newsdesk.articles.feeds"):
        (item,) = items(client)
    assert item.findtext("title") == "Pictured"
    assert item.find("enclosure") is None
    assert "its picture's file is missing" in caplog.text


def test_a_picture_whose_original_is_gone_leaves_its_item_without_an_enclosure(client, article_factory):
    pictured = article_factory(headline="Pictured", with_image=True)
    pictured.lead_image.file.storage.delete(pictured.lead_image.file.name)
    (item,) = items(client)
    assert item.findtext("title") == "Pictured"
    assert item.find("enclosure") is None


def test_items_are_newest_first(client, article_factory):
    for n in range(3):
        article_factory(headline=f"Story {n}")
    assert item_titles(client) == ["Story 0", "Story 1", "Story 2"]


def test_a_feed_holds_at_most_feed_size_items(client, article_factory, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_SIZE", 2)
    for n in range(3):
        article_factory(headline=f"Story {n}")
    assert item_titles(client) == ["Story 0", "Story 1"]


def test_section_feed_lists_articles_with_the_section_as_an_extra(client, story, article_factory, sections):
    extra = article_factory(headline="Also local", section="world")
    extra.extra_sections.add(sections["local"])
    extra.save_revision().publish()
    assert item_titles(client, "/feeds/sections/local/rss/") == ["Also local", "Ferry back on the lake"]
    assert item_titles(client, "/feeds/sections/world/rss/") == ["Also local"]


@pytest.mark.parametrize(
    "url",
    ["/feeds/rss/", "/feeds/sections/local/rss/", "/feeds/authors/jonas-falk/rss/", "/feeds/tags/transport/rss/"],
)
def test_a_live_article_with_a_future_first_publication_is_in_no_feed(client, story, article_factory, url):
    embargoed = article_factory(headline="Embargoed", section="local", authors=["Jonas Falk"], tags=["transport"])
    ArticlePage.objects.filter(pk=embargoed.pk).update(first_published_at=timezone.now() + datetime.timedelta(hours=1))
    assert item_titles(client, url) == ["Ferry back on the lake"]


def test_a_private_sections_feed_is_not_found(client, story, sections):
    PageViewRestriction.objects.create(page=sections["local"], restriction_type=PageViewRestriction.LOGIN)
    assert client.get("/feeds/sections/local/rss/").status_code == 404
    assert client.get("/feeds/sections/local/atom/").status_code == 404


def test_an_unpublished_sections_feed_is_not_found(client, story, sections):
    sections["local"].unpublish()
    assert client.get("/feeds/sections/local/rss/").status_code == 404


def test_feeds_of_an_author_or_tag_with_nothing_published_are_empty_not_missing(client, story):
    story.unpublish()
    assert item_titles(client, "/feeds/authors/jonas-falk/rss/") == []
    assert item_titles(client, "/feeds/tags/lake/rss/") == []
