"""The demo newsroom in a browser: the top bar's weather (from a fake Open-Meteo) and the four lists."""

import pytest
from django.core.management import call_command
from wagtail.models import Site

from newsdesk.articles.models import ArticlePage
from newsdesk.weather.services import weather_refresh
from newsdesk.weather.tests.fakes import fake_open_meteo  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(fake_open_meteo):  # noqa: F811 - the fixture imported above
    call_command("demo_newsroom", verbosity=0)
    reading = weather_refresh(site=Site.objects.get(is_default_site=True))
    assert reading is not None and reading.fetched_at is not None
    return ArticlePage.objects.published().newest_first()[10]


def test_demo_top_bar_shows_the_weather_and_pages_show_the_four_lists(page, demo):
    page.goto("/")
    weather = page.locator(".top-bar .weather")
    assert "11.9 °C" in weather.inner_text()
    assert "Munich" in weather.inner_text()
    assert weather.get_by_role("img").count() == 1
    most_read = page.locator(".list-block--most-read")
    assert most_read.get_by_role("heading", name="Most read").is_visible()
    assert most_read.locator("ol").first.locator(".teaser").count() == 5

    page.goto(demo.url)
    assert "Munich" in page.locator(".top-bar .weather").inner_text()
    blocks = {
        "must-read": page.locator(".list-block--must-read .teaser"),
        "more-articles": page.locator(".list-block--more-articles .teaser"),
        "latest": page.locator(".list-block--latest .teaser"),
    }
    assert {name: items.count() for name, items in blocks.items()} == {"must-read": 4, "more-articles": 3, "latest": 5}
    titles = {name: set(items.locator(".teaser__title").all_inner_texts()) for name, items in blocks.items()}
    assert not titles["more-articles"] & (titles["must-read"] | titles["latest"] | {demo.title})
    page.get_by_role("link", name="More related articles").click()
    page.wait_for_url(f"**/related/{demo.pk}/")
    assert page.locator(".teaser").count() == 6
