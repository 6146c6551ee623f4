"""Builders for the feeds the ingest tests read: RSS 2.0 and Atom 1.0, written with ElementTree
so every value is escaped as a partner's well-formed feed would be. Hostile or broken documents
are written out by hand in the tests that need them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
MEDIA = "http://search.yahoo.com/mrss/"
XML = "http://www.w3.org/XML/1998/namespace"

for _prefix, _uri in (("content", CONTENT), ("dc", DC), ("media", MEDIA)):
    ET.register_namespace(_prefix, _uri)


@dataclass(frozen=True)
class Image:
    url: str
    type: str = "image/jpeg"
    credit: str = ""
    caption: str = ""  # written as media:description (media:content only)
    title: str = ""  # written as media:title (media:content only)


def rss_item(
    *,
    title: str | None = "Council approves the budget",
    guid: str | None = "urn:partner:1",
    link: str | None = "https://partner.example/news/1",
    description: str | None = "<p>The vote was <b>close</b>.</p>",
    content_html: str | None = None,
    creators: Sequence[str] = (),
    author: str | None = None,
    categories: Sequence[str] = (),
    pub_date: str | None = "Mon, 30 Nov 2026 10:00:00 +0100",
    media_content: Sequence[Image] = (),
    media_thumbnails: Sequence[Image] = (),
    enclosures: Sequence[Image] = (),
    item_credit: str = "",
) -> ET.Element:
    item = ET.Element("item")
    _add(item, "title", title)
    _add(item, "guid", guid)
    _add(item, "link", link)
    _add(item, "description", description)
    _add(item, f"{{{CONTENT}}}encoded", content_html)
    _add(item, "author", author)
    for creator in creators:
        _add(item, f"{{{DC}}}creator", creator)
    for category in categories:
        _add(item, "category", category)
    _add(item, "pubDate", pub_date)
    _add(item, f"{{{MEDIA}}}credit", item_credit or None)
    for image in media_content:
        media = ET.SubElement(item, f"{{{MEDIA}}}content", url=image.url, type=image.type, medium="image")
        _add(media, f"{{{MEDIA}}}title", image.title or None)
        _add(media, f"{{{MEDIA}}}description", image.caption or None)
        _add(media, f"{{{MEDIA}}}credit", image.credit or None)
    for image in media_thumbnails:
        thumbnail = ET.SubElement(item, f"{{{MEDIA}}}thumbnail", url=image.url)
        _add(thumbnail, f"{{{MEDIA}}}credit", image.credit or None)
    for image in enclosures:
        ET.SubElement(item, "enclosure", url=image.url, type=image.type, length="1000")
    return item


def rss_feed(*items: ET.Element, title: str = "Partner news", language: str | None = "de") -> bytes:
    rss = ET.Element("rss", version="2.0")
    channel = ET.SubElement(rss, "channel")
    _add(channel, "title", title)
    _add(channel, "link", "https://partner.example/")
    _add(channel, "description", "News from a partner")
    _add(channel, "language", language)
    channel.extend(items)
    return _document(rss)


def atom_entry(
    *,
    title: str | None = "Storm closes the harbour",
    title_type: str = "text",
    entry_id: str | None = "tag:partner.example,2026:1",
    link: str | None = "https://partner.example/news/2",
    summary: str | None = "Ferries stay in port.",
    content_html: str | None = None,
    authors: Iterable[str] = (),
    categories: Iterable[tuple[str, str]] = (),  # (term, label)
    published: str | None = None,
    updated: str | None = "2026-11-30T10:00:00Z",
    enclosures: Sequence[Image] = (),
) -> ET.Element:
    entry = ET.Element(f"{{{ATOM}}}entry")
    _add(entry, f"{{{ATOM}}}id", entry_id)
    if title is not None:
        ET.SubElement(entry, f"{{{ATOM}}}title", type=title_type).text = title
    if link is not None:
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=link)
    _add(entry, f"{{{ATOM}}}summary", summary)
    if content_html is not None:
        ET.SubElement(entry, f"{{{ATOM}}}content", type="html").text = content_html
    for name in authors:
        _add(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name", name)
    for term, label in categories:
        ET.SubElement(entry, f"{{{ATOM}}}category", term=term, label=label)
    _add(entry, f"{{{ATOM}}}published", published)
    _add(entry, f"{{{ATOM}}}updated", updated)
    for image in enclosures:
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="enclosure", href=image.url, type=image.type)
    return entry


def atom_feed(*entries: ET.Element, base: str | None = None) -> bytes:
    feed = ET.Element(f"{{{ATOM}}}feed")
    if base is not None:
        feed.set(f"{{{XML}}}base", base)
    _add(feed, f"{{{ATOM}}}title", "Partner wire")
    _add(feed, f"{{{ATOM}}}id", "tag:partner.example,2026:feed")
    _add(feed, f"{{{ATOM}}}updated", "2026-11-30T10:00:00Z")
    feed.extend(entries)
    return _document(feed)


def _add(parent: ET.Element, tag: str, text: str | None) -> None:
    if text is not None:
        ET.SubElement(parent, tag).text = text


def _document(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
