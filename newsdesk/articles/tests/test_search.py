import datetime

import pytest
from django.utils import timezone

from newsdesk.articles import search
from newsdesk.articles.search import MAX_TERMS, clean_query, highlight

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(article_factory):
    article_factory(headline="Tram line approved", section="local", body=["The tram will cross the cobblestones."])
    article_factory(headline="Budget passes", section="politics", body=["Money for the tram was found late."])
    article_factory(
        headline="Old tram history",
        section="culture",
        body=["A look back at the first tram."],
        published_at=timezone.now() - datetime.timedelta(days=30),
    )


def titles(soup_page):
    return [a.get_text() for a in soup_page.select(".search-result h3 a")]


def test_finds_articles_by_words_in_their_body(client, stories, soup):
    assert titles(soup(client.get("/search/", {"q": "cobblestones"}))) == ["Tram line approved"]


def test_matches_are_highlighted(client, stories, soup):
    marks = soup(client.get("/search/", {"q": "tram"})).select(".search-result h3 mark")
    assert {m.get_text().lower() for m in marks} == {"tram"}


def test_filter_by_section(client, stories, soup):
    assert titles(soup(client.get("/search/", {"q": "tram", "section": "politics"}))) == ["Budget passes"]


def test_filter_by_date(client, stories, soup):
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    found = titles(soup(client.get("/search/", {"q": "tram", "since": since})))
    assert "Old tram history" not in found
    assert len(found) == 2


def test_results_page_is_noindex(client, stories, soup):
    assert soup(client.get("/search/", {"q": "tram"})).select_one("meta[name=robots]")["content"] == "noindex, follow"


def test_hidden_articles_are_never_found(client, article_factory, soup):
    from wagtail.models import PageViewRestriction

    draft = article_factory(headline="Secret tram draft")
    draft.unpublish()
    private = article_factory(headline="Secret tram private")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    article_factory(headline="Secret tram future", published_at=timezone.now() + datetime.timedelta(days=1))
    assert titles(soup(client.get("/search/", {"q": "secret tram"}))) == []


@pytest.mark.parametrize(
    "query",
    [
        "x" * 100_000,
        "' OR 1=1; --",
        '"unbalanced',
        "<script>alert(1)</script>",
        "AND OR NOT",
        "* ? ~ ^ : ( ) [ ] { }",
        "\x00\x01",
        "tram " * 500,
        "🚋",
    ],
)
def test_hostile_or_huge_queries_never_fail(client, stories, query):
    assert client.get("/search/", {"q": query}).status_code == 200


def test_too_long_query_gets_a_clear_message(client, stories, soup):
    page = soup(client.get("/search/", {"q": "x" * 500}))
    assert "at most 200 characters" in page.select_one("#id_q-error").get_text()


def test_bad_filters_get_clear_messages(client, stories, soup):
    page = soup(client.get("/search/", {"q": "tram", "section": "nope", "since": "garbage"}))
    assert page.select_one("#id_section-error") is not None
    assert page.select_one("#id_since-error").get_text() == "Enter a valid date."


def test_from_after_to_is_refused(client, stories, soup):
    page = soup(client.get("/search/", {"q": "tram", "since": "2025-02-01", "until": "2025-01-01"}))
    assert "must be on or before" in page.select_one(".form-errors").get_text()


def test_page_size_is_bounded_and_pages_404_past_the_end(client, article_factory, soup):
    for n in range(12):
        article_factory(headline=f"Ferry {n}")
    assert len(soup(client.get("/search/", {"q": "ferry"})).select(".search-result")) == 10
    assert len(soup(client.get("/search/", {"q": "ferry", "page": 2})).select(".search-result")) == 2
    assert client.get("/search/", {"q": "ferry", "page": 3}).status_code == 404


def test_the_reader_is_told_when_more_match_than_are_ranked(client, stories, soup, monkeypatch):
    monkeypatch.setattr(search, "MAX_RANKED", 2)
    page = soup(client.get("/search/", {"q": "tram"}))
    assert len(page.select(".search-result")) == 2
    assert page.select_one("#results-title").get_text() == "2 results"
    note = page.select_one(".search-note")
    assert note is not None and "newest 2" in note.get_text() and "dates or a section" in note.get_text()


def test_no_note_when_every_match_is_ranked(client, stories, soup, monkeypatch):
    monkeypatch.setattr(search, "MAX_RANKED", 3)
    page = soup(client.get("/search/", {"q": "tram"}))
    assert len(page.select(".search-result")) == 3
    assert page.select_one(".search-note") is None


def test_clean_query_keeps_words_only_and_caps_their_number():
    assert clean_query("tram; DROP TABLE") == "tram DROP TABLE"
    assert len(clean_query("w " * 50).split()) == MAX_TERMS


def test_highlight_escapes_before_marking():
    assert (
        str(highlight("<b>Tram</b> & trams", "tram")) == "&lt;b&gt;<mark>Tram</mark>&lt;/b&gt; &amp; <mark>trams</mark>"
    )
