"""The section menu: which sections it lists, and how long it is kept."""

import pytest
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from newsdesk.articles.models import HomePage, SectionPage
from newsdesk.articles.navigation import forget_nav_sections, nav_cache_key, nav_sections
from newsdesk.core import fragments

pytestmark = pytest.mark.django_db

ALL = ["World", "Politics", "Business", "Local", "Sport", "Culture"]


def menu_titles():
    return [item["title"] for item in nav_sections()]


def test_menu_lists_live_sections_in_tree_order_with_their_addresses(sections):
    assert nav_sections()[:2] == [{"title": "World", "url": "/world/"}, {"title": "Politics", "url": "/politics/"}]
    assert menu_titles() == ALL


def test_a_section_not_shown_in_menus_is_left_out(sections):
    SectionPage.objects.filter(slug="business").update(show_in_menus=False)
    assert "Business" not in menu_titles()


def test_an_unpublished_section_is_left_out(sections):
    sections["sport"].unpublish()
    assert "Sport" not in menu_titles()


def test_a_private_section_is_left_out(sections):
    PageViewRestriction.objects.create(page=sections["culture"], restriction_type=PageViewRestriction.LOGIN)
    assert menu_titles() == ALL[:-1]


def test_a_private_home_page_leaves_the_menu_empty(sections):
    PageViewRestriction.objects.create(page=HomePage.objects.get(), restriction_type=PageViewRestriction.LOGIN)
    assert menu_titles() == []


def test_the_menu_is_kept_and_read_without_queries(sections, django_assert_num_queries):
    nav_sections()
    with django_assert_num_queries(0):
        assert menu_titles() == ALL


def test_a_change_without_a_signal_shows_once_the_articles_generation_changes(sections):
    nav_sections()
    SectionPage.objects.filter(slug="world").update(title="Abroad")
    assert menu_titles()[0] == "World"
    fragments.bump(fragments.ARTICLES)
    assert menu_titles()[0] == "Abroad"


def test_the_key_follows_the_articles_generation(sections):
    before = nav_cache_key()
    fragments.bump(fragments.LISTS)
    assert nav_cache_key() == before
    fragments.bump(fragments.ARTICLES)
    assert nav_cache_key() != before


def test_forgetting_drops_the_kept_menu(sections):
    nav_sections()
    forget_nav_sections()
    assert cache.get(nav_cache_key()) is None


def test_publishing_a_renamed_section_shows_in_the_menu(sections):
    nav_sections()
    sections["local"].title = "City"
    sections["local"].save_revision().publish()
    assert menu_titles() == ["World", "Politics", "Business", "City", "Sport", "Culture"]


def test_deleting_a_section_drops_it_from_the_menu(sections):
    nav_sections()
    sections["culture"].delete()
    assert menu_titles() == ALL[:-1]
