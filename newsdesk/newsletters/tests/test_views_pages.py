"""Public newsletter pages (the list, archives, editions) and the sign-up block on reader pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsdesk.newsletters.factories import newsletter_factory
from newsdesk.newsletters.models import Edition, EditionItem, Newsletter

pytestmark = pytest.mark.django_db

SENT_AT = datetime.datetime(2026, 11, 30, 7, 5, tzinfo=datetime.UTC)


@pytest.fixture
def briefing():
    return newsletter_factory(slug="daily")


@pytest.fixture
def story(article_factory):
    return article_factory(headline="Council backs tram line", with_image=True)


def make_edition(newsletter, *, status=Edition.Status.SENT, web_key="2026-11-30", subject="Tuesday's briefing", **more):
    fields = {"finished_at": SENT_AT} if status == Edition.Status.SENT else {}
    fields.update(more)
    return Edition.objects.create(
        newsletter=newsletter, status=status, web_key=web_key, subject=subject, intro="Good morning.", **fields
    )


def signup_form(page):
    return page.select_one("form[data-newsletter-signup]")


def assert_every_field_labelled(page, form):
    fields = form.select("input:not([type=hidden])")
    assert fields
    for field in fields:
        assert page.select_one(f"label[for={field['id']}]"), field


# The list of newsletters


def test_the_newsletters_page_shows_each_public_newsletter_with_its_cadence_and_archive(client, briefing, soup):
    page = soup(client.get("/newsletters/"))
    item = page.select_one(".newsletter-list__item")
    assert item.h2.get_text(strip=True) == "The Morning Briefing"
    assert item.select_one(".newsletter-list__cadence").get_text() == "Every day at 07:00"
    assert "first coffee" in item.select_one(".newsletter-list__description").get_text()
    assert item.select_one("a[href='/newsletters/daily/']")
    assert len(page.find_all("h1")) == 1


def test_the_newsletters_page_leaves_out_newsletters_that_are_not_public(client, briefing, soup):
    newsletter_factory(slug="staff-only", name="Staff only", public=False)
    names = [h2.get_text(strip=True) for h2 in soup(client.get("/newsletters/")).select(".newsletter-list__name")]
    assert names == ["The Morning Briefing"]


def test_the_newsletters_page_has_the_sign_up_form_with_labels(client, briefing, soup):
    page = soup(client.get("/newsletters/"))
    assert_every_field_labelled(page, signup_form(page))


def test_the_newsletters_page_may_be_cached(client, briefing):
    assert "public" in client.get("/newsletters/")["Cache-Control"]


def test_a_weekly_newsletter_says_its_day(client, soup):
    newsletter_factory(slug="weekend-read", cadence="weekly", weekday=5, send_time=datetime.time(8, 30))
    cadence = soup(client.get("/newsletters/")).select_one(".newsletter-list__cadence").get_text()
    assert cadence == "Every Saturday at 08:30"


def test_a_newsletter_made_with_the_default_time_says_it(client, soup):
    Newsletter.objects.create(
        slug="morning", name="Morning", sender_name="Desk", sender_email="desk@example.org", cadence="daily"
    )
    assert soup(client.get("/newsletters/")).select_one(".newsletter-list__cadence").get_text() == "Every day at 07:00"


@pytest.mark.parametrize(("cadence", "said"), [("on_publish", "When news breaks"), ("manual", "From time to time")])
def test_newsletters_without_a_schedule_say_when_they_come(client, soup, cadence, said):
    newsletter_factory(slug="alerts", cadence=cadence)
    assert soup(client.get("/newsletters/")).select_one(".newsletter-list__cadence").get_text() == said


def test_newsletter_names_and_descriptions_are_escaped(client, soup):
    newsletter_factory(slug="hostile", name="<b>Bold</b>", description="<script>alert(1)</script>")
    response = client.get("/newsletters/")
    assert b"<script>alert(1)" not in response.content
    assert soup(response).select_one(".newsletter-list__name").get_text(strip=True) == "<b>Bold</b>"


# The sign-up block on reader pages


def test_an_articles_aside_has_the_sign_up_form_after_latest(client, briefing, article_factory, story, soup):
    article_factory(headline="An older story")
    page = soup(client.get(story.url))
    aside = page.select_one("aside.sidebar")
    blocks = [section["class"][-1] for section in aside.find_all("section", recursive=False)]
    assert blocks[-2:] == ["list-block--latest", "newsletter-signup"]
    assert_every_field_labelled(page, signup_form(aside))


def test_the_article_form_says_where_it_was(client, briefing, story, soup):
    form = signup_form(soup(client.get(story.url)))
    assert form.select_one("input[name=source]")["value"] == story.url


def test_the_home_pages_aside_has_the_sign_up_form(client, briefing, story, soup):
    page = soup(client.get("/"))
    form = signup_form(page.select_one("aside.sidebar"))
    assert form is not None
    assert_every_field_labelled(page, form)


def test_with_one_public_newsletter_the_form_names_it_and_sends_it_hidden(client, briefing, story, soup):
    form = signup_form(soup(client.get(story.url)))
    assert form.select_one("input[type=hidden][name=newsletters]")["value"] == str(briefing.pk)
    assert "The Morning Briefing" in form.select_one(".newsletter-signup__intro").get_text()


def test_with_several_newsletters_the_reader_ticks_the_ones_wanted(client, briefing, story, soup):
    weekly = newsletter_factory(slug="weekend-read", cadence="weekly")
    form = signup_form(soup(client.get(story.url)))
    assert [box["value"] for box in form.select("input[type=checkbox][name=newsletters]")] == [
        str(briefing.pk),
        str(weekly.pk),
    ]
    assert not form.select("input[type=checkbox][checked]")


def test_the_trap_field_is_hidden_from_screen_readers_and_the_tab_order(client, briefing, story, soup):
    trap = signup_form(soup(client.get(story.url))).select_one("input[name=homepage]")
    assert trap["tabindex"] == "-1"
    assert trap.find_parent(attrs={"aria-hidden": "true"}) is not None


@pytest.mark.parametrize("path", ["article", "/", "/newsletters/"])
def test_no_form_shows_without_a_public_newsletter(client, story, soup, path):
    newsletter_factory(slug="staff-only", public=False)
    page = soup(client.get(story.url if path == "article" else path))
    assert signup_form(page) is None


def test_a_new_public_newsletter_shows_in_the_form(client, story, soup):
    client.get(story.url)  # the empty list is kept
    newsletter_factory(slug="daily")
    assert signup_form(soup(client.get(story.url))) is not None


def test_the_sign_up_block_asks_the_database_nothing_on_a_normal_render(client, briefing, story):
    client.get(story.url)
    with CaptureQueriesContext(connection) as queries:
        client.get(story.url)
    assert not [query["sql"] for query in queries if "newsletters_" in query["sql"]]


def test_the_article_page_has_no_csrf_token_with_the_form(client, briefing, story):
    assert b"csrfmiddlewaretoken" not in client.get(story.url).content


# Archives and editions


def test_an_archive_lists_only_sent_editions_newest_first(client, briefing, soup):
    make_edition(
        briefing, web_key="2026-11-29", subject="Monday's briefing", finished_at=SENT_AT - datetime.timedelta(days=1)
    )
    make_edition(briefing, web_key="2026-11-30", subject="Tuesday's briefing")
    make_edition(briefing, status=Edition.Status.DRAFT, web_key="", subject="Draft in progress")
    make_edition(briefing, status=Edition.Status.SCHEDULED, web_key="", subject="Scheduled one")
    make_edition(briefing, status=Edition.Status.SENDING, web_key="2026-12-01", subject="Going out now")
    page = soup(client.get("/newsletters/daily/"))
    assert [link.get_text() for link in page.select(".edition-list a")] == ["Tuesday's briefing", "Monday's briefing"]
    assert page.select_one(".edition-list a")["href"] == "/newsletters/daily/2026-11-30/"


def test_an_archive_of_an_unknown_newsletter_is_not_found(client, briefing):
    assert client.get("/newsletters/no-such-thing/").status_code == 404


def test_an_archive_of_a_newsletter_that_is_not_public_is_not_found(client):
    newsletter_factory(slug="staff-only", public=False)
    assert client.get("/newsletters/staff-only/").status_code == 404


def test_a_sent_edition_is_a_web_page_with_its_stories(client, briefing, story, soup):
    edition = make_edition(briefing)
    EditionItem.objects.create(edition=edition, article=story, sort_order=0)
    response = client.get("/newsletters/daily/2026-11-30/")
    assert response.status_code == 200
    page = soup(response)
    assert [h1.get_text() for h1 in page.find_all("h1")] == ["Tuesday's briefing"]
    assert page.select_one(".edition-page__intro").get_text() == "Good morning."
    link = page.select_one(".edition-item__title a")
    assert link.get_text() == "Council backs tram line"
    assert link["href"].endswith(story.dated_path())


def test_an_editions_pictures_have_their_size_and_a_text(client, briefing, story, soup):
    EditionItem.objects.create(edition=make_edition(briefing), article=story, sort_order=0)
    image = soup(client.get("/newsletters/daily/2026-11-30/")).select_one(".edition-item img")
    assert image["width"] and image["height"]
    assert image["alt"] == "A test picture"


def test_an_edition_page_has_nobodys_unsubscribe_link(client, briefing, story):
    EditionItem.objects.create(edition=make_edition(briefing), article=story, sort_order=0)
    content = client.get("/newsletters/daily/2026-11-30/").content
    assert b"/newsletters/unsubscribe/" not in content
    assert b"%%NEWSDESK" not in content


def test_an_edition_page_may_be_cached(client, briefing):
    make_edition(briefing)
    assert "public" in client.get("/newsletters/daily/2026-11-30/")["Cache-Control"]


@pytest.mark.parametrize("status", [Edition.Status.DRAFT, Edition.Status.SCHEDULED, Edition.Status.SENDING])
def test_an_edition_not_sent_yet_is_not_found(client, briefing, status):
    make_edition(briefing, status=status)
    assert client.get("/newsletters/daily/2026-11-30/").status_code == 404


def test_an_edition_of_a_newsletter_that_is_not_public_is_not_found(client):
    make_edition(newsletter_factory(slug="staff-only", public=False))
    assert client.get("/newsletters/staff-only/2026-11-30/").status_code == 404


def test_an_edition_under_another_newsletters_address_is_not_found(client, briefing):
    make_edition(briefing)
    newsletter_factory(slug="weekend-read")
    assert client.get("/newsletters/weekend-read/2026-11-30/").status_code == 404
