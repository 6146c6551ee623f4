"""Webhooks in the admin: Admins only; the form; the status page with secret and delivery log; "Send test event"."""

from __future__ import annotations

import datetime

import pytest
from bs4 import BeautifulSoup, Tag
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from newsdesk.core.roles import ADMINS, EDITORS
from newsdesk.core.tests.admin_menu import menu_urls
from newsdesk.webhooks import services
from newsdesk.webhooks.models import Delivery, Event, Webhook

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)


def signed_in(group: str | None, *, superuser: bool = False) -> Client:
    user = User.objects.create_user(f"user-{group or 'root'}", password="pw-12345678", is_superuser=superuser)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(db) -> Client:
    return signed_in(ADMINS)


def parsed(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def one(node: BeautifulSoup | Tag, selector: str) -> Tag:
    found = node.select_one(selector)
    assert found is not None, selector
    return found


def text_of(node: BeautifulSoup | Tag, selector: str) -> str:
    return one(node, selector).get_text(strip=True)


def refused(response) -> bool:
    messages = [message.message.strip() for message in get_messages(response.wsgi_request)]
    return response.status_code == 302 and "Sorry, you do not have permission to access this area." in messages


def form_data(**overrides: object) -> dict[str, object]:
    return {
        "name": "Syndication partner",
        "url": "https://hooks.partner.example/newsdesk",
        "events": [Event.ARTICLE_PUBLISHED, Event.ARTICLE_UPDATED],
        "active": "on",
        **overrides,
    }


# --- Who may use it ----------------------------------------------------------------------


def test_admins_see_the_menu_item_and_editors_do_not(db):
    home = reverse("wagtailadmin_home")
    assert reverse("webhooks:index") in menu_urls(signed_in(ADMINS).get(home))
    assert reverse("webhooks:index") not in menu_urls(signed_in(EDITORS).get(home))


def test_editors_open_nothing_and_change_nothing(make_webhook):
    webhook = make_webhook("https://hooks.partner.example/")
    editor = signed_in(EDITORS)
    for url in (reverse("webhooks:index"), reverse("webhooks:add"), reverse("webhooks:inspect", args=[webhook.pk])):
        assert refused(editor.get(url))
    assert refused(editor.post(reverse("webhooks:add"), form_data(name="Sneaky")))
    assert refused(editor.post(reverse("webhooks:test", args=[webhook.pk])))
    assert list(Webhook.objects.values_list("name", flat=True)) == ["Partner feed"]
    assert not Delivery.objects.exists()


# --- The form -------------------------------------------------------------------------------


def test_adding_a_webhook_makes_a_secret_and_shows_it_on_the_status_page(admin):
    response = admin.post(reverse("webhooks:add"), form_data())
    webhook = Webhook.objects.get()
    assert response.status_code == 302 and response.url == reverse("webhooks:inspect", args=[webhook.pk])
    assert webhook.secret.startswith("whsec_")
    assert webhook.events == [Event.ARTICLE_PUBLISHED, Event.ARTICLE_UPDATED] and webhook.active
    page = parsed(admin.get(response.url))
    assert one(page, "input.webhook-secret-value")["value"] == webhook.secret
    assert page.select_one("label[for=webhook-secret-value]") is not None
    assert ModelLogEntry.objects.filter(action="wagtail.create", object_id=str(webhook.pk)).exists()


def test_the_form_refuses_a_private_address(admin):
    response = admin.post(reverse("webhooks:add"), form_data(url="http://10.1.2.3/hooks"))
    page = parsed(response)
    errors = one(page, "[data-contentpath=url]").select(".error-message")
    assert "not a public address" in errors[0].get_text()
    assert not Webhook.objects.exists()


def test_the_form_refuses_a_url_with_a_password(admin):
    response = admin.post(reverse("webhooks:add"), form_data(url="https://user:pw@hooks.partner.example/"))
    assert "user name or password" in one(parsed(response), "[data-contentpath=url]").get_text()
    assert not Webhook.objects.exists()


def test_the_list_shows_a_switched_off_webhook(admin, make_webhook):
    webhook = make_webhook("https://hooks.partner.example/")
    Webhook.objects.filter(pk=webhook.pk).update(active=False, switched_off_at=NOON, failing_since=NOON)
    page = parsed(admin.get(reverse("webhooks:index")))
    link = page.find("a", string=lambda text: bool(text and "Partner feed" in text))
    assert isinstance(link, Tag)
    row = link.find_parent("tr")
    assert row is not None
    assert "Switched off 2026-11-30 12:00 after failing for a day" in row.get_text(" ", strip=True)


def test_switching_it_on_again_in_the_form_clears_the_failure(admin, make_webhook):
    webhook = make_webhook("https://hooks.partner.example/")
    Webhook.objects.filter(pk=webhook.pk).update(active=False, switched_off_at=NOON, failing_since=NOON)
    admin.post(reverse("webhooks:edit", args=[webhook.pk]), form_data(url=webhook.url, events=webhook.events))
    webhook.refresh_from_db()
    assert webhook.active and webhook.failing_since is None and webhook.switched_off_at is None


# --- Status page and test event ----------------------------------------------------------------


def test_send_test_event_delivers_to_the_receiver(admin, webhook, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("webhooks:test", args=[webhook.pk]))
    assert response.status_code == 302
    [request] = receiver.received
    assert request.verified and request.payload["event"] == "webhook.test"
    page = parsed(admin.get(reverse("webhooks:inspect", args=[webhook.pk])))
    [row] = page.select("tr.webhook-delivery")
    assert row["data-event-id"] == request.headers["X-Newsdesk-Event-Id"]
    assert text_of(row, ".webhook-delivery-status") == "Delivered"
    assert text_of(row, ".webhook-delivery-code") == "200"


def test_the_log_shows_the_next_retry_and_the_error(admin, webhook, receiver, time_machine):
    time_machine.move_to(NOON, tick=False)
    receiver.statuses.append(502)
    [delivery] = services.deliveries_record(event=Event.ARTICLE_PUBLISHED, data={}, webhooks=[webhook])
    services.delivery_attempt(delivery.pk)
    page = parsed(admin.get(reverse("webhooks:inspect", args=[webhook.pk])))
    [row] = page.select("tr.webhook-delivery")
    assert text_of(row, ".webhook-delivery-status") == "Waiting"
    assert text_of(row, ".webhook-delivery-next") == "2026-11-30 12:00:30"
    assert text_of(row, ".webhook-delivery-error") == "HTTP 502"
    assert text_of(row, ".webhook-delivery-attempts") == "1"


def test_a_failed_test_event_is_not_tried_again(admin, webhook, receiver, django_capture_on_commit_callbacks):
    receiver.statuses.append(500)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("webhooks:test", args=[webhook.pk]))
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.response_status, delivery.next_attempt_at) == (Delivery.Status.FAILED, 500, None)


def test_the_log_escapes_what_a_receiver_could_put_there(admin, make_webhook):
    webhook = make_webhook("https://hooks.partner.example/")
    Delivery.objects.create(
        webhook=webhook, event="article.published", body="{}", created_at=NOON, error='<script>alert("x")</script>'
    )
    response = admin.get(reverse("webhooks:inspect", args=[webhook.pk]))
    assert b'<script>alert("x")</script>' not in response.content
    assert one(parsed(response), ".webhook-delivery-error").get_text() == '<script>alert("x")</script>'
