"""Entries' blocks as readers get them: on the page without script, in the polling answer, in JSON-LD; stored clean."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from newsdesk.live import services
from newsdesk.live.models import LiveEntry

pytestmark = pytest.mark.django_db

HOSTILE_PARAGRAPH = (
    '<p onclick="steal()">Calm <b>now</b><script>alert(1)</script>'
    '<a href="javascript:alert(2)">click</a> <a href="https://example.org/a" onmouseover="x()">ok</a></p>'
    "<style>body{display:none}</style><iframe src='https://evil.example.org/'></iframe>"
)


LIST = "<ul><li>Quay Street</li><li>Mill Lane</li></ul>"


@pytest.fixture
def picture(article_factory):
    return article_factory(headline="Picture holder", with_image=True).lead_image


@pytest.fixture
def every_block(post, picture):
    return post(
        [
            {"type": "heading", "value": "Embankment <closed>"},
            {"type": "paragraph", "value": "<p>The <b>lower</b> road:</p>" + LIST},
            {"type": "quote", "value": {"text": "We <i>have</i> done this before.", "attribution": "A & B"}},
            {"type": "image", "value": {"image": picture.pk, "caption": "The stone bridge", "credit": "Newsdesk"}},
            {"type": "embed", "value": {"url": "https://video.example.org/v/1", "title": "The <council's> video"}},
        ]
    )


def rendered_on_page(client, story, soup, entry):
    return soup(client.get(story.url)).select_one(f"section.live #entry-{entry.pk}")


def rendered_in_updates(client, story, entry):
    (answer,) = [item for item in client.get(f"/live/{story.pk}/updates/").json()["entries"] if item["id"] == entry.pk]
    return BeautifulSoup(answer["html"], "html.parser").select_one(f"#entry-{entry.pk}")


def check_every_block(entry_html, picture):
    assert entry_html.select_one("h3").get_text() == "Embankment <closed>"
    assert [li.get_text() for li in entry_html.select("ul li")] == ["Quay Street", "Mill Lane"]
    assert entry_html.select_one("p b").get_text() == "lower"
    quote = entry_html.select_one("figure.quote")
    assert quote.blockquote.get_text() == "We <i>have</i> done this before."
    assert quote.figcaption.get_text() == "— A & B"
    image = entry_html.select_one("figure.body-image img")
    assert image["alt"] == "The stone bridge"
    assert image["width"] and image["height"]
    link = entry_html.select_one("p.embed-link a")
    assert (link["href"], link.get_text()) == ("https://video.example.org/v/1", "The <council's> video")
    assert entry_html.select("iframe, script, i") == []


def test_the_page_shows_every_block_type_without_script(client, story, every_block, picture, soup):
    check_every_block(rendered_on_page(client, story, soup, every_block), picture)


def test_the_updates_answer_shows_every_block_type(client, story, every_block, picture):
    check_every_block(rendered_in_updates(client, story, every_block), picture)


def test_rich_text_is_stored_without_scripts_handlers_or_foreign_links(post):
    entry = post([{"type": "paragraph", "value": HOSTILE_PARAGRAPH}])
    stored = BeautifulSoup(entry.body.raw_data[0]["value"], "html.parser")
    assert stored.select("script, style, iframe") == []
    assert [tag.attrs for tag in stored.find_all(True) if tag.name != "a"] == [{}, {}]
    assert [link.attrs for link in stored.select("a")] == [{}, {"href": "https://example.org/a"}]
    assert "alert" not in str(stored)
    assert stored.get_text() == "Calm nowclick ok"


def test_a_script_in_rich_text_never_reaches_the_page_or_the_updates(client, story, post, soup):
    entry = post([{"type": "paragraph", "value": HOSTILE_PARAGRAPH}])
    for entry_html in (rendered_on_page(client, story, soup, entry), rendered_in_updates(client, story, entry)):
        assert entry_html.select("script, style, iframe, [onclick], [onmouseover]") == []
        assert [link["href"] for link in entry_html.select("a[href]")] == ["https://example.org/a"]
        assert "alert" not in str(entry_html)


def test_control_characters_are_dropped_from_every_block(post):
    entry = post(
        [
            {"type": "heading", "value": "Bridge\x0bclosed"},
            {"type": "quote", "value": {"text": "We\x0c wait", "attribution": ""}},
            {"type": "paragraph", "value": "<p>Road\x0b shut</p>"},
        ]
    )
    assert [item["value"] for item in entry.body.raw_data] == [
        "Bridgeclosed",
        {"text": "We wait", "attribution": ""},
        "<p>Road shut</p>",
    ]


def test_json_ld_article_body_is_the_blocks_plain_text(client, story, every_block, soup):
    page = soup(client.get(story.url))
    found = [json.loads(script.string) for script in page.select('script[type="application/ld+json"]')]
    (live,) = [item for item in found if item.get("@type") == "LiveBlogPosting"]
    (update,) = live["liveBlogUpdate"]
    assert update["headline"] == "Embankment <closed>"
    assert update["articleBody"] == (
        "Embankment <closed>\n\nThe lower road:\n\nQuay Street\nMill Lane\n\n"
        "“We <i>have</i> done this before.” — A & B\n\nThe <council's> video"
    )


def test_key_events_list_the_entry_by_its_first_line(client, story, post, soup):
    heading = {"type": "heading", "value": "Ferry stops"}
    post([heading, {"type": "paragraph", "value": "<p>Landing under water</p>"}], key_event=True)
    links = soup(client.get(story.url)).select(".live-key-events a")
    assert links[0].get_text(" ", strip=True).endswith("Ferry stops")


@pytest.mark.parametrize(
    "blocks",
    [
        [],
        [{"type": "paragraph", "value": "<p> </p>"}],
        [{"type": "embed", "value": {"url": "javascript:alert(1)", "title": "Click"}}],
        [{"type": "heading", "value": "x" * 201}],
    ],
    ids=["no blocks", "empty paragraph", "javascript embed", "long heading"],
)
def test_the_service_refuses_what_the_form_would_and_writes_nothing(coverage, editor, blocks):
    with pytest.raises(ValidationError):
        services.entry_post(coverage=coverage, user=editor, body=blocks)
    assert not LiveEntry.objects.exists()
