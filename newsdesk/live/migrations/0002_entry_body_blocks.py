"""Entries' bodies become the article body's blocks.

Forward: each entry's plain text becomes paragraph blocks (a blank line starts a new one, a newline
is a line break, the text escaped), its picture an image block and its embed link an embed block
titled with its address (what the link showed before); each change row's previous text becomes
paragraph blocks too. Backward (to roll back a deployment) is lossy: the blocks become plain text
again (formatting, headings' and quotes' standing, and every picture or link but the first are
lost), the first picture and the first embed link go back to their own fields.

Self-contained on purpose: a migration must not change when the app's code does.
"""

import html
import re
import uuid
from urllib.parse import urlsplit

import django.core.validators
import wagtail.fields
from django.db import migrations, models

BLOCK_LOOKUP = {
    0: ("newsdesk.live.blocks.ParagraphBlock", (), {"features": ["bold", "italic", "link", "ol", "ul"], "max_length": 5000, "template": "articles/blocks/paragraph.html"}),
    1: ("wagtail.blocks.CharBlock", (), {"icon": "title", "max_length": 200, "template": "live/blocks/heading.html"}),
    2: ("wagtail.blocks.TextBlock", (), {"label": "Quote"}),
    3: ("wagtail.blocks.CharBlock", (), {"help_text": "Who said it, e.g. “Anna Weber, mayor”.", "max_length": 200, "required": False}),
    4: ("wagtail.blocks.StructBlock", [[("text", 2), ("attribution", 3)]], {}),
    5: ("wagtail.images.blocks.ImageChooserBlock", (), {}),
    6: ("wagtail.blocks.CharBlock", (), {"max_length": 300, "required": False}),
    7: ("wagtail.blocks.CharBlock", (), {"max_length": 120, "required": False}),
    8: ("wagtail.blocks.StructBlock", [[("image", 5), ("caption", 6), ("credit", 7)]], {}),
    9: ("wagtail.blocks.URLBlock", (), {"label": "URL", "validators": [django.core.validators.URLValidator(schemes=["http", "https"])]}),
    10: ("wagtail.blocks.CharBlock", (), {"help_text": "What readers will find there, e.g. “The council vote”.", "max_length": 200}),
    11: ("wagtail.blocks.StructBlock", [[("url", 9), ("title", 10)]], {}),
}
BLOCK_TYPES = [("paragraph", 0), ("heading", 1), ("quote", 4), ("image", 8), ("embed", 11)]
BODY_HELP = "Paragraphs (with lists), headings, quotes, a picture or a link to a post or video, in any order."


def _block(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def text_to_blocks(text):
    blocks = []
    for part in (text or "").replace("\r\n", "\n").split("\n\n"):
        if part.strip():
            lines = [html.escape(line.strip(), quote=False) for line in part.strip().split("\n")]
            blocks.append(_block("paragraph", "<p>" + "<br/>".join(lines) + "</p>"))
    return blocks


def _link_title(url):
    return url if len(url) <= 200 else (urlsplit(url).hostname or url[:200])


def entries_forward(apps, schema_editor):
    LiveEntry = apps.get_model("live", "LiveEntry")
    LiveEntryChange = apps.get_model("live", "LiveEntryChange")
    for entry in LiveEntry.objects.only("pk", "body", "image_id", "embed_url").iterator():
        blocks = text_to_blocks(entry.body)
        if entry.image_id:
            blocks.append(_block("image", {"image": entry.image_id, "caption": "", "credit": ""}))
        if entry.embed_url:
            blocks.append(_block("embed", {"url": entry.embed_url, "title": _link_title(entry.embed_url)}))
        LiveEntry.objects.filter(pk=entry.pk).update(blocks=blocks)
    for change in LiveEntryChange.objects.only("pk", "previous_body").iterator():
        LiveEntryChange.objects.filter(pk=change.pk).update(previous_blocks=text_to_blocks(change.previous_body))


_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ENDS_LINE = re.compile(r"</li\s*>", re.IGNORECASE)
_ENDS_PARAGRAPH = re.compile(r"</(p|ul|ol)\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def _rich_text_to_text(source):
    text = _ENDS_PARAGRAPH.sub("\n\n", _ENDS_LINE.sub("\n", _BREAK.sub("\n", source)))
    return html.unescape(_TAG.sub("", text))


def blocks_to_text(raw):
    """Plain text, the first picture's id and the first embed's address of raw stream data."""
    parts, image_id, embed_url = [], None, ""
    for item in raw or []:
        kind, value = item.get("type"), item.get("value")
        if kind == "paragraph":
            parts.append(_rich_text_to_text(value or ""))
        elif kind == "heading":
            parts.append(value or "")
        elif kind == "quote":
            parts.append(value.get("text", "") + (f"\n— {value['attribution']}" if value.get("attribution") else ""))
        elif kind == "image" and image_id is None:
            image_id = value.get("image")
        elif kind == "embed":
            if embed_url:
                parts.append(f"{value.get('title', '')}: {value.get('url', '')}")
            else:
                embed_url = value.get("url", "")
    paragraphs = [part.strip() for chunk in parts for part in chunk.split("\n\n") if part.strip()]
    return "\n\n".join(paragraphs), image_id, embed_url


def entries_backward(apps, schema_editor):
    LiveEntry = apps.get_model("live", "LiveEntry")
    LiveEntryChange = apps.get_model("live", "LiveEntryChange")
    Image = apps.get_model("wagtailimages", "Image")
    for entry in LiveEntry.objects.only("pk", "blocks").iterator():
        text, image_id, embed_url = blocks_to_text(list(entry.blocks.raw_data))
        if image_id is not None and not Image.objects.filter(pk=image_id).exists():
            image_id = None
        LiveEntry.objects.filter(pk=entry.pk).update(body=text, image_id=image_id, embed_url=embed_url)
    for change in LiveEntryChange.objects.only("pk", "previous_blocks").iterator():
        text, _image, _embed = blocks_to_text(list(change.previous_blocks.raw_data))
        LiveEntryChange.objects.filter(pk=change.pk).update(previous_body=text)


class Migration(migrations.Migration):

    dependencies = [
        ("live", "0001_initial"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.AddField(
            model_name="liveentry",
            name="blocks",
            field=wagtail.fields.StreamField(BLOCK_TYPES, blank=True, block_lookup=BLOCK_LOOKUP, default=list),
        ),
        migrations.AddField(
            model_name="liveentrychange",
            name="previous_blocks",
            field=wagtail.fields.StreamField(BLOCK_TYPES, blank=True, block_lookup=BLOCK_LOOKUP, default=list),
        ),
        migrations.RunPython(entries_forward, entries_backward),
        # Blank before they go, so that rolling back can add the columns to rows that exist ("" at first).
        migrations.AlterField(model_name="liveentry", name="body", field=models.TextField(blank=True, max_length=5000)),
        migrations.AlterField(model_name="liveentrychange", name="previous_body", field=models.TextField(blank=True)),
        migrations.RemoveField(model_name="liveentry", name="body"),
        migrations.RemoveField(model_name="liveentry", name="image"),
        migrations.RemoveField(model_name="liveentry", name="embed_url"),
        migrations.RemoveField(model_name="liveentrychange", name="previous_body"),
        migrations.RenameField(model_name="liveentry", old_name="blocks", new_name="body"),
        migrations.RenameField(model_name="liveentrychange", old_name="previous_blocks", new_name="previous_body"),
        migrations.AlterField(
            model_name="liveentry",
            name="body",
            field=wagtail.fields.StreamField(BLOCK_TYPES, block_lookup=BLOCK_LOOKUP, help_text=BODY_HELP),
        ),
        migrations.AlterField(
            model_name="liveentrychange",
            name="previous_body",
            field=wagtail.fields.StreamField(BLOCK_TYPES, blank=True, block_lookup=BLOCK_LOOKUP),
        ),
    ]
