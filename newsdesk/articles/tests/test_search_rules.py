"""`search_articles`, `clean_query`, `highlight` and the search form, called directly."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from django.utils.safestring import SafeString
from wagtail.models import PageViewRestriction

from newsdesk.articles import search
from newsdesk.articles.forms import SearchForm
from newsdesk.articles.models import ArticlePage
from newsdesk.articles.search import MAX_QUERY_LENGTH, SearchFilters, clean_query, highlight, search_articles

pytestmark = pytest.mark.django_db

LATE_EVENING = datetime.datetime(2025, 3, 4, 22, 30, tzinfo=datetime.UTC)  # 23:30 on March 4 in Berlin


def found(query, **filters):
    return [page.title for page in search_articles(SearchFilters(query=query, **filters))]


def marks(html):
    return [mark.get_text() for mark in BeautifulSoup(str(html), "html.parser").find_all("mark")]


def text_of(html):
    return BeautifulSoup(str(html), "html.parser").get_text()


# --- search_articles ----------------------------------------------------------


def test_an_empty_query_finds_nothing_without_asking_the_database(article_factory, django_assert_num_queries):
    article_factory(headline="Tram works")
    with django_assert_num_queries(0):
        assert search_articles(SearchFilters(query="")) == []


def test_every_word_must_match(article_factory):
    article_factory(headline="Tram works begin", body=["Crews arrive."])
    article_factory(headline="Tram fares rise", body=["Tickets cost more."])
    assert found("tram crews") == ["Tram works begin"]


def test_an_expired_article_is_not_found_before_the_scheduler_runs(article_factory):
    expired = article_factory(headline="Harbour sale ends")
    ArticlePage.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - datetime.timedelta(seconds=1))
    assert found("harbour") == []


def test_an_article_of_a_private_section_is_not_found(article_factory, sections):
    article_factory(headline="Harbour derby", section="sport")
    article_factory(headline="Harbour budget", section="politics")
    PageViewRestriction.objects.create(page=sections["sport"], restriction_type=PageViewRestriction.LOGIN)
    assert found("harbour") == ["Harbour budget"]


def test_a_live_article_dated_in_the_future_is_not_found(article_factory):
    embargoed = article_factory(headline="Harbour embargo")
    ArticlePage.objects.filter(pk=embargoed.pk).update(first_published_at=timezone.now() + datetime.timedelta(hours=1))
    assert found("harbour") == []


def test_section_filter_keeps_only_that_section(article_factory, sections):
    article_factory(headline="Harbour derby", section="sport")
    article_factory(headline="Harbour budget", section="politics")
    assert found("harbour", section=sections["sport"]) == ["Harbour derby"]


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        (datetime.date(2025, 3, 4), datetime.date(2025, 3, 4), ["Harbour vote"]),
        (datetime.date(2025, 3, 5), None, []),
        (None, datetime.date(2025, 3, 3), []),
        (None, datetime.date(2025, 3, 4), ["Harbour vote"]),
    ],
)
def test_date_filters_are_inclusive_days_in_the_site_time_zone(article_factory, since, until, expected):
    article_factory(headline="Harbour vote", published_at=LATE_EVENING)
    assert found("harbour", since=since, until=until) == expected


# --- clean_query --------------------------------------------------------------


def test_clean_query_cuts_the_text_before_finding_words():
    assert clean_query("a" * (MAX_QUERY_LENGTH - 2) + " bcdef") == "a" * (MAX_QUERY_LENGTH - 2) + " b"


def test_clean_query_keeps_words_in_any_script():
    assert clean_query("Straße — 市议会, Москва!") == "Straße 市议会 Москва"


def test_clean_query_of_punctuation_alone_is_empty():
    assert clean_query("\"'*?()[]{}") == ""


# --- highlight ----------------------------------------------------------------


def test_highlight_without_words_only_escapes():
    result = highlight("<i>Fish</i> & chips", "!!!")
    assert isinstance(result, SafeString)
    assert str(result) == "&lt;i&gt;Fish&lt;/i&gt; &amp; chips"


@pytest.mark.parametrize("query", ["amp", "lt", "gt", "quot", "x27"])
def test_highlight_never_marks_inside_an_escaped_character(query):
    # Found by these tests: the words were looked for in the escaped text, so "amp" broke `&amp;`.
    text = 'Fish & chips <b>"Tom\'s"</b>'
    result = highlight(text, query)
    assert text_of(result) == text
    assert marks(result) == []


def test_highlight_marks_words_starting_with_a_term_keeping_their_case():
    assert marks(highlight("Trams and TRAMWAYS, not ultramarine", "tram")) == ["Trams", "TRAMWAYS"]


def test_highlight_prefers_the_longer_of_two_terms():
    assert marks(highlight("tramway tram", "tram tramway")) == ["tramway", "tram"]


def test_highlight_marks_words_in_other_scripts():
    assert marks(highlight("Die Straße und die Straßenbahn", "straße")) == ["Straße", "Straßenbahn"]


def test_a_marked_word_is_escaped_too():
    result = highlight("x<tram>y", "tram")
    assert marks(result) == ["tram"]
    assert text_of(result) == "x<tram>y"


# --- SearchForm ----------------------------------------------------------------


def section_choices(form):
    return [str(value) for value, _label in form.fields["section"].choices if value]


def test_section_choices_leave_out_private_and_unpublished_sections(sections):
    PageViewRestriction.objects.create(page=sections["sport"], restriction_type=PageViewRestriction.LOGIN)
    sections["culture"].unpublish()
    assert section_choices(SearchForm()) == ["world", "politics", "business", "local"]


def test_a_query_of_the_maximum_length_is_accepted(sections):
    form = SearchForm({"q": "x" * MAX_QUERY_LENGTH})
    assert form.is_valid(), form.errors


def test_a_longer_query_is_refused_with_its_own_code(sections):
    form = SearchForm({"q": "x" * (MAX_QUERY_LENGTH + 1)})
    assert not form.is_valid()
    assert form.errors.as_data()["q"][0].code == "too_long"


def test_the_form_cleans_the_query(sections):
    form = SearchForm({"q": "  tram; DROP--  "})
    assert form.is_valid()
    assert form.cleaned_data["q"] == "tram DROP"


def test_one_day_range_is_valid(sections):
    assert SearchForm({"q": "tram", "since": "2025-03-04", "until": "2025-03-04"}).is_valid()


def test_from_after_to_is_a_form_error_not_a_field_error(sections):
    form = SearchForm({"q": "tram", "since": "2025-03-05", "until": "2025-03-04"})
    assert not form.is_valid()
    assert list(form.errors) == ["__all__"]


def test_filters_carry_what_the_reader_chose(sections):
    form = SearchForm({"q": "tram", "section": "local", "since": "2025-03-01"})
    assert form.is_valid()
    assert form.filters() == SearchFilters(
        query="tram", section=sections["local"], since=datetime.date(2025, 3, 1), until=None
    )


def test_an_unknown_section_is_refused(sections):
    form = SearchForm({"q": "tram", "section": "weather"})
    assert not form.is_valid()
    assert list(form.errors) == ["section"]


# --- the bound on ranked candidates ---------------------------------------------

DAY = datetime.timedelta(days=1)


def test_only_the_newest_matches_are_ranked(article_factory, monkeypatch):
    monkeypatch.setattr(search, "MAX_RANKED", 2)
    for n, headline in enumerate(["Harbour old", "Harbour newer", "Harbour newest"]):
        article_factory(headline=headline, published_at=LATE_EVENING + n * DAY)
    assert sorted(found("harbour")) == ["Harbour newer", "Harbour newest"]


def test_an_older_match_is_found_by_narrowing_the_dates(article_factory, monkeypatch):
    monkeypatch.setattr(search, "MAX_RANKED", 2)
    for n, headline in enumerate(["Harbour old", "Harbour newer", "Harbour newest"]):
        article_factory(headline=headline, published_at=LATE_EVENING + n * DAY)
    assert found("harbour", until=datetime.date(2025, 3, 4)) == ["Harbour old"]


def test_an_older_match_is_found_by_choosing_its_section(article_factory, sections, monkeypatch):
    monkeypatch.setattr(search, "MAX_RANKED", 1)
    article_factory(headline="Harbour derby", section="sport", published_at=LATE_EVENING)
    article_factory(headline="Harbour budget", section="politics", published_at=LATE_EVENING + DAY)
    assert found("harbour", section=sections["sport"]) == ["Harbour derby"]


def test_hidden_articles_take_no_place_among_the_candidates(article_factory, monkeypatch):
    monkeypatch.setattr(search, "MAX_RANKED", 1)
    article_factory(headline="Harbour published", published_at=LATE_EVENING)
    article_factory(headline="Harbour draft", published_at=LATE_EVENING + DAY).unpublish()
    embargoed = article_factory(headline="Harbour embargo")
    ArticlePage.objects.filter(pk=embargoed.pk).update(first_published_at=timezone.now() + datetime.timedelta(hours=1))
    assert found("harbour") == ["Harbour published"]


def test_candidates_are_shown_best_match_first(article_factory):
    article_factory(headline="Harbour harbour harbour", published_at=LATE_EVENING)
    article_factory(headline="Market day", body=["A stall by the harbour."], published_at=LATE_EVENING + DAY)
    assert found("harbour") == ["Harbour harbour harbour", "Market day"]


def test_a_word_the_index_ignores_leaves_the_others_to_match(article_factory):
    article_factory(headline="The harbour reopens")
    assert found("the harbour") == ["The harbour reopens"]
