import pytest
from wagtail.models import Site

from newsdesk.ads.factories import make_image_creative
from newsdesk.ads.models import AdSettings, Placement
from newsdesk.ads.selectors import inline_slot_index

pytestmark = pytest.mark.django_db


def test_inline_slot_follows_the_nth_paragraph_not_counting_quotes():
    blocks = ["paragraph", "quote", "paragraph", "heading", "paragraph", "paragraph"]
    assert inline_slot_index(blocks, 3) == 4


def test_inline_slot_falls_back_to_the_end_of_a_shorter_article():
    assert inline_slot_index(["paragraph", "quote", "paragraph"], 5) == 2


def body_children(page):
    return page.select_one(".story__body").find_all(recursive=False)


def test_the_article_page_places_the_inline_slot_after_paragraph_three(
    client, article_factory, campaign, soup, ad_workdir
):
    make_image_creative(campaign, Placement.ARTICLE_INLINE, workdir=ad_workdir)
    story = article_factory(
        body=["One.", {"type": "quote", "text": "Said.", "attribution": "Someone"}, "Two.", "Three.", "Four."]
    )
    children = body_children(soup(client.get(story.url)))
    slot_at = next(i for i, el in enumerate(children) if "ad-slot--article-inline" in el.get("class", []))
    before = [el for el in children[:slot_at] if el.name == "p"]
    assert [p.get_text(strip=True) for p in before] == ["One.", "Two.", "Three."]


def test_the_paragraph_number_is_a_site_setting(client, article_factory, campaign, soup, ad_workdir):
    make_image_creative(campaign, Placement.ARTICLE_INLINE, workdir=ad_workdir)
    story = article_factory(body=["One.", "Two.", "Three."])
    settings = AdSettings.for_site(Site.objects.get(is_default_site=True))
    settings.inline_after_paragraph = 1
    settings.save()
    children = body_children(soup(client.get(story.url)))
    assert "ad-slot--article-inline" in children[1].get("class", [])


def test_a_short_article_gets_the_inline_slot_at_its_end(client, article_factory, campaign, soup, ad_workdir):
    make_image_creative(campaign, Placement.ARTICLE_INLINE, workdir=ad_workdir)
    story = article_factory(body=["Only one.", "And two."])
    children = body_children(soup(client.get(story.url)))
    assert "ad-slot--article-inline" in children[-1].get("class", [])


def test_an_editor_placed_slot_replaces_the_automatic_one(client, article_factory, campaign, soup, ad_workdir):
    make_image_creative(campaign, Placement.ARTICLE_INLINE, workdir=ad_workdir)
    story = article_factory(body=["One.", "Two.", "Three.", "Four."])
    story.body.insert(1, ("ad_slot", None))
    story.save_revision().publish()
    slots = soup(client.get(story.url)).select(".ad-slot--article-inline")
    assert len(slots) == 1
    assert slots[0].find_previous_sibling("p").get_text(strip=True) == "One."


@pytest.mark.parametrize(
    "placement",
    [Placement.HEADER, Placement.ARTICLE_TOP, Placement.ARTICLE_BOTTOM, Placement.SIDEBAR, Placement.FOOTER],
)
def test_each_placement_shows_its_creative_on_the_article_page(
    client, article_factory, campaign, soup, ad_workdir, placement
):
    creative = make_image_creative(campaign, placement, workdir=ad_workdir)
    story = article_factory()
    slot = soup(client.get(story.url)).select_one(f".ad-slot--{placement}")
    assert slot.select_one(f"[data-ad='{creative.pk}']") is not None


def test_the_reference_slots_are_labelled_and_described(client, article_factory, campaign, soup, ad_workdir):
    make_image_creative(campaign, Placement.ARTICLE_BOTTOM, workdir=ad_workdir)
    make_image_creative(campaign, Placement.SIDEBAR, seed=2, workdir=ad_workdir)
    page = soup(client.get(article_factory().url))
    for placement in ("article-bottom", "sidebar"):
        slot = page.select_one(f".ad-slot--{placement}")
        label = slot.select_one(".ad-slot__label")
        assert label.get_text(strip=True) == "Sponsored"
        assert slot["aria-labelledby"].split()[0] == label["id"]
        img = slot.select_one("img.ad__image")
        assert img["alt"] == "Stadtwerke: switch to green power in five minutes"
        assert img["width"] and img["height"]
        link = slot.select_one("a.ad__link")
        assert set(link["rel"]) == {"sponsored", "noopener"}
        assert not link.has_attr("target")


def test_a_picture_per_device_class(client, article_factory, campaign, soup, ad_workdir):
    make_image_creative(campaign, Placement.ARTICLE_BOTTOM, workdir=ad_workdir)
    picture = soup(client.get(article_factory().url)).select_one(".ad-slot--article-bottom picture")
    media = [source["media"] for source in picture.select("source")]
    assert media == ["(min-width: 1140px)", "(min-width: 768px)"]
    sizes = [(int(s["width"]), int(s["height"])) for s in picture.select("source")]
    assert sizes == [(728, 90), (728, 90)]
    img = picture.select_one("img")
    assert (int(img["width"]), int(img["height"])) == (320, 100)


def test_the_advertisement_label_is_an_option(client, article_factory, campaign, soup, ad_workdir):
    make_image_creative(campaign, Placement.SIDEBAR, workdir=ad_workdir, label="advertisement")
    slot = soup(client.get(article_factory().url)).select_one(".ad-slot--sidebar")
    assert slot.select_one(".ad-slot__label").get_text(strip=True) == "Advertisement"


def test_no_campaign_no_slot(client, article_factory, soup):
    assert soup(client.get(article_factory().url)).select(".ad-slot") == []


def test_the_inline_slot_follows_campaign_changes_while_the_body_is_kept(
    client, article_factory, campaign, soup, ad_workdir
):
    make_image_creative(campaign, Placement.ARTICLE_INLINE, workdir=ad_workdir)
    story = article_factory(body=["One.", "Two.", "Three.", "Four."])
    assert soup(client.get(story.url)).select(".ad-slot--article-inline")
    campaign.is_active = False
    campaign.save()
    page = soup(client.get(story.url))
    assert not page.select(".ad-slot--article-inline")
    assert [p.get_text(strip=True) for p in page.select(".story__body > p")] == ["One.", "Two.", "Three.", "Four."]


def test_slots_on_one_page_have_distinct_accessible_names(client, article_factory, campaign, soup, ad_workdir):
    # Each is a complementary landmark: "Sponsored" twice could not be told apart in a landmark list.
    make_image_creative(campaign, Placement.ARTICLE_BOTTOM, workdir=ad_workdir)
    make_image_creative(campaign, Placement.SIDEBAR, seed=2, workdir=ad_workdir)
    page = soup(client.get(article_factory().url))
    names = []
    for slot in page.select("aside.ad-slot"):
        parts = [page.find(id=ref) for ref in slot["aria-labelledby"].split()]
        assert None not in parts
        names.append(" ".join(part.get_text(strip=True) for part in parts))
    assert names == ["Sponsored (below the article)", "Sponsored (in the sidebar)"]


def two_inline_slots(article_factory, campaign, ad_workdir):
    """A published article whose body holds two inline sponsored slots."""
    make_image_creative(campaign, Placement.ARTICLE_INLINE, workdir=ad_workdir)
    story = article_factory(body=["One.", "Two.", "Three.", "Four."])
    story.body.insert(1, ("ad_slot", None))
    story.body.insert(3, ("ad_slot", None))
    story.save_revision().publish()
    return story


def test_several_inline_slots_in_one_body_have_unique_ids(client, article_factory, campaign, soup, ad_workdir):
    page = soup(client.get(two_inline_slots(article_factory, campaign, ad_workdir).url))
    ids = [element["id"] for element in page.select("[id]")]
    assert len(page.select(".ad-slot--article-inline")) == 2
    assert len(ids) == len(set(ids))


def test_each_inline_slot_is_named_by_its_own_label(client, article_factory, campaign, soup, ad_workdir):
    page = soup(client.get(two_inline_slots(article_factory, campaign, ad_workdir).url))
    for slot in page.select(".ad-slot--article-inline"):
        label_id = slot["aria-labelledby"].split()[0]
        assert slot.select_one(f"#{label_id}") is not None
