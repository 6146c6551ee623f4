"""What readers see of corrections: on the article (foot, top, Updated, JSON-LD), on /corrections/ and in its feed."""

import datetime
import json

import pytest
from django.utils import timezone
from lxml import etree
from wagtail.models import PageViewRestriction, Site

from newsdesk.articles import corrections
from newsdesk.articles.models import CorrectionsSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(article_factory):
    return article_factory(headline="Bridge vote passes", section="local")


def add(article, text, *, minutes, kind="correction", significant=False):
    return corrections.correction_add(
        article=article,
        kind=kind,
        text=text,
        significant=significant,
        user=None,
        now=timezone.now() + datetime.timedelta(minutes=minutes),
    )


def news_article(page):
    for script in page.select('script[type="application/ld+json"]'):
        data = json.loads(script.string)
        if data.get("@type") == "NewsArticle":
            return data
    raise AssertionError("no NewsArticle")


def set_policy(**values):
    found = CorrectionsSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(found, name, value)
    found.save()


# --- The article page ---------------------------------------------------------------


def test_corrections_show_at_the_foot_oldest_first(client, story, soup):
    add(story, "Second fix.", minutes=20)
    add(story, "First fix.", minutes=5, kind="clarification")
    page = soup(client.get(story.url))
    foot = page.select("section.corrections .correction__text")
    assert [item.get_text() for item in foot] == ["First fix.", "Second fix."]
    assert page.select_one("section.corrections .correction__kind").get_text() == "Clarification"


def test_each_correction_is_dated_in_whole_seconds(client, story, soup):
    correction = add(story, "A fix.", minutes=5)
    stamp = soup(client.get(story.url)).select_one("section.corrections time")["datetime"]
    assert datetime.datetime.fromisoformat(stamp) == correction.published_at
    assert "." not in stamp


def test_an_ordinary_article_shows_no_corrections(client, story, soup):
    page = soup(client.get(story.url))
    assert page.select(".corrections") == []


def test_only_a_significant_correction_shows_under_the_headline(client, story, soup):
    add(story, "Minor fix.", minutes=5)
    add(story, "The mayor did not resign.", minutes=6, significant=True)
    top = soup(client.get(story.url)).select(".story__header .corrections--top .correction__text")
    assert [item.get_text() for item in top] == ["The mayor did not resign."]


def test_a_correction_reaches_a_page_already_rendered(client, story, soup):
    client.get(story.url)  # kept parts and the page cache now hold the uncorrected page
    add(story, "Late fix.", minutes=5)
    assert soup(client.get(story.url)).select_one("section.corrections .correction__text").get_text() == "Late fix."


def test_the_text_is_shown_as_text(client, story, soup):
    add(story, "<script>alert(1)</script>", minutes=5)
    page = soup(client.get(story.url))
    assert page.select_one("section.corrections .correction__text").get_text() == "<script>alert(1)</script>"
    assert not page.select("section.corrections script")


def test_updated_line_shows_the_latest_correction(client, story, soup):
    add(story, "A fix.", minutes=5)
    latest = add(story, "Another fix.", minutes=30)
    times = soup(client.get(story.url)).select(".story__header .meta time")
    assert datetime.datetime.fromisoformat(times[1]["datetime"]) == latest.published_at


def test_json_ld_carries_each_correction_as_a_correction_comment(client, story, soup):
    first = add(story, "First fix.", minutes=5)
    add(story, "Second fix.", minutes=20)
    data = news_article(soup(client.get(story.url)))
    assert [item["@type"] for item in data["correction"]] == ["CorrectionComment", "CorrectionComment"]
    assert [item["text"] for item in data["correction"]] == ["First fix.", "Second fix."]
    assert datetime.datetime.fromisoformat(data["correction"][0]["datePublished"]) == first.published_at


def test_json_ld_date_modified_is_the_latest_correction(client, story, soup):
    latest = add(story, "A fix.", minutes=30)
    data = news_article(soup(client.get(story.url)))
    assert datetime.datetime.fromisoformat(data["dateModified"]) == latest.published_at


def test_json_ld_of_an_ordinary_article_has_no_correction(client, story, soup):
    assert "correction" not in news_article(soup(client.get(story.url)))


def test_the_policy_link_shows_beside_the_corrections(client, story, soup, sections):
    set_policy(policy_page=sections["local"])
    add(story, "A fix.", minutes=5)
    link = soup(client.get(story.url)).select_one("section.corrections .corrections__policy a")
    assert link["href"] == sections["local"].url


def test_a_policy_address_is_used_when_no_page_is_chosen(client, story, soup):
    set_policy(policy_url="https://example.org/standards")
    add(story, "A fix.", minutes=5)
    link = soup(client.get(story.url)).select_one("section.corrections .corrections__policy a")
    assert link["href"] == "https://example.org/standards"


def test_no_policy_link_when_none_is_set(client, story, soup):
    add(story, "A fix.", minutes=5)
    assert soup(client.get(story.url)).select(".corrections__policy") == []


# --- /corrections/ --------------------------------------------------------------------


def test_corrections_page_lists_newest_first_with_links(client, article_factory, soup):
    first, second = article_factory(headline="First story"), article_factory(headline="Second story")
    add(first, "Older fix.", minutes=5)
    add(second, "Newer fix.", minutes=10)
    page = soup(client.get("/corrections/"))
    assert [item.get_text() for item in page.select(".correction__text")] == ["Newer fix.", "Older fix."]
    assert page.select_one(".correction__article")["href"] == f"{second.dated_path()}#corrections"
    assert len(page.select("h1")) == 1


def test_corrections_page_leaves_out_a_draft_and_a_private_section(client, article_factory, sections, soup):
    draft = article_factory(headline="Draft", section="sport")
    private = article_factory(headline="Private", section="local")
    shown = article_factory(headline="Shown", section="world")
    for article in (draft, private, shown):
        add(article, f"Fix on {article.title}.", minutes=5)
    draft.unpublish()
    PageViewRestriction.objects.create(page=sections["local"], restriction_type=PageViewRestriction.LOGIN)
    page = soup(client.get("/corrections/"))
    assert [item.get_text() for item in page.select(".correction__text")] == ["Fix on Shown."]


def test_corrections_page_is_paginated(client, story, settings, soup):
    settings.NEWSDESK_PAGE_SIZE = 2
    for n in range(3):
        add(story, f"Fix {n}.", minutes=n + 1)
    second = soup(client.get("/corrections/?page=2"))
    assert [item.get_text() for item in second.select(".correction__text")] == ["Fix 0."]
    assert client.get("/corrections/?page=3").status_code == 404


def test_corrections_page_links_its_feed_and_the_policy(client, story, soup, sections):
    set_policy(policy_page=sections["local"])
    page = soup(client.get("/corrections/"))
    assert page.select_one('link[rel="alternate"][href="/corrections/feed/"]') is not None
    assert page.select_one("a.corrections__policy")["href"] == sections["local"].url


def test_a_new_correction_reaches_a_cached_corrections_page(client, story, soup):
    client.get("/corrections/")
    add(story, "A fix.", minutes=5)
    assert [item.get_text() for item in soup(client.get("/corrections/")).select(".correction__text")] == ["A fix."]


# --- The feed ---------------------------------------------------------------------------


def feed_items(client):
    response = client.get("/corrections/feed/")
    assert response.status_code == 200
    return etree.fromstring(response.content).findall("channel/item")


def test_feed_lists_corrections_newest_first(client, article_factory):
    first, second = article_factory(headline="First story"), article_factory(headline="Second story")
    add(first, "Older fix.", minutes=5)
    add(second, "Newer fix.", minutes=10, kind="clarification")
    titles = [item.findtext("title") for item in feed_items(client)]
    assert titles == ["Clarification: Second story", "Correction: First story"]


def test_feed_item_links_to_the_article_and_escapes_the_text(client, story):
    add(story, "Fish & <chips>.", minutes=5)
    (item,) = feed_items(client)
    assert item.findtext("link").endswith(f"{story.dated_path()}#corrections")
    assert item.findtext("description") == "<p>Fish &amp; &lt;chips&gt;.</p>"


def test_feed_leaves_out_a_draft(client, story):
    add(story, "A fix.", minutes=5)
    story.unpublish()
    assert feed_items(client) == []


def test_feed_guid_names_the_correction_not_its_text(client, story):
    correction = add(story, "A fix.", minutes=5)
    (item,) = feed_items(client)
    assert item.findtext("guid").endswith(f":correction:{correction.pk}")


def test_a_corrected_page_rendered_again_reads_nothing(client, story, django_assert_num_queries):
    add(story, "A fix.", minutes=5, significant=True)
    client.get(story.url)
    with django_assert_num_queries(0):
        client.get(story.url)
