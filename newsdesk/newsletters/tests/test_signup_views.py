"""Signing up through POST /newsletters/signup/: one answer for every address, refusals that send nothing."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.utils import timezone

from newsdesk.newsletters import tokens
from newsdesk.newsletters.factories import newsletter_factory, subscriber_factory
from newsdesk.newsletters.forms import started_token
from newsdesk.newsletters.models import Subscriber

pytestmark = pytest.mark.django_db

READER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
ARTICLE_PATH = "/2026/11/30/council-backs-tram-line/"


@pytest.fixture
def briefing():
    return newsletter_factory(slug="daily")


@pytest.fixture
def weekly():
    return newsletter_factory(slug="weekend-read", cadence="weekly")


@pytest.fixture
def post(client, briefing, django_capture_on_commit_callbacks):
    """Send the sign-up form as a browser on this site would; queued mail goes out when the request commits."""

    def send(*, ip: str = "198.51.100.7", headers: dict | None = None, **fields):
        data = {"email": "reader@example.org", "newsletters": [briefing.pk], "source": ARTICLE_PATH}
        data.update(fields)
        extra = {"HTTP_USER_AGENT": READER_UA, "REMOTE_ADDR": ip, "HTTP_SEC_FETCH_SITE": "same-origin"}
        extra.update(headers or {})
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/newsletters/signup/", data, **extra)

    return send


def notice(page) -> str:
    return " ".join(page.select_one("main").get_text(" ", strip=True).split())


def form_error(page, field: str) -> str:
    return page.select_one(f"#newsletter-{field}-error").get_text(" ", strip=True)


def test_a_sign_up_mails_a_confirmation_link_and_stores_no_subscriber(post, soup):
    response = post()
    assert response.status_code == 200
    assert soup(response).h1.get_text() == "Check your inbox"
    assert [message.to for message in mail.outbox] == [["reader@example.org"]]
    assert "/newsletters/confirm/" in mail.outbox[0].body
    assert not Subscriber.objects.exists()


def test_the_answer_is_never_stored_by_a_cache(post):
    assert post()["Cache-Control"] == "no-store"


def test_a_confirmed_address_gets_the_same_answer_as_a_new_one(post, briefing, soup):
    subscriber_factory("known@example.org", briefing)
    known = post(email="known@example.org")
    new = post(email="new@example.org", ip="198.51.100.8")
    assert known.status_code == new.status_code == 200
    assert notice(soup(known)) == notice(soup(new))


def test_a_suppressed_address_gets_the_same_answer_as_a_new_one(post, briefing, soup):
    subscriber_factory("bounced@example.org", briefing)
    Subscriber.objects.filter(email="bounced@example.org").update(
        suppressed_at=timezone.now(), suppressed_reason="bounce"
    )
    suppressed = post(email="bounced@example.org")
    new = post(email="new@example.org", ip="198.51.100.8")
    assert notice(soup(suppressed)) == notice(soup(new))


def test_a_filled_trap_gets_the_same_answer_and_sends_nothing(post, soup):
    trapped = post(homepage="https://spam.example/")
    assert trapped.status_code == 200
    assert soup(trapped).h1.get_text() == "Check your inbox"
    assert mail.outbox == []


def test_a_form_sent_faster_than_a_person_types_gets_the_same_answer_and_sends_nothing(post, soup, frozen_now):
    quick = post(started=started_token())
    assert soup(quick).h1.get_text() == "Check your inbox"
    assert mail.outbox == []


def test_a_form_filled_at_a_persons_pace_is_sent(post, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC), tick=False)
    stamp = started_token()
    time_machine.shift(datetime.timedelta(seconds=3))
    post(started=stamp)
    assert len(mail.outbox) == 1


def test_a_stamp_as_old_as_a_cached_page_still_counts_as_a_person(post, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC), tick=False)
    stamp = started_token()
    time_machine.shift(datetime.timedelta(hours=5))
    post(started=stamp)
    assert len(mail.outbox) == 1


def test_a_forged_stamp_is_ignored_rather_than_trusted(post):
    post(started="signup:forged:signature")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_ORIGIN": "https://elsewhere.example"}, {"HTTP_SEC_FETCH_SITE": "cross-site"}, {"HTTP_ORIGIN": "null"}],
    ids=["other origin", "cross-site fetch", "opaque origin"],
)
def test_a_form_posted_from_another_site_is_refused(post, headers):
    response = post(headers=headers)
    assert response.status_code == 403
    assert mail.outbox == []


def test_a_ten_thousand_character_address_is_refused_with_a_clear_message(post, soup):
    response = post(email="a" * 10_000 + "@example.org")
    assert response.status_code == 400
    assert form_error(soup(response), "email") == "That email address is too long."
    assert mail.outbox == []


def test_an_address_smuggling_a_header_is_refused(post, soup):
    response = post(email="a@b.c\nBcc: x@y.z")
    assert response.status_code == 400
    assert form_error(soup(response), "email") == "Please enter a valid email address."
    assert mail.outbox == []


def test_a_missing_address_is_refused(post, soup):
    response = post(email="")
    assert response.status_code == 400
    assert form_error(soup(response), "email") == "Please enter your email address."


def test_an_unknown_newsletter_is_refused(post, soup):
    response = post(newsletters=[987654])
    assert response.status_code == 400
    assert "not offered" in form_error(soup(response), "newsletters")
    assert mail.outbox == []


def test_a_newsletter_that_is_not_public_is_refused(post, soup):
    private = newsletter_factory(slug="staff-only", public=False)
    response = post(newsletters=[private.pk])
    assert response.status_code == 400
    assert mail.outbox == []


def test_a_sign_up_without_a_newsletter_is_refused(post, soup):
    response = post(newsletters=[])
    assert response.status_code == 400
    assert form_error(soup(response), "newsletters") == "Please choose at least one newsletter."


def test_too_many_sign_ups_from_one_connection_are_refused(post, settings, soup):
    settings.NEWSDESK_NEWSLETTER_SIGNUPS_PER_CLIENT = 2
    post(email="one@example.org")
    post(email="two@example.org")
    response = post(email="three@example.org")
    assert response.status_code == 429
    assert "Too many sign-ups" in soup(response).select_one("[data-signup-errors]").get_text()
    assert len(mail.outbox) == 2


def test_too_many_sign_ups_for_one_address_are_refused(post, settings):
    settings.NEWSDESK_NEWSLETTER_SIGNUPS_PER_ADDRESS = 1
    post(ip="198.51.100.1")
    assert post(ip="198.51.100.2").status_code == 429
    assert len(mail.outbox) == 1


def test_a_refused_form_comes_back_with_the_readers_choices_and_every_field_labelled(post, weekly, soup):
    page = soup(post(email="not an address", newsletters=[weekly.pk]))
    assert page.select_one("#newsletter-email")["value"] == "not an address"
    assert page.select_one(f"#newsletter-choice-{weekly.pk}").has_attr("checked")
    for field in page.select("form[data-newsletter-signup] input:not([type=hidden])"):
        assert page.select_one(f"label[for={field['id']}]"), field
    assert len(page.find_all("h1")) == 1


def test_a_refused_form_escapes_what_the_reader_typed(post, soup):
    response = post(email='"><script>alert(1)</script>')
    assert b"<script>alert(1)" not in response.content
    assert soup(response).select_one("#newsletter-email")["value"] == '"><script>alert(1)</script>'


def test_the_page_the_form_was_on_becomes_the_consent_source(post):
    post()
    token = mail.outbox[0].body.split("/newsletters/confirm/")[1].split("/")[0]
    assert tokens.read_confirmation(token).source == f"sign-up form on {ARTICLE_PATH}"


@pytest.mark.parametrize("source", ["https://evil.example/", "//evil.example/", "/\\evil.example", "/a\nb"])
def test_a_source_that_is_not_a_local_path_is_dropped(post, soup, source):
    page = soup(post(source=source))
    token = mail.outbox[0].body.split("/newsletters/confirm/")[1].split("/")[0]
    assert tokens.read_confirmation(token).source == "sign-up form"
    assert page.select_one("main a")["href"] == "/"


def test_the_answer_links_back_to_the_page_the_form_was_on(post, soup):
    assert soup(post()).select_one("main .newsletter-notice a")["href"] == ARTICLE_PATH


def test_opening_the_sign_up_address_leads_to_the_newsletters_page(client):
    response = client.get("/newsletters/signup/")
    assert response.status_code == 303
    assert response["Location"] == "/newsletters/"


def test_a_fresh_stamp_is_given_for_a_cached_page_and_never_cached(client):
    response = Client().get("/newsletters/signup/start/")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert response.json()["started"].startswith("signup:")


def test_each_render_of_the_form_carries_its_own_stamp_and_page(briefing, time_machine):
    from django.template import Context, Template

    from newsdesk.newsletters.forms import seconds_since

    time_machine.move_to(datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC), tick=False)
    form = Template("{% load newsletter_tags %}{% newsletter_signup source=path %}")
    first = BeautifulSoup(form.render(Context({"path": "/a&b/"})), "html.parser")
    time_machine.shift(datetime.timedelta(seconds=5))
    second = BeautifulSoup(form.render(Context({"path": "/c/"})), "html.parser")
    stamps = [str(field["value"]) for page in (first, second) for field in page.select("input[name=started]")]
    assert len(stamps) == 2
    assert stamps[0] != stamps[1]
    assert None not in [seconds_since(stamp) for stamp in stamps]
    sources = [field["value"] for page in (first, second) for field in page.select("input[name=source]")]
    assert sources == ["/a&b/", "/c/"]
