"""The weather in the top bar of pages, as readers get it."""

import datetime

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.utils import timezone
from wagtail.models import Site

from newsdesk.weather.models import WeatherReading, WeatherSettings
from newsdesk.weather.selectors import current_weather, temperature_in
from newsdesk.weather.services import weather_refresh

from .fakes import weather_for_default_site

pytestmark = pytest.mark.django_db


def top_bar(client, soup):
    return soup(client.get("/")).select_one(".top-bar .weather")


def test_shows_temperature_and_city(weather_in_munich, client, soup):
    weather = top_bar(client, soup)
    assert weather.select_one(".weather__temp").get_text() == "11.9 °C"
    assert weather.select_one(".weather__city").get_text() == "Munich"


def test_shows_fahrenheit_when_chosen(weather_in_munich, client, soup):
    WeatherSettings.objects.update(units="F")
    cache.clear()
    assert top_bar(client, soup).select_one(".weather__temp").get_text() == "53.4 °F"


def test_the_icon_has_a_text_alternative(weather_in_munich, client, soup):
    icon = top_bar(client, soup).select_one("svg")
    assert (icon["role"], icon["aria-label"], icon.title.get_text()) == ("img", "Overcast", "Overcast")


def test_shows_nothing_before_the_first_reading(sections, client, soup):
    weather_for_default_site(location="Munich")
    assert top_bar(client, soup).get_text(strip=True) == ""


def test_shows_nothing_when_hidden(weather_in_munich, client, soup):
    WeatherSettings.objects.update(show=False)
    cache.clear()
    assert top_bar(client, soup).get_text(strip=True) == ""


def test_hides_a_reading_older_than_the_maximum_age(weather_in_munich, client, soup, settings):
    settings.NEWSDESK_WEATHER_MAX_AGE_SECONDS = 3600
    WeatherReading.objects.update(observed_at=timezone.now() - datetime.timedelta(hours=2))
    cache.clear()
    assert top_bar(client, soup).get_text(strip=True) == ""


def test_a_cached_reading_turns_stale_too(weather_in_munich, settings):
    site = weather_in_munich.site
    assert current_weather(site) is not None  # cached by the refresh
    settings.NEWSDESK_WEATHER_MAX_AGE_SECONDS = 0
    assert current_weather(site) is None


def test_an_unknown_city_shows_nothing(fake_open_meteo, sections, client, soup):
    weather_refresh(site=weather_for_default_site(location="Atlantis"))
    assert top_bar(client, soup).get_text(strip=True) == ""


def test_readers_never_see_the_error(weather_in_munich, fake_open_meteo, client, soup):
    fake_open_meteo.forecast_status = 500
    weather_refresh(site=weather_in_munich.site)
    weather = top_bar(client, soup)
    assert weather.select_one(".weather__temp").get_text() == "11.9 °C"
    assert "500" not in soup(client.get("/")).get_text()


def test_reads_the_database_when_the_cache_is_empty(weather_in_munich, client, soup):
    cache.clear()  # as in a web process other than the worker's, with a process-local cache
    assert top_bar(client, soup).select_one(".weather__city").get_text() == "Munich"


def test_a_page_makes_no_call_to_a_slow_provider(weather_in_munich, fake_open_meteo, client, soup):
    fake_open_meteo.delay = 10
    cache.clear()
    before = len(fake_open_meteo.received)
    weather = top_bar(client, soup)
    # No request reached the provider, so the page waited for none: a count, not a stopwatch,
    # which a loaded machine can push past any bound.
    assert len(fake_open_meteo.received) == before
    assert weather.select_one(".weather__temp").get_text() == "11.9 °C"


def test_a_cached_reading_costs_no_query(weather_in_munich, django_assert_num_queries):
    site = Site.objects.get(is_default_site=True)
    current_weather(site)
    with django_assert_num_queries(0):
        current_weather(site)


def test_no_weather_is_cached_too(sections, django_assert_num_queries):
    site = Site.objects.get(is_default_site=True)
    current_weather(site)
    with django_assert_num_queries(0):
        assert current_weather(site) is None


def test_escapes_what_the_provider_sends(weather_in_munich, client, soup):
    WeatherReading.objects.update(city="<b>Munich</b>", description='<img src=x onerror="alert(1)">')
    cache.clear()
    weather = top_bar(client, soup)
    assert weather.select_one(".weather__city").get_text() == "<b>Munich</b>"
    assert weather.select("b, img") == []


def test_openweathermap_reading_shows_without_the_key(fake_openweathermap, sections, client, soup):
    weather_refresh(site=weather_for_default_site(location="Munich"))
    response = client.get("/")
    assert soup(response).select_one(".weather__temp").get_text() == "11.9 °C"
    assert fake_openweathermap.api_key.encode() not in response.content


@pytest.mark.parametrize(
    ("celsius", "units", "shown"),
    [(11.9, "C", "11.9"), (11.9, "F", "53.4"), (-0.04, "C", "0.0"), (0.05, "C", "0.1"), (-40.0, "F", "-40.0")],
)
def test_temperature_has_one_decimal(celsius, units, shown):
    assert str(temperature_in(celsius, units)) == shown


def test_the_label_starts_with_a_capital(weather_in_munich):
    WeatherReading.objects.update(description="overcast clouds")
    cache.clear()
    shown = current_weather(weather_in_munich.site)
    assert shown is not None
    assert shown.label == "Overcast clouds"


def test_the_label_falls_back_to_the_condition(weather_in_munich):
    WeatherReading.objects.update(description="")
    cache.clear()
    shown = current_weather(weather_in_munich.site)
    assert shown is not None
    assert shown.label == "cloudy"


def test_a_reading_without_an_observation_time_ages_from_its_fetch(weather_in_munich, settings):
    settings.NEWSDESK_WEATHER_MAX_AGE_SECONDS = 3600
    WeatherReading.objects.update(observed_at=None, fetched_at=timezone.now() - datetime.timedelta(hours=2))
    cache.clear()
    assert current_weather(weather_in_munich.site) is None


def test_the_widget_needs_a_request_to_know_the_site(weather_in_munich):
    html = Template("{% load weather_tags %}{% weather_widget %}").render(Context({}))
    assert html.strip() == ""


def test_settings_and_reading_name_their_site_and_city(weather_in_munich):
    settings_row = WeatherSettings.objects.get()
    assert str(settings_row) == f"Weather for {weather_in_munich.site}"
    assert str(weather_in_munich) == "Munich: 11.9 °C"
