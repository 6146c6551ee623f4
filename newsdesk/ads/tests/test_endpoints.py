"""The reader-facing ad addresses: which methods they take, what they tell caches and browsers."""

import pytest
from django.test import Client
from django.utils.cache import get_max_age
from wagtail.models import Site

from newsdesk.ads.factories import make_code_creative, make_image_creative
from newsdesk.ads.models import AdDailyStats, AdSettings, Placement
from newsdesk.ads.services import flush_ad_counts

pytestmark = pytest.mark.django_db
READER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


@pytest.fixture
def creative(campaign, ad_workdir):
    return make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir)


@pytest.fixture
def code_creative(campaign):
    return make_code_creative(campaign, Placement.SIDEBAR, code="<p>Network ad</p>")


def save_ads_txt(text):
    ad_settings = AdSettings.for_site(Site.objects.get(is_default_site=True))
    ad_settings.ads_txt = text
    ad_settings.save()


def counted(creative):
    flush_ad_counts()
    return list(AdDailyStats.objects.filter(creative=creative).values_list("impressions", "clicks"))


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_a_click_is_a_get_only(client, creative, method):
    response = getattr(client, method)(f"/ads/{creative.pk}/click/", HTTP_USER_AGENT=READER_UA)
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert counted(creative) == []


def test_a_click_is_never_cached_and_tells_the_advertiser_only_our_origin(client, creative):
    response = client.get(f"/ads/{creative.pk}/click/", HTTP_USER_AGENT=READER_UA)
    assert get_max_age(response) == 0
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "origin"


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_an_impression_is_a_get_or_a_post_only(client, creative, method):
    response = getattr(client, method)(f"/ads/{creative.pk}/impression/", HTTP_USER_AGENT=READER_UA)
    assert response.status_code == 405
    assert counted(creative) == []


def test_the_beacon_needs_no_csrf_token(creative):
    # navigator.sendBeacon from a cached page carries no token.
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/ads/{creative.pk}/impression/", HTTP_USER_AGENT=READER_UA).status_code == 204
    assert counted(creative) == [(1, 0)]


def test_a_bot_still_gets_the_pixel_but_is_not_counted(client, creative):
    response = client.get(
        f"/ads/{creative.pk}/impression/", HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)"
    )
    assert (response.status_code, response["Content-Type"]) == (200, "image/gif")
    assert response.content.startswith(b"GIF89a")
    assert counted(creative) == []


def test_a_beacon_is_never_cached(client, creative):
    response = client.post(f"/ads/{creative.pk}/impression/", HTTP_USER_AGENT=READER_UA)
    assert get_max_age(response) == 0


def test_the_frame_is_a_get_only(client, code_creative):
    assert client.post(f"/ads/{code_creative.pk}/frame/").status_code == 405


def test_an_unknown_frame_is_not_found(client, db):
    assert client.get("/ads/999999/frame/").status_code == 404


def test_the_frame_page_holds_the_code_kept_from_search_engines_and_referrers(client, code_creative, soup):
    response = client.get(f"/ads/{code_creative.pk}/frame/")
    page = soup(response)
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    assert page.body.select_one("p").get_text() == "Network ad"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "allow-same-origin" not in response["Content-Security-Policy"]


def test_the_frame_page_may_be_cached_for_five_minutes(client, code_creative):
    response = client.get(f"/ads/{code_creative.pk}/frame/")
    assert get_max_age(response) == 300
    assert "public" in response["Cache-Control"]


def test_ads_txt_is_a_get_only(client, sections):
    save_ads_txt("example-exchange.com, pub-123, DIRECT")
    assert client.post("/ads.txt").status_code == 405


def test_ads_txt_may_be_cached_for_an_hour(client, sections):
    save_ads_txt("example-exchange.com, pub-123, DIRECT")
    assert get_max_age(client.get("/ads.txt")) == 3600


def test_ads_txt_of_blank_lines_only_is_no_ads_txt(client, sections):
    save_ads_txt("\n   \n")
    assert client.get("/ads.txt").status_code == 404


def test_ads_txt_loses_surrounding_blank_lines_but_keeps_its_own(client, sections):
    save_ads_txt("\n\nexample-exchange.com, pub-1, DIRECT\n\nother.example, pub-2, RESELLER  \n\n")
    body = client.get("/ads.txt").content.decode()
    assert body.splitlines() == ["example-exchange.com, pub-1, DIRECT", "", "other.example, pub-2, RESELLER"]
