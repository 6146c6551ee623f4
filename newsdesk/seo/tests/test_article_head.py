"""The <head> of an article and an author page: what search engines and link previews read."""

import json

import pytest

from newsdesk.articles.factories import make_image
from newsdesk.articles.models import ArticlePage, Author, AuthorLink
from newsdesk.articles.services import image_from_file

pytestmark = pytest.mark.django_db


def head_meta(page):
    return {tag.get("property") or tag.get("name"): tag["content"] for tag in page.select("head meta[content]")}


def json_ld_of_type(page, kind):
    items = [json.loads(script.string) for script in page.select('script[type="application/ld+json"]')]
    return [item for item in items if item["@type"] == kind]


def test_an_article_without_a_picture_gets_a_small_card_and_no_image(client, article_factory, soup):
    story = article_factory(headline="No picture today")
    page = soup(client.get(story.url))
    meta = head_meta(page)
    assert meta["twitter:card"] == "summary"
    assert not {"og:image", "twitter:image"} & meta.keys()
    assert json_ld_of_type(page, "NewsArticle")[0]["image"] == []


def test_republished_copy_points_search_engines_at_the_original(client, article_factory, soup):
    story = article_factory(headline="Agency copy", canonical_url="https://wire.example/stories/42")
    page = soup(client.get(story.url))
    assert page.select_one("link[rel=canonical]")["href"] == "https://wire.example/stories/42"
    assert head_meta(page)["og:url"] == "https://wire.example/stories/42"
    (article,) = json_ld_of_type(page, "NewsArticle")
    assert article["mainEntityOfPage"]["@id"] == "https://wire.example/stories/42"
    assert article["url"] == f"http://testserver{story.url}"


def test_the_structured_headline_is_cut_to_110_characters(client, article_factory, soup):
    story = article_factory(headline="Tram " * 40)
    (article,) = json_ld_of_type(soup(client.get(story.url)), "NewsArticle")
    assert article["headline"] == story.title[:110]
    assert len(story.title) > 110


def test_the_editors_search_description_and_title_win(client, article_factory, soup):
    story = article_factory(headline="Council backs tram")
    ArticlePage.objects.filter(pk=story.pk).update(search_description="Short for search", seo_title="Tram: yes")
    meta = head_meta(soup(client.get(story.url)))
    assert (meta["description"], meta["og:title"], meta["twitter:title"]) == (
        "Short for search",
        "Tram: yes",
        "Tram: yes",
    )


def test_every_tag_is_an_article_tag(client, article_factory, soup):
    story = article_factory(headline="Tagged", tags=["trams", "budget"])
    tags = [tag["content"] for tag in soup(client.get(story.url)).select('meta[property="article:tag"]')]
    assert sorted(tags) == ["budget", "trams"]


def test_a_person_carries_role_biography_links_and_photo(client, article_factory, soup, tmp_path):
    article_factory(headline="Bylined", authors=["Jonas Falk"])
    photo = image_from_file(make_image(tmp_path / "jonas.jpg", seed=3, colour=(90, 90, 90), size=(500, 500)), "Jonas")
    Author.objects.filter(slug="jonas-falk").update(role="Local reporter", bio="Covers the city hall.", photo=photo)
    AuthorLink.objects.create(author=Author.objects.get(slug="jonas-falk"), label="Site", url="https://jonas.example/")
    (person,) = json_ld_of_type(soup(client.get("/authors/jonas-falk/")), "Person")
    assert (person["jobTitle"], person["description"]) == ("Local reporter", "Covers the city hall.")
    assert person["sameAs"] == ["https://jonas.example/"]
    assert person["image"].startswith("http://testserver/") and ".fill-400x400." in person["image"]
    assert person["worksFor"]["@type"] == "NewsMediaOrganization"


def test_a_person_leaves_out_what_the_author_has_not_given(client, article_factory, soup):
    article_factory(headline="Bylined", authors=["Jonas Falk"])
    Author.objects.filter(slug="jonas-falk").update(role="", bio="", photo=None)
    (person,) = json_ld_of_type(soup(client.get("/authors/jonas-falk/")), "Person")
    assert not {"jobTitle", "description", "image"} & person.keys()
    assert person["sameAs"] == []


def test_an_article_whose_picture_file_is_missing_keeps_its_data_without_the_picture(client, article_factory, soup):
    story = article_factory(headline="Pictured", with_image=True)
    story.lead_image.file.storage.delete(story.lead_image.file.name)  # media not copied: no renditions can be made
    response = client.get(story.url)
    assert response.status_code == 200
    page = soup(response)
    (article,) = json_ld_of_type(page, "NewsArticle")
    assert (article["headline"], article["image"]) == ("Pictured", [])
    assert "og:image" not in head_meta(page)


def test_an_author_whose_photo_file_is_missing_keeps_the_rest_of_their_data(client, article_factory, soup, tmp_path):
    article_factory(headline="Bylined", authors=["Jonas Falk"])
    photo = image_from_file(make_image(tmp_path / "jonas.jpg", seed=3, colour=(90, 90, 90), size=(500, 500)), "Jonas")
    Author.objects.filter(slug="jonas-falk").update(role="Local reporter", photo=photo)
    photo.file.storage.delete(photo.file.name)
    response = client.get("/authors/jonas-falk/")
    assert response.status_code == 200
    (person,) = json_ld_of_type(soup(response), "Person")
    assert person["jobTitle"] == "Local reporter"
    assert "image" not in person
