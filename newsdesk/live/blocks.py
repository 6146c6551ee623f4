"""An entry's body: a short run of the article body's own blocks, its plain text and its clean-up.

Which blocks, and why:
- paragraph (rich text: bold, italic, links and bulleted or numbered lists, the article body's
  features, so a list is a list inside a paragraph as in an article);
- heading, as a subheading inside the entry (h3: the entry sits under the "Live updates" h2);
- quote (what someone said, with who said it);
- image (a picture with caption and credit);
- embed (an outside post or video as a link card: readers' pages load no other site), http and
  https addresses only.
The article's "Ad slot" is left out: an entry is a few lines, and the page places its slots
around the article body, not inside the updates.

The article body's block classes under the same names as `ArticleBodyBlock`, so an entry's blocks
read and render like an article's; the heading's template differs (its level), an empty paragraph
is refused and an embed must be a web address.
"""

from __future__ import annotations

import html
import uuid
from typing import Any

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StreamValue
from wagtail.rich_text import RichText, get_text_for_indexing

from newsdesk.articles.blocks import PARAGRAPH_FEATURES, EmbedLinkBlock, FigureBlock, QuoteBlock
from newsdesk.core.text import xml_chars

# What the paragraph editor (PARAGRAPH_FEATURES) writes in Wagtail's database rich text, and
# nothing more: whatever else reaches a service (a script, a style, an event attribute, a
# javascript: link) is dropped before it is stored.
_RICH_TEXT_TAGS = {"p", "b", "i", "a", "ul", "ol", "li", "br"}
_RICH_TEXT_ATTRIBUTES = {
    # Internal links are stored as <a linktype="page" id="3"> and expanded when rendered.
    "a": {"href", "linktype", "id"},
    # Draftail's keys let the editor keep its blocks apart on the next correction.
    **{tag: {"data-block-key"} for tag in ("p", "li", "ul", "ol")},
}
_LINK_SCHEMES = {"http", "https", "mailto"}
MAX_BLOCKS = 20
PARAGRAPH_MAX_LENGTH = 5000


class ParagraphBlock(blocks.RichTextBlock):
    """The article's paragraph, refusing one left empty.

    The editor sends an empty paragraph as `<p></p>`, which a required rich text takes as
    written: readers would get an entry with nothing in it.
    """

    def clean(self, value: RichText) -> RichText:
        cleaned: RichText = super().clean(value)
        if not get_text_for_indexing(cleaned.source).strip():
            raise ValidationError(_("Write this paragraph, or remove it."))
        return cleaned


class LiveEmbedBlock(EmbedLinkBlock):
    """The article's embed link card, for web addresses only (http and https), like the entry's link before."""

    url = blocks.URLBlock(label=_("URL"), validators=[URLValidator(schemes=["http", "https"])])


class LiveEntryBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock(
        features=PARAGRAPH_FEATURES, max_length=PARAGRAPH_MAX_LENGTH, template="articles/blocks/paragraph.html"
    )
    heading = blocks.CharBlock(max_length=200, icon="title", template="live/blocks/heading.html")
    quote = QuoteBlock()
    image = FigureBlock()
    embed = LiveEmbedBlock()

    class Meta:
        max_num = MAX_BLOCKS


def paragraph_html(text: str) -> str:
    """Plain text as one paragraph of database rich text: escaped, a newline a line break."""
    lines = text.replace("\r\n", "\n").strip().split("\n")
    return "<p>" + "<br/>".join(html.escape(line.strip(), quote=False) for line in lines) + "</p>"


def from_text(text: str) -> list[dict[str, Any]]:
    """Plain text as paragraph blocks (raw stream data): a blank line starts a new paragraph."""
    parts = [part for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]
    return [{"type": "paragraph", "value": paragraph_html(part), "id": str(uuid.uuid4())} for part in parts]


def clean_rich_text(source: str) -> str:
    return nh3.clean(
        xml_chars(source),
        tags=_RICH_TEXT_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_RICH_TEXT_ATTRIBUTES,
        url_schemes=_LINK_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def _clean_value(value: Any) -> Any:
    if isinstance(value, str):
        return xml_chars(value)
    if isinstance(value, dict):
        return {key: _clean_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean_value(item) for item in value]
    return value


def sanitised(body: StreamValue | list[Any], block: blocks.StreamBlock) -> StreamValue:
    """`body` as it may be stored: paragraphs' HTML reduced to what the editor writes, text XML-safe.

    The admin's editor already writes clean rich text; services are also called by the demo,
    tests and whatever comes next, and the reader's page prints paragraphs' HTML as it is.
    """
    stream = body if isinstance(body, StreamValue) else block.to_python(body)
    raw = block.get_prep_value(stream)
    kept = [
        {
            **item,
            "value": clean_rich_text(item["value"]) if item["type"] == "paragraph" else _clean_value(item["value"]),
        }
        for item in raw
    ]
    return stream if kept == raw else block.to_python(kept)


def _rich_text_parts(source: str) -> list[str]:
    """A rich text's paragraphs and lists as plain text: list items one to a line, line breaks kept."""
    soup = BeautifulSoup(source, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    parts: list[str] = []
    for node in soup.children:
        if isinstance(node, Tag) and node.name in ("ul", "ol"):
            text = "\n".join(item.get_text().strip() for item in node.find_all("li"))
        elif isinstance(node, Tag | NavigableString):
            text = node.get_text()
        else:
            continue
        text = "\n".join(line.strip() for line in text.strip().split("\n"))
        if text:
            parts.append(text)
    return parts


def plain_text(body: StreamValue) -> str:
    """What an entry says, as plain text (JSON-LD's articleBody, the headline, listings).

    Paragraphs, headings and quotes, a blank line apart; a picture says nothing here (its
    caption belongs to the picture), an embed its title.
    """
    parts: list[str] = []
    for item in body.raw_data:
        kind, value = item["type"], item["value"]
        if kind == "paragraph":
            parts += _rich_text_parts(value)
        elif kind == "heading" and value.strip():
            parts.append(value.strip())
        elif kind == "quote" and value.get("text", "").strip():
            said = f"“{value['text'].strip()}”"
            parts.append(f"{said} — {value['attribution'].strip()}" if value.get("attribution") else said)
        elif kind == "embed" and value.get("title", "").strip():
            parts.append(value["title"].strip())
    return "\n\n".join(parts)


# Shown in the form's help text.
BODY_HELP = _("Paragraphs (with lists), headings, quotes, a picture or a link to a post or video, in any order.")
