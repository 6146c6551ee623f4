import datetime

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone

from newsdesk.articles.models import ArticlePage
from newsdesk.comments.factories import CommentFactory
from newsdesk.core import fragments

pytestmark = pytest.mark.django_db

# Late evening in UTC is already the next day in Berlin (UTC+2 in summer). Date-line tests
# stop the clock there, before any data is made: a date read from the real clock can
# change between the render and the assertion, on a slow machine near midnight.
LATE_EVENING_UTC = datetime.datetime(2026, 6, 10, 23, 30, tzinfo=datetime.UTC)


@pytest.fixture
def story(article_factory):
    for n in range(8):
        article_factory(headline=f"Neighbour {n}", section="politics")
    return article_factory(
        headline="Council backs tram line",
        section="politics",
        authors=["Anna Weber", "Ben Okafor"],
        tags=["transport", "budget"],
        with_image=True,
        source={"name": "The Valley Post", "url": "https://valley.example/tram"},
        canonical_url="https://valley.example/tram",
    )


@pytest.fixture
def reference_ads(sections, tmp_path):
    """A running campaign filling the reference page's two slots (after the body, sidebar)."""
    from newsdesk.ads.factories import make_campaign, make_image_creative

    campaign = make_campaign()
    make_image_creative(campaign, "article-bottom", workdir=tmp_path)
    make_image_creative(campaign, "sidebar", seed=2, workdir=tmp_path)
    return campaign


def first_positions(soup, selectors):
    """Document position of the first element matching each selector."""
    position = {id(element): index for index, element in enumerate(soup.find_all(True))}
    found = {}
    for selector in selectors:
        element = soup.select_one(selector)
        if element is not None:
            found[selector] = position[id(element)]
    return found


def test_parts_appear_in_the_reference_order(client, story, reference_ads, soup):
    page = soup(client.get(story.url))
    parts = [
        ".top-bar .weather",
        ".date-line",
        ".site-header .site-name",
        ".breadcrumbs",
        ".story__header .section-label",
        "h1",
        ".standfirst",
        ".byline",
        ".story__header .meta",
        ".lead-image",
        ".list-block--must-read",
        ".story__body",
        ".ad-slot--article-bottom",
        ".list-block--more-articles",
        "#comments-title",
        ".ad-slot--sidebar",
        ".list-block--latest",
        ".tags",
        ".prev-next",
        ".author-box",
        ".site-footer",
    ]
    positions = first_positions(page, parts)
    assert [p for p in parts if p in positions] == parts
    assert sorted(parts, key=positions.__getitem__) == parts


def test_exactly_one_h1_and_it_is_the_headline(client, story, soup):
    headings = soup(client.get(story.url)).find_all("h1")
    assert [h.get_text(strip=True) for h in headings] == ["Council backs tram line"]


def test_byline_links_every_author_in_order(client, story, soup):
    links = soup(client.get(story.url)).select(".byline a[rel=author]")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("Anna Weber", "/authors/anna-weber/"),
        ("Ben Okafor", "/authors/ben-okafor/"),
    ]


@pytest.mark.time_machine(LATE_EVENING_UTC, tick=False)
def test_date_line_shows_today_in_site_time_zone(client, story, soup):
    line = soup(client.get(story.url)).select_one(".date-line time")
    assert line.get_text() == "Thursday, June 11, 2026"


def test_published_time_is_shown_and_updated_only_after_a_change(client, story, soup):
    meta = soup(client.get(story.url)).select_one(".story__header .meta")
    assert "Published" in meta.get_text()
    assert "Updated" not in meta.get_text()


def test_updated_time_shows_after_a_republish(client, story, soup):
    from datetime import timedelta

    from newsdesk.articles.models import ArticlePage

    ArticlePage.objects.filter(pk=story.pk).update(first_published_at=story.first_published_at - timedelta(hours=2))
    story.refresh_from_db()
    story.save_revision().publish()
    story.refresh_from_db()
    meta = soup(client.get(story.url)).select_one(".story__header .meta")
    assert "Updated" in meta.get_text()


def test_lead_image_has_srcset_webp_and_dimensions(client, story, soup):
    img = soup(client.get(story.url)).select_one(".lead-image img")
    assert img["width"] and img["height"]
    assert ".webp" in img["srcset"]
    assert img["alt"] == "A test picture"
    assert "Tests" in soup(client.get(story.url)).select_one(".lead-image figcaption").get_text()


def test_every_image_on_the_page_has_width_and_height(client, story, soup):
    for img in soup(client.get(story.url)).find_all("img"):
        assert img.get("width") and img.get("height"), img


def test_republished_copy_shows_source_and_canonical_points_to_it(client, story, soup):
    page = soup(client.get(story.url))
    source = page.select_one(".attribution a")
    assert (source.get_text(), source["href"]) == ("The Valley Post", "https://valley.example/tram")
    assert page.select_one("link[rel=canonical]")["href"] == "https://valley.example/tram"


def test_own_story_canonical_is_its_dated_url(client, article_factory, soup):
    article = article_factory(headline="Own reporting")
    canonical = soup(client.get(article.url)).select_one("link[rel=canonical]")["href"]
    assert canonical == f"http://testserver{article.url}"


def test_must_read_and_more_articles_never_repeat_or_show_the_current_one(client, story, soup):
    page = soup(client.get(story.url))
    must = [a["href"] for a in page.select(".list-block--must-read .teaser__title a")]
    more = [a["href"] for a in page.select(".list-block--more-articles .teaser__title a")]
    assert len(must) == 4 and len(more) == 3
    assert story.url not in must + more
    assert not set(must) & set(more)


@pytest.mark.usefixtures("clock_speed")
def test_latest_lists_newest_five(client, story, soup):
    titles = [a.get_text() for a in soup(client.get(story.url)).select(".list-block--latest .teaser__title a")]
    # The factory dates each new article a step before the one made just before it, however slow the machine.
    assert titles == ["Neighbour 0", "Neighbour 1", "Neighbour 2", "Neighbour 3", "Neighbour 4"]


def test_sponsored_slots_are_labelled(client, story, reference_ads, soup):
    labels = [s.select_one(".ad-slot__label").get_text() for s in soup(client.get(story.url)).select(".ad-slot")]
    assert labels == ["Sponsored", "Sponsored"]


def test_tags_link_to_tag_pages(client, story, soup):
    hrefs = sorted(a["href"] for a in soup(client.get(story.url)).select(".tags a"))
    assert hrefs == ["/tags/budget/", "/tags/transport/"]


@pytest.mark.usefixtures("clock_speed")
def test_previous_and_next_articles(client, article_factory, soup):
    # The factory dates each new article a step before the one made just before it, however slow the machine.
    newer = article_factory(headline="Newer")
    middle = article_factory(headline="Middle")
    older = article_factory(headline="Older")
    page = soup(client.get(middle.url))
    assert page.select_one(".prev-next .prev")["href"] == older.url
    assert page.select_one(".prev-next .next")["href"] == newer.url


def test_comments_heading_counts_approved_comments_only(client, story, soup):
    CommentFactory(article=story)
    CommentFactory(article=story)
    CommentFactory(article=story, status="pending", body="Not yet visible")
    page = soup(client.get(story.url))
    assert page.select_one(".comments .block-title").get_text() == "2 comments"
    assert "Not yet visible" not in page.get_text()
    assert page.select_one("#comments-title").get_text() == "Leave a reply"


def test_comment_author_website_is_nofollow_ugc(client, story, soup):
    CommentFactory(article=story, name="Ada", website="https://ada.example/")
    link = soup(client.get(story.url)).select_one(".comment__meta a")
    assert link["rel"] == ["nofollow", "ugc"]


def test_script_in_a_comment_is_shown_as_text(client, story, soup):
    CommentFactory(article=story, name="<script>alert(1)</script>", body="<img src=x onerror=alert(1)>")
    page = soup(client.get(story.url))
    assert page.select_one(".comment script") is None
    assert page.select_one(".comment img") is None
    assert "<script>alert(1)</script>" in page.select_one(".comment__meta").get_text()


def test_closed_comments_say_so(client, article_factory, soup):
    article = article_factory(headline="No comments here")
    article.comments_open = False
    article.save_revision().publish()
    assert soup(client.get(article.url)).select_one(".comments__closed").get_text() == "Comments are closed."


def test_author_box_shows_bio(client, story, soup):
    boxes = soup(client.get(story.url)).select(".author-box")
    assert [b.select_one(".author-box__name").get_text() for b in boxes] == ["Anna Weber", "Ben Okafor"]


def test_html_and_css_stay_under_40_kb(client, story):
    html = client.get(story.url).content
    css_path = finders.find("css/site.css")
    assert css_path is not None
    css = open(css_path, "rb").read()  # noqa: SIM115
    assert len(html) + len(css) <= 40 * 1024


def test_no_third_party_requests(client, story, soup):
    page = soup(client.get(story.url))
    sources = [tag.get("src") or tag.get("href") for tag in page.select("img, script, link[rel=stylesheet], iframe")]
    for source in filter(None, sources):
        for candidate in source.replace(",", " ").split():
            if candidate.startswith(("http://", "https://", "//")):
                pytest.fail(f"third-party request: {candidate}")


def test_two_anonymous_readers_get_identical_html(client, story):
    from django.test import Client

    first = Client().get(story.url).content
    second = Client(HTTP_USER_AGENT="Another reader", REMOTE_ADDR="10.0.0.9").get(story.url).content
    assert first == second
    assert b"csrfmiddlewaretoken" not in first


def test_query_count_is_constant_whatever_the_article_has(client, article_factory, django_assert_num_queries):
    small = article_factory(headline="Small one", authors=["Solo Writer"], tags=["a"])
    big = article_factory(headline="Big one", authors=["One", "Two", "Three", "Four"], tags=["a", "b", "c", "d", "e"])
    for _ in range(5):
        CommentFactory(article=big)
    client.get(small.url)
    client.get(big.url)  # warm the shared caches (menu, site, renditions)
    # Every kept part dropped (as after a section, author or settings change): the
    # list of private pages; the article with its section and lead image; Latest;
    # Must read's ids (picks, the week's most read, the newest to fill); the related
    # ids; Must read's and More articles' teasers in one; previous and next in one;
    # byline, author links, tags; the section menu; comments. (The site's answer is
    # kept until a Site changes.)
    for story in (small, big):
        fragments.bump(fragments.LISTS, fragments.ARTICLES)
        with django_assert_num_queries(14):
            client.get(story.url)


def test_a_page_rendered_again_reads_nothing(client, article_factory, django_assert_num_queries):
    # The article's row is kept too, under the same generations as its parts (articles/selectors.py).
    story = article_factory(headline="Read twice", authors=["One", "Two"], tags=["a", "b"])
    CommentFactory(article=story)
    client.get(story.url)
    with django_assert_num_queries(0):
        client.get(story.url)


def test_a_page_rendered_again_after_a_publish_shows_the_new_revision(client, article_factory):
    story = article_factory(headline="Read twice")
    client.get(story.url)
    story.title = "Read again"
    story.save_revision().publish()
    assert "Read again" in client.get(story.url).content.decode()


@pytest.mark.time_machine(LATE_EVENING_UTC, tick=False)
def test_a_kept_article_is_not_shown_past_its_expiry(client, article_factory, time_machine):
    story = article_factory(headline="Short-lived")
    ArticlePage.objects.filter(pk=story.pk).update(expire_at=timezone.now() + datetime.timedelta(minutes=1))
    fragments.bump(fragments.ARTICLES)  # as the editor's change would
    assert client.get(story.url).status_code == 200
    time_machine.shift(datetime.timedelta(minutes=2))
    assert client.get(story.url).status_code == 404


@pytest.mark.time_machine(LATE_EVENING_UTC, tick=False)
def test_date_format_is_configurable(client, story, soup, settings):
    settings.NEWSDESK_DATE_FORMAT = "Y-m-d"
    line = soup(client.get(story.url)).select_one(".date-line time").get_text()
    assert line == "2026-06-11"


def test_time_zone_defaults_to_berlin():
    assert settings.TIME_ZONE == "Europe/Berlin"
