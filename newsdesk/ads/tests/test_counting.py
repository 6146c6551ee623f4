import datetime
import uuid
import zoneinfo

import pytest
from django.conf import settings as django_settings
from django.test import Client

from newsdesk.ads.factories import make_code_creative, make_image_creative
from newsdesk.ads.models import AdDailyStats, Placement
from newsdesk.ads.services import flush_ad_counts, record_impression
from newsdesk.core import counters

pytestmark = pytest.mark.django_db
READER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
TARGET = "https://advertiser.example/green-power"
# Counts go to the local day they happen on; at a fixed afternoon no step of a test crosses midnight.
AFTERNOON = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))


@pytest.fixture
def creative(campaign, ad_workdir):
    return make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir, target_url=TARGET)


def stats(creative) -> tuple[int, int]:
    row = AdDailyStats.objects.filter(creative=creative).first()
    return (row.impressions, row.clicks) if row else (0, 0)


def test_a_click_goes_to_the_stored_address(client, creative):
    response = client.get(f"/ads/{creative.pk}/click/", HTTP_USER_AGENT=READER_UA)
    assert response.status_code == 302
    assert response["Location"] == TARGET


@pytest.mark.parametrize(
    "query", ["?url=https://evil.example/", "?next=//evil.example", "?target=javascript:alert(1)", "?to=%2F%2Fevil"]
)
def test_nothing_in_the_query_string_changes_where_a_click_goes(client, creative, query):
    response = client.get(f"/ads/{creative.pk}/click/{query}", HTTP_USER_AGENT=READER_UA)
    assert response["Location"] == TARGET


@pytest.mark.parametrize("suffix", ["https://evil.example/", "evil.example", "..%2F..%2Fevil"])
def test_nothing_in_the_path_changes_where_a_click_goes(client, creative, suffix):
    assert client.get(f"/ads/{creative.pk}/click/{suffix}").status_code == 404


def test_an_unknown_creative_does_not_redirect(client):
    assert client.get("/ads/999999/click/").status_code == 404


def test_a_network_code_creative_has_no_click_redirect(client, campaign):
    code = make_code_creative(campaign, Placement.SIDEBAR, code="<p>ad</p>")
    assert client.get(f"/ads/{code.pk}/click/").status_code == 404


def test_clicks_are_counted_once_flushed(client, creative):
    for reader in range(3):
        client.get(f"/ads/{creative.pk}/click/", HTTP_USER_AGENT=READER_UA, REMOTE_ADDR=f"198.51.100.{reader + 1}")
    flush_ad_counts()
    assert stats(creative) == (0, 3)


def test_bot_clicks_are_not_counted(client, creative):
    response = client.get(
        f"/ads/{creative.pk}/click/", HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)"
    )
    assert response["Location"] == TARGET
    flush_ad_counts()
    assert stats(creative) == (0, 0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("store", ["spool", "redis"])
def test_a_thousand_concurrent_clicks_from_a_thousand_readers_count_a_thousand(
    settings, campaign, ad_workdir, store, at_once
):
    creative = make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir, target_url=TARGET)
    if store == "redis":
        settings.REDIS_URL = django_settings.NEWSDESK_TEST_REDIS_URL
        settings.NEWSDESK_CACHE_PREFIX = f"test-{uuid.uuid4().hex}"
    counters.counter_store.cache_clear()

    def click(reader: int) -> int:
        address = f"10.{reader // 256}.{reader % 256}.1"
        return Client().get(f"/ads/{creative.pk}/click/", HTTP_USER_AGENT=READER_UA, REMOTE_ADDR=address).status_code

    codes = at_once(click, 1000)
    assert codes == [302] * 1000
    assert flush_ad_counts() == (0, 1000)
    assert stats(creative) == (0, 1000)


def test_the_impression_beacon_counts(client, creative):
    assert client.post(f"/ads/{creative.pk}/impression/", HTTP_USER_AGENT=READER_UA).status_code == 204
    flush_ad_counts()
    assert stats(creative) == (1, 0)


def test_the_noscript_pixel_counts_and_is_a_gif(client, creative):
    response = client.get(f"/ads/{creative.pk}/impression/", HTTP_USER_AGENT=READER_UA)
    assert response["Content-Type"] == "image/gif"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    flush_ad_counts()
    assert stats(creative) == (1, 0)


def test_bot_impressions_are_not_counted(client, creative):
    client.post(f"/ads/{creative.pk}/impression/", HTTP_USER_AGENT="")
    client.post(f"/ads/{creative.pk}/impression/", HTTP_USER_AGENT="Mozilla/5.0 HeadlessChrome/131")
    flush_ad_counts()
    assert stats(creative) == (0, 0)


def test_an_impression_writes_nothing_to_the_database(creative, django_assert_num_queries):
    with django_assert_num_queries(0):
        record_impression(creative_id=creative.pk, user_agent=READER_UA)


@pytest.mark.time_machine(AFTERNOON, tick=False)
def test_flushes_add_up_on_the_same_day(client, creative):
    client.post(f"/ads/{creative.pk}/impression/", HTTP_USER_AGENT=READER_UA)
    flush_ad_counts()
    client.post(f"/ads/{creative.pk}/impression/", HTTP_USER_AGENT=READER_UA)
    client.get(f"/ads/{creative.pk}/click/", HTTP_USER_AGENT=READER_UA)
    flush_ad_counts()
    assert AdDailyStats.objects.count() == 1
    assert stats(creative) == (2, 1)


def test_counts_for_a_deleted_creative_are_dropped(client, creative):
    client.post(f"/ads/{creative.pk}/impression/", HTTP_USER_AGENT=READER_UA)
    creative.delete()
    assert flush_ad_counts() == (0, 0)
    assert not AdDailyStats.objects.exists()
