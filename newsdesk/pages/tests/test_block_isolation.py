"""A block of a reader page that fails is logged and left out; the page still answers 200."""

import logging

import pytest
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone

from newsdesk.ads.factories import make_campaign, make_image_creative
from newsdesk.ads.templatetags import ads_tags
from newsdesk.comments import selectors as comment_selectors
from newsdesk.pages import selectors, teasers
from newsdesk.pages.isolation import isolated
from newsdesk.recommendations import selectors as recommended
from newsdesk.seo import structured_data
from newsdesk.weather.models import WeatherReading, WeatherSettings
from newsdesk.weather.templatetags import weather_tags

pytestmark = pytest.mark.django_db

LOGGER = "newsdesk.pages.isolation"


@pytest.fixture(autouse=True)
def isolate_as_in_production(settings):
    """The tests' settings let block errors through; these tests prove what production does."""
    settings.NEWSDESK_RAISE_BLOCK_ERRORS = False


def explode(*args, **kwargs):
    raise RuntimeError("boom")


@pytest.fixture
def story(article_factory):
    return article_factory(headline="Council backs tram line", section="politics")


@pytest.fixture
def weather_shown(sections):
    """Munich's weather, stored as the refresh job stores it."""
    site = sections["politics"].get_site()
    WeatherSettings.objects.update_or_create(site=site, defaults={"location": "Munich"})
    now = timezone.now()
    WeatherReading.objects.create(
        site=site, temperature_c=11.9, condition="cloudy", description="Overcast", city="Munich",
        observed_at=now, fetched_at=now,
    )  # fmt: skip
    return site


def reader_pages(story):
    return ["/", story.dated_path(), "/search/?q=tram"]


# --- The building blocks ------------------------------------------------------------------


def test_isolated_returns_what_the_block_built():
    built: list[int] = isolated("numbers", lambda: [1, 2], default=[])
    assert built == [1, 2]


def test_isolated_returns_the_default_when_the_block_raises():
    assert isolated("numbers", lambda: explode(), default=[]) == []


def test_isolated_logs_the_block_and_the_traceback(caplog):
    with caplog.at_level(logging.ERROR, logger=LOGGER):
        isolated("numbers", lambda: explode(), default=[])
    (record,) = caplog.records
    assert "numbers" in record.getMessage()
    assert record.exc_info is not None and isinstance(record.exc_info[1], RuntimeError)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_lost_database_is_not_one_blocks_fault(error):
    def lost():
        raise error("server closed the connection")

    with pytest.raises(error):
        isolated("numbers", lost, default=[])


def test_a_setting_lets_errors_through_for_debugging(settings):
    settings.NEWSDESK_RAISE_BLOCK_ERRORS = True
    with pytest.raises(RuntimeError):
        isolated("numbers", lambda: explode(), default=[])


def render(source, **context):
    return Template("{% load isolation_tags %}" + source).render(Context(context))


def test_the_tag_renders_its_content():
    assert render('{% isolated "greeting" %}Hello {{ name }}{% endisolated %}', name="Ada") == "Hello Ada"


def test_the_tag_renders_nothing_of_a_block_that_fails_part_way(caplog):
    class Failing:
        def __str__(self):
            raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger=LOGGER):
        html = render('<p>{% isolated "greeting" %}Hello {{ bad }}{% endisolated %}</p>', bad=Failing())
    assert html == "<p></p>"
    assert "greeting" in caplog.text


def test_the_tag_leaves_the_context_as_it_was(caplog):
    class Failing:
        def __str__(self):
            raise RuntimeError("boom")

    source = (
        '{% with name="inner" %}{% isolated "x" %}{% with name="deeper" %}{{ bad }}{% endwith %}{% endisolated %}'
        "{{ name }}{% endwith %}"
    )
    assert render(source, bad=Failing()) == "inner"


@pytest.mark.parametrize("tag", ["{% isolated %}", "{% isolated weather %}", '{% isolated "a" "b" %}'])
def test_the_tag_needs_one_quoted_name(tag):
    with pytest.raises(TemplateSyntaxError, match="one quoted block name"):
        render(tag + "{% endisolated %}")


# --- The weather (issue 18: one bad reading answered 500 on every uncached page) -----------


def test_pages_show_the_weather_when_it_works(weather_shown, story, client, soup):
    for path in reader_pages(story):
        assert soup(client.get(path)).select_one(".weather__widget") is not None, path


def test_a_failing_weather_widget_leaves_every_page_answering(weather_shown, story, client, soup, monkeypatch):
    monkeypatch.setattr(weather_tags, "current_weather", explode)
    for path in reader_pages(story):
        response = client.get(path)
        assert response.status_code == 200, path
        page = soup(response)
        assert page.select_one(".weather__widget") is None, path
        assert page.select_one(".date-line") is not None, path  # the rest of the top bar stays


def test_a_failing_weather_widget_is_logged(weather_shown, story, client, monkeypatch, caplog):
    monkeypatch.setattr(weather_tags, "current_weather", explode)
    with caplog.at_level(logging.ERROR, logger=LOGGER):
        client.get("/")
    assert "The weather block failed" in caplog.text


def test_a_reading_stored_without_temperature_leaves_every_page_answering(weather_shown, story, client, soup):
    WeatherReading.objects.update(temperature_c=None)  # what a NaN from the provider became
    cache.clear()
    for path in reader_pages(story):
        response = client.get(path)
        assert response.status_code == 200, path
        assert soup(response).select_one(".weather__widget") is None, path


# --- The other blocks ----------------------------------------------------------------------


@pytest.fixture
def running_ads(sections, tmp_path):
    campaign = make_campaign()
    make_image_creative(campaign, "article-bottom", workdir=tmp_path)
    make_image_creative(campaign, "sidebar", seed=2, workdir=tmp_path)


def test_ad_slots_show_when_they_work(story, running_ads, client, soup):
    assert len(soup(client.get(story.dated_path())).select(".ad-slot")) == 2


def test_failing_ad_slots_leave_the_article_without_ads(story, running_ads, client, soup, monkeypatch):
    monkeypatch.setattr(ads_tags, "slot_creatives", explode)
    response = client.get(story.dated_path())
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one(".story__title").get_text() == "Council backs tram line"
    assert page.select(".ad-slot") == []


def test_a_failing_must_read_leaves_the_other_lists(story, article_factory, client, soup, monkeypatch):
    article_factory(headline="Another story", section="politics")
    monkeypatch.setattr(teasers, "must_read_teasers", explode)
    page = soup(client.get(story.dated_path()))
    assert page.select_one(".list-block--must-read") is None
    assert page.select_one(".list-block--latest") is not None


def test_a_failing_more_articles_leaves_the_article(story, client, soup, monkeypatch):
    monkeypatch.setattr(teasers, "more_articles_teasers", explode)
    response = client.get(story.dated_path())
    assert response.status_code == 200
    assert soup(response).select_one(".list-block--more-articles") is None


def test_failing_comments_leave_the_article(story, client, soup, monkeypatch):
    monkeypatch.setattr(comment_selectors, "approved_comments", explode)
    response = client.get(story.dated_path())
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("#comments") is None
    assert page.select_one(".story__body") is not None


def test_failing_comment_rules_close_the_comments_for_this_render(story, client, soup, monkeypatch):
    monkeypatch.setattr(selectors, "comment_settings", explode)
    response = client.get(story.dated_path())
    assert response.status_code == 200
    assert soup(response).select_one(".comments__closed") is not None


def test_failing_most_read_leaves_the_home_page(story, client, soup, monkeypatch):
    monkeypatch.setattr(recommended, "most_read_windows", explode)
    response = client.get("/")
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one(".list-block--most-read") is None
    assert page.select_one(".lead-story") is not None


def test_failing_structured_data_is_not_kept_as_an_empty_head(story, client, soup, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(structured_data, "news_article", explode)
        failed = soup(client.get(story.dated_path()))
    assert failed.select_one('script[type="application/ld+json"]') is None
    # The next render has it again: the part that failed was not stored empty.
    assert soup(client.get(story.dated_path())).select_one('script[type="application/ld+json"]') is not None


def test_a_failing_body_ad_slot_leaves_the_body(story, client, soup, monkeypatch):
    monkeypatch.setattr(ads_tags, "slot_creatives", explode)
    page = soup(client.get(story.dated_path()))
    assert page.select_one(".story__body p") is not None
