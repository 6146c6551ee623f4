"""The weather settings in the admin: validation, the status panel, what saving sets off."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import Site

from newsdesk.core.roles import ADMINS, EDITORS, WRITERS
from newsdesk.weather.models import WeatherReading, WeatherSettings
from newsdesk.weather.selectors import cache_key, current_weather
from newsdesk.weather.services import weather_refresh

from .fakes import weather_for_default_site

pytestmark = pytest.mark.django_db

FORM = {"show": "on", "location": "Munich", "latitude": "", "longitude": "", "units": "C"}


@pytest.fixture
def admin_client(client, sections):
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "pw"))
    return client


@pytest.fixture
def edit_url(sections):
    return f"/admin/settings/weather/weathersettings/{Site.objects.get(is_default_site=True).pk}/"


def field_errors(response, soup, field):
    return [error.get_text(strip=True) for error in soup(response).select(f"[data-contentpath={field}] .error-message")]


def test_latitude_must_be_on_earth(admin_client, edit_url, soup):
    response = admin_client.post(edit_url, {**FORM, "latitude": "95", "longitude": "11"})
    assert field_errors(response, soup, "latitude") == ["Latitude must be between -90 and 90."]


def test_longitude_must_be_on_earth(admin_client, edit_url, soup):
    response = admin_client.post(edit_url, {**FORM, "latitude": "48", "longitude": "-181"})
    assert field_errors(response, soup, "longitude") == ["Longitude must be between -180 and 180."]


def test_coordinates_come_in_pairs(admin_client, edit_url, soup):
    response = admin_client.post(edit_url, {**FORM, "latitude": "48", "longitude": ""})
    assert field_errors(response, soup, "longitude") == [
        "Give both latitude and longitude, or leave both empty to look the city up by name."
    ]


def test_valid_settings_are_saved(admin_client, edit_url):
    response = admin_client.post(edit_url, {**FORM, "latitude": "48.1", "longitude": "11.6", "units": "F"})
    assert response.status_code == 302
    stored = WeatherSettings.objects.get()
    assert (stored.latitude, stored.longitude, stored.units) == (Decimal("48.1"), Decimal("11.6"), "F")


def test_naming_another_city_forgets_the_old_coordinates(admin_client, edit_url):
    weather_for_default_site(location="Munich", latitude=Decimal("48.1"), longitude=Decimal("11.6"), place_name="M")
    admin_client.post(edit_url, {**FORM, "location": "Berlin", "latitude": "48.1", "longitude": "11.6"})
    stored = WeatherSettings.objects.get()
    assert (stored.location, stored.latitude, stored.longitude, stored.place_name) == ("Berlin", None, None, "")


def test_the_status_panel_shows_the_last_error(fake_open_meteo, admin_client, edit_url, soup):
    weather_refresh(site=weather_for_default_site(location="Atlantis"))
    error = soup(admin_client.get(edit_url)).select_one("[data-weather-last-error]").get_text()
    assert "Open-Meteo knows no place called 'Atlantis'" in error


def test_the_status_panel_shows_the_last_reading(weather_in_munich, admin_client, edit_url, soup):
    shown = soup(admin_client.get(edit_url)).select_one("[data-weather-last-success]").get_text()
    assert "11.9 °C, Overcast in Munich" in shown


def test_the_status_panel_never_shows_the_api_key(fake_openweathermap, admin_client, edit_url, settings):
    settings.NEWSDESK_WEATHER["OPTIONS"]["api_key"] = "wrong-key-7a1b"
    weather_refresh(site=weather_for_default_site(location="Munich"))
    assert WeatherReading.objects.get().last_error
    assert b"wrong-key-7a1b" not in admin_client.get(edit_url).content


def test_saving_drops_the_cached_weather(weather_in_munich, admin_client, edit_url, django_capture_on_commit_callbacks):
    site = weather_in_munich.site
    current_weather(site)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(edit_url, {**FORM, "show": ""})
    assert cache.get(cache_key(site.pk)) in (None, {})
    assert current_weather(site) is None


def test_saving_refreshes_the_weather(fake_open_meteo, admin_client, edit_url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(edit_url, FORM)
    assert len(fake_open_meteo.forecast_requests) == 1  # the ImmediateBackend ran the enqueued job
    assert WeatherReading.objects.get().temperature_c == 11.9


def test_the_settings_menu_icon_exists(admin_client, soup):
    sprite = admin_client.get(reverse("wagtailadmin_sprite"))
    assert soup(sprite).select_one("symbol#icon-sun") is not None


def member_of(group):
    user = User.objects.create_user(group.lower(), f"{group.lower()}@example.org", "pw")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.mark.parametrize("group", [EDITORS, WRITERS])
def test_only_admins_may_change_the_weather(client, edit_url, group):
    client.force_login(member_of(group))
    response = client.post(edit_url, FORM)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert [m.message.strip() for m in get_messages(response.wsgi_request)] == [
        "Sorry, you do not have permission to access this area."
    ]
    assert not WeatherSettings.objects.filter(location="Munich").exists()


def test_the_admins_group_may_change_the_weather(client, edit_url):
    client.force_login(member_of(ADMINS))
    assert client.post(edit_url, FORM).status_code == 302
    assert WeatherSettings.objects.get().location == "Munich"


def test_new_coordinates_with_a_new_city_are_kept(admin_client, edit_url):
    weather_for_default_site(location="Munich", latitude=Decimal("48.1"), longitude=Decimal("11.6"), place_name="M")
    admin_client.post(edit_url, {**FORM, "location": "Berlin", "latitude": "52.5", "longitude": "13.4"})
    stored = WeatherSettings.objects.get()
    assert (stored.location, stored.latitude, stored.longitude) == ("Berlin", Decimal("52.5"), Decimal("13.4"))


def test_changing_only_the_units_keeps_the_place_found(admin_client, edit_url):
    weather_for_default_site(location="Munich", latitude=Decimal("48.1"), longitude=Decimal("11.6"), place_name="M")
    admin_client.post(edit_url, {**FORM, "latitude": "48.1", "longitude": "11.6", "units": "F"})
    stored = WeatherSettings.objects.get()
    assert (stored.latitude, stored.place_name, stored.units) == (Decimal("48.1"), "M", "F")


def panel_text(admin_client, edit_url, soup):
    panel = soup(admin_client.get(edit_url)).select_one("[data-weather-status]")
    return {dt.get_text(strip=True): " ".join(dt.find_next_sibling("dd").get_text().split()) for dt in panel("dt")}


def test_the_status_panel_says_when_no_place_is_set(admin_client, edit_url, soup):
    weather_for_default_site(location="")
    shown = panel_text(admin_client, edit_url, soup)
    assert shown["Place"] == "None set: the weather is not shown."
    assert (shown["Last reading"], shown["Last attempt"], shown["Last error"]) == ("None yet.", "Never.", "None.")


def test_the_status_panel_says_a_city_is_not_looked_up_yet(admin_client, edit_url, soup):
    weather_for_default_site(location="Munich")
    assert panel_text(admin_client, edit_url, soup)["Place"] == "“Munich”, not looked up yet"


def test_the_status_panel_shows_the_place_found_and_its_coordinates(weather_in_munich, admin_client, edit_url, soup):
    assert panel_text(admin_client, edit_url, soup)["Place"] == "Munich (48.137430, 11.575490)"


def test_the_status_panel_says_an_old_error_was_followed_by_a_reading(weather_in_munich, admin_client, edit_url, soup):
    WeatherReading.objects.update(
        last_error="Open-Meteo: HTTP 500", last_error_at=weather_in_munich.fetched_at - datetime.timedelta(hours=1)
    )
    assert panel_text(admin_client, edit_url, soup)["Last error"].endswith("; fetched fine since)")


def test_the_status_panel_does_not_claim_a_recent_error_was_fixed(weather_in_munich, admin_client, edit_url, soup):
    WeatherReading.objects.update(
        last_error="Open-Meteo: HTTP 500", last_error_at=weather_in_munich.fetched_at + datetime.timedelta(hours=1)
    )
    error = panel_text(admin_client, edit_url, soup)["Last error"]
    assert error.startswith("Open-Meteo: HTTP 500 (")
    assert "fetched fine since" not in error
