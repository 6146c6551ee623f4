"""HTML as article body blocks: what an importer or a wire feed hands us, read into our StreamField.

What comes across: paragraphs, bold, italic, http/https/mailto links and lists (as Wagtail's
database rich text: ``<p> <b> <i> <a href> <ul> <ol> <li> <br/>`` and nothing else); headings (plain
text, at most 200 characters); quotes with their ``<cite>``; pictures (``<img>``, alone or in a
``<figure>`` with its ``<figcaption>``), resolved by the caller; the text of preformatted blocks
(line by line), of tables and of anything unknown.

What does not: layout, table structure (each row becomes a paragraph, cells joined by an en dash, and
the table is reported in ``Body.unknown``), the link around a picture, formatting inside headings,
quotes and captions, scripts, styles, event attributes and every link that is not http, https or
mailto (its text stays). Pictures the resolver cannot supply are named in ``Body.missing_images``
and their captions stay as paragraphs. Nothing a writer wrote is dropped without a trace, except
what sits in a script, style or similar element.

Text outside any block element is a paragraph up to the next block element, its newlines spaces as
anywhere in HTML. With ``line_breaks`` all text is read as typed instead: a blank line ends a
paragraph and a newline breaks a line (wire copy sent as plain text needs this, and so does
WordPress's classic editor, whose importer builds on this module).

Everything is run through nh3 before it is read; the HTML is read with ``html.parser``. Every scan
is linear and nesting is bounded (html5ever, under nh3, slows down quadratically on very deep
nesting), so hostile input costs no more than its size.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag
from wagtail.rich_text import RichText

from newsdesk.core.text import xml_chars


@dataclass(frozen=True)
class ImageRef:
    """A picture the body shows: its id in the source system when the markup names one, else only its URL."""

    attachment_id: int | None
    url: str
    alt: str


@dataclass(frozen=True)
class FoundImage:
    """What the resolver supplies for an ImageRef: a Wagtail image and the credit to print under it."""

    image: Any
    credit: str


@dataclass
class Body:
    """The converted body and what did not come across whole.

    `unknown` names what came across only as text, each once, in the order met: tables ("<table>"),
    and whatever a converter built on BlockWriter does not know (the WordPress importer's unknown
    shortcodes and blocks). Their text is in `blocks`.
    `missing_images` names the pictures the resolver could not supply: the URL, or "attachment 123"
    when there was only an id.
    """

    blocks: list[tuple[str, Any]]
    unknown: list[str]
    missing_images: list[str]


def html_to_blocks(html: str, image_for: Callable[[ImageRef], FoundImage | None], *, line_breaks: bool = False) -> Body:
    """Body blocks for an HTML or XHTML fragment, in the raw ``(block type, value)`` form a StreamField accepts.

    `image_for` turns a picture reference into a Wagtail image and its credit, or None when it
    cannot. With `line_breaks`, text is read as typed plain text: a blank line ends a paragraph and
    a newline is a line break (wire copy sent as text, pre-formatted bodies); without it, newlines
    are spaces, as in any HTML. Empty input gives an empty list of blocks.
    """
    writer = BlockWriter(image_for)
    writer.write(BlockWriter.prepare(html), line_breaks=line_breaks)
    return writer.body()


# Markers stand in the text for something a converter built on BlockWriter reads itself (a WordPress
# shortcode, say) until the walk over the HTML meets them, so its blocks land where it was written.
# Private-use characters: removed from the input first.
MARKER_OPEN, MARKER_CLOSE = "\ue000", "\ue001"
_MARKER = re.compile("\ue000([0-9]+)\ue001")

_ALLOWED_TAGS = {
    "p", "br", "b", "strong", "i", "em", "a", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "cite", "figure", "figcaption", "img", "table", "thead", "tbody", "tfoot", "tr", "td",
    "th", "caption", "pre", "code", "div", "section", "article", "header", "footer", "aside", "main",
    "hr", "details", "summary", "dl", "dt", "dd",
}  # fmt: skip
# Elements whose content is never text for readers (or, for iframe and the like, fallback markup).
_DROPPED_WITH_CONTENT = {
    "script", "style", "noscript", "template", "svg", "math", "object", "iframe", "noembed", "noframes",
    "xmp", "textarea", "title", "select",
}  # fmt: skip
# Classes and data-id are kept for converters that read them (WordPress names its pictures' ids there).
_ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt", "class", "data-id"}, "figure": {"class"}, "div": {"class"}}
_LINK_SCHEMES = {"http", "https", "mailto"}

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_INLINE = {"b", "strong", "i", "em", "a", "code", "cite"}
# Elements that end a line of text; inside a list item they become a line break.
_BREAKS = {
    "p", "div", "section", "article", "header", "footer", "aside", "main", "blockquote", "figure",
    "figcaption", "pre", "table", "caption", "tr", "td", "th", "li", "dl", "dt", "dd", "details",
    "summary", "ul", "ol", "hr", *_HEADINGS,
}  # fmt: skip
_PICTURE = frozenset({"img"})
_BLOCK_OR_PICTURE = frozenset({*_BREAKS, "img"})
_NOT_ONE_PICTURE = frozenset({"figure", "table", "ul", "ol", "blockquote", "pre"})

# Nesting this deep is never an article; deeper elements are read as plain text (recursion stays bounded).
MAX_DEPTH = 60
_MAX_TAG_NESTING = 200
_NESTING_TAG = re.compile(
    r"<(/?)(?:div|section|article|aside|header|footer|main|nav|blockquote|figure|figcaption|ul|ol|dl|details"
    r"|summary|address|center|fieldset|menu|dir|hgroup|dialog|form|search|b|i|em|strong|a|code|cite)\b[^<>]*+>?",
    re.IGNORECASE,
)

_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*+\n")
_CELL_SEPARATOR = " \u2013 "  # en dash


class BlockWriter:
    """Writes body blocks while walking sanitised HTML; html_to_blocks is its everyday use.

    A converter for a richer format (the WordPress importer) subclasses it: it may put a marker
    (`_marker`) in the HTML for something it reads itself, read more elements (`_block_element`), name
    a picture's id (`_attachment_id`) or prepare the HTML (`_html`), and gets the result from `body()`.
    """

    def __init__(self, image_for: Callable[[ImageRef], FoundImage | None]) -> None:
        self.image_for = image_for
        self.blocks: list[tuple[str, Any]] = []
        self.unknown: dict[str, None] = {}  # an ordered set
        self.missing: dict[str, None] = {}
        self._items: list[Callable[[], None]] = []
        self._pending: list[Callable[[], None]] = []
        self._buffer: list[str] = []
        self._buffer_has_text = False
        self._depth = 0
        self._table_label = "<table>"

    @staticmethod
    def prepare(source: str) -> str:
        """`source` without what XML forbids or would pass for a marker, with "\\n" for every line end."""
        source = xml_chars(source).replace(MARKER_OPEN, "").replace(MARKER_CLOSE, "")
        return source.replace("\r\n", "\n").replace("\r", "\n")

    def write(self, source: str, *, line_breaks: bool) -> None:
        """Adds the blocks of `source`, prepared, to those written so far."""
        self._html(source, line_breaks=line_breaks)

    def body(self) -> Body:
        return Body(blocks=self.blocks, unknown=list(self.unknown), missing_images=list(self.missing))

    # HTML

    def _html(self, source: str, *, line_breaks: bool) -> None:
        self._flush()
        self._flow(parse_html(source), line_breaks)
        self._flush()
        self._after()

    def _flow(self, node: Tag, line_breaks: bool) -> None:
        for child in list(node.children):
            if isinstance(child, NavigableString):
                self._flow_text(str(child), line_breaks)
            elif not isinstance(child, Tag):
                continue
            elif child.name == "br":
                self._add("<br/>", has_text=False)
            elif child.name == "img":
                self._image(child, "")
            elif child.name in _INLINE and not _holds_blocks(child):
                self._add(*self._inline_element(child, line_breaks, in_link=False))
            elif self._depth >= MAX_DEPTH:
                self._flush()
                for paragraph in self._plain(child, line_breaks):
                    self._text_paragraph(paragraph)
            else:
                self._depth += 1
                try:
                    self._element(child, line_breaks)
                finally:
                    self._depth -= 1

    def _element(self, tag: Tag, line_breaks: bool) -> None:
        name = tag.name
        if name in _INLINE:  # holds a picture or a block: its formatting is given up, its content kept
            self._flow(tag, line_breaks)
            return
        self._flush()
        self._block_element(tag, line_breaks)
        self._after()

    def _block_element(self, tag: Tag, line_breaks: bool) -> None:
        """Reads an element that is not inline; the text before it has been flushed."""
        name = tag.name
        if name in _HEADINGS:
            self._heading(tag, line_breaks)
        elif name in ("ul", "ol"):
            self._list(tag, line_breaks)
        elif name == "blockquote":
            self._quote(tag, line_breaks)
        elif name == "figure":
            self._figure(tag, line_breaks)
        elif name == "table":
            self._table(tag, line_breaks)
        elif name == "pre":
            for paragraph in self._plain(tag, line_breaks=True):
                self._text_paragraph(paragraph)
        elif name != "hr":
            self._flow(tag, line_breaks)
            self._flush()

    def _flow_text(self, text: str, line_breaks: bool) -> None:
        for index, piece in enumerate(_MARKER.split(text)):
            if index % 2:
                self._run(int(piece))
            elif not line_breaks:
                self._add_text(piece)
            else:
                for number, paragraph in enumerate(_BLANK_LINE.split(piece)):
                    if number:
                        self._flush()
                    self._add_lines(paragraph)

    def _add_lines(self, text: str) -> None:
        for number, line in enumerate(text.split("\n")):
            if number:
                self._add("<br/>", has_text=False)
            self._add_text(line)

    def _add_text(self, text: str) -> None:
        collapsed = _SPACES.sub(" ", text)
        if collapsed:
            self._add(html.escape(collapsed, quote=False), has_text=bool(collapsed.strip()))

    def _add(self, piece: str, has_text: bool) -> None:
        self._buffer.append(piece)
        self._buffer_has_text = self._buffer_has_text or has_text

    def _flush(self) -> None:
        if self._buffer_has_text and (source := _trimmed(self._buffer)):
            self.blocks.append(("paragraph", RichText(f"<p>{source}</p>")))
        self._buffer = []
        self._buffer_has_text = False

    # Rich text

    def _inline_element(self, tag: Tag, line_breaks: bool, in_link: bool) -> tuple[str, bool]:
        pieces, has_text = self._inline_children(tag, line_breaks, in_link or tag.name == "a")
        inner = "".join(pieces)
        if not has_text:
            return inner, False
        if tag.name in ("b", "strong"):
            return f"<b>{inner}</b>", True
        if tag.name in ("i", "em"):
            return f"<i>{inner}</i>", True
        if tag.name == "a" and not in_link and (href := safe_href(attribute(tag, "href"))):
            return f'<a href="{html.escape(href)}">{inner}</a>', True
        return inner, True

    def _inline_children(self, tag: Tag, line_breaks: bool, in_link: bool) -> tuple[list[str], bool]:
        pieces: list[str] = []
        has_text = False
        for child in tag.children:
            if isinstance(child, NavigableString):
                text = str(child)
                lines = text.split("\n") if line_breaks else [text]
                for number, line in enumerate(lines):
                    if number:
                        pieces.append("<br/>")
                    pieces.append(html.escape(_SPACES.sub(" ", line), quote=False))
                has_text = has_text or bool(text.strip())
            elif not isinstance(child, Tag):
                continue
            elif child.name == "br":
                pieces.append("<br/>")
            elif child.name in ("ul", "ol"):
                nested = self._list_html(child, line_breaks)
                pieces.append(nested)
                has_text = has_text or bool(nested)
            elif child.name == "img":
                self._pending.append(partial(self._image, child, ""))
            elif self._depth >= MAX_DEPTH:
                text = one_line(self._plain(child, line_breaks))
                pieces.append(html.escape(text, quote=False))
                has_text = has_text or bool(text)
            else:
                self._depth += 1
                try:
                    piece, piece_has_text = self._inline_element(child, line_breaks, in_link)
                finally:
                    self._depth -= 1
                pieces.append(piece)
                if piece_has_text and child.name in _BREAKS:
                    pieces.append("<br/>")
                has_text = has_text or piece_has_text
        return pieces, has_text

    def _list(self, tag: Tag, line_breaks: bool) -> None:
        if _holds(tag, _PICTURE, markers=True):
            # A gallery laid out as a list, or a list holding pictures: each item is read on its own.
            for child in list(tag.children):
                self._flush()
                if isinstance(child, Tag):
                    self._flow(child, line_breaks)
                elif isinstance(child, NavigableString):
                    self._flow_text(str(child), line_breaks)
                self._flush()
            return
        if source := self._list_html(tag, line_breaks):
            self.blocks.append(("paragraph", RichText(source)))

    def _list_html(self, tag: Tag, line_breaks: bool) -> str:
        items = []
        for child in tag.children:
            if isinstance(child, NavigableString):
                pieces = [html.escape(_SPACES.sub(" ", str(child)), quote=False)]
                has_text = bool(child.strip())
            elif isinstance(child, Tag) and child.name == "li":
                pieces, has_text = self._inline_children(child, line_breaks, in_link=False)
            elif isinstance(child, Tag):
                piece, has_text = self._inline_element(child, line_breaks, in_link=False)
                pieces = [piece]
            else:
                continue
            if has_text and (source := _trimmed(pieces)):
                items.append(f"<li>{source}</li>")
        kind = "ol" if tag.name == "ol" else "ul"
        return f"<{kind}>{''.join(items)}</{kind}>" if items else ""

    # Plain text

    def _plain(self, tag: Tag, line_breaks: bool) -> list[str]:
        """`tag`'s text as paragraphs, each with "\n" for its line breaks.

        Pictures and markers found inside are queued, to follow the block being built.
        """
        pieces: list[str] = []
        for node in tag.descendants:
            if isinstance(before := node.previous_sibling, Tag) and before.name in _BREAKS:
                pieces.append("\x01")
            if isinstance(node, NavigableString):
                pieces.append(str(node))
            elif isinstance(node, Tag):
                if node.name == "br":
                    pieces.append("\x00")
                elif node.name == "img":
                    self._pending.append(partial(self._image, node, ""))
                elif node.name in _BREAKS:
                    pieces.append("\x01")
        text = _MARKER.sub(self._defer, "".join(pieces))
        if line_breaks:
            text = _BLANK_LINE.sub("\x01", text).replace("\n", "\x00")
        paragraphs = []
        for paragraph in text.split("\x01"):
            lines = (" ".join(line.split()) for line in paragraph.split("\x00"))
            if joined := "\n".join(line for line in lines if line):
                paragraphs.append(joined)
        return paragraphs

    def _text_paragraph(self, text: str) -> None:
        if not text.strip():
            return
        self._flush()
        lines = "<br/>".join(html.escape(line, quote=False) for line in text.strip().split("\n"))
        self.blocks.append(("paragraph", RichText(f"<p>{lines}</p>")))

    # Blocks read from HTML elements

    def _heading(self, tag: Tag, line_breaks: bool) -> None:
        if text := one_line(self._plain(tag, line_breaks)):
            self.blocks.append(("heading", cut(text, 200)))

    def _quote(self, tag: Tag, line_breaks: bool) -> None:
        cites = [cite for cite in tag.find_all("cite") if isinstance(cite, Tag)]
        attribution = " ".join(one_line(self._plain(cite, line_breaks)) for cite in cites)
        for cite in cites:
            cite.decompose()
        text = "\n\n".join(self._plain(tag, line_breaks))
        if attribution:
            text = text.rstrip(" \n\u2014\u2013-")  # the dash written before the name
        if text:
            self.blocks.append(("quote", {"text": text, "attribution": cut(attribution, 200)}))
        else:
            self._text_paragraph(attribution)

    def _figure(self, tag: Tag, line_breaks: bool) -> None:
        pictures = tag.find_all("img")
        if len(pictures) == 1 and isinstance(pictures[0], Tag) and not _holds(tag, _NOT_ONE_PICTURE):
            picture = pictures[0].extract()
            self._image(picture, one_line(self._plain(tag, line_breaks)))
            return
        self._flow(tag, line_breaks)
        self._flush()

    def _table(self, tag: Tag, line_breaks: bool) -> None:
        self._note(self._table_label)
        for caption in tag.find_all("caption"):
            if isinstance(caption, Tag):
                self._text_paragraph("\n".join(self._plain(caption, line_breaks)))
                caption.decompose()
        for row in tag.find_all("tr"):
            if isinstance(row, Tag):
                cells = [one_line(self._plain(cell, line_breaks)) for cell in row.find_all(["td", "th"])]
                self._text_paragraph(_CELL_SEPARATOR.join(cell for cell in cells if cell))

    # Pictures and embeds

    def _image(self, img: Tag, caption: str) -> None:
        attachment = self._attachment_id(img)
        alt = " ".join(attribute(img, "alt").split())
        self._picture(ImageRef(attachment_id=attachment, url=attribute(img, "src").strip(), alt=alt), caption)

    def _picture(self, ref: ImageRef, caption: str) -> None:
        self._flush()
        if ref.attachment_id is None and not ref.url:
            self._text_paragraph(caption)
            return
        found = self.image_for(ref)
        if found is None:
            self.missing[ref.url or f"attachment {ref.attachment_id}"] = None
            self._text_paragraph(caption)
            return
        value = {"image": found.image, "caption": cut(caption, 300), "credit": cut(found.credit, 120)}
        self.blocks.append(("image", value))

    def _attachment_id(self, img: Tag) -> int | None:
        """The id of the picture `img` shows in the system the HTML came from; plain HTML names none."""
        return None

    # Markers and bookkeeping

    def _marker(self, item: Callable[[], None]) -> str:
        self._items.append(item)
        return f"{MARKER_OPEN}{len(self._items) - 1}{MARKER_CLOSE}"

    def _run(self, index: int) -> None:
        item, self._items[index] = self._items[index], _nothing  # each marker's content comes across once
        self._flush()
        self._depth += 1
        try:
            item()
        finally:
            self._depth -= 1
        self._flush()

    def _defer(self, match: re.Match[str]) -> str:
        self._pending.append(partial(self._run, int(match.group(1))))
        return ""

    def _after(self) -> None:
        pending, self._pending = self._pending, []
        for item in pending:
            item()

    def _note(self, name: str) -> None:
        self.unknown[name] = None


def _nothing() -> None:
    return None


# Small readers


def parse_html(source: str) -> BeautifulSoup:
    return BeautifulSoup(_sanitise(source) if source else "", "html.parser")


def _sanitise(source: str) -> str:
    return nh3.clean(
        _limit_nesting(source),
        tags=_ALLOWED_TAGS,
        clean_content_tags=_DROPPED_WITH_CONTENT,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_LINK_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def _limit_nesting(source: str) -> str:
    """`source` without the opening tags nested past _MAX_TAG_NESTING (and their closing tags).

    html5ever checks the whole stack of open elements at each block start tag, so 100,000 nested
    <div>s take minutes to sanitise; no article nests 200 deep.
    """
    if source.count("<") < _MAX_TAG_NESTING:
        return source
    depth = excess = 0

    def keep(match: re.Match[str]) -> str:
        nonlocal depth, excess
        if match.group(1):
            if excess:
                excess -= 1
                return ""
            depth = max(depth - 1, 0)
        elif depth >= _MAX_TAG_NESTING:
            excess += 1
            return ""
        else:
            depth += 1
        return match.group(0)

    return _NESTING_TAG.sub(keep, source)


def _holds_blocks(tag: Tag) -> bool:
    return _holds(tag, _BLOCK_OR_PICTURE, markers=True)


def _holds(tag: Tag, names: frozenset[str], *, markers: bool = False) -> bool:
    """Whether `tag` holds an element named in `names` (or a marker); bs4's find() is slow on lists of names."""
    for node in tag.descendants:
        if isinstance(node, Tag):
            if node.name in names:
                return True
        elif markers and isinstance(node, NavigableString) and MARKER_OPEN in node:
            return True
    return False


def _trimmed(pieces: list[str]) -> str:
    """The pieces joined, without the line breaks and spaces at either end."""
    start, end = 0, len(pieces)
    while start < end and (pieces[start] == "<br/>" or not pieces[start].strip()):
        start += 1
    while end > start and (pieces[end - 1] == "<br/>" or not pieces[end - 1].strip()):
        end -= 1
    return "".join(pieces[start:end]).strip()


def attribute(tag: Tag, name: str) -> str:
    value = tag.get(name)
    if value is None:
        return ""
    return value if isinstance(value, str) else " ".join(value)


def class_names(tag: Tag) -> list[str]:
    return attribute(tag, "class").split()


def safe_href(href: str) -> str:
    """`href` if it is an http(s) or mailto link, else ""."""
    href = href.strip()
    try:
        parts = urlsplit(href)
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if (scheme in ("http", "https") and parts.netloc) or (scheme == "mailto" and parts.path):
        return href
    return ""


def one_line(paragraphs: list[str]) -> str:
    """Paragraphs and lines joined by spaces, for the fields that hold one line of text."""
    return " ".join(paragraphs).replace("\n", " ")


def cut(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
