"""Every old WordPress address answers after the import: the same page, or one 301 to it."""

import datetime
import zoneinfo

import pytest
from wagtail.contrib.redirects.models import Redirect

from newsdesk.articles.models import ArticlePage
from newsdesk.core import page_cache

from .wxr import WxrAuthor, WxrCategory, WxrItem, WxrTag

# These tests expect a page copy kept between two requests. An HTML copy ends at local midnight,
# so they run from a fixed afternoon (the clock still ticks: a copy made at the instant of a
# purge counts as purged) instead of wherever the real clock is, which may be 23:59:59.
AFTERNOON = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(AFTERNOON, tick=True)]

CATEGORIES = [
    WxrCategory(id=5, slug="harbour", name="Harbour"),
    WxrCategory(id=6, slug="boats", name="Boats", parent="harbour"),
]
STORY = WxrItem(
    id=10,
    title="Bridge reopens",
    name="bridge-reopens",
    creator="aweber",
    date=datetime.datetime(2024, 3, 5, 9, 30),
    categories=[("harbour", "Harbour")],
    tags=[("traffic", "Traffic")],
    content="<p>Traffic flows again.</p>",
)


@pytest.fixture
def imported(wordpress):
    def run(*items, **export):
        export.setdefault("categories", CATEGORIES)
        export.setdefault("tags", [WxrTag(id=7, slug="traffic", name="Traffic")])
        export.setdefault("authors", [WxrAuthor(id=2, login="aweber", display_name="Anna Weber")])
        return wordpress(items=list(items) or [STORY], **export)

    return run


def lands(client, old):
    """Where one request to `old` goes: (status, Location)."""
    response = client.get(old)
    return response.status_code, response.get("Location")


def test_a_permalink_that_matches_the_dated_address_answers_there_without_a_redirect(imported, client):
    imported()
    assert client.get("/2024/03/05/bridge-reopens/").status_code == 200
    assert not Redirect.objects.filter(old_path="/2024/03/05/bridge-reopens").exists()


def test_another_permalink_structure_gets_one_301_to_the_article(imported, client):
    imported(WxrItem(**{**STORY.__dict__, "link": "https://old.example.org/harbour/bridge-reopens/"}))
    assert lands(client, "/harbour/bridge-reopens/") == (301, "/2024/03/05/bridge-reopens/")
    assert client.get("/2024/03/05/bridge-reopens/").status_code == 200


def test_a_date_that_falls_on_another_day_here_gets_a_301(imported, client):
    # Published 23:30 on 4 March in the old site's zone (UTC-5): 5 March here (Berlin).
    late = WxrItem(
        **{
            **STORY.__dict__,
            "date": datetime.datetime(2024, 3, 4, 23, 30),
            "date_gmt": datetime.datetime(2024, 3, 5, 4, 30),
        }
    )
    imported(late)
    assert lands(client, "/2024/03/04/bridge-reopens/") == (301, "/2024/03/05/bridge-reopens/")


def test_question_mark_p_answers_with_a_301_even_with_tracking_parameters(imported, client):
    imported()
    assert lands(client, "/?p=10") == (301, "/2024/03/05/bridge-reopens/")
    assert lands(client, "/?utm_source=x&p=10") == (301, "/2024/03/05/bridge-reopens/")


def test_an_unknown_p_shows_the_home_page(imported, client):
    imported()
    assert client.get("/?p=999").status_code == 200


def test_question_mark_page_id_answers_with_a_301(imported, client):
    imported(WxrItem(id=2, title="Impressum", post_type="page"))
    assert lands(client, "/?page_id=2") == (301, "/impressum/")


def test_category_addresses_lead_to_the_section(imported, client):
    imported()
    assert lands(client, "/category/harbour/") == (301, "/harbour/")
    assert lands(client, "/category/harbour/boats/") == (301, "/boats/")
    assert lands(client, "/category/harbour/feed/") == (301, "/feeds/sections/harbour/rss/")
    assert lands(client, "/?cat=5") == (301, "/harbour/")


def test_tag_and_author_addresses_lead_to_their_pages(imported, client):
    imported()
    assert lands(client, "/tag/traffic/") == (301, "/tags/traffic/")
    assert lands(client, "/author/aweber/") == (301, "/authors/aweber/")
    assert lands(client, "/author/aweber/feed/") == (301, "/feeds/authors/aweber/rss/")
    assert lands(client, "/?author=2") == (301, "/authors/aweber/")


def test_the_feed_addresses_lead_to_the_feeds(imported, client):
    imported()
    assert lands(client, "/feed/") == (301, "/feeds/rss/")
    assert lands(client, "/feed/atom/") == (301, "/feeds/atom/")
    assert client.get("/feeds/rss/").status_code == 200


def test_listing_pages_keep_their_page_number(imported, client):
    imported()
    assert lands(client, "/page/2/") == (301, "/articles/?page=2")
    assert lands(client, "/category/harbour/page/3/") == (301, "/harbour/?page=3")


def test_an_unknown_listing_page_is_still_not_found(imported, client):
    imported()
    assert client.get("/category/nothing/page/2/").status_code == 404


def test_an_attachment_page_leads_to_its_story(imported, client):
    picture = WxrItem(
        id=40,
        title="Dusk",
        post_type="attachment",
        status="inherit",
        parent=10,
        link="https://old.example.org/2024/03/05/bridge-reopens/dusk/",
        attachment_url="https://old.example.org/wp-content/uploads/2024/03/dusk.jpg",
    )
    imported(STORY, picture)
    assert lands(client, "/2024/03/05/bridge-reopens/dusk/") == (301, "/2024/03/05/bridge-reopens/")
    assert lands(client, "/?attachment_id=40") == (301, "/2024/03/05/bridge-reopens/")


def test_redirects_follow_the_article_when_editors_rename_it(imported, client):
    imported(WxrItem(**{**STORY.__dict__, "link": "https://old.example.org/bridge-reopens/"}))
    story = ArticlePage.objects.get()
    story.slug = "bridge-open-again"
    story.save_revision().publish()
    assert lands(client, "/bridge-reopens/") == (301, "/2024/03/05/bridge-open-again/")


def test_drafts_get_no_redirect(imported, client):
    imported(WxrItem(**{**STORY.__dict__, "status": "draft", "link": "https://old.example.org/?p=10"}))
    assert client.get("/?p=10").status_code == 200
    assert not Redirect.objects.filter(old_path="/?p=10").exists()


def test_the_report_lists_every_redirect_made(imported):
    report = imported(WxrItem(**{**STORY.__dict__, "link": "https://old.example.org/bridge-reopens/"}))
    made = {(entry["from"], entry["to"]) for entry in report.redirects}
    assert ("/bridge-reopens", "/2024/03/05/bridge-reopens/") in made
    assert ("/?p=10", "/2024/03/05/bridge-reopens/") in made
    assert ("/category/harbour", "/harbour/") in made


# --- Through the page cache ----------------------------------------------------------------


@pytest.fixture
def page_cache_on(settings):
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": True, "WAIT_SECONDS": 0.05}


def test_old_addresses_redirect_with_the_page_cache_on(imported, client, page_cache_on):
    imported(WxrItem(**{**STORY.__dict__, "link": "https://old.example.org/bridge-reopens/"}))
    for _ in range(2):
        assert lands(client, "/bridge-reopens/") == (301, "/2024/03/05/bridge-reopens/")
        assert lands(client, "/?p=10") == (301, "/2024/03/05/bridge-reopens/")


def test_a_new_redirect_purges_the_copy_stored_at_its_old_address(imported, client, page_cache_on):
    imported(WxrItem(id=2, title="About us", post_type="page"))
    client.get("/about-us/")
    assert client.get("/about-us/")["X-Page-Cache"] == "hit"
    Redirect.add_redirect("/about-us/", redirect_to="/impressum/")
    assert client.get("/about-us/")["X-Page-Cache"] != "hit"


def test_editing_a_redirect_in_the_admin_purges_its_old_address(imported, page_cache_on):
    imported(WxrItem(**{**STORY.__dict__, "link": "https://old.example.org/bridge-reopens/"}))
    redirect = Redirect.objects.get(old_path="/bridge-reopens")
    before = page_cache.store().get_many([page_cache.marker_key("/bridge-reopens/")])
    redirect.redirect_link = "/harbour/"
    redirect.save()
    after = page_cache.store().get_many([page_cache.marker_key("/bridge-reopens/")])
    assert after and after != before


def test_a_hostile_p_value_shows_the_home_page(imported, client):
    imported()
    assert client.get("/?p=%3Cscript%3E").status_code == 200
    assert client.get("/?p=" + "9" * 500).status_code == 200


def test_head_requests_get_the_same_redirect(imported, client):
    imported()
    response = client.head("/?p=10")
    assert (response.status_code, response["Location"]) == (301, "/2024/03/05/bridge-reopens/")
