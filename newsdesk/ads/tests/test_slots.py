"""Which creatives a slot holds and how each is drawn, as readers' pages get them."""

import datetime

import pytest
import time_machine
from django.template import Context, Template
from django.utils import timezone
from wagtail.models import Site

from newsdesk.ads.factories import make_campaign, make_code_creative, make_image_creative
from newsdesk.ads.models import AdSettings, Creative, Placement
from newsdesk.ads.selectors import MAX_PER_SLOT, ad_settings, slot_creatives

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2025, 6, 2, 9, 0, tzinfo=datetime.UTC)


def shown_ids(placement=Placement.SIDEBAR, **kwargs):
    return [item.id for item in slot_creatives(placement, **kwargs)]


def test_a_campaign_ending_while_its_creatives_are_cached_goes_at_once(ad_workdir, sections):
    with time_machine.travel(NOW, tick=False) as clock:
        ending = make_campaign(starts_at=NOW - datetime.timedelta(days=1), ends_at=NOW + datetime.timedelta(seconds=10))
        creative = make_image_creative(ending, Placement.SIDEBAR, workdir=ad_workdir)
        assert shown_ids() == [creative.pk]  # now cached for a minute
        clock.shift(datetime.timedelta(seconds=10))
        assert shown_ids() == []


def test_a_slot_holds_at_most_five_heaviest_first_older_first_on_a_tie(ad_workdir, sections):
    made = [
        make_image_creative(make_campaign(name=f"C{n}", weight=weight), Placement.SIDEBAR, seed=n, workdir=ad_workdir)
        for n, weight in enumerate([10, 40, 10, 20, 10, 30, 10])
    ]
    by_weight = sorted(made, key=lambda creative: (-creative.campaign.weight, creative.pk))
    assert MAX_PER_SLOT == 5
    assert shown_ids() == [creative.pk for creative in by_weight[:5]]


def test_an_image_creative_without_its_image_is_left_out(campaign, sections):
    Creative.objects.create(
        campaign=campaign,
        name="Broken",
        placement=Placement.SIDEBAR,
        alt_text="A bakery",
        target_url="https://x.example/",
    )
    assert shown_ids() == []


def test_deleting_a_creative_takes_it_off_at_once(campaign, ad_workdir):
    creative = make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir)
    assert shown_ids() == [creative.pk]
    creative.delete()
    assert shown_ids() == []


def test_targeting_a_section_later_applies_at_once(campaign, ad_workdir, sections):
    creative = make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir)
    assert shown_ids(section_id=sections["local"].pk) == [creative.pk]
    campaign.sections.add(sections["sport"])
    assert shown_ids(section_id=sections["local"].pk) == []


def test_a_section_page_shows_ads_targeted_at_it(client, ad_workdir, sections, soup):
    make_image_creative(make_campaign(sections=[sections["sport"]]), Placement.HEADER, workdir=ad_workdir)
    assert soup(client.get("/sport/")).select_one(".ad-slot--header") is not None
    assert soup(client.get("/local/")).select_one(".ad-slot--header") is None


def test_the_home_page_shows_only_untargeted_ads(client, ad_workdir, sections, soup):
    targeted = make_image_creative(make_campaign(sections=[sections["sport"]]), Placement.HEADER, workdir=ad_workdir)
    everywhere = make_image_creative(make_campaign(name="Everywhere"), Placement.HEADER, seed=2, workdir=ad_workdir)
    shown = [int(ad["data-ad"]) for ad in soup(client.get("/")).select(".ad-slot--header [data-ad]")]
    assert shown == [everywhere.pk]
    assert targeted.pk not in shown


def test_missing_tablet_and_phone_pictures_are_cut_from_the_desktop_one(
    client, article_factory, campaign, soup, ad_workdir
):
    creative = make_image_creative(campaign, Placement.ARTICLE_BOTTOM, workdir=ad_workdir)
    Creative.objects.filter(pk=creative.pk).update(image_tablet=None, image_phone=None)
    picture = soup(client.get(article_factory().url)).select_one(".ad-slot--article-bottom picture")
    urls = [source["srcset"] for source in picture.select("source")] + [picture.img["src"]]
    assert creative.image_desktop is not None
    desktop_renditions = {rendition.url for rendition in creative.image_desktop.renditions.all()}
    assert set(urls) <= desktop_renditions and len(set(urls)) == 2  # tablet and desktop are both 728x90
    # The phone slot's shape (320x100), cut from the 90 px high desktop picture: Wagtail does not upscale.
    assert (int(picture.img["width"]), int(picture.img["height"])) == (288, 90)


def test_a_slot_carries_the_schedule_for_the_rotation_script(client, article_factory, ad_workdir, sections, soup):
    starts, ends = timezone.now() - datetime.timedelta(hours=1), timezone.now() + datetime.timedelta(days=3)
    make_image_creative(make_campaign(starts_at=starts, ends_at=ends), Placement.SIDEBAR, workdir=ad_workdir)
    ad = soup(client.get(article_factory().url)).select_one(".ad-slot--sidebar [data-ad]")
    assert (int(ad["data-starts"]), int(ad["data-ends"])) == (int(starts.timestamp()), int(ends.timestamp()))


def test_an_open_ended_campaign_has_no_end_for_the_script(client, article_factory, campaign, ad_workdir, soup):
    make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir)
    ad = soup(client.get(article_factory().url)).select_one(".ad-slot--sidebar [data-ad]")
    assert not ad.has_attr("data-ends")


def test_the_noscript_pixel_counts_the_creative_shown_without_javascript(
    client, article_factory, ad_workdir, sections, soup
):
    make_image_creative(make_campaign(name="Light", weight=5), Placement.SIDEBAR, workdir=ad_workdir)
    heavy = make_image_creative(make_campaign(name="Heavy", weight=50), Placement.SIDEBAR, seed=2, workdir=ad_workdir)
    slot = soup(client.get(article_factory().url)).select_one(".ad-slot--sidebar")
    # html.parser keeps <noscript> content as markup, so the pixel is an element here.
    assert slot.select_one("noscript img")["src"] == f"/ads/{heavy.pk}/impression/"


def test_a_network_frame_names_the_advertiser_and_reserves_the_desktop_size(client, article_factory, soup):
    make_code_creative(make_campaign(advertiser="Bäckerei Huber"), Placement.SIDEBAR, code="<p>ad</p>")
    frame = soup(client.get(article_factory().url)).select_one(".ad-slot--sidebar iframe")
    assert frame["title"] == "Advertisement from Bäckerei Huber"
    assert (frame["width"], frame["height"], frame["referrerpolicy"]) == ("300", "250", "no-referrer")


def test_ad_settings_default_to_the_models_defaults(sections):
    assert ad_settings() == {"inline_after_paragraph": 3, "ads_txt": "", "click_hosts": []}


def test_saved_ad_settings_replace_the_cached_ones(sections):
    assert ad_settings()["inline_after_paragraph"] == 3
    row = AdSettings.for_site(Site.objects.get(is_default_site=True))
    row.inline_after_paragraph = 7
    row.save()
    assert ad_settings()["inline_after_paragraph"] == 7


def test_no_automatic_inline_slot_in_an_empty_body(article_factory):
    story = article_factory()
    story.body = []
    html = Template("{% load ads_tags %}{% inline_ad_index page as at %}[{{ at }}]").render(Context({"page": story}))
    assert html == "[None]"
