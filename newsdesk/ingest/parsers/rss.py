"""RSS 0.9x/1.0/2.0 and Atom feeds read into `Story` values, with feedparser.

Threat model: the bytes come from a partner's server and may be hostile.

- feedparser is never given a URL or a plain string: `feedparser.parse()` fetches anything that
  looks like a URL and opens anything that names a local file (its docstring: "Wrap an untrusted
  string in a io.BytesIO"), so it only ever sees a BytesIO.
- feedparser strips a DOCTYPE's entity declarations with line-anchored regular expressions before
  expat sees the document (`sanitizer.replace_doctype`) and turns off external general entities.
  Regexes over a prolog are easy to wrong-foot (a declaration on the DOCTYPE's own line is not
  matched), so a document that declares any entity or names an external DTD is refused before
  feedparser runs. The check runs on the document as feedparser will read it: converted to UTF-8
  by feedparser's own encoding detection, so UTF-16 or EBCDIC cannot hide a declaration.
- Text stays untrusted (stories.py): feedparser's HTML sanitiser is on, and the service sanitises again.
"""

from __future__ import annotations

import calendar
import datetime
import io
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from bs4 import BeautifulSoup
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from feedparser.encodings import convert_to_utf8

from newsdesk.ingest.stories import Feed, ParseError, Person, Picture, Story, Subject

_ENTITY_DECLARATION = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
_EXTERNAL_DOCTYPE = re.compile(rb"<!\s*DOCTYPE[^>\[]*\b(?:SYSTEM|PUBLIC)\b", re.IGNORECASE)
_HTML_ROOT = re.compile(rb"<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"})
# Both spellings are in use (feedparser accepts both too).
_MRSS = ("{http://search.yahoo.com/mrss/}", "{http://search.yahoo.com/mrss}")
_ADDRESS = re.compile(r"[^\s()<>]+@[^\s()<>]+")
_ATOM_LINK = "{http://www.w3.org/2005/Atom}link"
# Block elements end a run of text: "<p>a</p><p>b</p>" reads "a b", not "ab".
_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "td", "th")


def parse_feed(data: bytes, *, url: str = "") -> Feed:
    """Read an RSS or Atom document into stories; `url` is where it came from (for relative links).

    An item that cannot become a story is left out with its reason in `Feed.skipped`; what was
    dropped or could not be read within a story is in its `problems`. Raises ParseError when
    the document as a whole is not a feed, declares entities or an external DTD, or is in an
    encoding that cannot be told.
    """
    utf8 = _as_utf8(data)
    _refuse_declarations(utf8)
    headers = {"content-type": "application/xml; charset=utf-8"}
    if url:
        headers["content-location"] = url
    parsed = feedparser.parse(
        io.BytesIO(utf8), response_headers=headers, resolve_relative_uris=True, sanitize_html=True
    )
    _refuse_non_feed(parsed, utf8)
    root = _xml_root(utf8)
    notes = _media_notes(root, url)
    rss_authors = _rss_authors(root, len(parsed.entries)) if parsed["version"].startswith("rss") else None
    feed = Feed()
    for position, entry in enumerate(parsed.entries, start=1):
        addressed = rss_authors[position - 1] if rss_authors is not None else None
        story_or_reason = _story(entry, parsed.feed, url=url, notes=notes, addressed=addressed)
        if isinstance(story_or_reason, Story):
            feed.stories.append(story_or_reason)
        else:
            title = _text(entry.get("title", ""), entry.get("title_detail"))
            feed.skipped.append(f"{story_or_reason}: item {position} {title!r}")
    return feed


def _as_utf8(data: bytes) -> bytes:
    # feedparser's own detection (BOM, XML declaration, then guesses), so the checked bytes are
    # the bytes it parses; it rewrites the declaration to say utf-8.
    result: dict[str, Any] = {}
    utf8 = convert_to_utf8({}, data, result)
    if not result.get("encoding"):
        raise ParseError("not a feed: the character encoding cannot be told")
    return bytes(utf8)


def _refuse_declarations(utf8: bytes) -> None:
    # Anywhere in the document, not only in a prolog we would have to find first: a CDATA section
    # quoting "<!ENTITY" is a false alarm we accept for a feed.
    if _ENTITY_DECLARATION.search(utf8):
        raise ParseError("refused: the document declares XML entities")
    if _EXTERNAL_DOCTYPE.search(utf8):
        raise ParseError("refused: the document names an external DTD (SYSTEM or PUBLIC)")


def _refuse_non_feed(parsed: Mapping[str, Any], utf8: bytes) -> None:
    # feedparser reads nearly anything without raising; its `version` is set only when it
    # recognised an RSS, RDF or Atom root.
    if not parsed.get("version"):
        if _HTML_ROOT.search(utf8[:2048]):
            raise ParseError("not a feed: an HTML page")
        raise ParseError("not a feed: no RSS or Atom root element")
    if parsed.get("bozo") and not parsed["entries"] and not parsed["feed"].get("title"):
        raise ParseError(f"not a feed: malformed XML ({parsed.get('bozo_exception')})")


def _story(
    entry: dict[str, Any], channel: Mapping[str, Any], *, url: str, notes: _Notes, addressed: list[str] | None
) -> Story | str:
    problems: list[str] = []
    link = _web_link(entry.get("link", ""), url, problems, what="link")
    guid = (entry.get("id") or "").strip() or link
    if not guid:
        return "no guid or link"
    headline = _text(entry.get("title", ""), entry.get("title_detail"))
    if not headline:
        return "no headline"
    summary = entry.get("summary", "")
    first_created = _date(entry, "published", problems)
    version_created = _date(entry, "updated", problems)
    return Story(
        guid=guid,
        headline=headline,
        version=1,
        standfirst=_text(summary, entry.get("summary_detail")),
        body_html=_body_html(entry, summary),
        bylines=_bylines(entry, addressed, problems),
        subjects=_subjects(entry),
        pictures=_pictures(entry, url=url, notes=notes, problems=problems),
        first_created=first_created or version_created,
        version_created=version_created or first_created,
        link=link,
        rights=_text(entry.get("rights") or channel.get("rights") or ""),
        language=(entry.get("language") or channel.get("language") or "").strip(),
        problems=problems,
    )


def _text(value: str, detail: Mapping[str, Any] | None = None) -> str:
    """`value` as one line of text: tags taken out when the source marked it as HTML."""
    if detail is not None and detail.get("type") not in _HTML_TYPES:
        return " ".join(value.split())
    soup = BeautifulSoup(value, "html.parser")
    for block in soup.find_all(_BLOCKS):
        block.insert_after(" ")
    return " ".join(soup.get_text().split())


def _body_html(entry: Mapping[str, Any], summary: str) -> str:
    # Atom without <summary> gets its content copied into the summary by feedparser; the same
    # text twice is one text, and the caller decides whether it is a full story.
    content = entry.get("content") or []
    if not content or content[0].get("type") not in _HTML_TYPES:
        return ""
    value = (content[0].get("value") or "").strip()
    return value if value != summary.strip() else ""


def _web_link(href: str, base: str, problems: list[str], *, what: str) -> str:
    href = (href or "").strip()
    if not href:
        return ""
    absolute = urljoin(base, href) if base else href
    if urlsplit(absolute).scheme.lower() not in ("http", "https"):
        problems.append(f"{what} dropped, not an http(s) address: {href[:200]!r}")
        return ""
    return absolute


def _date(entry: dict[str, Any], key: str, problems: list[str]) -> datetime.datetime | None:
    # feedparser's *_parsed is a struct_time in UTC, or None when it could not read the date
    # (an RFC 822 date without a zone is one: the feed's zone cannot be guessed).
    # dict.get: FeedParserDict maps a missing "updated" to "published" (with a deprecation warning).
    parsed: time.struct_time | None = dict.get(entry, f"{key}_parsed")
    if parsed is not None:
        return datetime.datetime.fromtimestamp(calendar.timegm(parsed), tz=datetime.UTC)
    written = dict.get(entry, key)
    if written:
        problems.append(f"unreadable date ({key}): {written[:100]!r}")
    return None


def _bylines(entry: Mapping[str, Any], addressed: list[str] | None, problems: list[str]) -> list[Person]:
    """Names from dc:creator, Atom authors and RSS <author> ("address (Name)").

    feedparser cuts an address short when its top-level domain is longer than four letters
    (jane@wire.press) and leaves the rest in the name, so for an RSS author with an address the
    name is read from the item's own <author> text (`addressed`: those with an "@", in order)
    when the XML is well-formed.
    """
    authors = entry.get("authors") or ([{"name": entry["author"]}] if entry.get("author") else [])
    from_text = iter(addressed or [])
    names: list[str] = []
    for author in authors:
        name = author.get("name") or ""
        if author.get("email") and addressed is not None:
            name = _name_beside_address(next(from_text, ""))
        name = " ".join(name.split())
        if not name:
            # An address alone (RSS <author>jane@example.com</author>) is no byline to print.
            problems.append("byline without a name dropped")
        elif name not in names:
            names.append(name)
    return [Person(name=name, guest=True) for name in names]


def _name_beside_address(text: str) -> str:
    return " ".join(re.sub(r"[()<>]", " ", _ADDRESS.sub(" ", text)).split())


def _subjects(entry: Mapping[str, Any]) -> list[Subject]:
    terms: list[str] = []
    for tag in entry.get("tags") or []:
        term = " ".join((tag.get("term") or "").split())
        if term and term not in terms:
            terms.append(term)
    return [Subject(code="", name=term) for term in terms]


# Caption and credit by absolute picture URL, read from the XML itself: feedparser flattens
# media:credit into one list per item and reads media:description as the item's summary, so
# which credit belongs to which picture is lost there.
_Notes = dict[str, tuple[str, str]]


def _pictures(entry: Mapping[str, Any], *, url: str, notes: _Notes, problems: list[str]) -> list[Picture]:
    candidates = [
        *((m.get("url", ""), m.get("type", ""), m.get("medium", "")) for m in entry.get("media_content") or []),
        *((e.get("href", ""), e.get("type", ""), "") for e in entry.get("enclosures") or []),
    ]
    found = _image_urls(candidates, url, problems)
    if not found:
        # A thumbnail is a smaller copy of the picture; it is the picture only when there is no other.
        thumbnails = ((t.get("url", ""), "image/", "") for t in entry.get("media_thumbnail") or [])
        found = _image_urls(thumbnails, url, problems)
    # Without the XML's structure (a malformed feed read loosely), one credit for the whole item
    # is still safe to give every picture; several cannot be told apart.
    credits = {c.get("content", "").strip() for c in entry.get("media_credit") or []} - {""}
    loose_credit = credits.pop() if not notes and len(credits) == 1 else ""
    pictures = []
    for address in found:
        caption, credit = notes.get(address, ("", loose_credit))
        pictures.append(Picture(url=address, caption=caption, credit=credit))
    return pictures


def _image_urls(candidates: Iterable[tuple[str, str, str]], base: str, problems: list[str]) -> list[str]:
    urls: list[str] = []
    for href, mime, medium in candidates:
        extension = PurePosixPath(urlsplit(href or "").path).suffix.lower()
        if not (mime.startswith("image/") or medium == "image" or extension in _IMAGE_EXTENSIONS):
            continue
        address = _web_link(href, base, problems, what="picture")
        if address and address not in urls:
            urls.append(address)
    return urls


def _xml_root(utf8: bytes) -> ET.Element | None:
    """The document as a tree when it is well-formed XML (None when feedparser read it loosely)."""
    try:
        return fromstring(utf8)
    except (ET.ParseError, DefusedXmlException):
        return None


def _rss_authors(root: ET.Element | None, entries: int) -> list[list[str]] | None:
    """Each RSS 2.0 item's <author> texts that hold an address, when items and entries pair up."""
    items = list(root.iter("item")) if root is not None else []
    if len(items) != entries:
        return None
    return [[a.text for a in item.findall("author") if a.text and "@" in a.text] for item in items]


def _media_notes(root: ET.Element | None, base: str) -> _Notes:
    """Caption and credit of every picture (media:content, media:thumbnail, enclosure), when the
    document is well-formed.

    Media RSS: a media:credit applies to the media objects within the element that holds it
    (item, group or the object itself), the innermost winning; a caption (media:description,
    else media:title) is the object's own or its media:group's.
    """
    notes: _Notes = {}
    if root is not None:
        _walk(root, base, notes, credit="", caption="")
    return notes


def _walk(element: ET.Element, base: str, notes: _Notes, *, credit: str, caption: str) -> None:
    credit = _media_child(element, "credit") or credit
    own_caption = _media_child(element, "description") or _media_child(element, "title")
    local = _media_local_name(element.tag)
    href = _picture_href(element, local)
    if href:
        notes.setdefault(urljoin(base, href), (own_caption or caption, credit))
    inherited = (own_caption or caption) if local == "group" else ""
    for child in element:
        _walk(child, base, notes, credit=credit, caption=inherited)


def _picture_href(element: ET.Element, local: str) -> str:
    if local in ("content", "thumbnail") or element.tag == "enclosure":
        return element.get("url", "").strip()
    if element.tag == _ATOM_LINK and element.get("rel") == "enclosure":
        return element.get("href", "").strip()
    return ""


def _media_child(element: ET.Element, name: str) -> str:
    for namespace in _MRSS:
        child = element.find(namespace + name)
        if child is not None and child.text and child.text.strip():
            return " ".join(child.text.split())
    return ""


def _media_local_name(tag: str) -> str:
    for namespace in _MRSS:
        if tag.startswith(namespace):
            return tag[len(namespace) :]
    return ""
