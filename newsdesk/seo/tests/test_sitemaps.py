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


# The middle of a month, so a week before is the same month: one article sitemap for both stories.
MID_MONTH = datetime.datetime(2026, 5, 20, 10, 0, tzinfo=datetime.UTC)
MONTH_FILE = "/sitemap-articles-2026-05.xml"


@pytest.fixture
def stories(article_factory, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(MID_MONTH, tick=False)
    # The jobs a publish enqueues run after the commit (here: when the block ends).
    with django_capture_on_commit_callbacks(execute=True):
        return [
            article_factory(
                headline="Today", section="local", authors=["Jonas Falk"], tags=["housing"], with_image=True
            ),
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
        f"http://testserver/sitemap-{name}.xml" for name in ("sections", "authors", "tags", "pages", "articles-2026-05")
    ]


def test_index_lists_each_month_with_articles_newest_first_dated_by_its_newest_change(
    client, article_factory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for when in ("2024-01-31T23:30:00+00:00", "2026-03-02T08:00:00+00:00", "2026-03-09T08:00:00+00:00"):
            article_factory(headline=f"From {when}", published_at=datetime.datetime.fromisoformat(when))
    index = fetch(client, "/sitemap.xml")
    months = index.xpath("//sm:sitemap[contains(sm:loc, 'articles-')]", namespaces=NS)
    found = [(m.findtext("sm:loc", namespaces=NS), m.findtext("sm:lastmod", namespaces=NS)) for m in months]
    # 23:30 UTC on 31 January is 1 February in the site's time zone (Europe/Berlin), as the article's address is.
    assert [location for location, _ in found] == [
        "http://testserver/sitemap-articles-2026-03.xml",
        "http://testserver/sitemap-articles-2024-02.xml",
    ]
    assert all(lastmod for _, lastmod in found)


@pytest.mark.parametrize("years", [1, 12])
def test_index_reads_one_query_however_many_months(
    client, article_factory, django_assert_num_queries, django_capture_on_commit_callbacks, years
):
    with django_capture_on_commit_callbacks(execute=True):
        for year in range(2010, 2010 + years):
            article_factory(headline=f"In {year}", published_at=datetime.datetime(year, 6, 1, tzinfo=datetime.UTC))
    client.get("/sitemap.xml")  # the site and the view restrictions are kept after the first request
    with django_assert_num_queries(1):
        months = etree.fromstring(client.get("/sitemap.xml").content).xpath(
            "//sm:loc[contains(., 'articles-')]", namespaces=NS
        )
    assert len(months) == years


@pytest.mark.parametrize("name", ["articles-2026-05", "sections", "authors", "tags", "pages"])
def test_each_sitemap_validates_and_has_lastmod(client, stories, about, schema, name):
    document = fetch(client, f"/sitemap-{name}.xml")
    assert valid(schema, document) == (True, None)
    urls = document.xpath("//sm:url", namespaces=NS)
    assert urls
    assert all(url.find("sm:lastmod", NS) is not None for url in urls)


def test_month_sitemap_has_dated_urls_and_image_entries(client, stories):
    document = fetch(client, MONTH_FILE)
    assert document.xpath("//sm:loc/text()", namespaces=NS) == [f"http://testserver{s.url}" for s in stories]
    images = document.xpath("//sm:url[1]/image:image/image:loc/text()", namespaces=NS)
    assert images == [f"http://testserver{stories[0].lead_image.get_rendition('width-1200|format-jpeg').url}"]


def test_a_picture_whose_file_is_missing_is_left_out_and_its_article_kept(client, stories, schema):
    picture = stories[0].lead_image
    picture.renditions.all().delete()
    picture.file.storage.delete(picture.file.name)  # media not copied: its rendition cannot be made
    document = fetch(client, MONTH_FILE)
    assert valid(schema, document) == (True, None)
    assert document.xpath("//sm:loc/text()", namespaces=NS) == [f"http://testserver{s.url}" for s in stories]
    assert document.xpath("//image:image", namespaces=NS) == []


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
    for url in [MONTH_FILE, "/news-sitemap.xml"]:
        locations = set(fetch(client, url).xpath("//sm:loc/text()", namespaces=NS))
        assert not locations & hidden_urls


def test_the_schema_rejects_a_broken_sitemap(schema):
    broken = etree.fromstring(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://x.example/</loc>'
        b"<changefreq>sometimes</changefreq></url></urlset>"
    )
    assert schema.validate(broken) is False


@pytest.mark.parametrize("count", [1, 6])
def test_month_sitemap_reads_two_queries_however_many_pictured_articles(
    client, article_factory, time_machine, django_assert_num_queries, count
):
    time_machine.move_to(MID_MONTH, tick=False)
    for n in range(count):
        article_factory(headline=f"Pictured {n}", with_image=True)
    client.get(MONTH_FILE)  # renditions are made on the first request
    # The month's articles, then every rendition of their pictures.
    with django_assert_num_queries(2):
        client.get(MONTH_FILE)


def test_a_month_without_published_articles_is_not_found(client, stories):
    assert client.get("/sitemap-articles-2026-04.xml").status_code == 404


@pytest.mark.parametrize("name", ["articles-2026-13", "articles-2026-00", "articles-0000-05", "articles-2026-5"])
def test_a_malformed_month_is_not_found(client, stories, name):
    assert client.get(f"/sitemap-{name}.xml").status_code == 404


def test_there_is_no_sitemap_of_every_article(client, stories):
    assert client.get("/sitemap-articles.xml").status_code == 404


def test_the_pages_sitemap_lists_live_pages_only(client, about):
    draft = HomePage.objects.get().add_child(instance=InformationPage(title="Privacy", slug="privacy", live=False))
    draft.save_revision()
    locations = fetch(client, "/sitemap-pages.xml").xpath("//sm:loc/text()", namespaces=NS)
    assert locations == ["http://testserver/about-us/"]


def lastmods(document):
    return {
        url.findtext("sm:loc", namespaces=NS): datetime.datetime.fromisoformat(
            url.findtext("sm:lastmod", namespaces=NS)
        )
        for url in document.xpath("//sm:url", namespaces=NS)
    }


def test_a_month_file_lists_an_article_at_its_own_address_in_the_sites_time_zone(client, article_factory):
    # 23:30 UTC on 31 May is 1 June in Europe/Berlin: the address and the month file are June's.
    story = article_factory(headline="Late", published_at=datetime.datetime(2026, 5, 31, 23, 30, tzinfo=datetime.UTC))
    locations = fetch(client, "/sitemap-articles-2026-06.xml").xpath("//sm:loc/text()", namespaces=NS)
    assert locations == [f"http://testserver{story.url}"]
    assert story.url.startswith("/2026/06/01/")


def test_a_month_file_dates_each_article_by_its_last_change(client, stories):
    edited = datetime.datetime(2026, 5, 20, 12, 0, tzinfo=datetime.UTC)
    ArticlePage.objects.filter(pk=stories[1].pk).update(last_published_at=edited)
    found = lastmods(fetch(client, MONTH_FILE))
    assert found[f"http://testserver{stories[1].url}"] == edited


@pytest.mark.parametrize("name", ["sections", "authors", "tags"])
def test_a_list_is_dated_by_when_its_newest_article_last_changed(client, article_factory, time_machine, name):
    time_machine.move_to(MID_MONTH, tick=False)
    older = timezone.now() - datetime.timedelta(days=3)
    article_factory(headline="Older", section="local", authors=["Jonas Falk"], tags=["housing"], published_at=older)
    newest = article_factory(headline="Newest", section="local", authors=["Jonas Falk"], tags=["housing"])
    changed = MID_MONTH + datetime.timedelta(hours=1)
    ArticlePage.objects.filter(pk=newest.pk).update(last_published_at=changed)
    found = lastmods(fetch(client, f"/sitemap-{name}.xml"))
    page = {"sections": "/local/", "authors": "/authors/jonas-falk/", "tags": "/tags/housing/"}[name]
    assert found[f"http://testserver{page}"] == changed


@pytest.mark.parametrize("name", ["authors", "tags"])
def test_an_author_or_tag_without_a_published_article_is_not_listed(client, article_factory, name):
    article_factory(headline="Kept", authors=["Jonas Falk"], tags=["housing"])
    gone = article_factory(headline="Withdrawn", authors=["Mara Quell"], tags=["zoning"])
    gone.unpublish()
    locations = fetch(client, f"/sitemap-{name}.xml").xpath("//sm:loc/text()", namespaces=NS)
    assert locations == [
        {"authors": "http://testserver/authors/jonas-falk/", "tags": "http://testserver/tags/housing/"}[name]
    ]


# Sections: Wagtail's public() reads the view restrictions, then the sections with their dates.
@pytest.mark.parametrize(("name", "queries"), [("sections", 2), ("authors", 1), ("tags", 1)])
@pytest.mark.parametrize("count", [1, 4])
def test_a_list_sitemap_reads_the_same_queries_however_many_entries(
    client, article_factory, django_assert_num_queries, name, queries, count
):
    for n in range(count):
        article_factory(headline=f"Story {n}", authors=[f"Writer {n}"], tags=[f"topic-{n}"])
    client.get(f"/sitemap-{name}.xml")  # the site and the view restrictions are kept after the first request
    with django_assert_num_queries(queries):
        client.get(f"/sitemap-{name}.xml")
