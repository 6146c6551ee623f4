"""The migration to blocks: old plain-text entries become paragraph blocks, and rolling back gives text again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from newsdesk.live.models import LiveEntry, LiveEntryChange

BEFORE = [("live", "0001_initial")]
AFTER = [("live", "0002_entry_body_blocks")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.fixture
def old_entry(transactional_db, article_factory):
    """An entry written before the migration: text with two paragraphs and a line break, a picture and a link."""
    story = article_factory(headline="Storm over the bay", with_image=True)
    apps = migrate(BEFORE)
    try:
        coverage = apps.get_model("live", "LiveCoverage").objects.create(article_id=story.pk)
        entry = apps.get_model("live", "LiveEntry").objects.create(
            coverage=coverage,
            body="Bridge <closed>\nby the police\n\nMore & later",
            image_id=story.lead_image_id,
            embed_url="https://video.example.org/v/1",
        )
        apps.get_model("live", "LiveEntryChange").objects.create(
            entry=entry, action="edited", previous_body="Bridge open", previous_posted_at=entry.posted_at
        )
    finally:
        migrate(AFTER)
    return entry.pk, story.lead_image_id


def test_old_text_becomes_paragraph_blocks_with_the_picture_and_link_after_them(old_entry):
    pk, image_id = old_entry
    entry = LiveEntry.objects.get(pk=pk)
    assert [(item["type"], item["value"]) for item in entry.body.raw_data] == [
        ("paragraph", "<p>Bridge &lt;closed&gt;<br/>by the police</p>"),
        ("paragraph", "<p>More &amp; later</p>"),
        ("image", {"image": image_id, "caption": "", "credit": ""}),
        ("embed", {"url": "https://video.example.org/v/1", "title": "https://video.example.org/v/1"}),
    ]
    assert entry.text == "Bridge <closed>\nby the police\n\nMore & later\n\nhttps://video.example.org/v/1"


def test_old_history_becomes_paragraph_blocks(old_entry):
    change = LiveEntryChange.objects.get()
    assert [(item["type"], item["value"]) for item in change.previous_body.raw_data] == [
        ("paragraph", "<p>Bridge open</p>")
    ]


def test_rolling_back_gives_the_text_picture_and_link_again(old_entry):
    pk, image_id = old_entry
    apps = migrate(BEFORE)
    try:
        entry = apps.get_model("live", "LiveEntry").objects.get(pk=pk)
        change = apps.get_model("live", "LiveEntryChange").objects.get()
        assert entry.body == "Bridge <closed>\nby the police\n\nMore & later"
        assert (entry.image_id, entry.embed_url) == (image_id, "https://video.example.org/v/1")
        assert change.previous_body == "Bridge open"
    finally:
        migrate(AFTER)
