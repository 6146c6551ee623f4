import pytest
from bs4 import BeautifulSoup

from newsdesk.newsletters import mail, services, tokens
from newsdesk.newsletters.factories import newsletter_factory, subscriber_factory
from newsdesk.newsletters.models import Edition, EditionItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(article_factory):
    daily = newsletter_factory(slug="daily", reply_to="desk@newsdesk.example")
    stories = [
        article_factory(headline="The harbour reopens", with_image=True),
        article_factory(headline="Council <b>budget</b> & you"),
    ]
    edition = Edition.objects.create(
        newsletter=daily, subject="Morning briefing", intro="Good morning.\n\nTwo stories today.", web_key="2026-11-30"
    )
    for order, story in enumerate(stories):
        EditionItem.objects.create(edition=edition, article=story, sort_order=order)
    return edition


@pytest.fixture
def message(edition, frozen_now):
    # The links are signed with the second they were made: tests that make them again to
    # compare must do it in the same second, so the clock stands still.
    subscriber = subscriber_factory("reader@example.org", edition.newsletter)
    return mail.message_for(mail.render_edition(edition), subscriber), subscriber


def _html(message) -> BeautifulSoup:
    (content, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    return BeautifulSoup(content, "html.parser")


def test_the_mail_has_a_text_and_an_html_part(message):
    email, _subscriber = message
    parsed = email.message()
    assert parsed.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in parsed.get_payload()] == ["text/plain", "text/html"]


def test_the_one_click_headers_follow_rfc_8058(message, edition):
    email, subscriber = message
    headers = email.message()
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mailto, https = [part.strip(" <>") for part in headers["List-Unsubscribe"].split(",")]
    assert mailto.startswith("mailto:desk@newsdesk.example?subject=unsubscribe")
    assert https.startswith("http://localhost/newsletters/unsubscribe/")
    token = https.rstrip("/").rsplit("/", 1)[1]
    assert tokens.read_unsubscribe(token) == (subscriber.pk, subscriber.key, edition.newsletter.pk)


def test_the_mail_has_message_id_and_date(message):
    headers = message[0].message()
    assert headers["Message-ID"].endswith("@localhost>")
    assert headers["Date"]


def test_sender_and_reply_to_are_the_newsletters(message):
    email, _subscriber = message
    assert email.from_email == "Newsdesk Briefing <briefing@newsdesk.example>"
    assert email.reply_to == ["desk@newsdesk.example"]


def test_every_link_is_absolute_and_the_footer_links_are_the_readers(message):
    email, subscriber = message
    page = _html(email)
    hrefs = [str(link["href"]) for link in page.find_all("a")]
    assert hrefs and all(href.startswith("http://localhost/") for href in hrefs)
    assert mail.manage_url(subscriber) in hrefs
    assert mail.unsubscribe_url(subscriber, subscriber.newsletters.get()) in hrefs


def test_images_have_size_and_alt_and_nothing_tracks_opens(message):
    page = _html(message[0])
    images = page.find_all("img")
    assert len(images) == 1  # the one story picture: no pixel
    (image,) = images
    assert str(image["src"]).startswith("http://localhost/")
    assert (image["width"], image["height"]) == ("600", "338")
    assert image["alt"]


def test_styles_are_inlined_and_dark_mode_is_declared(message):
    page = _html(message[0])
    masthead, scheme = page.find("td", class_="masthead"), page.find("meta", attrs={"name": "color-scheme"})
    assert masthead is not None and scheme is not None
    assert "background-color" in str(masthead["style"])
    assert scheme["content"] == "light dark"


def test_story_text_is_escaped_in_html_and_plain_in_text(message):
    email, _subscriber = message
    page = _html(email)
    assert "Council <b>budget</b> & you" in [link.get_text() for link in page.find_all("a")]
    assert page.find("b") is None
    assert "Council <b>budget</b> & you" in email.body


def test_the_text_part_has_the_intro_links_and_unsubscribe(message, edition):
    email, subscriber = message
    assert "Two stories today." in email.body
    assert "http://localhost/newsletters/daily/2026-11-30/" in email.body
    assert mail.unsubscribe_url(subscriber, edition.newsletter) in email.body


def test_an_unpublished_story_drops_out_of_the_edition(edition):
    edition.items.order_by("sort_order").first().article.unpublish()
    assert [item.title for item in mail.edition_items(edition)] == ["Council <b>budget</b> & you"]


def test_a_test_copy_is_marked_and_its_links_lead_nowhere(edition):
    copy = mail.test_message(mail.render_edition(edition), "editor@newsdesk.example")
    assert copy.subject == "[Test] Morning briefing"
    token = copy.extra_headers["List-Unsubscribe"].split("<http://localhost/newsletters/unsubscribe/")[1].split("/")[0]
    with pytest.raises(tokens.BadLink):
        services.unsubscribe_by_token(token)


def test_the_confirmation_mail_links_to_the_confirmation_page(edition):
    token = tokens.confirmation_token("reader@example.org", [edition.newsletter.pk], "test")
    message = mail.confirmation_message("reader@example.org", token, [edition.newsletter])
    assert f"http://localhost/newsletters/confirm/{token}/" in message.body
    links = [link["href"] for link in _html(message).find_all("a")]
    assert links == [f"http://localhost/newsletters/confirm/{token}/"]
