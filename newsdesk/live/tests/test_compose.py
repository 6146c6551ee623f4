"""The quick compose form's block editor: every block type stored as composed, offered back unchanged, errors shown."""

import json

import pytest
from bs4 import BeautifulSoup
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from newsdesk.live.models import LiveEntry, LiveEntryChange

pytestmark = pytest.mark.django_db

PARAGRAPH = (
    '<p>The <b>lower</b> road is <i>closed</i>, <a href="https://council.example.org/roads">says the council</a>.</p>'
)
LIST = "<ul><li>Quay Street</li><li>Mill Lane</li></ul>"


@pytest.fixture
def picture(article_factory):
    return article_factory(headline="Picture holder", with_image=True).lead_image


def every_block(picture):
    return [
        ("heading", "Embankment closed"),
        ("paragraph", rich_text(PARAGRAPH + LIST)),
        ("quote", {"text": "We have done this before.", "attribution": "A resident"}),
        ("image", {"image": str(picture.pk), "caption": "The stone bridge", "credit": "Newsdesk"}),
        ("embed", {"url": "https://video.example.org/v/1", "title": "The council's video"}),
    ]


def form_data(blocks, **fields):
    return nested_form_data({"body": streamfield(blocks), "posted_at": "2026-03-02 09:15", **fields})


def editor_state(response):
    """The block editor's value and errors as the page hands them to Wagtail's script."""
    page = BeautifulSoup(response.content, "html.parser")
    widget = page.select_one('[data-contentpath="body"] [data-block]')
    assert widget is not None
    value, errors = json.loads(str(widget["data-w-block-arguments-value"]))
    return value, errors


def without_keys(source):
    """Rich text as stored, without the editor's block keys (new ones on each save)."""
    soup = BeautifulSoup(source, "html.parser")
    for tag in soup.find_all(True):
        tag.attrs.pop("data-block-key", None)
    return str(soup)


def test_every_block_type_is_stored_as_composed(editor_client, coverage, picture):
    editor_client.post(f"/admin/live/{coverage.pk}/", form_data(every_block(picture)))
    entry = LiveEntry.objects.get()
    stored = list(entry.body.raw_data)
    assert [item["type"] for item in stored] == ["heading", "paragraph", "quote", "image", "embed"]
    assert stored[0]["value"] == "Embankment closed"
    assert without_keys(stored[1]["value"]) == PARAGRAPH + LIST
    assert stored[2]["value"] == {"text": "We have done this before.", "attribution": "A resident"}
    assert stored[3]["value"] == {"image": picture.pk, "caption": "The stone bridge", "credit": "Newsdesk"}
    assert stored[4]["value"] == {"url": "https://video.example.org/v/1", "title": "The council's video"}


def test_the_correct_form_offers_the_blocks_back_and_saving_them_unchanged_keeps_them(editor_client, coverage, picture):
    editor_client.post(f"/admin/live/{coverage.pk}/", form_data(every_block(picture)))
    entry = LiveEntry.objects.get()
    before = list(entry.body.raw_data)
    value, errors = editor_state(editor_client.get(f"/admin/live/entries/{entry.pk}/"))
    assert errors is None
    assert [block["type"] for block in value] == ["heading", "paragraph", "quote", "image", "embed"]
    assert [block["id"] for block in value] == [item["id"] for item in before]
    # What the editor shows is posted back as it is (the paragraph in the editor's own format).
    again = [(block["type"], block["value"]) for block in value]
    again[3] = ("image", {**again[3][1], "image": str(picture.pk)})
    editor_client.post(f"/admin/live/entries/{entry.pk}/", form_data(again))
    entry.refresh_from_db()
    after = list(entry.body.raw_data)
    assert [(item["type"], item["value"]) for item in after if item["type"] != "paragraph"] == [
        (item["type"], item["value"]) for item in before if item["type"] != "paragraph"
    ]
    assert without_keys(after[1]["value"]) == without_keys(before[1]["value"])


def test_a_new_entry_opens_with_an_empty_paragraph(editor_client, coverage):
    value, errors = editor_state(editor_client.get(f"/admin/live/{coverage.pk}/"))
    assert [block["type"] for block in value] == ["paragraph"]
    assert errors is None


def test_an_empty_paragraph_is_refused_with_its_message_and_nothing_is_written(editor_client, coverage, soup):
    response = editor_client.post(f"/admin/live/{coverage.pk}/", form_data([("paragraph", rich_text("<p></p>"))]))
    assert response.status_code == 200
    value, errors = editor_state(response)
    assert [block["type"] for block in value] == ["paragraph"]
    assert errors["blockErrors"]["0"]["messages"] == ["Write this paragraph, or remove it."]
    assert "The entry was not posted" in soup(response).select_one(".messages").get_text()
    assert not LiveEntry.objects.exists()
    assert not ModelLogEntry.objects.filter(content_type__model="liveentry").exists()


def test_an_entry_without_blocks_is_refused(editor_client, coverage):
    response = editor_client.post(f"/admin/live/{coverage.pk}/", form_data([]))
    _value, errors = editor_state(response)
    assert errors["messages"] == ["This field is required."]
    assert not LiveEntry.objects.exists()


def test_a_quote_without_text_is_refused_and_the_other_blocks_are_kept_in_the_form(editor_client, coverage):
    blocks = [("heading", "Kept"), ("quote", {"text": "", "attribution": "Nobody"})]
    response = editor_client.post(f"/admin/live/{coverage.pk}/", form_data(blocks))
    value, errors = editor_state(response)
    assert value[0]["value"] == "Kept"
    assert errors["blockErrors"]["1"]["blockErrors"]["text"]["messages"] == ["This field is required."]
    assert not LiveEntry.objects.exists()


def test_a_refused_correction_leaves_the_entry_and_its_history_as_they_were(editor_client, post):
    entry = post("Closed on Monday")
    response = editor_client.post(f"/admin/live/entries/{entry.pk}/", form_data([("heading", "")]))
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.text == "Closed on Monday"
    assert not LiveEntryChange.objects.exists()
    assert not ModelLogEntry.objects.filter(action="wagtail.edit").exists()


def test_the_compose_page_brings_the_block_editor_scripts(editor_client, coverage, soup):
    scripts = [tag["src"] for tag in soup(editor_client.get(f"/admin/live/{coverage.pk}/")).select("script[src]")]
    assert any("telepath/blocks.js" in src for src in scripts)
    assert any("draftail.js" in src for src in scripts)
