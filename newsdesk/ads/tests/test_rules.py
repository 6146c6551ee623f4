import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone

from newsdesk.ads.factories import make_campaign, make_code_creative, make_image_creative
from newsdesk.ads.models import Creative, Placement, validate_ads_txt, validate_alt_text
from newsdesk.ads.selectors import slot_creatives
from newsdesk.core.roles import ADMINS, EDITORS

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def shown_ids(placement=Placement.SIDEBAR, **kwargs) -> list[int]:
    return [item.id for item in slot_creatives(placement, **kwargs)]


def test_a_campaign_that_has_not_started_is_not_shown(ad_workdir, sections):
    later = make_campaign(starts_at=timezone.now() + HOUR)
    make_image_creative(later, Placement.SIDEBAR, workdir=ad_workdir)
    assert shown_ids() == []


def test_a_campaign_that_has_ended_is_not_shown(ad_workdir, sections):
    over = make_campaign(starts_at=timezone.now() - 2 * HOUR, ends_at=timezone.now() - HOUR)
    make_image_creative(over, Placement.SIDEBAR, workdir=ad_workdir)
    assert shown_ids() == []


def test_an_inactive_campaign_is_not_shown(ad_workdir, sections):
    paused = make_campaign(is_active=False)
    make_image_creative(paused, Placement.SIDEBAR, workdir=ad_workdir)
    assert shown_ids() == []


def test_a_running_campaign_is_shown_only_in_its_placement(ad_workdir, campaign):
    creative = make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir)
    assert shown_ids(Placement.SIDEBAR) == [creative.pk]
    assert shown_ids(Placement.HEADER) == []


def test_section_targeting(ad_workdir, sections):
    targeted = make_campaign(sections=[sections["sport"]])
    creative = make_image_creative(targeted, Placement.SIDEBAR, workdir=ad_workdir)
    assert shown_ids(section_id=sections["sport"].pk) == [creative.pk]
    assert shown_ids(section_id=sections["local"].pk) == []
    assert shown_ids(section_id=None) == []


def test_targeting_follows_the_article_section_on_the_page(client, article_factory, sections, soup, ad_workdir):
    targeted = make_campaign(sections=[sections["sport"]])
    make_image_creative(targeted, Placement.SIDEBAR, workdir=ad_workdir)
    assert soup(client.get(article_factory(section="sport").url)).select_one(".ad-slot--sidebar")
    assert soup(client.get(article_factory(section="local").url)).select_one(".ad-slot--sidebar") is None


def test_device_choices_reach_the_page(client, article_factory, sections, soup, ad_workdir):
    desktop_only = make_campaign(on_phone=False, on_tablet=False)
    make_image_creative(desktop_only, Placement.SIDEBAR, workdir=ad_workdir)
    ad = soup(client.get(article_factory().url)).select_one(".ad-slot--sidebar [data-ad]")
    assert ad["data-devices"] == "desktop"
    assert {"ad--off-phone", "ad--off-tablet"} <= set(ad["class"])


def test_staff_do_not_see_campaigns_hidden_from_them(admin_client, client, article_factory, sections, soup, ad_workdir):
    make_image_creative(make_campaign(hide_for_staff=True), Placement.SIDEBAR, workdir=ad_workdir)
    story = article_factory()
    assert soup(admin_client.get(story.url)).select_one(".ad-slot--sidebar") is None
    assert soup(client.get(story.url)).select_one(".ad-slot--sidebar") is not None


def test_staff_see_campaigns_not_hidden_from_them(admin_client, article_factory, sections, soup, ad_workdir):
    make_image_creative(make_campaign(hide_for_staff=False), Placement.SIDEBAR, workdir=ad_workdir)
    assert soup(admin_client.get(article_factory().url)).select_one(".ad-slot--sidebar") is not None


def test_every_eligible_creative_is_in_the_page_for_rotation(client, article_factory, sections, soup, ad_workdir):
    light = make_image_creative(make_campaign(name="Light", weight=5), Placement.SIDEBAR, workdir=ad_workdir)
    heavy = make_image_creative(make_campaign(name="Heavy", weight=30), Placement.SIDEBAR, seed=2, workdir=ad_workdir)
    ads = soup(client.get(article_factory().url)).select(".ad-slot--sidebar [data-ad]")
    assert [(int(ad["data-ad"]), int(ad["data-weight"])) for ad in ads] == [(heavy.pk, 30), (light.pk, 5)]
    # Without JavaScript the heaviest shows; the script picks by weight among the rest.
    assert not ads[0].has_attr("hidden")
    assert ads[1].has_attr("hidden")


def test_changing_a_campaign_shows_at_once(client, article_factory, campaign, soup, ad_workdir):
    make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir)
    story = article_factory()
    assert soup(client.get(story.url)).select_one(".ad-slot--sidebar")
    campaign.is_active = False
    campaign.save()
    assert soup(client.get(story.url)).select_one(".ad-slot--sidebar") is None


def test_a_page_needs_no_query_for_its_ads_once_cached(client, article_factory, campaign, ad_workdir):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir)
    story = article_factory()
    client.get(story.url)
    with CaptureQueriesContext(connection) as queries:
        client.get(story.url)
    assert not [q for q in queries.captured_queries if "ads_" in q["sql"]]


def test_network_code_runs_in_a_sandboxed_frame(client, article_factory, campaign, soup):
    creative = make_code_creative(campaign, Placement.SIDEBAR, code="<script>document.write('ad')</script>")
    page = soup(client.get(article_factory().url))
    frame = page.select_one(".ad-slot--sidebar iframe")
    assert frame["src"] == f"/ads/{creative.pk}/frame/"
    assert "allow-same-origin" not in frame["sandbox"]
    assert "allow-scripts" in frame["sandbox"]
    assert "<script>document.write" not in str(page)


def test_the_frame_page_is_sandboxed_by_its_own_policy(client, campaign):
    creative = make_code_creative(campaign, Placement.SIDEBAR, code="<script>var ad = 1;</script>")
    response = client.get(f"/ads/{creative.pk}/frame/")
    assert response["Content-Security-Policy"].startswith("sandbox allow-scripts")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"<script>var ad = 1;</script>" in response.content


def test_an_image_creative_has_no_frame(client, campaign, ad_workdir):
    creative = make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir)
    assert client.get(f"/ads/{creative.pk}/frame/").status_code == 404


@pytest.mark.parametrize("alt", ["spot_img", "Adspot_img", "banner", "image.jpg", "ad", "", "   "])
def test_placeholder_alt_texts_are_refused(alt):
    with pytest.raises(ValidationError):
        validate_alt_text(alt)


def test_a_real_alt_text_is_accepted():
    validate_alt_text("Bakery Huber: fresh pretzels every morning from 6")


def test_an_image_creative_needs_image_alt_and_target(campaign):
    creative = Creative(campaign=campaign, name="Bare", placement=Placement.SIDEBAR)
    with pytest.raises(ValidationError) as error:
        creative.clean()
    assert set(error.value.message_dict) == {"image_desktop", "alt_text", "target_url"}


def test_a_campaign_must_end_after_it_starts(campaign):
    campaign.ends_at = campaign.starts_at - HOUR
    with pytest.raises(ValidationError) as error:
        campaign.clean()
    assert "ends_at" in error.value.message_dict


def test_ads_txt_lines_are_checked():
    validate_ads_txt(
        "# our sellers\ngoogle.com, pub-0000000000000000, DIRECT, f08c47fec0942fa0\ncontact=ads@example.org"
    )
    with pytest.raises(ValidationError) as error:
        validate_ads_txt("google.com pub-1 DIRECT")
    assert "1: google.com pub-1 DIRECT" in error.value.messages[0]


def test_only_admins_can_enter_network_code(client, django_user_model, campaign):
    editor = django_user_model.objects.create_user("ed", password="pw-ed-12345", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    admin = django_user_model.objects.create_user("boss", password="pw-boss-12345", is_staff=True)
    admin.groups.add(Group.objects.get(name=ADMINS))
    client.force_login(editor)
    editor_form = soup_of(client.get("/admin/snippets/ads/creative/add/"))
    assert editor_form.select_one("[name=code]") is None
    assert editor_form.select_one("[name=kind]") is None
    client.force_login(admin)
    admin_form = soup_of(client.get("/admin/snippets/ads/creative/add/"))
    assert admin_form.select_one("textarea[name=code]") is not None


def test_an_editor_cannot_post_network_code(client, django_user_model, campaign):
    editor = django_user_model.objects.create_user("ed", password="pw-ed-12345", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    client.post(
        "/admin/snippets/ads/creative/add/",
        {
            "campaign": campaign.pk,
            "name": "Sneaky",
            "placement": "sidebar",
            "label": "sponsored",
            "kind": "code",
            "code": "<script>steal()</script>",
        },
    )
    assert not Creative.objects.filter(code__contains="steal").exists()
