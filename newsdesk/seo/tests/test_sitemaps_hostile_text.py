"""Sitemaps stay well-formed and valid with hostile text stored past the import and the admin."""

from pathlib import Path

import pytest
from lxml import etree
from wagtail.models import Site

from newsdesk.core.models import SiteSettings
from newsdesk.seo.templatetags.seo_tags import xml_chars

pytestmark = pytest.mark.django_db

XSD = Path(__file__).parent / "xsd"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}
HOSTILE = 'Fish & "chips" <script>alert(1)</script> ]]>\x0b\x00\ufffe end'
SHOWN = 'Fish & "chips" <script>alert(1)</script> ]]> end'
SITEMAPS = [
    "/sitemap.xml",
    "/sitemap-sections.xml",
    "/sitemap-authors.xml",
    "/sitemap-tags.xml",
    "/news-sitemap.xml",
]


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(XSD / "bundle.xsd")))


@pytest.fixture
def hostile(hostile_story):
    return hostile_story(HOSTILE)


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    # lxml's parser is strict: one forbidden character or stray "<" and this raises.
    return etree.fromstring(response.content)


@pytest.mark.parametrize("url", SITEMAPS)
def test_every_sitemap_is_well_formed_and_valid(client, hostile, schema, url):
    document = fetch(client, url)
    assert schema.validate(document), schema.error_log.last_error


def test_the_month_sitemap_is_well_formed_and_valid(client, hostile, schema):
    document = fetch(client, f"/sitemap-articles-{hostile.publication_date():%Y-%m}.xml")
    assert schema.validate(document), schema.error_log.last_error


def test_news_title_reads_back_as_plain_text(client, hostile):
    document = fetch(client, "/news-sitemap.xml")
    assert document.xpath("//news:title/text()", namespaces=NS) == [SHOWN]
    assert document.xpath("//news:title/*", namespaces=NS) == []


def test_publication_name_drops_forbidden_characters(client, hostile):
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.publication_name = "Lake\x0b Courier & Co"
    site_settings.save()
    document = fetch(client, "/news-sitemap.xml")
    assert document.xpath("//news:name/text()", namespaces=NS) == ["Lake Courier & Co"]


def test_the_filter_takes_any_value_and_leaves_escaping_to_the_template():
    assert xml_chars(None) == "None"
    assert xml_chars("<a>\x0b&") == "<a>&"
