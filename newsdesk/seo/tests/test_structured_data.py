import datetime
import json

import pytest

from newsdesk.articles.models import ArticlePage, Author

pytestmark = pytest.mark.django_db


def json_ld(soup_page):
    return [json.loads(script.string) for script in soup_page.select('script[type="application/ld+json"]')]


def of_type(items, kind):
    return [item for item in items if item["@type"] == kind]


@pytest.fixture
def story(article_factory):
    return article_factory(
        headline="Council </script><script>alert(1)</script> backs tram",
        section="local",
        authors=["Jonas Falk", "Priya Raman", "Aylin Demir"],
        tags=["transport", "budget"],
        with_image=True,
    )


def test_news_article_lists_every_author_with_url(client, story, soup):
    (article,) = of_type(json_ld(soup(client.get(story.url))), "NewsArticle")
    assert article["author"] == [
        {"@type": "Person", "name": "Jonas Falk", "url": "http://testserver/authors/jonas-falk/"},
        {"@type": "Person", "name": "Priya Raman", "url": "http://testserver/authors/priya-raman/"},
        {"@type": "Person", "name": "Aylin Demir", "url": "http://testserver/authors/aylin-demir/"},
    ]


def test_news_article_carries_the_required_fields(client, story, soup):
    (article,) = of_type(json_ld(soup(client.get(story.url))), "NewsArticle")
    assert article["headline"] == story.title
    assert datetime.datetime.fromisoformat(article["datePublished"]).tzinfo is not None
    assert datetime.datetime.fromisoformat(article["dateModified"]).tzinfo is not None
    assert article["articleSection"] == ["Local"]
    assert sorted(article["keywords"]) == ["budget", "transport"]
    assert article["isAccessibleForFree"] is True
    assert article["publisher"]["@type"] == "NewsMediaOrganization"
    assert article["publisher"]["logo"]["url"].endswith("/static/img/logo.png")
    assert [url.split(".")[-3] for url in article["image"]] == ["fill-1200x675", "fill-1200x900", "fill-1200x1200"]


def test_a_headline_cannot_break_out_of_the_script(client, story, soup):
    page = soup(client.get(story.url))
    assert not [
        s for s in page.find_all("script") if "alert(1)" in (s.string or "") and s.get("type") != "application/ld+json"
    ]


def test_breadcrumbs(client, story, soup):
    (trail,) = of_type(json_ld(soup(client.get(story.url))), "BreadcrumbList")
    assert [item["name"] for item in trail["itemListElement"]] == ["Home", "Local", story.title]
    assert trail["itemListElement"][1]["item"] == "http://testserver/local/"


def test_home_has_organization_and_website_with_search_action(client, story, soup):
    items = json_ld(soup(client.get("/")))
    assert of_type(items, "NewsMediaOrganization")[0]["name"] == "Newsdesk"
    (website,) = of_type(items, "WebSite")
    assert website["potentialAction"]["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"


def test_author_page_has_person(client, story, soup):
    (person,) = of_type(json_ld(soup(client.get("/authors/jonas-falk/"))), "Person")
    assert person["name"] == "Jonas Falk"
    assert person["url"] == "http://testserver/authors/jonas-falk/"


def test_open_graph_and_twitter_tags(client, story, soup):
    page = soup(client.get(story.url))
    meta = {tag.get("property") or tag.get("name"): tag["content"] for tag in page.select("meta[content]")}
    assert meta["og:type"] == "article"
    assert meta["og:title"] == story.title
    assert meta["og:url"] == f"http://testserver{story.url}"
    assert "fill-1200x675" in meta["og:image"]
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["article:section"] == "Local"


def test_hidden_articles_have_no_structured_data_anywhere(client, story, hidden_articles, soup):
    for url in ["/", "/local/", "/authors/jonas-falk/", "/tags/housing/"]:
        text = " ".join(json.dumps(item) for item in json_ld(soup(client.get(url))))
        assert not any(title in text for title in hidden_articles), url


def test_listing_canonical_keeps_only_the_page_number(client, article_factory, soup, settings):
    settings.NEWSDESK_PAGE_SIZE = 1
    for n in range(3):
        article_factory(headline=f"Item {n}", section="local")
    first = soup(client.get("/local/", {"utm_source": "x"}))
    assert first.select_one("link[rel=canonical]")["href"] == "http://testserver/local/"
    second = soup(client.get("/local/", {"page": 2}))
    assert second.select_one("link[rel=canonical]")["href"] == "http://testserver/local/?page=2"
    assert second.select_one("meta[name=robots]")["content"] == "noindex, follow"


def test_thin_list_is_noindex(client, article_factory, soup):
    article_factory(headline="Lonely", tags=["rare"])
    assert soup(client.get("/tags/rare/")).select_one("meta[name=robots]")["content"] == "noindex, follow"


def test_preview_is_noindex(client, story, soup):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("boss", "b@example.org", "pw"))
    page = soup(client.get(f"/admin/pages/{story.pk}/view_draft/"))
    assert page.select_one("meta[name=robots]")["content"] == "noindex, nofollow"


def test_hostile_text_in_json_ld_reads_back_as_text_and_opens_no_script(client, article_factory, soup):
    hostile = "<!--<script>x</script> & \u2028 ]]> </SCRIPT >"
    story = article_factory(headline="Tram", section="local", authors=["Jonas Falk"], tags=["transport"])
    ArticlePage.objects.filter(pk=story.pk).update(standfirst=hostile)
    Author.objects.filter(slug="jonas-falk").update(name=hostile)
    page = soup(client.get(story.url))
    (article,) = of_type(json_ld(page), "NewsArticle")
    assert (article["description"], article["author"][0]["name"]) == (hostile, hostile)
    # An injected <script>x</script> would be an element of its own, holding "x".
    assert page.find_all("script", string="x") == []


def test_news_article_dates_match_the_page_to_the_second(client, story, soup):
    # The database keeps microseconds; JSON-LD, Open Graph and <time> all say the same whole second.
    moment = datetime.datetime(2026, 11, 30, 6, 2, 6, 352404, tzinfo=datetime.UTC)
    ArticlePage.objects.filter(pk=story.pk).update(first_published_at=moment, last_published_at=moment)
    story.refresh_from_db()  # the dated address follows the first publish time
    page = soup(client.get(story.dated_path()))
    (article,) = of_type(json_ld(page), "NewsArticle")
    assert article["datePublished"] == article["dateModified"] == "2026-11-30T07:02:06+01:00"
    assert page.select_one('meta[property="article:published_time"]')["content"] == article["datePublished"]
    assert page.select_one(".story__header .meta time")["datetime"] == article["datePublished"]
