"""A reader's whole journey through a real SMTP server: sign up on a cached article page, confirm from
the mail, receive the automatic morning edition, leave with one click, and get no more.

Times are the site's (Europe/Berlin); each step travels to its moment with time-machine.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from newsdesk.articles.factories import create_article, publication_clock
from newsdesk.articles.models import ArticlePage
from newsdesk.newsletters import tasks, tokens
from newsdesk.newsletters.factories import newsletter_factory, subscriber_factory
from newsdesk.newsletters.models import Edition, Newsletter, Subscriber, Subscription

from .conftest import BASE_URL
from .smtp import SMTPSink

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
READER = "mara@example.org"
SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"}


def berlin(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def site_settings(settings: Any, smtp_sink: SMTPSink) -> None:
    settings.TIME_ZONE = "Europe/Berlin"
    settings.NEWSDESK_PAGE_CACHE = {**settings.NEWSDESK_PAGE_CACHE, "ENABLED": True}


@pytest.fixture
def travel(time_machine: Any) -> Callable[[datetime.datetime], None]:
    def to(moment: datetime.datetime) -> None:
        time_machine.move_to(moment, tick=False)
        publication_clock.reset()  # stories made from here on are dated just before this moment

    to(berlin(29, 14))
    return to


@pytest.fixture
def story(travel: Any, article_factory: Callable[..., ArticlePage]) -> ArticlePage:
    return article_factory(headline="Council backs the tram line", section="local")


@pytest.fixture
def briefing(travel: Any, db: None) -> Newsletter:
    # A second newsletter on offer, so the form asks which ones (checkboxes, not a hidden field).
    newsletter_factory(slug="council-watch", name="Council Watch", cadence=Newsletter.Cadence.MANUAL, sort_order=1)
    return newsletter_factory(slug="daily", send_time=datetime.time(7, 0))


def signup_form(page: BeautifulSoup) -> Any:
    form = page.select_one("form[action='/newsletters/signup/']")
    assert form is not None, "no sign-up form on the page"
    return form


def form_data(form: Any, **values: Any) -> dict[str, Any]:
    """What a browser sends: the hidden fields as the page has them, then what the reader typed and ticked."""
    data: dict[str, Any] = {
        str(field["name"]): str(field.get("value", "")) for field in form.select("input[type=hidden][name]")
    }
    data.setdefault("homepage", "")
    data.update(values)
    return data


def newsletter_choices(form: Any) -> dict[str, str]:
    """Each offered newsletter's checkbox value by its label's text."""
    choices = {}
    for box in form.select("input[type=checkbox][name=newsletters]"):
        label = form.select_one(f"label[for='{box['id']}']") if box.get("id") else box.find_parent("label")
        choices[" ".join(label.get_text().split())] = str(box["value"])
    return choices


def link_in(message: EmailMessage, kind: str) -> str:
    text = str(message.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]
    found = re.search(rf"{re.escape(BASE_URL)}(/newsletters/{kind}/[^/\s]+/)", text)
    assert found, text
    return found.group(1)


def one_click_path(message: EmailMessage) -> str:
    entries = [entry.strip().strip("<>") for entry in str(message["List-Unsubscribe"]).split(",")]
    [https] = [entry for entry in entries if entry.startswith("https://")]
    return urlsplit(https).path


def cached_signup_form(client: Client, story: ArticlePage, travel: Any) -> Any:
    """The sign-up form as the page cache serves it: the second reader's copy is the first one's."""
    # A page rendered at the very instant of a purge (the story's publication) is not kept as fresh.
    travel(berlin(29, 14) + datetime.timedelta(seconds=30))
    assert Client().get(story.url)["X-Page-Cache"] == "miss"
    cached = client.get(story.url)
    assert cached["X-Page-Cache"] == "hit"
    form = signup_form(BeautifulSoup(cached.content, "html.parser"))
    travel(berlin(29, 14, 1))  # the reader takes a while to type
    return form


def sign_up_on_cached_page(client: Any, story: ArticlePage, travel: Any, capture: Any, *, newsletter: str) -> Any:
    form = cached_signup_form(client, story, travel)
    with capture(execute=True):
        return client.post(
            "/newsletters/signup/",
            form_data(form, email=READER, newsletters=[newsletter_choices(form)[newsletter]]),
            **SAME_SITE,
        )


def test_a_reader_signs_up_confirms_reads_one_edition_and_leaves(
    client, smtp_sink: SMTPSink, travel, story, briefing, soup, django_capture_on_commit_callbacks
):
    # 1. Sign-up from the article's aside, on the copy the page cache served.
    answer = sign_up_on_cached_page(client, story, travel, django_capture_on_commit_callbacks, newsletter=briefing.name)
    assert answer.status_code == 200
    assert not Subscriber.objects.exists()  # nothing is stored before the reader confirms

    # 2. The confirmation mail arrives; its link shows a button, and pressing it confirms.
    [confirmation] = smtp_sink.to(READER)
    confirm_path = link_in(confirmation, "confirm")
    shown = client.get(confirm_path)
    assert shown.status_code == 200
    assert soup(shown).select_one("form[method=post] button, form[method=POST] button") is not None
    assert not Subscriber.objects.exists()  # a link previewer's GET confirms nothing
    assert client.post(confirm_path, **SAME_SITE).status_code == 200
    assert list(Subscription.objects.values_list("subscriber__email", "newsletter__slug")) == [(READER, "daily")]

    # 3. The next morning at seven the worker builds the automatic edition and sends it.
    smtp_sink.clear()
    travel(berlin(30, 7, 0))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.newsletters_tick.call()
    [edition_mail] = smtp_sink.to(READER)
    assert edition_mail["Subject"] == "The Morning Briefing: November 30, 2026"
    assert {part.get_content_type() for part in edition_mail.walk()} >= {"text/plain", "text/html"}
    assert story.title in str(edition_mail.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]
    assert edition_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<mailto:" in str(edition_mail["List-Unsubscribe"])

    # 4. The mail provider's one-click POST: no cookie, no session, no CSRF token.
    provider = Client()
    left = provider.post(
        one_click_path(edition_mail), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert left.status_code == 200
    assert not Subscription.objects.exists()

    # 5. The day after, an edition goes out (another reader gets it) but not to the reader who left.
    subscriber_factory("other@example.org", briefing)
    smtp_sink.clear()
    travel(datetime.datetime(2026, 12, 1, 7, 0, tzinfo=BERLIN))
    create_article(headline="Ferry timetable stays for the winter", section="local")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.newsletters_tick.call()
    assert Edition.objects.filter(status=Edition.Status.SENT).count() == 2
    assert [received.recipients for received in smtp_sink.messages] == [("other@example.org",)]
    assert smtp_sink.to(READER) == []


# Refusals: each is said plainly, and nothing is sent or stored.


def test_a_forged_confirmation_link_is_refused(client, smtp_sink, briefing):
    token = tokens.confirmation_token(READER, [briefing.pk], "test")
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    response = client.post(f"/newsletters/confirm/{forged}/", **SAME_SITE)
    assert response.status_code == 400
    assert not Subscriber.objects.exists()
    assert smtp_sink.messages == []


def test_a_confirmation_link_older_than_its_days_is_refused(client, smtp_sink, travel, settings, briefing):
    token = tokens.confirmation_token(READER, [briefing.pk], "test")
    travel(berlin(29, 14) + datetime.timedelta(days=settings.NEWSDESK_NEWSLETTER_CONFIRM_DAYS, minutes=1))
    response = client.post(f"/newsletters/confirm/{token}/", **SAME_SITE)
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_the_refusal_page_says_the_link_is_not_valid(client, briefing, soup):
    response = client.get("/newsletters/confirm/not-a-token/")
    assert response.status_code == 400
    assert soup(response).select_one("h1").get_text(strip=True) == "This link has expired or is not valid"


def test_a_forged_unsubscribe_post_is_refused_and_unsubscribes_nobody(client, briefing):
    reader = subscriber_factory(READER, briefing)
    token = tokens.unsubscribe_token(reader.pk, "not-the-key", briefing.pk)
    response = Client().post(
        f"/newsletters/unsubscribe/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert Subscription.objects.filter(subscriber=reader).exists()


def test_an_unknown_newsletter_slug_is_not_found(client, briefing):
    assert client.get("/newsletters/no-such-letter/").status_code == 404


def test_a_sign_up_for_a_newsletter_not_offered_is_refused_and_sends_nothing(
    client, smtp_sink, travel, story, briefing, soup, django_capture_on_commit_callbacks
):
    form = cached_signup_form(client, story, travel)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/newsletters/signup/", form_data(form, email=READER, newsletters=[str(briefing.pk + 999)]), **SAME_SITE
        )
    assert response.status_code == 400
    assert soup(response).select_one("#newsletter-newsletters-error").get_text(strip=True)
    assert smtp_sink.messages == []


@pytest.mark.parametrize(
    "address",
    ["x" * 10_000 + "@example.org", "mara@example.org\r\nBcc: everyone@example.net", "mara@example.org>, <x@y.z"],
)
def test_a_bad_address_is_refused_and_sends_nothing(
    address, client, smtp_sink, travel, story, briefing, soup, django_capture_on_commit_callbacks
):
    form = cached_signup_form(client, story, travel)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/newsletters/signup/", form_data(form, email=address, newsletters=[str(briefing.pk)]), **SAME_SITE
        )
    assert response.status_code == 400
    assert soup(response).select_one("#newsletter-email-error").get_text(strip=True)
    assert smtp_sink.messages == []


def test_a_filled_trap_field_looks_accepted_but_sends_nothing(
    client, smtp_sink, travel, story, briefing, django_capture_on_commit_callbacks
):
    form = cached_signup_form(client, story, travel)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/newsletters/signup/",
            form_data(form, email=READER, newsletters=[str(briefing.pk)], homepage="https://spam.example"),
            **SAME_SITE,
        )
    assert response.status_code == 200
    assert smtp_sink.messages == []
