"""A WordPress post's ``content:encoded`` as article body blocks.

What comes across: paragraphs (classic posts get WordPress's ``wpautop`` reading: a blank line ends a
paragraph, a single newline is a line break), bold, italic, http/https/mailto links and lists (as
Wagtail's database rich text: ``<p> <b> <i> <a href> <ul> <ol> <li> <br/>`` and nothing else);
headings (plain text, at most 200 characters); quotes and pull quotes with their ``<cite>``; pictures
(bare ``<img>``, image blocks, ``[caption]``, ``[gallery ids]``, gallery blocks), resolved by the
caller; embeds (embed blocks, ``[embed]``, Jetpack's ``[youtube URL]`` and kin, a URL alone on its line
or in its paragraph) as link cards titled by their caption, else "View on YouTube" / "View on <host>";
the text of custom HTML, preformatted, code, verse and table blocks, and of anything unknown (video,
audio and file blocks included: their media does not come across).

What does not: layout (more/next-page breaks, separators, spacers, columns, alignment, colours),
table structure (each row becomes a paragraph, cells joined by an en dash, and the table is
reported), the link around a picture, formatting inside headings, quotes and captions, scripts, styles, event
attributes and every link that is not http, https or mailto (its text stays). Unknown shortcodes and
blocks keep their text and are named in ``Body.unknown``; pictures the resolver cannot supply are
named in ``Body.missing_images`` and their captions stay as paragraphs. Nothing an editor wrote is
dropped without a trace, except what sits in a script, style or similar element.

Everything is run through nh3 before it is read; the HTML is read with ``html.parser``. Every scan
is linear: regexes use possessive quantifiers, shortcode closers are looked up in one precomputed
index, and nesting is bounded (html5ever, under nh3, slows down quadratically on very deep nesting).
"""

from __future__ import annotations

import html
import json
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from wagtail.rich_text import RichText

from newsdesk.core.text import xml_chars


@dataclass(frozen=True)
class ImageRef:
    """A picture the post shows: its attachment id when WordPress recorded one, else only its URL."""

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

    `unknown` names unknown shortcodes ("[contact-form-7]") and blocks ("wp:jetpack/slideshow"), and
    tables ("wp:table", "<table>"), each once, in the order met; their text is in `blocks`.
    `missing_images` names the pictures the resolver could not supply: the URL, or "attachment 123"
    when there was only an id.
    """

    blocks: list[tuple[str, Any]]
    unknown: list[str]
    missing_images: list[str]


def convert_body(content: str, image_for: Callable[[ImageRef], FoundImage | None]) -> Body:
    """Body blocks for one post, in the raw ``(block type, value)`` form a StreamField accepts.

    `image_for` turns a picture reference into a Wagtail image and its credit, or None when it
    cannot. Empty content gives an empty list of blocks.
    """
    converter = _Converter(image_for)
    converter.convert(content)
    return Body(blocks=converter.blocks, unknown=list(converter.unknown), missing_images=list(converter.missing))


# Markers stand in the text for a shortcode or a nested block until the walk over the HTML meets them,
# so their blocks land where they were written. Private-use characters: removed from the input first.
_OPEN, _CLOSE = "\ue000", "\ue001"
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
_MAX_DEPTH = 60
_MAX_BLOCK_DEPTH = 24
_MAX_TAG_NESTING = 200
_NESTING_TAG = re.compile(
    r"<(/?)(?:div|section|article|aside|header|footer|main|nav|blockquote|figure|figcaption|ul|ol|dl|details"
    r"|summary|address|center|fieldset|menu|dir|hgroup|dialog|form|search|b|i|em|strong|a|code|cite)\b[^<>]*+>?",
    re.IGNORECASE,
)

_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*+\n")
_URL_ONLY = re.compile(r"https?://[^\s<>\"\ue000\ue001]++")
# WordPress auto-embeds a URL alone on its line (wp-includes/class-wp-embed.php, autoembed()).
_URL_LINE = re.compile(r"^[ \t]*+(https?://[^\s<>\"\ue000\ue001]++)[ \t]*+$", re.MULTILINE)

# A tag (skipped whole, so brackets in attributes are not shortcodes) or a shortcode opener, as
# WordPress's get_shortcode_regex() reads them: attributes hold no brackets.
_SHORTCODE_SCAN = re.compile(
    r"<[a-zA-Z/!?][^<>]*+>"
    r"|\[(?P<escaped>\[?)(?P<name>[a-z][a-z0-9_-]*+)(?P<attrs>(?:[\s/][^\[\]\ue000\ue001]*+)?)\]"
)
_CLOSER_SCAN = re.compile(r"<[a-zA-Z/!?][^<>]*+>|\[/(?P<name>[a-z][a-z0-9_-]*+)\]")
_SHORTCODE_ATTR = re.compile(r"(?<![\w-])([\w-]++)\s*+=\s*+(?:\"([^\"]*+)\"|'([^']*+)'|([^\s\"']++))")
_ONLY_TAGS = re.compile(r"(?:\s|<[^<>]*+>)*+\Z")
_ALONE_LOOKAROUND = 1000
_CELL_SEPARATOR = " \u2013 "  # en dash
_KNOWN_SHORTCODES = {"caption", "wp_caption", "gallery", "embed"}

_BLOCK_NAME = re.compile(r"wp:([a-z][a-z0-9_-]*+(?:/[a-z][a-z0-9_-]*+)?)(?=\s|\Z)")
_DROPPED_BLOCKS = {"more", "nextpage", "separator", "spacer"}
# Blocks whose saved HTML already says everything: rendered into their parent's HTML, children and all,
# so a quote keeps its paragraphs and a list its items.
_PLAIN_BLOCKS = {
    "paragraph", "heading", "list", "list-item", "quote", "pullquote", "columns", "column", "group",
    "buttons", "button", "media-text", "cover", "html", "preformatted", "code", "verse", "freeform",
    "shortcode", "details",
}  # fmt: skip

_EMBED_URL = URLValidator(schemes=["http", "https"])
_PROVIDERS = {
    "youtube": ("YouTube", ("youtube.com", "youtu.be")),
    "vimeo": ("Vimeo", ("vimeo.com",)),
    "twitter": ("X (Twitter)", ("twitter.com", "x.com")),
    "facebook": ("Facebook", ("facebook.com",)),
    "instagram": ("Instagram", ("instagram.com",)),
    "soundcloud": ("SoundCloud", ("soundcloud.com",)),
    "spotify": ("Spotify", ("spotify.com",)),
    "tiktok": ("TikTok", ("tiktok.com",)),
    "flickr": ("Flickr", ("flickr.com", "flic.kr")),
    "dailymotion": ("Dailymotion", ("dailymotion.com",)),
}


@dataclass
class _Block:
    name: str
    attrs: dict[str, Any]
    parts: list[str | _Block] = field(default_factory=list)
    void: bool = False


class _Converter:
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
        self._image_hint: int | None = None
        self._table_label = "<table>"

    def convert(self, content: str) -> None:
        content = xml_chars(content).replace(_OPEN, "").replace(_CLOSE, "")
        content = content.replace("\r\n", "\n").replace("\r", "\n")
        parts = _parse_blocks(content)
        texts = [part for part in parts if isinstance(part, str)]
        if len(texts) == len(parts):  # no blocks: a classic-editor post
            self._html("".join(texts), classic=True)
        else:
            self._html(self._render(_Block("", {}, parts), top=True), classic=False)

    # Blocks

    def _block(self, block: _Block) -> None:
        name = block.name
        if name in _DROPPED_BLOCKS:
            return
        if name in _PLAIN_BLOCKS:
            self._html(self._render(block), classic=False)
        elif name == "image":
            self._image_block(block)
        elif name == "gallery":
            self._gallery_block(block)
        elif name == "embed" or name.startswith("core-embed/"):
            self._embed_block(block)
        elif name == "table":
            self._table_block(block)
        else:
            self._note(f"wp:{name}")
            if not block.void:
                self._html(self._render(block), classic=False)

    def _render(self, block: _Block, top: bool = False) -> str:
        """The block's HTML, its plain children inside it and the others as markers.

        Text outside any block (`top`) is classic-editor content: WordPress runs it through wpautop.
        """
        out: list[str] = []
        for part in block.parts:
            if isinstance(part, str):
                out.append(self._marker(partial(self._html, part, classic=True)) if top and part.strip() else part)
            elif part.name in _PLAIN_BLOCKS:
                out.append(self._render(part))
            elif part.name not in _DROPPED_BLOCKS:
                out.append(self._marker(partial(self._block, part)))
        return "".join(out)

    def _image_block(self, block: _Block) -> None:
        attachment = block.attrs.get("id")
        self._image_hint = attachment if _is_id(attachment) else None
        self._html(self._render(block), classic=False)
        if self._image_hint is not None:  # the block's HTML held no <img>: its id is all there is
            self._picture(ImageRef(self._image_hint, "", ""), "")
        self._image_hint = None

    def _gallery_block(self, block: _Block) -> None:
        source = self._render(block)
        ids = block.attrs.get("ids")
        if isinstance(ids, list) and "<img" not in source.lower() and _OPEN not in source:
            for attachment in ids:
                if _is_id(attachment):
                    self._picture(ImageRef(attachment, "", ""), "")
            return
        self._html(source, classic=False)

    def _embed_block(self, block: _Block) -> None:
        url = block.attrs.get("url")
        provider = block.attrs.get("providerNameSlug") or block.name.removeprefix("core-embed/")
        soup = _soup(self._render(block))
        self._embed_from(soup, url if isinstance(url, str) else "", provider if isinstance(provider, str) else "")

    def _table_block(self, block: _Block) -> None:
        """A table's text as paragraphs, one a row; reported as "wp:table" since its structure is lost."""
        self._note("wp:table")
        self._table_label = "wp:table"
        try:
            self._html(self._render(block), classic=False)
        finally:
            self._table_label = "<table>"

    # HTML

    def _html(self, source: str, *, classic: bool) -> None:
        if self._depth < _MAX_DEPTH:
            source = self._shortcodes(source, classic=classic)
        if classic:
            source = _URL_LINE.sub(self._url_line, source)
        self._flush()
        self._flow(_soup(source), classic)
        self._flush()
        self._after()

    def _url_line(self, match: re.Match[str]) -> str:
        return self._marker(partial(self._embed, html.unescape(match.group(1)), "", ""))

    def _flow(self, node: Tag, classic: bool) -> None:
        for child in list(node.children):
            if isinstance(child, NavigableString):
                self._flow_text(str(child), classic)
            elif not isinstance(child, Tag):
                continue
            elif child.name == "br":
                self._add("<br/>", has_text=False)
            elif child.name == "img":
                self._image(child, "")
            elif child.name in _INLINE and not _holds_blocks(child):
                self._add(*self._inline_element(child, classic, in_link=False))
            elif self._depth >= _MAX_DEPTH:
                self._flush()
                for paragraph in self._plain(child, classic):
                    self._text_paragraph(paragraph)
            else:
                self._depth += 1
                try:
                    self._element(child, classic)
                finally:
                    self._depth -= 1

    def _element(self, tag: Tag, classic: bool) -> None:
        name = tag.name
        if name in _INLINE:  # holds a picture or a block: its formatting is given up, its content kept
            self._flow(tag, classic)
            return
        self._flush()
        if name in _HEADINGS:
            self._heading(tag, classic)
        elif name in ("ul", "ol"):
            self._list(tag, classic)
        elif name == "blockquote":
            self._quote(tag, classic)
        elif name == "figure" or (name == "div" and "wp-caption" in _classes(tag)):  # the latter: rendered [caption]
            self._figure(tag, classic)
        elif name == "table":
            self._table(tag, classic)
        elif name == "pre":
            for paragraph in self._plain(tag, classic=True):
                self._text_paragraph(paragraph)
        elif name == "p" and (url := _bare_url(tag)):
            self._embed(url, "", "")
        elif name != "hr":
            self._flow(tag, classic)
            self._flush()
        self._after()

    def _flow_text(self, text: str, classic: bool) -> None:
        for index, piece in enumerate(_MARKER.split(text)):
            if index % 2:
                self._run(int(piece))
            elif not classic:
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

    def _inline_element(self, tag: Tag, classic: bool, in_link: bool) -> tuple[str, bool]:
        pieces, has_text = self._inline_children(tag, classic, in_link or tag.name == "a")
        inner = "".join(pieces)
        if not has_text:
            return inner, False
        if tag.name in ("b", "strong"):
            return f"<b>{inner}</b>", True
        if tag.name in ("i", "em"):
            return f"<i>{inner}</i>", True
        if tag.name == "a" and not in_link and (href := _link(_attr(tag, "href"))):
            return f'<a href="{html.escape(href)}">{inner}</a>', True
        return inner, True

    def _inline_children(self, tag: Tag, classic: bool, in_link: bool) -> tuple[list[str], bool]:
        pieces: list[str] = []
        has_text = False
        for child in tag.children:
            if isinstance(child, NavigableString):
                text = str(child)
                lines = text.split("\n") if classic else [text]
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
                nested = self._list_html(child, classic)
                pieces.append(nested)
                has_text = has_text or bool(nested)
            elif child.name == "img":
                self._pending.append(partial(self._image, child, ""))
            elif self._depth >= _MAX_DEPTH:
                text = _one_line(self._plain(child, classic))
                pieces.append(html.escape(text, quote=False))
                has_text = has_text or bool(text)
            else:
                self._depth += 1
                try:
                    piece, piece_has_text = self._inline_element(child, classic, in_link)
                finally:
                    self._depth -= 1
                pieces.append(piece)
                if piece_has_text and child.name in _BREAKS:
                    pieces.append("<br/>")
                has_text = has_text or piece_has_text
        return pieces, has_text

    def _list(self, tag: Tag, classic: bool) -> None:
        if _holds(tag, _PICTURE, markers=True):
            # A gallery laid out as a list, or a list holding pictures: each item is read on its own.
            for child in list(tag.children):
                self._flush()
                if isinstance(child, Tag):
                    self._flow(child, classic)
                elif isinstance(child, NavigableString):
                    self._flow_text(str(child), classic)
                self._flush()
            return
        if source := self._list_html(tag, classic):
            self.blocks.append(("paragraph", RichText(source)))

    def _list_html(self, tag: Tag, classic: bool) -> str:
        items = []
        for child in tag.children:
            if isinstance(child, NavigableString):
                pieces = [html.escape(_SPACES.sub(" ", str(child)), quote=False)]
                has_text = bool(child.strip())
            elif isinstance(child, Tag) and child.name == "li":
                pieces, has_text = self._inline_children(child, classic, in_link=False)
            elif isinstance(child, Tag):
                piece, has_text = self._inline_element(child, classic, in_link=False)
                pieces = [piece]
            else:
                continue
            if has_text and (source := _trimmed(pieces)):
                items.append(f"<li>{source}</li>")
        kind = "ol" if tag.name == "ol" else "ul"
        return f"<{kind}>{''.join(items)}</{kind}>" if items else ""

    # Plain text

    def _plain(self, tag: Tag, classic: bool) -> list[str]:
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
        if classic:
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

    def _heading(self, tag: Tag, classic: bool) -> None:
        if text := _one_line(self._plain(tag, classic)):
            self.blocks.append(("heading", _cut(text, 200)))

    def _quote(self, tag: Tag, classic: bool) -> None:
        cites = [cite for cite in tag.find_all("cite") if isinstance(cite, Tag)]
        attribution = " ".join(_one_line(self._plain(cite, classic)) for cite in cites)
        for cite in cites:
            cite.decompose()
        text = "\n\n".join(self._plain(tag, classic))
        if attribution:
            text = text.rstrip(" \n\u2014\u2013-")  # the dash written before the name
        if text:
            self.blocks.append(("quote", {"text": text, "attribution": _cut(attribution, 200)}))
        else:
            self._text_paragraph(attribution)

    def _figure(self, tag: Tag, classic: bool) -> None:
        if any(name.startswith("wp-block-embed") for name in _classes(tag)):
            self._embed_from(tag, "", "")
            return
        pictures = tag.find_all("img")
        if len(pictures) == 1 and isinstance(pictures[0], Tag) and not _holds(tag, _NOT_ONE_PICTURE):
            picture = pictures[0].extract()
            self._image(picture, _one_line(self._plain(tag, classic)))
            return
        self._flow(tag, classic)
        self._flush()

    def _table(self, tag: Tag, classic: bool) -> None:
        self._note(self._table_label)
        for caption in tag.find_all("caption"):
            if isinstance(caption, Tag):
                self._text_paragraph("\n".join(self._plain(caption, classic)))
                caption.decompose()
        for row in tag.find_all("tr"):
            if isinstance(row, Tag):
                cells = [_one_line(self._plain(cell, classic)) for cell in row.find_all(["td", "th"])]
                self._text_paragraph(_CELL_SEPARATOR.join(cell for cell in cells if cell))

    # Pictures and embeds

    def _image(self, img: Tag, caption: str) -> None:
        hint, self._image_hint = self._image_hint, None
        attachment = hint if hint is not None else _attachment_id(img)
        alt = " ".join(_attr(img, "alt").split())
        self._picture(ImageRef(attachment_id=attachment, url=_attr(img, "src").strip(), alt=alt), caption)

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
        value = {"image": found.image, "caption": _cut(caption, 300), "credit": _cut(found.credit, 120)}
        self.blocks.append(("image", value))

    def _embed_from(self, tag: Tag, url: str, provider: str) -> None:
        caption = ""
        if isinstance(figcaption := tag.find("figcaption"), Tag):
            caption = _one_line(self._plain(figcaption, classic=False))
            figcaption.decompose()
        self._embed(url or _one_line(self._plain(tag, classic=False)), caption, provider)
        self._after()

    def _embed(self, url: str, caption: str, provider: str) -> None:
        """A link card for `url`; a URL the embed block would refuse becomes a paragraph instead."""
        url = url.strip()
        self._flush()
        if not url:
            self._text_paragraph(caption)
        elif _embeddable(url):
            self.blocks.append(("embed", {"url": url, "title": _cut(caption, 200) or _label(provider, url)}))
        elif href := _link(url):
            text = html.escape(caption or url, quote=False)
            self.blocks.append(("paragraph", RichText(f'<p><a href="{html.escape(href)}">{text}</a></p>')))
        else:
            self._text_paragraph(f"{caption} {url}".strip())

    # Shortcodes

    def _shortcodes(self, source: str, *, classic: bool) -> str:
        """`source` with each shortcode replaced by a marker.

        WordPress runs only registered shortcodes and shows any other bracketed text as it is, and we do
        not know which were registered. So `[name ...]` counts as a shortcode when it is caption, gallery
        or embed, has an attribute (`name=value`), has its closing `[/name]`, or stands alone on its line
        (or alone in its paragraph). "[sic]" or "[laughs]" inside a sentence stays text.
        """
        if "[" not in source:
            return source
        closers = _Closers(source)
        lines = _Lines(source)
        out: list[str] = []
        copied = at = 0
        while (match := _SHORTCODE_SCAN.search(source, at)) is not None:
            at = match.end()
            name = match.group("name")
            if name is None:  # a tag
                continue
            start, end = match.start(), match.end()
            if match.group("escaped"):
                if source.startswith("]", end):  # [[name]]: WordPress's way to show a shortcode as text
                    out += [source[copied:start], source[start + 1 : end]]
                    copied = at = end + 1
                    continue
                start += 1
            attrs = match.group("attrs")
            closer = None if attrs.rstrip().endswith("/") else closers.after(name, end)
            if not (name in _KNOWN_SHORTCODES or "=" in attrs or closer or lines.alone(start, end)):
                continue
            inner = source[end : closer[0]] if closer else None
            item = partial(self._shortcode, name, attrs, source[start:end], inner, classic)
            out += [source[copied:start], self._marker(item)]
            copied = at = closer[1] if closer else end
        out.append(source[copied:])
        return "".join(out)

    def _shortcode(self, name: str, attrs_text: str, opener: str, inner: str | None, classic: bool) -> None:
        attrs = _shortcode_attrs(attrs_text)
        if name in ("caption", "wp_caption"):
            self._caption(attrs, inner or "", classic)
        elif name == "gallery":
            ids = [int(number) for number in re.findall(r"[0-9]{1,18}", attrs.get("ids") or attrs.get("include", ""))]
            for attachment in ids:
                self._picture(ImageRef(attachment, "", ""), "")
            if not ids:  # all the post's attachments: which they were is not in the body
                self._unknown_shortcode(name, opener, inner, classic)
        elif name == "embed":
            url = html.unescape(re.sub(r"<[^<>]*+>", "", inner)) if inner else attrs.get("src", "")
            self._embed(url, "", "")
        elif name in _PROVIDERS and _URL_ONLY.fullmatch(url := html.unescape(attrs_text).strip()):
            self._embed(url, "", name)  # Jetpack's [youtube https://...] and its kin
        else:
            self._unknown_shortcode(name, opener, inner, classic)

    def _caption(self, attrs: dict[str, str], inner: str, classic: bool) -> None:
        soup = _soup(inner)
        picture = soup.find("img")
        if isinstance(picture, Tag):
            picture.extract()
        texts = self._plain(soup, classic)
        if attrs.get("caption"):  # the old form: [caption caption="..."]<img>[/caption]
            texts = [*self._plain(_soup(attrs["caption"]), classic=False), *texts]
        caption = _one_line(texts)
        attachment = re.fullmatch(r"attachment_([0-9]{1,18})", attrs.get("id", ""))
        if isinstance(picture, Tag):
            self._image_hint = int(attachment.group(1)) if attachment else None
            self._image(picture, caption)
        elif attachment:
            self._picture(ImageRef(int(attachment.group(1)), "", ""), caption)
        else:
            self._text_paragraph(caption)
        self._after()

    def _unknown_shortcode(self, name: str, opener: str, inner: str | None, classic: bool) -> None:
        """The shortcode as written, so an editor sees what was there; what it wraps is read as usual."""
        self._note(f"[{name}]")
        if inner is None:
            self._text_paragraph(_as_written(opener))
        elif not any(mark in inner for mark in ("<", "[", _OPEN, "\n\n")):
            self._text_paragraph(_as_written(f"{opener}{inner}[/{name}]"))
        else:
            self._text_paragraph(_as_written(opener))
            self._html(inner, classic=classic)
            self._text_paragraph(f"[/{name}]")

    # Markers and bookkeeping

    def _marker(self, item: Callable[[], None]) -> str:
        self._items.append(item)
        return f"{_OPEN}{len(self._items) - 1}{_CLOSE}"

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


# Block comments


def _parse_blocks(content: str) -> list[str | _Block]:
    """The post as text and blocks, from the block editor's `<!-- wp:name {attrs} -->` comments.

    Like WordPress's own parser: a closer that matches no open block is ignored, and blocks still
    open at the end are closed there.
    """
    root = _Block("", {})
    stack = [root]
    position = text_from = 0
    while (start := content.find("<!--", position)) >= 0:
        end = content.find("-->", start + 4)
        if end < 0:
            break
        position = end + 3
        comment = _block_comment(content[start + 4 : end])
        if comment is None:  # an ordinary comment (<!--more--> too): nh3 removes it later
            continue
        closer, block = comment
        if start > text_from:
            stack[-1].parts.append(content[text_from:start])
        text_from = position
        if closer:
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].name == block.name:
                    del stack[depth:]
                    break
            continue
        stack[-1].parts.append(block)
        if not block.void and len(stack) < _MAX_BLOCK_DEPTH:
            stack.append(block)
    if len(content) > text_from:
        stack[-1].parts.append(content[text_from:])
    return root.parts


def _block_comment(body: str) -> tuple[bool, _Block] | None:
    body = body.strip()
    closer = body.startswith("/")
    void = body.endswith("/")
    body = body[1 if closer else 0 : -1 if void else None].strip()
    match = _BLOCK_NAME.match(body)
    if match is None:
        return None
    attrs: Any = {}
    if rest := body[match.end() :].strip():
        try:
            attrs = json.loads(rest)
        except (ValueError, RecursionError):
            attrs = {}
    name = match.group(1).removeprefix("core/")
    return closer, _Block(name, attrs if isinstance(attrs, dict) else {}, void=void)


# Shortcode helpers


class _Closers:
    """Where each `[/name]` is, found in one pass, so finding an opener's closer is a lookup."""

    def __init__(self, source: str) -> None:
        self._at: dict[str, tuple[list[int], list[int]]] = {}
        for match in _CLOSER_SCAN.finditer(source):
            if (name := match.group("name")) is not None:
                starts, ends = self._at.setdefault(name, ([], []))
                starts.append(match.start())
                ends.append(match.end())

    def after(self, name: str, position: int) -> tuple[int, int] | None:
        if name not in self._at:
            return None
        starts, ends = self._at[name]
        index = bisect_left(starts, position)
        return (starts[index], ends[index]) if index < len(starts) else None


class _Lines:
    def __init__(self, source: str) -> None:
        self.source = source
        self._newlines: list[int] | None = None

    def alone(self, start: int, end: int) -> bool:
        """Whether only tags and spaces share the line with source[start:end]."""
        if self._newlines is None:
            self._newlines = [match.start() for match in re.finditer("\n", self.source)]
        index = bisect_left(self._newlines, start)
        line_start = self._newlines[index - 1] + 1 if index else 0
        index = bisect_left(self._newlines, end)
        line_end = self._newlines[index] if index < len(self._newlines) else len(self.source)
        if start - line_start > _ALONE_LOOKAROUND or line_end - end > _ALONE_LOOKAROUND:
            return False
        return bool(_ONLY_TAGS.match(self.source, line_start, start) and _ONLY_TAGS.match(self.source, end, line_end))


def _shortcode_attrs(text: str) -> dict[str, str]:
    # Curly quotes: old exports carry attributes that wptexturize curled by mistake.
    text = html.unescape(text).translate({0x201C: '"', 0x201D: '"', 0x2033: '"', 0x2018: "'", 0x2019: "'"})
    attrs: dict[str, str] = {}
    for match in _SHORTCODE_ATTR.finditer(text):
        value = next((group for group in match.groups()[1:] if group is not None), "")
        attrs.setdefault(match.group(1).lower(), value)
    return attrs


def _as_written(raw: str) -> str:
    return " ".join(html.unescape(raw).split())


# Small readers


def _soup(source: str) -> BeautifulSoup:
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
        elif markers and isinstance(node, NavigableString) and _OPEN in node:
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


def _bare_url(paragraph: Tag) -> str:
    children = list(paragraph.children)
    if len(children) == 1 and isinstance(children[0], NavigableString):
        text = children[0].strip()
        if _URL_ONLY.fullmatch(text):
            return text
    return ""


def _attr(tag: Tag, name: str) -> str:
    value = tag.get(name)
    if value is None:
        return ""
    return value if isinstance(value, str) else " ".join(value)


def _classes(tag: Tag) -> list[str]:
    return _attr(tag, "class").split()


def _attachment_id(img: Tag) -> int | None:
    for name in _classes(img):
        if match := re.fullmatch(r"wp-image-([0-9]{1,18})", name):
            return int(match.group(1))
    data_id = _attr(img, "data-id").strip()
    return int(data_id) if data_id.isascii() and data_id.isdigit() and len(data_id) <= 18 else None


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _link(href: str) -> str:
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


def _embeddable(url: str) -> bool:
    """Whether the embed block's URLBlock would take `url` (http or https, at most 200 characters)."""
    if len(url) > 200:
        return False
    try:
        _EMBED_URL(url)
    except ValidationError:
        return False
    return True


def _label(provider: str, url: str) -> str:
    """A title for a link card with no caption: "View on YouTube", else "View on <host>"."""
    try:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        host = ""
    name = _PROVIDERS[provider][0] if provider in _PROVIDERS else ""
    for label, domains in _PROVIDERS.values():
        if not name and any(host == domain or host.endswith(f".{domain}") for domain in domains):
            name = label
    return _cut(f"View on {name or host or 'the web'}", 200)


def _one_line(paragraphs: list[str]) -> str:
    """Paragraphs and lines joined by spaces, for the fields that hold one line of text."""
    return " ".join(paragraphs).replace("\n", " ")


def _cut(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
