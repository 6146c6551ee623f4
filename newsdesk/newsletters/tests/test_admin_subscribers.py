"""Subscribers in the admin: the list, its search and counts, CSV export and import, bulk suppression."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from newsdesk.core.roles import ADMINS, EDITORS
from newsdesk.newsletters.factories import subscriber_factory
from newsdesk.newsletters.models import Subscriber

from .admin_helpers import refused, signed_in

pytestmark = pytest.mark.django_db

INDEX = reverse("newsletter_subscribers:index")
EXPORT = reverse("newsletter_subscribers:export")
IMPORT = reverse("newsletter_subscribers:import")
SUPPRESS = reverse("newsletter_subscribers:suppress")


@pytest.fixture
def editor(sections) -> Client:
    return signed_in(EDITORS)


@pytest.fixture
def admin(sections) -> Client:
    return signed_in(ADMINS)


def listed(page) -> list[str]:
    return [row.select_one("td").get_text(" ", strip=True) for row in page.select("tbody tr")]


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("list.csv", text.encode(), content_type="text/csv")


# --- The list -------------------------------------------------------------------------


def test_the_list_is_searched_by_address(editor, daily, soup):
    subscriber_factory("ann@example.org", daily)
    subscriber_factory("bob@example.net", daily)
    page = soup(editor.get(INDEX, {"q": "example.net"}))
    assert listed(page) == ["bob@example.net"]


def test_the_list_counts_receiving_and_suppressed_addresses(editor, daily, soup):
    subscriber_factory("ann@example.org", daily)
    bounced = subscriber_factory("bob@example.org", daily)
    bounced.suppressed_at, bounced.suppressed_reason = bounced.confirmed_at, "Bounced"
    bounced.save()
    page = soup(editor.get(INDEX))
    assert page.select_one(".subscriber-totals p").get_text(" ", strip=True) == (
        "1 receiving mail, 1 suppressed, 2 addresses in all."
    )
    assert [count.get_text() for count in page.select(".subscriber-per-newsletter .subscriber-count")] == ["1"]


def test_the_list_offers_no_add_or_edit(editor, daily, soup):
    subscriber = subscriber_factory("ann@example.org", daily)
    page = soup(editor.get(INDEX))
    assert not page.select(f'a[href="{reverse("newsletter_subscribers:add")}"]')
    assert refused(editor.get(reverse("newsletter_subscribers:edit", args=[subscriber.pk])))


@pytest.mark.parametrize(("client_name", "shown"), [("admin", True), ("editor", False)])
def test_the_export_button_is_for_admins(request, daily, soup, client_name, shown):
    page = soup(request.getfixturevalue(client_name).get(INDEX))
    assert bool(page.select(f'a[href="{EXPORT}"]')) is shown


# --- Export ---------------------------------------------------------------------------


def test_admins_download_every_subscriber_as_csv(admin, daily):
    subscriber_factory("ann@example.org", daily, source="sign-up form")
    response = admin.get(EXPORT)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="subscribers-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["email"], row["consent_source"], row["newsletters"]) for row in rows] == [
        ("ann@example.org", "sign-up form", "daily")
    ]


def test_the_export_defuses_formulas(admin, daily):
    subscriber_factory("ann@example.org", daily, source='=HYPERLINK("http://evil.example","x")')
    rows = list(csv.DictReader(io.StringIO(admin.get(EXPORT).content.decode())))
    assert not rows[0]["consent_source"].startswith("=")


def test_editors_cannot_export(editor, daily):
    subscriber_factory("ann@example.org", daily)
    response = editor.get(EXPORT)
    assert refused(response)
    assert b"ann@example.org" not in response.content


# --- Import ---------------------------------------------------------------------------


def test_the_import_reports_what_it_did(editor, daily, soup, mailoutbox):
    text = (
        "email,consent_source,confirmed\n"
        "old@example.org,print subscription 2019,yes\n"
        "new@example.org,event sheet,no\n"
        "not-an-address,website,yes\n"
    )
    page = soup(editor.post(IMPORT, {"newsletter": daily.pk, "file": upload(text)}))
    report = page.select_one(".subscriber-import-report")
    assert report.select_one(".import-confirmed").get_text() == "1"
    assert report.select_one(".import-confirmations-sent").get_text() == "1"
    assert [line.get_text() for line in report.select(".import-refused li")] == ["Line 4: Enter a valid email address."]
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["old@example.org"]
    assert [message.to for message in mailoutbox] == [["new@example.org"]]


def test_the_import_reads_a_spreadsheets_byte_order_mark(editor, daily):
    text = "\ufeffemail,consent_source,confirmed\nold@example.org,print,yes\n"
    editor.post(IMPORT, {"newsletter": daily.pk, "file": upload(text)})
    assert Subscriber.objects.filter(email="old@example.org").exists()


def test_the_import_refuses_a_file_without_the_columns(editor, daily, soup):
    page = soup(editor.post(IMPORT, {"newsletter": daily.pk, "file": upload("address\nann@example.org\n")}))
    errors = [error.get_text(" ", strip=True) for error in page.select("form .error-message")]
    assert errors == ["The file needs a header row with the columns email and consent_source."]
    assert not Subscriber.objects.exists()


def test_the_import_refuses_a_file_that_is_not_utf8(editor, daily, soup):
    data = SimpleUploadedFile("list.csv", "email,consent_source\nzoë@example.org,fair\n".encode("latin-1"))
    page = soup(editor.post(IMPORT, {"newsletter": daily.pk, "file": data}))
    assert "UTF-8" in page.select_one("form .error-message").get_text()


def test_every_import_field_has_a_label(editor, daily, soup):
    form = soup(editor.get(IMPORT)).select_one("form.subscriber-import")
    for name in ("newsletter", "file"):
        field = form.select_one(f"[name={name}]")
        assert form.select_one(f"label[for={field['id']}]") is not None


# --- Suppression ----------------------------------------------------------------------


def test_bulk_suppression_suppresses_the_addresses_and_lists_what_it_left_out(editor, daily, soup):
    subscriber_factory("ann@example.org", daily)
    addresses = "ann@example.org\n\nunknown@example.org\nnot an address\n"
    page = soup(editor.post(SUPPRESS, {"addresses": addresses, "reason": "Bounced (report of 30 November)"}))
    assert page.select_one(".suppress-done").get_text(strip=True) == "2 addresses are suppressed."
    assert [line.get_text() for line in page.select(".suppress-refused li")] == ["not an address"]
    suppressed = Subscriber.objects.filter(suppressed_at__isnull=False)
    assert sorted(suppressed.values_list("email", flat=True)) == ["ann@example.org", "unknown@example.org"]
    assert set(suppressed.values_list("suppressed_reason", flat=True)) == {"Bounced (report of 30 November)"}


def test_bulk_suppression_needs_a_reason(editor, daily):
    subscriber_factory("ann@example.org", daily)
    editor.post(SUPPRESS, {"addresses": "ann@example.org", "reason": ""})
    assert not Subscriber.objects.filter(suppressed_at__isnull=False).exists()


def test_bulk_suppression_refuses_a_reason_with_a_line_break(editor, daily):
    subscriber_factory("ann@example.org", daily)
    editor.post(SUPPRESS, {"addresses": "ann@example.org", "reason": "Bounced\r\nX-Evil: 1"})
    assert not Subscriber.objects.filter(suppressed_at__isnull=False).exists()


def test_bulk_suppression_is_refused_to_users_without_the_permission(sections, daily):
    subscriber_factory("ann@example.org", daily)
    moderator = signed_in(None, name="nobody")
    moderator.post(SUPPRESS, {"addresses": "ann@example.org", "reason": "x"})
    assert not Subscriber.objects.filter(suppressed_at__isnull=False).exists()
