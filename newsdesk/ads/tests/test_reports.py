import csv
import datetime
import io

import pytest
from django.utils import timezone
from wagtail.models import Site

from newsdesk.ads.factories import make_campaign, make_image_creative
from newsdesk.ads.models import AdDailyStats, AdSettings, Placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(frozen_now, campaign, ad_workdir):
    # The clock stops first: "today" here, in the report and in the assertions is one day,
    # even when a slow machine runs the test across midnight.
    creative = make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir)
    other = make_image_creative(
        make_campaign(name="Autumn fair", advertiser="Messe"), Placement.HEADER, seed=3, workdir=ad_workdir
    )
    today = timezone.localdate()
    AdDailyStats.objects.create(creative=creative, day=today, impressions=200, clicks=5)
    AdDailyStats.objects.create(creative=creative, day=today - datetime.timedelta(days=1), impressions=100, clicks=1)
    AdDailyStats.objects.create(creative=other, day=today, impressions=50, clicks=0)
    return creative, other


def test_the_report_shows_impressions_clicks_and_ctr_per_day_and_creative(admin_client, figures, soup):
    page = soup(admin_client.get("/admin/ads/report/"))
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in page.select(".ad-report-rows tbody tr")]
    today = timezone.localdate().isoformat()
    assert [today, "Spring offer", "Spring offer · sidebar", "200", "5", "2.5 %"] in rows
    assert [today, "Autumn fair", "Autumn fair · header", "50", "0", "0.0 %"] in rows
    assert len(rows) == 3
    assert "350" in page.select_one(".ad-report-totals").get_text()


def test_the_report_has_a_chart(admin_client, figures, soup):
    svg = soup(admin_client.get("/admin/ads/report/")).select_one(".ad-report-chart svg")
    assert svg["role"] == "img"
    assert len(svg.select("rect")) == 30
    assert svg.select_one("polyline") is not None


def test_the_report_filters_by_campaign(admin_client, figures, soup):
    creative, _ = figures
    page = soup(admin_client.get(f"/admin/ads/report/?campaign={creative.campaign_id}"))
    assert {tr.select("td")[1].get_text() for tr in page.select(".ad-report-rows tbody tr")} == {"Spring offer"}


def test_the_report_exports_csv(admin_client, figures):
    response = admin_client.get("/admin/ads/report/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 3
    first = next(r for r in rows if r["creative"] == "Spring offer · sidebar" and r["impressions"] == "200")
    assert first["clicks"] == "5" and first["ctr_percent"] == "2.5"


@pytest.mark.parametrize(
    ("name", "exported"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("%1", "'%1"),
        # DDE: the pipe is escaped too, so no program name reaches a shell.
        ("=cmd|' /C calc'!A0", "'=cmd\\|' /C calc'!A0"),
        ("Spring = sale", "Spring = sale"),
    ],
)
def test_csv_neutralises_spreadsheet_formulas(admin_client, ad_workdir, name, exported):
    sneaky = make_image_creative(make_campaign(name=name), Placement.SIDEBAR, workdir=ad_workdir, name=name)
    AdDailyStats.objects.create(creative=sneaky, day=timezone.localdate(), impressions=1, clicks=0)
    rows = list(csv.DictReader(io.StringIO(admin_client.get("/admin/ads/report/?format=csv").content.decode())))
    assert (rows[0]["campaign"], rows[0]["creative"]) == (exported, exported)
    # Counts stay numbers a spreadsheet can add up, whatever the names were.
    assert (rows[0]["impressions"], rows[0]["clicks"], rows[0]["ctr_percent"]) == ("1", "0", "0.0")


def test_a_backwards_date_range_gets_a_message(admin_client, figures, soup):
    page = soup(admin_client.get("/admin/ads/report/?start=2026-02-10&end=2026-02-01"))
    assert "must not be after" in page.select_one("[role=alert]").get_text()


def test_the_report_is_for_staff_with_ad_rights(client, django_user_model, figures):
    reader = django_user_model.objects.create_user("reader", password="pw-reader-123", is_staff=True)
    client.force_login(reader)
    assert client.get("/admin/ads/report/").status_code in (302, 403)


def test_ads_txt_serves_what_the_admin_saved(client, sections):
    settings = AdSettings.for_site(Site.objects.get(is_default_site=True))
    settings.ads_txt = "example-exchange.com, pub-123, DIRECT"
    settings.save()
    response = client.get("/ads.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "example-exchange.com, pub-123, DIRECT\n"


def test_ads_txt_saved_through_the_admin_form(admin_client, client, sections):
    site = Site.objects.get(is_default_site=True)
    response = admin_client.post(
        f"/admin/settings/ads/adsettings/{site.pk}/",
        {"inline_after_paragraph": "3", "ads_txt": "google.com, pub-0000000000000000, DIRECT, f08c47fec0942fa0"},
    )
    assert response.status_code == 302
    assert client.get("/ads.txt").content.decode().startswith("google.com, pub-0000000000000000, DIRECT")


def test_an_invalid_ads_txt_is_refused_with_a_message(admin_client, client, sections, soup):
    site = Site.objects.get(is_default_site=True)
    response = admin_client.post(
        f"/admin/settings/ads/adsettings/{site.pk}/", {"inline_after_paragraph": "3", "ads_txt": "not an ads line"}
    )
    assert response.status_code == 200
    assert "not “domain, publisher id" in response.content.decode()
    assert client.get("/ads.txt").status_code == 404


def test_no_ads_txt_until_one_is_saved(client, sections):
    assert client.get("/ads.txt").status_code == 404
