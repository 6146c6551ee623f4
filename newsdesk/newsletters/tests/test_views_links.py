"""The pages behind the links in the mails: confirm, manage, unsubscribe. GET never changes anything."""

import datetime

import pytest
from django.test import Client

from newsdesk.newsletters import services, tokens
from newsdesk.newsletters.factories import newsletter_factory, subscriber_factory
from newsdesk.newsletters.models import Subscriber, Subscription

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC)
BAD_LINK = "This link has expired or is not valid"


@pytest.fixture
def briefing():
    return newsletter_factory(slug="daily")


@pytest.fixture
def weekly():
    return newsletter_factory(slug="weekend-read", cadence="weekly")


@pytest.fixture
def reader(briefing):
    return subscriber_factory("reader@example.org", briefing)


@pytest.fixture
def confirm_path(briefing):
    return f"/newsletters/confirm/{tokens.confirmation_token('new@example.org', [briefing.pk], 'sign-up form on /')}/"


@pytest.fixture
def manage_path(reader):
    return f"/newsletters/manage/{services.manage_token(reader)}/"


@pytest.fixture
def unsubscribe_path(reader, briefing):
    return f"/newsletters/unsubscribe/{services.unsubscribe_token(reader, briefing)}/"


def assert_bad_link(response, soup):
    assert response.status_code == 400
    page = soup(response)
    assert page.h1.get_text() == BAD_LINK
    assert page.select_one("main a[href='/newsletters/']")


# Confirm


def test_opening_a_confirmation_link_asks_for_a_button_press_and_changes_nothing(client, confirm_path, soup):
    response = client.get(confirm_path)
    assert response.status_code == 200
    assert soup(response).select_one("main form button").get_text() == "Confirm my subscription"
    assert not Subscriber.objects.exists()


def test_pressing_the_button_confirms_the_subscription(client, confirm_path, briefing, soup):
    response = client.post(confirm_path)
    assert response.status_code == 200
    assert soup(response).h1.get_text() == "You are subscribed"
    subscriber = Subscriber.objects.get(email="new@example.org")
    assert subscriber.receives_mail
    assert list(subscriber.newsletters.all()) == [briefing]


def test_the_confirmed_page_links_to_a_working_manage_page(client, confirm_path, soup):
    manage = soup(client.post(confirm_path)).find("a", string="Manage my newsletters")["href"]
    assert client.get(manage).status_code == 200


def test_confirmation_pages_are_private(client, confirm_path):
    response = client.get(confirm_path)
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_forged_confirmation_link_is_refused(client, confirm_path, soup):
    forged = confirm_path.replace("/confirm/", "/confirm/x")
    assert_bad_link(client.get(forged), soup)
    assert_bad_link(client.post(forged), soup)
    assert not Subscriber.objects.exists()


def test_an_expired_confirmation_link_is_refused(client, briefing, soup, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    path = f"/newsletters/confirm/{tokens.confirmation_token('new@example.org', [briefing.pk], 'test')}/"
    time_machine.shift(datetime.timedelta(days=3, minutes=1))
    assert_bad_link(client.post(path), soup)
    assert not Subscriber.objects.exists()


def test_a_link_of_another_kind_does_not_confirm(client, reader, briefing, soup):
    unsubscribe_token = services.unsubscribe_token(reader, briefing)
    assert_bad_link(client.post(f"/newsletters/confirm/{unsubscribe_token}/"), soup)


def test_a_confirmation_posted_from_another_site_is_refused(client, confirm_path):
    assert client.post(confirm_path, HTTP_ORIGIN="https://elsewhere.example").status_code == 403
    assert not Subscriber.objects.exists()


# Manage


def test_the_manage_page_ticks_the_newsletters_received(client, manage_path, briefing, weekly, soup):
    page = soup(client.get(manage_path))
    boxes = {
        box["value"]: box.has_attr("checked") for box in page.select(".newsletter-manage__form input[type=checkbox]")
    }
    assert boxes == {str(briefing.pk): True, str(weekly.pk): False}
    for box in page.select("main input:not([type=hidden])"):
        assert page.select_one(f"label[for={box['id']}]"), box


def test_the_manage_page_saves_the_readers_choice(client, manage_path, reader, weekly, soup):
    response = client.post(manage_path, {"action": "save", "newsletters": [weekly.pk]})
    assert response.status_code == 200
    assert soup(response).select_one("[role=status]").get_text() == "Your choices are saved."
    assert list(reader.newsletters.all()) == [weekly]


def test_ticking_nothing_leaves_every_newsletter(client, manage_path, reader):
    client.post(manage_path, {"action": "save"})
    assert not Subscription.objects.filter(subscriber=reader).exists()


def test_the_manage_page_refuses_a_newsletter_it_does_not_offer(client, manage_path, reader, briefing):
    private = newsletter_factory(slug="staff-only", public=False)
    response = client.post(manage_path, {"action": "save", "newsletters": [private.pk]})
    assert response.status_code == 400
    assert list(reader.newsletters.all()) == [briefing]


def test_erasing_needs_the_box_ticked(client, manage_path, reader, soup):
    response = client.post(manage_path, {"action": "erase"})
    assert response.status_code == 400
    assert "tick the box" in soup(response).select_one("#erase-confirm-error").get_text()
    assert Subscriber.objects.filter(pk=reader.pk).exists()


def test_erasing_deletes_the_address(client, manage_path, reader, soup):
    response = client.post(manage_path, {"action": "erase", "confirm": "1"})
    assert response.status_code == 200
    assert soup(response).h1.get_text() == "Your address is erased"
    assert not Subscriber.objects.filter(pk=reader.pk).exists()


def test_a_manage_link_of_an_erased_address_is_refused(client, manage_path, reader, soup):
    services.erase(reader)
    assert_bad_link(client.get(manage_path), soup)


def test_a_forged_manage_link_is_refused(client, manage_path, reader, soup):
    assert_bad_link(client.post(manage_path[:-3] + "xx/", {"action": "erase", "confirm": "1"}), soup)
    assert Subscriber.objects.filter(pk=reader.pk).exists()


def test_the_manage_page_is_private(client, manage_path):
    assert client.get(manage_path)["Cache-Control"] == "no-store"


def test_the_manage_page_refuses_a_form_from_another_site(client, manage_path, reader):
    response = client.post(manage_path, {"action": "erase", "confirm": "1"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    assert Subscriber.objects.filter(pk=reader.pk).exists()


# Unsubscribe


def test_opening_an_unsubscribe_link_asks_for_a_button_press_and_changes_nothing(
    client, unsubscribe_path, reader, briefing, soup
):
    response = client.get(unsubscribe_path)
    assert response.status_code == 200
    assert soup(response).select_one("main form button").get_text() == "Unsubscribe"
    assert list(reader.newsletters.all()) == [briefing]


def test_a_one_click_post_without_cookie_or_origin_unsubscribes(unsubscribe_path, reader, soup):
    """RFC 8058: the mail provider posts `List-Unsubscribe=One-Click` from its own servers."""
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(
        unsubscribe_path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert soup(response).h1.get_text() == "You are unsubscribed"
    assert not reader.newsletters.exists()


def test_one_click_leaves_the_other_newsletters(unsubscribe_path, reader, weekly):
    Subscription.objects.create(subscriber=reader, newsletter=weekly)
    Client(enforce_csrf_checks=True).post(unsubscribe_path, {"List-Unsubscribe": "One-Click"})
    assert list(reader.newsletters.all()) == [weekly]


def test_the_unsubscribe_button_works_from_a_browser_too(client, unsubscribe_path, reader):
    response = client.post(unsubscribe_path, HTTP_ORIGIN="http://testserver", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 200
    assert not reader.newsletters.exists()


def test_the_unsubscribed_page_links_to_the_manage_page(client, unsubscribe_path, soup):
    manage = soup(client.post(unsubscribe_path)).find("a", string="Manage my newsletters")["href"]
    assert manage.startswith("/newsletters/manage/")


def test_a_forged_unsubscribe_link_changes_nothing(unsubscribe_path, reader, briefing, soup):
    forged = unsubscribe_path.replace("/unsubscribe/", "/unsubscribe/x")
    assert_bad_link(Client().post(forged, {"List-Unsubscribe": "One-Click"}), soup)
    assert_bad_link(Client().get(forged), soup)
    assert list(reader.newsletters.all()) == [briefing]


def test_an_unsubscribe_link_of_an_erased_address_is_refused(unsubscribe_path, reader, soup):
    services.erase(reader)
    assert_bad_link(Client().get(unsubscribe_path), soup)
