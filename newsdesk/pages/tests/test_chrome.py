"""The site header and footer: kept rendered between renders, with the reader's section marked."""

import pytest

from newsdesk.articles.models import SectionPage
from newsdesk.core import fragments

pytestmark = pytest.mark.django_db


def current(page) -> list[str]:
    return [link.get_text() for link in page.select(".site-header nav a[aria-current=page]")]


def header_menu(page) -> list[str]:
    return [link.get_text() for link in page.select(".site-header nav a")]


def footer_menu(page) -> list[str]:
    return [link.get_text() for link in page.select(".site-footer nav a")]


def test_each_menu_section_marks_itself_current_and_an_article_marks_none(client, article_factory, soup):
    article = article_factory(section="world")
    assert current(soup(client.get("/world/"))) == ["World"]
    assert current(soup(client.get("/sport/"))) == ["Sport"]
    assert current(soup(client.get(article.url))) == []
    assert current(soup(client.get("/world/"))) == ["World"]  # read back from its own kept part


def test_a_renamed_section_shows_in_the_kept_header_and_footer(client, sections, soup):
    client.get("/")
    sections["local"].title = "City"
    sections["local"].save_revision().publish()
    page = soup(client.get("/"))
    assert "City" in header_menu(page)
    assert "City" in footer_menu(page)


def test_header_and_footer_are_kept_until_the_articles_generation_changes(client, sections, soup):
    client.get("/")
    # A change no signal reports: the kept parts (and the kept menu) still show the old name.
    SectionPage.objects.filter(slug="world").update(title="Abroad")
    page = soup(client.get("/"))
    assert (header_menu(page)[0], footer_menu(page)[0]) == ("World", "World")
    fragments.bump(fragments.ARTICLES)
    page = soup(client.get("/"))
    assert (header_menu(page)[0], footer_menu(page)[0]) == ("Abroad", "Abroad")
