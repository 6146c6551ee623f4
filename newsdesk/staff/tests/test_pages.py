"""The staff pages render in Wagtail 8's admin, and the account menu leads to two-factor set-up."""

import pytest
from django.test import Client

from .conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    sign_in(client, "editor")
    return client


def test_the_account_page_links_to_two_factor_set_up(editor_client, soup):
    page = soup(editor_client.get("/admin/account/"))

    assert page.select_one("a[href='/admin/staff/two-factor/setup/']") is not None


def test_the_set_up_page_has_one_h1_and_the_code_and_password_fields(editor_client, soup):
    page = soup(editor_client.get("/admin/staff/two-factor/setup/"))

    assert len(page.select("h1")) == 1
    assert page.select_one("input[name=otp_token][autocomplete=one-time-code]") is not None
    assert page.select_one("input[name=password][type=password]") is not None


def test_the_code_step_without_an_authenticator_goes_on(editor_client):
    response = editor_client.get("/admin/staff/two-factor/?next=/admin/pages/")

    assert response["Location"] == "/admin/pages/"


def test_no_qr_code_without_a_set_up_under_way(editor_client):
    assert editor_client.get("/admin/staff/two-factor/setup/qr.svg").status_code == 404


def test_the_confirmation_page_asks_only_for_the_password_without_an_authenticator(editor_client, soup):
    page = soup(editor_client.get("/admin/staff/confirm/?next=/admin/users/"))

    assert [field["name"] for field in page.select("form input:not([type=hidden])")] == ["password"]
    assert page.select_one("input[name=next]")["value"] == "/admin/users/"


def test_staff_pages_are_never_stored(editor_client):
    assert "no-store" in editor_client.get("/admin/staff/two-factor/setup/")["Cache-Control"]
