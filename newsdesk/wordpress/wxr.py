"""Reading WordPress eXtended RSS (WXR) exports, as Tools → Export writes them, as a stream.

An export is an RSS 2.0 document: the channel names the old site and lists its authors,
categories, tags and other terms, then one `<item>` per post, page, attachment, menu entry
and so on, with the item's comments inside it. WordPress has written three versions of the
format, told apart by the `wp:` namespace (http://wordpress.org/export/1.0/, 1.1/, 1.2/):
1.0 has no `wp:author` list and no modified dates; 1.1 adds the authors; 1.2 adds
`wp:term` and the modified dates. All three are read the same way; what a version lacks
comes back empty.

Exports of old newsrooms run to hundreds of megabytes, so nothing here holds the file:
`scan()` reads it once, checking it is whole, well-formed WXR of a known version, and keeps
only the channel and the attachments (posts name their pictures by id, and the picture's
item may come after the post); `items()` reads it again and yields one item at a time,
each dropped from the tree once yielded.

The XML is read by defusedxml, with no DTD allowed at all: WXR has none, and a DTD is how
entity expansion ("billion laughs") and external entities get in. Nothing in the file is
ever fetched.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")
_WP_NAMESPACE = re.compile(r"^http://wordpress\.org/export/(?P<version>[0-9.]+)/$")
_EXCERPT_NAMESPACE = "http://wordpress.org/export/{version}/excerpt/"
_DOMAINS = {"tag": "post_tag"}
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"


class WxrError(ValueError):
    """The file as a whole cannot be imported: nothing is written."""


@dataclass(frozen=True)
class Author:
    id: str
    login: str
    email: str
    display_name: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class Term:
    """A category, a tag or another taxonomy's term (Co-Authors Plus's "author")."""

    id: str
    taxonomy: str
    slug: str
    name: str
    parent: str  # the parent's slug


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    email: str
    url: str
    ip: str
    date: str
    date_gmt: str
    content: str
    approved: str
    type: str
    parent: str
    user_id: str


@dataclass(frozen=True)
class ItemTerm:
    domain: str
    slug: str
    name: str


@dataclass(frozen=True)
class Item:
    """One `<item>` as written, text only: the import validates and converts."""

    position: int  # the item's place in the file, from 1
    title: str
    link: str
    creator: str
    content: str
    excerpt: str
    post_id: str
    post_date: str
    post_date_gmt: str
    post_modified: str
    post_modified_gmt: str
    comment_status: str
    post_name: str
    status: str
    post_parent: str
    menu_order: str
    post_type: str
    post_password: str
    attachment_url: str
    terms: tuple[ItemTerm, ...]
    meta: tuple[tuple[str, str], ...]
    comments: tuple[Comment, ...]

    def meta_value(self, key: str) -> str:
        """The first value stored under `key`, or "" (WordPress keeps one value for the keys read here)."""
        return next((value for name, value in self.meta if name == key), "")

    @property
    def label(self) -> str:
        """How reports and messages name the item: its type, id and title."""
        title = self.title.strip() or "(no title)"
        return f"{self.post_type or 'item'} {self.post_id or '?'} “{title[:80]}”"


@dataclass(frozen=True)
class Attachment:
    """What posts need of a picture item: kept for the whole run, so kept small."""

    id: str
    url: str
    title: str
    alt: str
    caption: str
    description: str
    attached_file: str
    metadata: str
    parent: str
    link: str


@dataclass
class Channel:
    version: str = ""
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    language: str = ""
    authors: list[Author] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)


@dataclass
class Scan:
    channel: Channel
    items: int
    attachments: dict[str, Attachment]


class _Names:
    """Tag names of one version's namespaces."""

    def __init__(self, version: str) -> None:
        wp = "{" + f"http://wordpress.org/export/{version}/" + "}"
        self.wp = wp
        self.excerpt = "{" + _EXCERPT_NAMESPACE.format(version=version) + "}"


def _text(element: ET.Element | None) -> str:
    return (element.text or "") if element is not None else ""


def _open(path: Path) -> IO[bytes]:
    try:
        return path.open("rb")
    except OSError as error:
        raise WxrError(f"cannot read {path}: {error.strerror}") from error


def _events(handle: IO[bytes]) -> Iterator[tuple[str, object]]:
    """Parse events, with every failure of the file turned into a WxrError that says where."""
    try:
        yield from iterparse(handle, events=("start-ns", "start", "end"), forbid_dtd=True)
    except DefusedXmlException as error:
        raise WxrError(
            f"refused: the file declares a DTD or entities ({type(error).__name__}); WXR has none"
        ) from error
    except ET.ParseError as error:
        line, column = error.position
        reason = str(error).split(":", 1)[0]
        raise WxrError(
            f"not well-formed XML at line {line}, column {column}: {reason} (is the file cut short?)"
        ) from error


class _Reader:
    """One pass over the file: the version from the namespaces, then channel and items."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.version = ""
        self.names: _Names | None = None

    def walk(self) -> Iterator[tuple[str, ET.Element]]:
        """Yield ("channel-child", element) for channel elements and ("item", element) for items.

        Elements are removed from the tree once handled, so memory stays flat.
        """
        handle = _open(self.path)
        with handle:
            stack: list[ET.Element] = []
            seen_root = False
            for event, payload in _events(handle):
                if event == "start-ns":
                    namespace: tuple[str, str] = payload  # type: ignore[assignment]
                    match = _WP_NAMESPACE.match(namespace[1])
                    if match and not self.version:
                        self.version = match["version"]
                        if self.version not in SUPPORTED_VERSIONS:
                            raise WxrError(
                                f"unsupported WXR version {self.version}; this reads "
                                f"{', '.join(SUPPORTED_VERSIONS)} (WordPress's Tools → Export)"
                            )
                        self.names = _Names(self.version)
                    continue
                element: ET.Element = payload  # type: ignore[assignment]
                if event == "start":
                    if not seen_root:
                        seen_root = True
                        if element.tag != "rss":
                            raise WxrError(
                                f"not a WordPress export: the document is <{_local(element.tag)}>, not an RSS export"
                            )
                        if self.names is None:
                            raise WxrError(
                                "not a WordPress export: no wp: namespace (http://wordpress.org/export/1.x/); "
                                "an ordinary RSS feed cannot be imported"
                            )
                    stack.append(element)
                    continue
                stack.pop()
                depth = len(stack)
                if depth == 2 and stack[-1].tag == "channel":
                    yield ("item" if element.tag == "item" else "channel-child", element)
                    stack[-1].remove(element)
                elif depth == 1 and element.tag == "channel":
                    stack[-1].remove(element)
            if not seen_root:
                raise WxrError("the file is empty")

    def channel_element(self, element: ET.Element, channel: Channel) -> None:
        assert self.names is not None
        wp = self.names.wp
        tag = element.tag
        if tag == "title":
            channel.title = _text(element)
        elif tag == "link":
            channel.link = _text(element).strip()
        elif tag == "language":
            channel.language = _text(element).strip()
        elif tag == f"{wp}wxr_version":
            channel.version = _text(element).strip()
        elif tag == f"{wp}base_site_url":
            channel.base_site_url = _text(element).strip()
        elif tag == f"{wp}base_blog_url":
            channel.base_blog_url = _text(element).strip()
        elif tag == f"{wp}author":
            channel.authors.append(
                Author(
                    id=_text(element.find(f"{wp}author_id")).strip(),
                    login=_text(element.find(f"{wp}author_login")).strip(),
                    email=_text(element.find(f"{wp}author_email")).strip(),
                    display_name=_text(element.find(f"{wp}author_display_name")).strip(),
                    first_name=_text(element.find(f"{wp}author_first_name")).strip(),
                    last_name=_text(element.find(f"{wp}author_last_name")).strip(),
                )
            )
        elif tag == f"{wp}category":
            channel.terms.append(
                Term(
                    id=_text(element.find(f"{wp}term_id")).strip(),
                    taxonomy="category",
                    slug=_text(element.find(f"{wp}category_nicename")).strip(),
                    name=_text(element.find(f"{wp}cat_name")),
                    parent=_text(element.find(f"{wp}category_parent")).strip(),
                )
            )
        elif tag == f"{wp}tag":
            channel.terms.append(
                Term(
                    id=_text(element.find(f"{wp}term_id")).strip(),
                    taxonomy="post_tag",
                    slug=_text(element.find(f"{wp}tag_slug")).strip(),
                    name=_text(element.find(f"{wp}tag_name")),
                    parent="",
                )
            )
        elif tag == f"{wp}term":
            channel.terms.append(
                Term(
                    id=_text(element.find(f"{wp}term_id")).strip(),
                    taxonomy=_text(element.find(f"{wp}term_taxonomy")).strip(),
                    slug=_text(element.find(f"{wp}term_slug")).strip(),
                    name=_text(element.find(f"{wp}term_name")),
                    parent=_text(element.find(f"{wp}term_parent")).strip(),
                )
            )

    def item(self, element: ET.Element, position: int) -> Item:
        assert self.names is not None
        wp = self.names.wp

        def wp_text(name: str) -> str:
            return _text(element.find(f"{wp}{name}"))

        terms = tuple(
            ItemTerm(
                # WXR 1.0 called tags "tag"; later versions use the taxonomy's name, "post_tag".
                domain=_DOMAINS.get(category.get("domain", "").strip(), category.get("domain", "").strip()),
                slug=(category.get("nicename") or "").strip(),
                name=_text(category),
            )
            for category in element.findall("category")
            # RSS's own <category> without a domain is WordPress 2.x's duplicate of the terms below.
            if category.get("domain")
        )
        meta = tuple(
            (_text(entry.find(f"{wp}meta_key")), _text(entry.find(f"{wp}meta_value")))
            for entry in element.findall(f"{wp}postmeta")
        )
        comments = tuple(
            Comment(
                id=_text(entry.find(f"{wp}comment_id")).strip(),
                author=_text(entry.find(f"{wp}comment_author")),
                email=_text(entry.find(f"{wp}comment_author_email")).strip(),
                url=_text(entry.find(f"{wp}comment_author_url")).strip(),
                ip=_text(entry.find(f"{wp}comment_author_IP")).strip(),
                date=_text(entry.find(f"{wp}comment_date")).strip(),
                date_gmt=_text(entry.find(f"{wp}comment_date_gmt")).strip(),
                content=_text(entry.find(f"{wp}comment_content")),
                approved=_text(entry.find(f"{wp}comment_approved")).strip(),
                type=_text(entry.find(f"{wp}comment_type")).strip(),
                parent=_text(entry.find(f"{wp}comment_parent")).strip(),
                user_id=_text(entry.find(f"{wp}comment_user_id")).strip(),
            )
            for entry in element.findall(f"{wp}comment")
        )
        return Item(
            position=position,
            title=_text(element.find("title")),
            link=_text(element.find("link")).strip(),
            creator=_text(element.find(f"{DC}creator")).strip(),
            content=_text(element.find(f"{CONTENT}encoded")),
            excerpt=_text(element.find(f"{self.names.excerpt}encoded")),
            post_id=wp_text("post_id").strip(),
            post_date=wp_text("post_date").strip(),
            post_date_gmt=wp_text("post_date_gmt").strip(),
            post_modified=wp_text("post_modified").strip(),
            post_modified_gmt=wp_text("post_modified_gmt").strip(),
            comment_status=wp_text("comment_status").strip(),
            post_name=wp_text("post_name").strip(),
            status=wp_text("status").strip(),
            post_parent=wp_text("post_parent").strip(),
            menu_order=wp_text("menu_order").strip(),
            post_type=wp_text("post_type").strip(),
            post_password=wp_text("post_password"),
            attachment_url=wp_text("attachment_url").strip(),
            terms=terms,
            meta=meta,
            comments=comments,
        )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def scan(path: Path) -> Scan:
    """Read the whole file once: its channel, how many items, and its attachments.

    Raises WxrError for a file that cannot be imported as a whole (not XML, cut short,
    not WXR, an unknown version, a DTD); nothing has been written when it does.
    """
    reader = _Reader(path)
    channel = Channel()
    attachments: dict[str, Attachment] = {}
    count = 0
    for kind, element in reader.walk():
        if kind == "channel-child":
            reader.channel_element(element, channel)
            continue
        count += 1
        item = reader.item(element, position=count)
        if item.post_type == "attachment" and item.post_id:
            attachments[item.post_id] = Attachment(
                id=item.post_id,
                url=item.attachment_url,
                title=item.title,
                alt=item.meta_value("_wp_attachment_image_alt"),
                caption=item.excerpt,
                description=item.content,
                attached_file=item.meta_value("_wp_attached_file"),
                metadata=item.meta_value("_wp_attachment_metadata"),
                parent=item.post_parent,
                link=item.link,
            )
    if reader.names is None:
        raise WxrError("not a WordPress export: no wp: namespace")
    channel.version = channel.version or reader.version
    if not (channel.base_site_url or channel.link):
        raise WxrError("not a WordPress export: the channel names no site (no <link>, no wp:base_site_url)")
    return Scan(channel=channel, items=count, attachments=attachments)


def items(path: Path) -> Iterator[Item]:
    """The items of a file that `scan()` accepted, one at a time, in file order."""
    reader = _Reader(path)
    number = 0
    for kind, element in reader.walk():
        if kind == "item":
            number += 1
            yield reader.item(element, position=number)
