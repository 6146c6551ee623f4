"""What crawlers are told: robots.txt, how long to keep each answer, which authors, tags and sections to list."""

import datetime

import pytest
from django.utils.cache import get_max_age
from lxml import etree
from wagtail.models import PageViewRestriction, Site

from newsdesk.core.models import SiteSettings

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}
WHEN = datetime.datetime(2025, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)


def sitemap(client, url):
    return etree.fromstring(client.get(url).content)


def lastmod_by_loc(document):
    return {
        url.findtext("sm:loc", namespaces=NS): datetime.datetime.fromisoformat(
            url.findtext("sm:lastmod", namespaces=NS)
        )
        for url in document.xpath("//sm:url", namespaces=NS)
    }


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_search(client, sections):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Disallow: /admin/", "Disallow: /search/"} <= set(lines)


@pytest.mark.parametrize(
    ("url", "seconds"),
    [("/robots.txt", 3600), ("/sitemap.xml", 900), ("/sitemap-sections.xml", 900), ("/news-sitemap.xml", 300)],
)
def test_crawler_files_may_be_kept_for_a_while(client, sections, url, seconds):
    response = client.get(url)
    assert get_max_age(response) == seconds
    assert "public" in response["Cache-Control"]


def test_news_sitemap_names_the_publication_the_editors_chose(client, article_factory):
    article_factory(headline="Fresh")
    SiteSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"publication_name": "The Eastbrook Courier"}
    )
    names = sitemap(client, "/news-sitemap.xml").xpath("//news:publication/news:name/text()", namespaces=NS)
    assert names == ["The Eastbrook Courier"]


def test_authors_and_tags_with_only_hidden_articles_are_in_no_sitemap(client, hidden_articles):
    for name in ("authors", "tags"):
        assert sitemap(client, f"/sitemap-{name}.xml").xpath("//sm:loc/text()", namespaces=NS) == []


def test_an_author_is_dated_by_their_newest_article(client, article_factory):
    article_factory(headline="Older", authors=["Jonas Falk"], published_at=WHEN - datetime.timedelta(days=3))
    article_factory(headline="Newer", authors=["Jonas Falk"], published_at=WHEN)
    dates = lastmod_by_loc(sitemap(client, "/sitemap-authors.xml"))
    assert dates == {"http://testserver/authors/jonas-falk/": WHEN}


def test_a_tag_is_listed_at_its_own_page_dated_by_its_newest_article(client, article_factory):
    article_factory(headline="Older", tags=["trams"], published_at=WHEN - datetime.timedelta(days=3))
    article_factory(headline="Newer", tags=["trams"], published_at=WHEN)
    dates = lastmod_by_loc(sitemap(client, "/sitemap-tags.xml"))
    assert dates == {"http://testserver/tags/trams/": WHEN}


def test_a_section_is_dated_by_its_newest_article(client, article_factory):
    article_factory(headline="Local news", section="local", published_at=WHEN)
    article_factory(headline="Later sport", section="sport", published_at=WHEN + datetime.timedelta(days=1))
    assert lastmod_by_loc(sitemap(client, "/sitemap-sections.xml"))["http://testserver/local/"] == WHEN


def test_a_private_section_is_in_no_sitemap(client, sections):
    PageViewRestriction.objects.create(page=sections["local"], restriction_type=PageViewRestriction.LOGIN)
    locations = sitemap(client, "/sitemap-sections.xml").xpath("//sm:loc/text()", namespaces=NS)
    assert "http://testserver/local/" not in locations
    assert "http://testserver/sport/" in locations
