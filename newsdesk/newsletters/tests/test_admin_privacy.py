"""An Admin's access and erasure requests cover newsletters (the comments' privacy screen, core.privacy)."""

import json

import pytest
from django.test import Client

from newsdesk.core.roles import ADMINS, EDITORS
from newsdesk.newsletters import sending
from newsdesk.newsletters.factories import subscriber_factory
from newsdesk.newsletters.models import Delivery, Subscriber

from .admin_helpers import messages_of, signed_in

pytestmark = pytest.mark.django_db

PRIVACY = "/admin/snippets/comments/comment/privacy/"


@pytest.fixture
def admin(sections) -> Client:
    return signed_in(ADMINS)


@pytest.fixture
def ann(daily) -> Subscriber:
    return subscriber_factory("ann@example.org", daily, source="sign-up form on the home page")


def test_the_export_holds_the_subscriber_and_their_newsletters(admin, ann):
    exported = json.loads(admin.post(PRIVACY, {"email": "ANN@example.org", "action": "export"}).content)
    newsletters = exported["newsletters"]
    assert newsletters["subscriber"]["email"] == "ann@example.org"
    assert newsletters["subscriber"]["consent_source"] == "sign-up form on the home page"
    assert [row["slug"] for row in newsletters["subscriptions"]] == ["daily"]
    assert exported["comments"] == []


def test_the_export_counts_the_editions_sent_to_the_address(admin, ann, edition):
    sending.queue_edition(edition)
    Delivery.objects.filter(subscriber=ann).update(status=Delivery.Status.SENT)
    exported = json.loads(admin.post(PRIVACY, {"email": "ann@example.org", "action": "export"}).content)
    assert exported["newsletters"]["deliveries"] == 1


def test_the_export_of_an_unknown_address_has_no_subscriber(admin, daily):
    exported = json.loads(admin.post(PRIVACY, {"email": "nobody@example.org", "action": "export"}).content)
    assert exported["newsletters"] == {"subscriber": None, "subscriptions": [], "deliveries": 0}


def test_the_erase_confirmation_names_newsletters_even_without_comments(admin, ann, soup):
    page = soup(admin.post(PRIVACY, {"email": "ann@example.org", "action": "erase"}))
    assert "Newsletters" in page.select_one(".privacy-erase-confirm__others").get_text()
    assert page.select_one(".privacy-erase-confirm button[name=confirm]")["value"] == "yes"


def test_erasure_removes_the_subscriber(admin, ann):
    response = admin.post(PRIVACY, {"email": "ann@example.org", "action": "erase", "confirm": "yes"})
    assert not Subscriber.objects.exists()
    assert "Newsletters: erased 1." in messages_of(response)


def test_erasure_keeps_other_subscribers(admin, ann, daily):
    subscriber_factory("bob@example.org", daily)
    admin.post(PRIVACY, {"email": "ann@example.org", "action": "erase", "confirm": "yes"})
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["bob@example.org"]


def test_editors_requests_leave_newsletters_alone(sections, ann):
    editor = signed_in(EDITORS)
    exported = json.loads(editor.post(PRIVACY, {"email": "ann@example.org", "action": "export"}).content)
    editor.post(PRIVACY, {"email": "ann@example.org", "action": "erase", "confirm": "yes"})
    assert "newsletters" not in exported
    assert Subscriber.objects.filter(email="ann@example.org").exists()
