"""Plain pages (Impressum, About us): served at their tree path in the site's layout, purged when they change."""

import datetime
import zoneinfo

import pytest
from django.contrib.auth.models import Group, User
from django.test import RequestFactory

from newsdesk.articles.blocks import ArticleBodyBlock, PageBodyBlock
from newsdesk.articles.models import ArticleIndexPage, HomePage, InformationPage
from newsdesk.core import page_cache
from newsdesk.core.roles import EDITORS

# These tests expect a page copy kept between two requests. An HTML copy ends at local midnight,
# so they run from a fixed afternoon (the clock still ticks: a copy made at the instant of a
# purge counts as purged) instead of wherever the real clock is, which may be 23:59:59.
AFTERNOON = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(AFTERNOON, tick=True)]

BODY = [
    {"type": "heading", "value": "Publisher"},
    {"type": "paragraph", "value": "<p>Newsdesk GmbH, Hafenstraße 1, Hamburg.</p>"},
    {"type": "quote", "value": {"text": "We report, you decide.", "attribution": "The editors"}},
]


def add_page(parent, *, title, slug, intro="", body=(), publish=True):
    page = parent.add_child(instance=InformationPage(title=title, slug=slug, intro=intro, body=list(body)))
    if publish:
        page.save_revision().publish()
    else:
        page.unpublish()
    return InformationPage.objects.get(pk=page.pk)


@pytest.fixture
def impressum(sections):
    return add_page(HomePage.objects.get(), title="Impressum", slug="impressum", intro="Who we are.", body=BODY)


@pytest.fixture
def about(sections):
    return add_page(HomePage.objects.get(), title="About us", slug="about-us")


@pytest.fixture
def team(about):
    return add_page(about, title="Our team", slug="team", intro="The people behind Newsdesk.")


# --- what readers see ----------------------------------------------------------------


def test_the_page_answers_at_its_tree_path_with_one_h1(client, impressum, soup):
    response = client.get("/impressum/")
    assert response.status_code == 200
    assert [h1.get_text() for h1 in soup(response).find_all("h1")] == ["Impressum"]


def test_the_page_shows_its_intro_and_body_in_an_article(client, impressum, soup):
    article = soup(client.get("/impressum/")).select_one("main article")
    assert article.select_one(".standfirst").get_text() == "Who we are."
    assert article.select_one("h2").get_text() == "Publisher"
    assert article.select_one(".story__body p").get_text() == "Newsdesk GmbH, Hafenstraße 1, Hamburg."
    assert article.select_one("blockquote").get_text(strip=True) == "We report, you decide."


def test_the_page_has_the_site_header_and_footer_and_no_comments(client, impressum, soup):
    page = soup(client.get("/impressum/"))
    assert page.select_one(".top-bar .date-line") is not None
    assert [a["href"] for a in page.select("nav .nav a")][:1] == ["/world/"]
    assert page.select_one("footer") is not None
    assert page.select_one("form[action*=comments], .comments") is None


def test_an_empty_stub_page_renders(client, about, soup):
    response = client.get("/about-us/")
    assert response.status_code == 200
    assert soup(response).select_one(".standfirst") is None


def test_a_child_page_answers_under_its_parent(client, team, soup):
    response = client.get("/about-us/team/")
    assert response.status_code == 200
    assert soup(response).h1.get_text() == "Our team"


def test_a_draft_is_404_to_readers(client, sections):
    add_page(HomePage.objects.get(), title="Privacy", slug="privacy", publish=False)
    assert client.get("/privacy/").status_code == 404


# --- where it may go -----------------------------------------------------------------


def test_it_may_be_created_under_the_home_page_and_another_plain_page(impressum):
    assert InformationPage.can_create_at(HomePage.objects.get())
    assert InformationPage.can_create_at(impressum)
    assert set(InformationPage.allowed_parent_page_models()) == {HomePage, InformationPage}


def test_it_may_not_be_created_under_a_section_or_the_article_index(sections):
    assert not InformationPage.can_create_at(sections["world"])
    assert not InformationPage.can_create_at(ArticleIndexPage.objects.get())


def test_only_plain_pages_go_under_a_plain_page(impressum):
    assert InformationPage.allowed_subpage_models() == [InformationPage]


def test_an_editor_can_open_the_form_for_a_new_page_under_home(client, sections):
    editor = User.objects.create_user("edna", "edna@example.org", "pw", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    home = HomePage.objects.get()
    assert client.get(f"/admin/pages/add/articles/informationpage/{home.pk}/").status_code == 200


# --- the body ------------------------------------------------------------------------


def test_the_body_takes_an_articles_blocks_except_the_ad_slot():
    article_blocks = ArticleBodyBlock().child_blocks
    page_blocks = PageBodyBlock().child_blocks
    assert set(page_blocks) == set(article_blocks) - {"ad_slot"}
    assert all(type(page_blocks[name]) is type(article_blocks[name]) for name in page_blocks)


def test_an_ad_slot_in_a_body_made_for_an_article_is_left_out():
    body = PageBodyBlock().to_python([{"type": "ad_slot", "value": None}, {"type": "heading", "value": "Contact"}])
    assert [block.block_type for block in body] == ["heading"]


# --- the page cache ------------------------------------------------------------------


@pytest.fixture
def page_cache_on(settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": True, "WAIT_SECONDS": 0.05}


def cached(client, path):
    client.get(path)
    return client.get(path)["X-Page-Cache"] == "hit"


def other_worker_renders(path):
    """Hold the render lock of `path`, as a worker busy re-rendering it would."""
    keys = page_cache.keys_for(RequestFactory().get(path).META)
    assert keys is not None
    return page_cache.store().lock(keys.lock, 30)


@pytest.mark.usefixtures("page_cache_on")
def test_publishing_a_change_purges_the_cached_copy(client, impressum, soup):
    assert cached(client, "/impressum/")
    impressum.intro = "Who we are, and where."
    impressum.save_revision().publish()
    response = client.get("/impressum/")
    assert response["X-Page-Cache"] == "miss"
    assert soup(response).select_one(".standfirst").get_text() == "Who we are, and where."


@pytest.mark.usefixtures("page_cache_on")
def test_unpublishing_means_the_copy_is_never_served_again(client, impressum):
    assert cached(client, "/impressum/")
    impressum.unpublish()
    with other_worker_renders("/impressum/"):
        assert client.get("/impressum/").status_code == 404


@pytest.mark.usefixtures("page_cache_on")
def test_deleting_a_page_purges_the_pages_under_it(client, team):
    assert cached(client, "/about-us/team/")
    team.get_parent().delete()
    with other_worker_renders("/about-us/team/"):
        assert client.get("/about-us/team/").status_code == 404


@pytest.mark.usefixtures("page_cache_on")
def test_a_new_slug_purges_the_old_addresses_of_the_page_and_its_children(
    client, team, django_capture_on_commit_callbacks
):
    assert cached(client, "/about-us/team/")
    about = InformationPage.objects.get(slug="about-us")
    about.slug = "who-we-are"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail sends page_slug_changed after commit
        about.save_revision().publish()
    with other_worker_renders("/about-us/team/"):
        moved = client.get("/about-us/team/")
    assert (moved.status_code, moved["Location"]) == (301, "/who-we-are/team/")  # the redirect, not the old copy


@pytest.mark.usefixtures("page_cache_on")
def test_moving_a_page_purges_its_old_address(client, impressum, about):
    assert cached(client, "/impressum/")
    impressum.move(about, pos="last-child")
    with other_worker_renders("/impressum/"):
        moved = client.get("/impressum/")
    assert (moved.status_code, moved["Location"]) == (301, "/about-us/impressum/")  # the redirect, not the old copy


@pytest.mark.usefixtures("page_cache_on")
def test_publishing_a_page_purges_the_pages_sitemap(client, impressum):
    assert cached(client, "/sitemap-pages.xml")
    impressum.title = "Imprint"
    impressum.save_revision().publish()
    assert client.get("/sitemap-pages.xml")["X-Page-Cache"] != "hit"
