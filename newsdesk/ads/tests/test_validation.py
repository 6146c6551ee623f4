"""The rules campaigns, creatives and ads.txt are checked against, and the report's chart geometry."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from newsdesk.ads.models import Campaign, Creative, Placement, validate_ads_txt, validate_alt_text
from newsdesk.ads.reports import CHART_HEIGHT, CHART_PAD, DayTotal, chart, ctr

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 6, 1)


def test_a_network_creative_needs_its_code(campaign):
    creative = Creative(campaign=campaign, name="Empty", placement=Placement.SIDEBAR, kind=Creative.Kind.CODE, code=" ")
    with pytest.raises(ValidationError) as error:
        creative.clean()
    assert error.value.message_dict == {"code": ["Paste the ad network's code."]}


def test_a_creative_reserves_its_placements_sizes(campaign):
    creative = Creative(campaign=campaign, name="Top", placement=Placement.HEADER)
    assert creative.size == {"desktop": (970, 90), "tablet": (728, 90), "phone": (320, 50)}


def test_a_campaign_lists_its_devices_largest_first():
    assert Campaign(on_desktop=True, on_tablet=False, on_phone=True).devices == ["desktop", "phone"]


def test_a_campaign_ending_when_it_starts_is_refused():
    start = datetime.datetime(2025, 6, 1, 8, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError) as error:
        Campaign(name="Zero", advertiser="A", starts_at=start, ends_at=start).clean()
    assert error.value.message_dict == {"ends_at": ["The end must come after the start."]}


def test_a_campaign_on_no_device_is_refused():
    with pytest.raises(ValidationError) as error:
        Campaign(name="Nowhere", advertiser="A", on_desktop=False, on_tablet=False, on_phone=False).clean()
    assert error.value.messages == ["Choose at least one device, or make the campaign inactive."]


@pytest.mark.parametrize("alt", ["Shop", "PHOTO", "  advert  ", "summer-sale.webp"])
def test_more_placeholder_alt_texts_are_refused(alt):
    with pytest.raises(ValidationError):
        validate_alt_text(alt)


@pytest.mark.parametrize(
    "line", ["google.com, pub-1, PARTNER", "localhost, pub-1, DIRECT", "google.com, , DIRECT", "owner=example.org"]
)
def test_ads_txt_refuses_malformed_records(line):
    with pytest.raises(ValidationError):
        validate_ads_txt(line)


def test_ads_txt_names_at_most_five_bad_lines():
    with pytest.raises(ValidationError) as error:
        validate_ads_txt("\n".join(f"bad line {n}" for n in range(1, 8)))
    (message,) = error.value.messages
    assert "5: bad line 5" in message
    assert "6: bad line 6" not in message


def test_ads_txt_cuts_long_bad_lines_in_its_message():
    with pytest.raises(ValidationError) as error:
        validate_ads_txt("x" * 200)
    assert error.value.messages[0].endswith("1: " + "x" * 60)


@pytest.mark.parametrize(("clicks", "impressions", "rate"), [(1, 3, 33.33), (0, 10, 0.0), (5, 0, None)])
def test_ctr_is_a_percentage_with_two_decimals(clicks, impressions, rate):
    assert ctr(clicks, impressions) == rate


def test_the_chart_scales_bars_to_the_busiest_day():
    days = [DayTotal(DAY, 100, 0), DayTotal(DAY + datetime.timedelta(days=1), 50, 0)]
    bars = chart(days)["bars"]
    usable = CHART_HEIGHT - 2 * CHART_PAD
    assert [bar["height"] for bar in bars] == [usable, usable / 2]
    assert [bar["y"] + bar["height"] for bar in bars] == [CHART_HEIGHT - CHART_PAD] * 2


def test_a_day_without_clicks_lies_on_the_base_line():
    points = chart([DayTotal(DAY, 10, 0), DayTotal(DAY + datetime.timedelta(days=1), 10, 4)])["points"]
    (_, low), (_, high) = (point.split(",") for point in points.split())
    assert (float(low), float(high)) == (CHART_HEIGHT - CHART_PAD, CHART_PAD)


def test_a_chart_of_quiet_days_divides_by_nothing():
    drawn = chart([DayTotal(DAY, 0, 0)])
    assert (drawn["bars"][0]["height"], drawn["max_impressions"], drawn["max_clicks"]) == (0, 0, 0)


def test_no_days_no_chart():
    assert chart([]) == {"bars": [], "points": "", "max_impressions": 0, "max_clicks": 0}
