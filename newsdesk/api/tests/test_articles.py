"""The article endpoints: list, filters, detail by id and by dated address."""

import base64
import datetime
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from newsdesk.articles import search
from newsdesk.articles.models import ArticlePage

pytestmark = pytest.mark.django_db

Factory = Callable[..., ArticlePage]


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_list_is_newest_first_with_the_documented_shape(api: Any, article_factory: Factory) -> None:
    older, newer = article_factory(section="world"), article_factory(section="local")
    older, newer = (older, newer) if older.first_published_at < newer.first_published_at else (newer, older)
    body = api("/api/v1/articles/").json()
    assert [item["id"] for item in body["results"]] == [newer.pk, older.pk]
    first = body["results"][0]
    assert set(first) == {
        *("id", "headline", "standfirst", "url", "first_published_at", "updated_at"),
        *("section", "authors", "tags", "lead_image"),
    }
    assert first["url"] == f"http://localhost{newer.dated_path()}"
    assert body["next"] is None


def test_section_filter_includes_extra_sections(api: Any, article_factory: Factory, sections: Any) -> None:
    world = article_factory(section="world")
    local = article_factory(section="local")
    article_factory(section="sport")
    local.extra_sections.add(sections["world"])
    local.save_revision().publish()
    assert sorted(ids(api("/api/v1/articles/?section=world"))) == sorted([world.pk, local.pk])


def test_tag_and_author_filters(api: Any, article_factory: Factory) -> None:
    tagged = article_factory(tags=["Harbour"], authors=["Mara Lindqvist"])
    article_factory(tags=["Trams"], authors=["Jonas Falk"])
    assert ids(api("/api/v1/articles/?tag=harbour")) == [tagged.pk]
    assert ids(api("/api/v1/articles/?author=mara-lindqvist")) == [tagged.pk]
    assert ids(api("/api/v1/articles/?tag=no-such-tag")) == []


def test_published_since_and_until(api: Any, article_factory: Factory) -> None:
    now = timezone.now().replace(microsecond=0)
    old = article_factory(published_at=now - datetime.timedelta(days=10))
    new = article_factory(published_at=now - datetime.timedelta(days=1))
    since = (now - datetime.timedelta(days=5)).isoformat().replace("+", "%2B")
    assert ids(api(f"/api/v1/articles/?published_since={since}")) == [new.pk]
    assert ids(api(f"/api/v1/articles/?published_until={since}")) == [old.pk]


def test_updated_since_finds_republished_and_corrected_articles(api: Any, article_factory: Factory) -> None:
    from newsdesk.articles.corrections import correction_add
    from newsdesk.articles.models import Correction

    now = timezone.now().replace(microsecond=0)
    quiet = article_factory(published_at=now - datetime.timedelta(days=3))
    corrected = article_factory(published_at=now - datetime.timedelta(days=3))
    ArticlePage.objects.filter(pk__in=[quiet.pk, corrected.pk]).update(
        last_published_at=now - datetime.timedelta(days=3)
    )
    correction_add(article=corrected, kind=Correction.Kind.CORRECTION, text="It was 12.", significant=False, user=None)
    since = (now - datetime.timedelta(hours=1)).isoformat().replace("+", "%2B")
    assert ids(api(f"/api/v1/articles/?updated_since={since}")) == [corrected.pk]


def test_bad_date_is_a_400_with_the_field_named(api: Any, sections: Any) -> None:
    response = api("/api/v1/articles/?published_since=yesterday")
    assert response.status_code == 400
    assert "published_since" in response.json()


def test_search_query(api: Any, article_factory: Factory) -> None:
    found = article_factory(headline="Lighthouse keepers strike over pay")
    article_factory(headline="Tram line opens")
    assert ids(api("/api/v1/articles/?q=lighthouse")) == [found.pk]


def test_search_finds_what_the_sites_search_finds(api: Any, article_factory: Factory, monkeypatch: Any) -> None:
    monkeypatch.setattr(search, "MAX_RANKED", 2)  # the newest two of three matches
    made = [article_factory(headline=f"Lighthouse story {n}").pk for n in range(3)]
    site = search.search_results(search.SearchFilters(query="lighthouse")).ids
    assert sorted(site) == sorted(made[:2])  # the factory's first is the newest
    assert sorted(ids(api("/api/v1/articles/?q=lighthouse"))) == sorted(site)


def test_cursor_pages_cover_the_list_once(api: Any, article_factory: Factory) -> None:
    made = [article_factory().pk for _ in range(5)]
    seen: list[int] = []
    url = "/api/v1/articles/?limit=2"
    while url:
        body = api(url).json()
        assert len(body["results"]) <= 2
        seen += [item["id"] for item in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))


def test_limit_is_capped_at_100(api: Any, article_factory: Factory, settings: Any) -> None:
    settings.NEWSDESK_API_MAX_LIMIT = 2
    for _ in range(3):
        article_factory()
    assert len(ids(api("/api/v1/articles/?limit=1000"))) == 2


@pytest.mark.parametrize("limit", ["0", "-1", "abc"])
def test_bad_limit_is_a_400(api: Any, sections: Any, limit: str) -> None:
    assert api(f"/api/v1/articles/?limit={limit}").status_code == 400


def test_bad_cursor_is_a_404(api: Any, sections: Any) -> None:
    assert api("/api/v1/articles/?cursor=bm9wZQ").status_code == 404


@pytest.mark.parametrize("position", ["not-a-date", "2026-13-45T99:00:00Z"])
def test_cursor_with_a_position_that_is_not_a_date_is_a_404(api: Any, sections: Any, position: str) -> None:
    # Well-formed base64 and query string, as DRF writes them, but a position no article has.
    cursor = base64.b64encode(f"p={position}".encode()).decode()
    assert api(f"/api/v1/articles/?{urlencode({'cursor': cursor})}").status_code == 404


def test_detail_by_id_and_by_dated_address(api: Any, article_factory: Factory) -> None:
    article = article_factory(section="world", headline="Harbour reopens")
    by_id = api(f"/api/v1/articles/{article.pk}/").json()
    by_path = api(f"/api/v1/articles{article.dated_path()}").json()
    assert by_id == by_path
    assert by_id["headline"] == "Harbour reopens"
    assert by_id["sections"][0]["slug"] == "world"
    assert by_id["body_html"]


def test_dated_address_with_the_wrong_date_is_a_404(api: Any, article_factory: Factory) -> None:
    article = article_factory()
    assert api(f"/api/v1/articles/1999/01/01/{article.slug}/").status_code == 404


def test_sections_authors_tags_and_home(api: Any, article_factory: Factory) -> None:
    lead = article_factory(section="world", tags=["Harbour"], authors=["Mara Lindqvist"])
    sections = api("/api/v1/sections/").json()
    assert "world" in [item["slug"] for item in sections]
    assert "mara-lindqvist" in [item["slug"] for item in api("/api/v1/authors/").json()["results"]]
    assert [item["slug"] for item in api("/api/v1/tags/").json()["results"]] == ["harbour"]
    home = api("/api/v1/home/").json()
    assert home["lead"]["id"] == lead.pk
    assert home["rows"] == []
