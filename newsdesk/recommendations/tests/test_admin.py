import pytest
from wagtail.models import Site

from newsdesk.recommendations.factories import must_read_picks

pytestmark = pytest.mark.django_db


def test_editors_manage_the_must_read_picks_in_the_admin(admin_client, article_factory, soup):
    picked = article_factory(headline="An editor's pick")
    settings = must_read_picks([picked])
    site = Site.objects.get(is_default_site=True)
    response = admin_client.get(f"/admin/settings/recommendations/mustreadsettings/{site.pk}/")
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("#id_picks-TOTAL_FORMS")["value"] == "1"
    assert page.select_one("input[name='picks-0-expires_at']") is not None
    assert settings.picks.get().article_id == picked.pk


def test_saving_picks_in_the_admin_orders_them_on_the_site(admin_client, article_factory, client, soup):
    first, second = article_factory(headline="First pick"), article_factory(headline="Second pick")
    current = article_factory(headline="Reading now")
    site = Site.objects.get(is_default_site=True)
    form = {
        "picks-TOTAL_FORMS": "2",
        "picks-INITIAL_FORMS": "0",
        "picks-MIN_NUM_FORMS": "0",
        "picks-MAX_NUM_FORMS": "1000",
        "picks-0-article": str(second.pk),
        "picks-0-expires_at": "",
        "picks-0-ORDER": "1",
        "picks-1-article": str(first.pk),
        "picks-1-expires_at": "",
        "picks-1-ORDER": "2",
    }
    response = admin_client.post(f"/admin/settings/recommendations/mustreadsettings/{site.pk}/", form)
    assert response.status_code == 302
    block = soup(client.get(current.url)).select(".list-block--must-read .teaser__title")
    assert [title.get_text(strip=True) for title in block][:2] == ["Second pick", "First pick"]
