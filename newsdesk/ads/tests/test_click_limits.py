"""Clicks that must not count or not go through: repeats from one client, ended campaigns,
hosts off the Admins' allow-list; and link hosts shown decoded in the admin."""

import datetime

import pytest
from django.db.models import Sum
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from newsdesk.ads.factories import make_image_creative
from newsdesk.ads.models import AdDailyStats, AdSettings, Creative, Placement
from newsdesk.ads.selectors import forget_ad_settings
from newsdesk.ads.services import flush_ad_counts

pytestmark = pytest.mark.django_db
READER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
TARGET = "https://advertiser.example/green-power"
WINDOW = 30 * 60


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """A cache in this process, whatever REDIS_URL says: time travel must be able to expire its keys."""
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.NEWSDESK_AD_CLICK_WINDOW_SECONDS = WINDOW


@pytest.fixture
def creative(campaign, ad_workdir):
    return make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir, target_url=TARGET)


def click(client, creative, *, address="198.51.100.7", agent=READER_UA):
    return client.get(f"/ads/{creative.pk}/click/", HTTP_USER_AGENT=agent, REMOTE_ADDR=address)


def clicks(creative) -> int:
    """Every counted click of the creative, whatever day's row holds it."""
    flush_ad_counts()
    return AdDailyStats.objects.filter(creative=creative).aggregate(total=Sum("clicks"))["total"] or 0


def allow_hosts(text: str) -> None:
    ad_settings = AdSettings.for_site(Site.objects.get(is_default_site=True))
    ad_settings.click_hosts = text
    ad_settings.save()
    forget_ad_settings()


# --- One client, one click per window --------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_thousand_clicks_from_one_client_count_one(creative, at_once, frozen_now):
    # At one instant: a run across midnight would otherwise count a click on each day.
    def one(_: int) -> int:
        return click(Client(), creative).status_code

    codes = at_once(one, 1000)
    # Every click still goes to the advertiser; only the count is limited.
    assert codes == [302] * 1000
    assert clicks(creative) == 1


def test_another_address_counts(client, creative, frozen_now):
    click(client, creative)
    click(client, creative, address="203.0.113.9")
    assert clicks(creative) == 2


def test_another_browser_at_the_same_address_counts(client, creative, frozen_now):
    click(client, creative)
    click(client, creative, agent=READER_UA.replace("Chrome/131.0", "Chrome/132.0"))
    assert clicks(creative) == 2


def test_the_same_client_on_another_creative_counts(client, creative, campaign, ad_workdir, frozen_now):
    other = make_image_creative(campaign, Placement.HEADER, seed=2, workdir=ad_workdir, target_url=TARGET)
    click(client, creative)
    click(client, other)
    assert (clicks(creative), clicks(other)) == (1, 1)


def test_the_same_client_counts_again_after_the_window(client, creative, time_machine):
    # Local noon today: the campaign (started yesterday) runs, and no step crosses midnight,
    # when the day's salt changes.
    start = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    time_machine.move_to(start, tick=False)
    click(client, creative)
    time_machine.move_to(start + datetime.timedelta(seconds=WINDOW - 1), tick=False)
    click(client, creative)
    assert clicks(creative) == 1
    time_machine.move_to(start + datetime.timedelta(seconds=WINDOW + 1), tick=False)
    click(client, creative)
    assert clicks(creative) == 2


def test_the_address_is_not_kept_in_clear(client, creative, frozen_now):
    from django.core.cache import cache

    click(client, creative, address="198.51.100.77")
    keys = list(cache._cache)  # type: ignore[attr-defined]  # LocMemCache's own store
    assert keys and not any("198.51.100.77" in key for key in keys)


# --- Campaigns that are not running ----------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"is_active": False},
        {"ends_at": datetime.timedelta(minutes=-1)},
        {"starts_at": datetime.timedelta(days=1)},
    ],
    ids=["stopped", "ended", "not started"],
)
def test_a_click_on_a_campaign_that_is_not_running_goes_home_uncounted(client, creative, campaign, change, frozen_now):
    for field, value in change.items():
        setattr(campaign, field, frozen_now + value if isinstance(value, datetime.timedelta) else value)
    campaign.save()
    response = click(client, creative)
    assert (response.status_code, response["Location"]) == (302, "/")
    assert clicks(creative) == 0


def test_a_campaign_ending_later_still_goes_through(client, creative, campaign, frozen_now):
    campaign.ends_at = frozen_now + datetime.timedelta(minutes=1)
    campaign.save()
    assert click(client, creative)["Location"] == TARGET


# --- The allow-list of hosts -----------------------------------------------------------


def test_with_no_list_every_host_goes_through(client, creative):
    allow_hosts("")
    assert click(client, creative)["Location"] == TARGET


def test_a_click_to_a_host_off_the_list_goes_home_uncounted(client, creative):
    allow_hosts("shop.example.com")
    response = click(client, creative)
    assert response["Location"] == "/"
    assert clicks(creative) == 0


@pytest.mark.parametrize("entry", ["advertiser.example", "ADVERTISER.example.", "*.example"])
def test_a_click_to_a_listed_host_goes_through(client, creative, entry):
    allow_hosts(f"shop.example.com\n{entry}")
    assert click(client, creative)["Location"] == TARGET


def test_a_star_allows_subdomains_not_lookalike_names(client, campaign, ad_workdir):
    allow_hosts("*.example.com")
    sub = make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir, target_url="https://www.example.com/")
    fake = make_image_creative(campaign, Placement.HEADER, workdir=ad_workdir, target_url="https://evilexample.com/")
    assert click(client, sub)["Location"] == "https://www.example.com/"
    assert click(client, fake)["Location"] == "/"


def test_a_unicode_entry_matches_its_punycode_link(client, campaign, ad_workdir):
    allow_hosts("b\u00fccher.example")
    creative = make_image_creative(
        campaign, Placement.SIDEBAR, workdir=ad_workdir, target_url="https://xn--bcher-kva.example/"
    )
    assert click(client, creative)["Location"] == "https://xn--bcher-kva.example/"


# --- The admin -------------------------------------------------------------------------


def creative_form(creative: Creative, target_url: str) -> dict[str, object]:
    return {
        "campaign": creative.campaign_id,
        "name": "Checked",
        "placement": "sidebar",
        "label": "sponsored",
        "kind": "image",
        "image_desktop": creative.image_desktop_id,
        "alt_text": "Stadtwerke: switch to green power in five minutes",
        "target_url": target_url,
    }


def test_the_admin_refuses_a_host_off_the_list(admin_client, creative, soup):
    allow_hosts("advertiser.example")
    response = admin_client.post("/admin/snippets/ads/creative/add/", creative_form(creative, "https://evil.example/"))
    field = soup(response).select_one("[data-contentpath=target_url]")
    assert [error.get_text(strip=True) for error in field.select(".error-message")] == [
        "Ads may not link to evil.example: it is not on the list of allowed hosts. "
        "Admins keep that list in Settings → Ads."
    ]
    assert not Creative.objects.filter(name="Checked").exists()


def test_the_admin_names_a_refused_punycode_host_decoded(admin_client, creative, soup):
    allow_hosts("apple.com")
    response = admin_client.post(
        "/admin/snippets/ads/creative/add/", creative_form(creative, "https://xn--pple-43d.com/")
    )
    error = soup(response).select_one("[data-contentpath=target_url] .error-message").get_text(strip=True)
    assert error.startswith("Ads may not link to \u0430pple.com:")


def test_the_admin_takes_a_listed_host(admin_client, creative):
    allow_hosts("advertiser.example")
    form = creative_form(creative, "https://advertiser.example/offer")
    assert admin_client.post("/admin/snippets/ads/creative/add/", form).status_code == 302
    assert Creative.objects.get(name="Checked").target_url == "https://advertiser.example/offer"


@pytest.mark.parametrize("line", ["https://shop.example.com/", "localhost", "shop example.com", "*.", "a..b"])
def test_the_list_takes_hosts_only(admin_client, sections, soup, line):
    site = Site.objects.get(is_default_site=True)
    form = {"inline_after_paragraph": "3", "click_hosts": f"good.example.com\n{line}"}
    response = admin_client.post(f"/admin/settings/ads/adsettings/{site.pk}/", form)
    errors = soup(response).select("[data-contentpath=click_hosts] .error-message")
    assert line.strip() in errors[0].get_text()


def test_the_list_is_for_admins_only(client, sections, django_user_model):
    from django.contrib.auth.models import Group

    from newsdesk.core.roles import EDITORS

    editor = django_user_model.objects.create_user("ed", password="pw-ed-123456")
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    site = Site.objects.get(is_default_site=True)
    assert client.get(f"/admin/settings/ads/adsettings/{site.pk}/").status_code == 302


def listed_destinations(admin_client, soup) -> list[str]:
    page = soup(admin_client.get("/admin/snippets/ads/creative/"))
    header = [th.get_text(strip=True) for th in page.select("thead th")]
    column = header.index("Links to")
    return [row.select("td")[column].get_text(strip=True) for row in page.select("tbody tr")]


def test_the_listing_shows_a_punycode_host_decoded_with_a_warning(admin_client, campaign, ad_workdir, soup):
    make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir, target_url="https://xn--pple-43d.com/x")
    assert listed_destinations(admin_client, soup) == [
        "\u0430pple.com \u26a0 internationalised name xn--pple-43d.com; mixes Cyrillic and Latin letters; "
        "reads like apple.com"
    ]


def test_the_listing_shows_a_plain_host_as_it_is(admin_client, creative, soup):
    assert listed_destinations(admin_client, soup) == ["advertiser.example"]


def test_an_ad_linking_off_the_list_leaves_the_rotation(creative, campaign, ad_workdir):
    from newsdesk.ads.selectors import active_creatives

    allowed = make_image_creative(campaign, Placement.HEADER, workdir=ad_workdir, target_url="https://ok.example/")
    assert {item.id for item in active_creatives()} == {creative.pk, allowed.pk}
    allow_hosts("ok.example")
    assert {item.id for item in active_creatives()} == {allowed.pk}
