import csv
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from newsdesk.newsletters import services
from newsdesk.newsletters.factories import newsletter_factory, subscriber_factory
from newsdesk.newsletters.models import Subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def daily():
    return newsletter_factory(slug="daily")


def test_confirmed_rows_are_subscribed_with_their_source(daily):
    text = "email,consent_source,confirmed\nold@example.org,print subscription 2019,yes\n"
    report = services.import_csv(text, daily)
    assert (report.confirmed, report.confirmations_sent, report.refused) == (1, 0, [])
    subscriber = Subscriber.objects.get()
    assert subscriber.consent_source == "import: print subscription 2019"
    assert subscriber.receives_mail


def test_unconfirmed_rows_are_sent_a_link_and_not_stored(daily):
    report = services.import_csv("email,consent_source\nnew@example.org,event sign-up sheet\n", daily)
    assert report.confirmations_sent == 1
    assert not Subscriber.objects.exists()
    assert [message.to for message in mail.outbox] == [["new@example.org"]]


def test_bad_lines_are_listed_and_the_rest_imported(daily):
    text = (
        "email,consent_source,confirmed\n"
        "fine@example.org,website,yes\n"
        "not-an-address,website,yes\n"
        "nosource@example.org,,yes\n"
    )
    report = services.import_csv(text, daily)
    assert report.confirmed == 1
    assert [line.split(":")[0] for line in report.refused] == ["Line 3", "Line 4"]


def test_a_suppressed_address_is_not_resubscribed_by_an_import(daily):
    services.subscribers.suppress("bounced@example.org", "hard bounce")
    report = services.import_csv("email,consent_source,confirmed\nbounced@example.org,crm,yes\n", daily)
    assert report.confirmed == 0 and len(report.refused) == 1
    assert not Subscriber.objects.get().receives_mail


def test_a_file_without_the_columns_is_refused(daily):
    with pytest.raises(ValidationError):
        services.import_csv("address\nx@example.org\n", daily)


def test_the_export_lists_consent_and_newsletters_and_defuses_formulas(daily):
    subscriber_factory("reader@example.org", daily, source='=HYPERLINK("http://evil")')
    stream = io.StringIO()
    services.export_csv(stream)
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows[0][:4] == ["email", "confirmed_at", "consent_source", "newsletters"]
    assert rows[1][0] == "reader@example.org"
    assert rows[1][2].startswith("'=")
    assert rows[1][3] == "daily"
