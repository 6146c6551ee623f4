"""Ads in the admin: who may see the report and edit campaigns, and how bad input is refused."""

import csv
import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from wagtail.models import Site

from newsdesk.ads.factories import make_campaign, make_image_creative
from newsdesk.ads.models import AdDailyStats, AdSettings, Campaign, Creative, Placement
from newsdesk.core.roles import ADMINS, EDITORS, WRITERS
from newsdesk.core.tests.admin_menu import menu_urls

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 6, 30)
NOON = datetime.datetime(2025, 6, 30, 12, 0, tzinfo=datetime.UTC)
CAMPAIGN_FORM = {
    "name": "Summer sale",
    "advertiser": "Kaufhaus Mitte",
    "starts_at": "2025-07-01 08:00",
    "ends_at": "2025-07-31 20:00",
    "weight": "10",
    "on_desktop": "on",
    "on_tablet": "on",
    "on_phone": "on",
    "hide_for_staff": "on",
    "is_active": "on",
}


@pytest.fixture
def member(client, django_user_model, sections):
    def login(group):
        user = django_user_model.objects.create_user(group.lower(), password="pw-12345678")
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        return client

    return login


@pytest.fixture
def today():
    with time_machine.travel(NOON, tick=False):
        yield TODAY


def refused(response):
    messages = [message.message.strip() for message in get_messages(response.wsgi_request)]
    return response.status_code == 302 and "Sorry, you do not have permission to access this area." in messages


def rows_of(page):
    return [[td.get_text(strip=True) for td in tr.select("td")] for tr in page.select(".ad-report-rows tbody tr")]


def test_editors_see_the_report_and_its_menu_item(member):
    editor = member(EDITORS)
    assert editor.get("/admin/ads/report/").status_code == 200
    assert "/admin/ads/report/" in menu_urls(editor.get("/admin/"))


def test_writers_get_neither_the_report_nor_its_menu_item(member):
    writer = member(WRITERS)
    assert refused(writer.get("/admin/ads/report/"))
    assert "/admin/ads/report/" not in menu_urls(writer.get("/admin/"))


def test_the_report_covers_the_last_thirty_days_by_default(admin_client, campaign, ad_workdir, soup, today):
    creative = make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir)
    for days_ago in (0, 29, 30):
        AdDailyStats.objects.create(creative=creative, day=today - datetime.timedelta(days=days_ago), impressions=1)
    page = soup(admin_client.get("/admin/ads/report/"))
    assert [row[0] for row in rows_of(page)] == ["2025-06-30", "2025-06-01"]
    assert page.select_one(".ad-report-totals strong").get_text() == "2"


def test_a_range_longer_than_a_year_is_refused_and_the_default_shown(admin_client, sections, soup, today):
    page = soup(admin_client.get("/admin/ads/report/?start=2024-01-01&end=2025-06-30"))
    assert page.select_one("[role=alert]").get_text(strip=True) == "Choose at most 366 days."
    assert len(page.select(".ad-report-chart rect")) == 30


def test_a_start_alone_runs_to_today(admin_client, sections, soup, today):
    page = soup(admin_client.get("/admin/ads/report/?start=2025-06-28"))
    assert len(page.select(".ad-report-chart rect")) == 3


def test_an_empty_report_says_when_figures_arrive(admin_client, sections, soup, today):
    page = soup(admin_client.get("/admin/ads/report/"))
    assert "No figures for these dates yet." in page.select_one("table.listing tbody").get_text()
    assert page.select(".ad-report-totals strong")[-1].get_text() == "\N{EN DASH}"  # no CTR without impressions


def test_the_csv_is_named_after_its_dates(admin_client, sections, today):
    response = admin_client.get("/admin/ads/report/?start=2025-06-01&end=2025-06-15&format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="ad-report-20250601-20250615.csv"'
    assert next(csv.reader(io.StringIO(response.content.decode()))) == [
        "day",
        "campaign",
        "creative",
        "impressions",
        "clicks",
        "ctr_percent",
    ]


def test_a_campaign_without_impressions_has_no_ctr_in_the_csv(admin_client, campaign, ad_workdir, today):
    creative = make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir)
    AdDailyStats.objects.create(creative=creative, day=today, impressions=0, clicks=0)
    rows = list(csv.DictReader(io.StringIO(admin_client.get("/admin/ads/report/?format=csv").content.decode())))
    assert rows[0]["ctr_percent"] == ""


def test_editors_may_add_a_campaign(member):
    assert member(EDITORS).post("/admin/snippets/ads/campaign/add/", CAMPAIGN_FORM).status_code == 302
    assert Campaign.objects.get().advertiser == "Kaufhaus Mitte"


def test_writers_may_not_add_a_campaign(member):
    assert refused(member(WRITERS).post("/admin/snippets/ads/campaign/add/", CAMPAIGN_FORM))
    assert not Campaign.objects.exists()


def test_a_campaign_ending_before_it_starts_is_refused(admin_client, sections, soup):
    response = admin_client.post("/admin/snippets/ads/campaign/add/", {**CAMPAIGN_FORM, "ends_at": "2025-06-01 08:00"})
    errors = [error.get_text(strip=True) for error in soup(response).select(".error-message")]
    assert errors == ["The end must come after the start."]
    assert not Campaign.objects.exists()


def test_a_campaign_on_no_device_is_refused(admin_client, sections):
    form = {key: value for key, value in CAMPAIGN_FORM.items() if not key.startswith("on_")}
    response = admin_client.post("/admin/snippets/ads/campaign/add/", form)
    assert "Choose at least one device, or make the campaign inactive." in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_creative_with_a_placeholder_alt_text_is_refused(admin_client, campaign, ad_workdir, soup):
    images = make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir)
    form = {
        "campaign": campaign.pk,
        "name": "Lazy",
        "placement": "sidebar",
        "label": "sponsored",
        "kind": "image",
        "image_desktop": images.image_desktop_id,
        "alt_text": "spot_img",
        "target_url": "https://advertiser.example/",
    }
    response = admin_client.post("/admin/snippets/ads/creative/add/", form)
    errors = [
        error.get_text(strip=True) for error in soup(response).select("[data-contentpath=alt_text] .error-message")
    ]
    assert errors == ["Describe what the ad shows and says, e.g. “Stadtwerke: switch to green power in five minutes”."]
    assert not Creative.objects.filter(name="Lazy").exists()


@pytest.mark.parametrize(
    ("paragraph", "message"),
    [
        ("0", "Ensure this value is greater than or equal to 1."),
        ("51", "Ensure this value is less than or equal to 50."),
    ],
)
def test_the_inline_paragraph_must_be_between_1_and_50(admin_client, sections, soup, paragraph, message):
    site = Site.objects.get(is_default_site=True)
    response = admin_client.post(f"/admin/settings/ads/adsettings/{site.pk}/", {"inline_after_paragraph": paragraph})
    field = soup(response).select_one("[data-contentpath=inline_after_paragraph]")
    assert [error.get_text(strip=True) for error in field.select(".error-message")] == [message]
    assert not AdSettings.objects.filter(inline_after_paragraph=int(paragraph)).exists()


def test_ads_txt_takes_every_kind_of_record(admin_client, client, sections):
    records = [
        "appnexus.com, 1234, RESELLER",
        "google.com, pub-1, direct  # lower case is fine",
        "subdomain=news.example.org",
        "OWNERDOMAIN=example.org",
    ]
    site = Site.objects.get(is_default_site=True)
    form = {"inline_after_paragraph": "3", "ads_txt": "\n".join(records)}
    assert admin_client.post(f"/admin/settings/ads/adsettings/{site.pk}/", form).status_code == 302
    assert client.get("/ads.txt").content.decode().splitlines() == records


def test_admins_may_add_network_code(member):
    campaign = make_campaign()
    form = {
        "campaign": campaign.pk,
        "name": "Network",
        "placement": "sidebar",
        "label": "advertisement",
        "kind": "code",
        "code": "<script src='https://network.example/ad.js'></script>",
    }
    assert member(ADMINS).post("/admin/snippets/ads/creative/add/", form).status_code == 302
    assert Creative.objects.get(name="Network").kind == Creative.Kind.CODE
