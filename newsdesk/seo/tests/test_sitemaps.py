import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from newsdesk.articles.models import ArticlePage, HomePage, InformationPage

pytestmark = pytest.mark.django_db

XSD = Path(__file__).parent / "xsd"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(XSD / "bundle.xsd")))


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return etree.fromstring(response.content)


def valid(schema, document):
    ok = schema.validate(document)
    return ok, schema.error_log.last_error


@pytest.fixture
def stories(article_factory):
    return [
        article_factory(headline="Today", section="local", authors=["Jonas Falk"], tags=["housing"], with_image=True),
        article_factory(headline="Last week", published_at=timezone.now() - datetime.timedelta(days=7)),
    ]


@pytest.fixture
def about(sections):
    home = HomePage.objects.get()
    page = home.add_child(instance=InformationPage(title="About us", slug="about-us", live=False))
    page.save_revision().publish()
    return page


def test_robots_txt_lists_the_sitemaps(client, sections):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body.splitlines()
    assert "Sitemap: http://testserver/news-sitemap.xml" in body.splitlines()


def test_index_lists_each_sitemap_and_validates(client, stories, about, schema):
    index = fetch(client, "/sitemap.xml")
    assert valid(schema, index) == (True, None)
    locations = index.xpath("//sm:loc/text()", namespaces=NS)
    assert locations == [
        f"http://testserver/sitemap-{name}.xml" for name in ("articles", "sections", "authors", "tags", "pages")
    ]


@pytest.mark.parametrize("name", ["articles", "sections", "authors", "tags", "pages"])
def test_each_sitemap_validates_and_has_lastmod(client, stories, about, schema, name):
    document = fetch(client, f"/sitemap-{name}.xml")
    assert valid(schema, document) == (True, None)
    urls = document.xpath("//sm:url", namespaces=NS)
    assert urls
    assert all(url.find("sm:lastmod", NS) is not None for url in urls)


def test_article_sitemap_has_dated_urls_and_image_entries(client, stories):
    document = fetch(client, "/sitemap-articles.xml")
    assert document.xpath("//sm:loc/text()", namespaces=NS) == [f"http://testserver{s.url}" for s in stories]
    images = document.xpath("//sm:url[1]/image:image/image:loc/text()", namespaces=NS)
    assert len(images) == 1 and images[0].endswith(".jpg")


def test_news_sitemap_holds_only_the_last_two_days_and_validates(client, stories, schema):
    document = fetch(client, "/news-sitemap.xml")
    assert valid(schema, document) == (True, None)
    assert document.xpath("//news:title/text()", namespaces=NS) == ["Today"]
    assert document.xpath("//news:publication/news:name/text()", namespaces=NS) == ["Newsdesk"]
    assert document.xpath("//news:publication/news:language/text()", namespaces=NS) == ["en"]
    date = document.xpath("//news:publication_date/text()", namespaces=NS)[0]
    assert datetime.datetime.fromisoformat(date).tzinfo is not None


def test_news_sitemap_stops_at_1000(client, stories, monkeypatch):
    monkeypatch.setattr("newsdesk.seo.sitemaps.NEWS_LIMIT", 1)
    assert len(fetch(client, "/news-sitemap.xml").xpath("//sm:url", namespaces=NS)) == 1


def test_an_article_two_days_and_a_minute_old_is_not_news(client, article_factory):
    article_factory(headline="Stale", published_at=timezone.now() - datetime.timedelta(days=2, minutes=1))
    assert fetch(client, "/news-sitemap.xml").xpath("//news:title/text()", namespaces=NS) == []


def test_hidden_articles_are_in_no_sitemap(client, stories, hidden_articles):
    hidden_urls = {f"http://testserver{p.dated_path()}" for p in ArticlePage.objects.filter(title__in=hidden_articles)}
    for url in ["/sitemap-articles.xml", "/news-sitemap.xml"]:
        locations = set(fetch(client, url).xpath("//sm:loc/text()", namespaces=NS))
        assert not locations & hidden_urls


def test_the_schema_rejects_a_broken_sitemap(schema):
    broken = etree.fromstring(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://x.example/</loc>'
        b"<changefreq>sometimes</changefreq></url></urlset>"
    )
    assert schema.validate(broken) is False


def test_article_sitemap_query_count_does_not_grow_with_articles(
    client, article_factory, django_assert_max_num_queries
):
    for n in range(6):
        article_factory(headline=f"Pictured {n}", with_image=True)
    client.get("/sitemap-articles.xml")  # renditions are made on the first request
    with django_assert_max_num_queries(8):
        client.get("/sitemap-articles.xml")


def test_the_pages_sitemap_lists_live_pages_only(client, about):
    draft = HomePage.objects.get().add_child(instance=InformationPage(title="Privacy", slug="privacy", live=False))
    draft.save_revision()
    locations = fetch(client, "/sitemap-pages.xml").xpath("//sm:loc/text()", namespaces=NS)
    assert locations == ["http://testserver/about-us/"]
