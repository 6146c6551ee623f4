"""A WordPress post's ``content:encoded`` as article body blocks.

The HTML itself is read by ``newsdesk.articles.html_blocks`` (what comes across and what does not is
described there); this module reads what only WordPress writes, and hands the rest over. Classic
posts get WordPress's ``wpautop`` reading (a blank line ends a paragraph, a single newline is a line
break: html_blocks's ``line_breaks``). Pictures also come from image blocks, ``[caption]``,
``[gallery ids]`` and gallery blocks, with the attachment id WordPress recorded. Embeds (embed blocks,
``[embed]``, Jetpack's ``[youtube URL]`` and kin, a URL alone on its line or in its paragraph) become
link cards titled by their caption, else "View on YouTube" / "View on <host>". Custom HTML,
preformatted, code, verse and table blocks, and anything unknown (video, audio and file blocks
included: their media does not come across), keep their text.

Layout blocks (more/next-page breaks, separators, spacers, columns) are dropped. Unknown shortcodes
and blocks keep their text and are named in ``Body.unknown``, as are tables ("wp:table").

Every scan is linear: regexes use possessive quantifiers, shortcode closers are looked up in one
precomputed index, and block nesting is bounded.
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

from bs4 import NavigableString, Tag
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from wagtail.rich_text import RichText

from newsdesk.articles.html_blocks import (
    MARKER_OPEN,
    MAX_DEPTH,
    BlockWriter,
    Body,
    FoundImage,
    ImageRef,
    attribute,
    class_names,
    cut,
    one_line,
    parse_html,
    safe_href,
)

__all__ = ["Body", "FoundImage", "ImageRef", "convert_body"]


def convert_body(content: str, image_for: Callable[[ImageRef], FoundImage | None]) -> Body:
    """Body blocks for one post, in the raw ``(block type, value)`` form a StreamField accepts.

    `image_for` turns a picture reference into a Wagtail image and its credit, or None when it
    cannot. Empty content gives an empty list of blocks.
    """
    converter = _Converter(image_for)
    converter.convert(content)
    return converter.body()


_MAX_BLOCK_DEPTH = 24

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


class _Converter(BlockWriter):
    """html_blocks's writer, taught WordPress's blocks, shortcodes and picture ids."""

    def __init__(self, image_for: Callable[[ImageRef], FoundImage | None]) -> None:
        super().__init__(image_for)
        self._image_hint: int | None = None

    def convert(self, content: str) -> None:
        parts = _parse_blocks(self.prepare(content))
        texts = [part for part in parts if isinstance(part, str)]
        if len(texts) == len(parts):  # no blocks: a classic-editor post
            self._html("".join(texts), line_breaks=True)
        else:
            self._html(self._render(_Block("", {}, parts), top=True), line_breaks=False)

    # Blocks

    def _block(self, block: _Block) -> None:
        name = block.name
        if name in _DROPPED_BLOCKS:
            return
        if name in _PLAIN_BLOCKS:
            self._html(self._render(block), line_breaks=False)
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
                self._html(self._render(block), line_breaks=False)

    def _render(self, block: _Block, top: bool = False) -> str:
        """The block's HTML, its plain children inside it and the others as markers.

        Text outside any block (`top`) is classic-editor content: WordPress runs it through wpautop.
        """
        out: list[str] = []
        for part in block.parts:
            if isinstance(part, str):
                out.append(self._marker(partial(self._html, part, line_breaks=True)) if top and part.strip() else part)
            elif part.name in _PLAIN_BLOCKS:
                out.append(self._render(part))
            elif part.name not in _DROPPED_BLOCKS:
                out.append(self._marker(partial(self._block, part)))
        return "".join(out)

    def _image_block(self, block: _Block) -> None:
        attachment = block.attrs.get("id")
        self._image_hint = attachment if _is_id(attachment) else None
        self._html(self._render(block), line_breaks=False)
        if self._image_hint is not None:  # the block's HTML held no <img>: its id is all there is
            self._picture(ImageRef(self._image_hint, "", ""), "")
        self._image_hint = None

    def _gallery_block(self, block: _Block) -> None:
        source = self._render(block)
        ids = block.attrs.get("ids")
        if isinstance(ids, list) and "<img" not in source.lower() and MARKER_OPEN not in source:
            for attachment in ids:
                if _is_id(attachment):
                    self._picture(ImageRef(attachment, "", ""), "")
            return
        self._html(source, line_breaks=False)

    def _embed_block(self, block: _Block) -> None:
        url = block.attrs.get("url")
        provider = block.attrs.get("providerNameSlug") or block.name.removeprefix("core-embed/")
        soup = parse_html(self._render(block))
        self._embed_from(soup, url if isinstance(url, str) else "", provider if isinstance(provider, str) else "")

    def _table_block(self, block: _Block) -> None:
        """A table's text as paragraphs, one a row; reported as "wp:table" since its structure is lost."""
        self._note("wp:table")
        self._table_label = "wp:table"
        try:
            self._html(self._render(block), line_breaks=False)
        finally:
            self._table_label = "<table>"

    # HTML

    def _html(self, source: str, *, line_breaks: bool) -> None:
        if self._depth < MAX_DEPTH:
            source = self._shortcodes(source, line_breaks=line_breaks)
        if line_breaks:
            source = _URL_LINE.sub(self._url_line, source)
        super()._html(source, line_breaks=line_breaks)

    def _url_line(self, match: re.Match[str]) -> str:
        return self._marker(partial(self._embed, html.unescape(match.group(1)), "", ""))

    def _block_element(self, tag: Tag, line_breaks: bool) -> None:
        classes = class_names(tag)
        if tag.name == "p" and (url := _bare_url(tag)):
            self._embed(url, "", "")
        elif tag.name == "figure" and any(name.startswith("wp-block-embed") for name in classes):
            self._embed_from(tag, "", "")
        elif tag.name == "div" and "wp-caption" in classes:  # a [caption] WordPress rendered before export
            self._figure(tag, line_breaks)
        else:
            super()._block_element(tag, line_breaks)

    def _attachment_id(self, img: Tag) -> int | None:
        hint, self._image_hint = self._image_hint, None
        return hint if hint is not None else _wp_image_id(img)

    # Embeds

    def _embed_from(self, tag: Tag, url: str, provider: str) -> None:
        caption = ""
        if isinstance(figcaption := tag.find("figcaption"), Tag):
            caption = one_line(self._plain(figcaption, line_breaks=False))
            figcaption.decompose()
        self._embed(url or one_line(self._plain(tag, line_breaks=False)), caption, provider)
        self._after()

    def _embed(self, url: str, caption: str, provider: str) -> None:
        """A link card for `url`; a URL the embed block would refuse becomes a paragraph instead."""
        url = url.strip()
        self._flush()
        if not url:
            self._text_paragraph(caption)
        elif _embeddable(url):
            self.blocks.append(("embed", {"url": url, "title": cut(caption, 200) or _label(provider, url)}))
        elif href := safe_href(url):
            text = html.escape(caption or url, quote=False)
            self.blocks.append(("paragraph", RichText(f'<p><a href="{html.escape(href)}">{text}</a></p>')))
        else:
            self._text_paragraph(f"{caption} {url}".strip())

    # Shortcodes

    def _shortcodes(self, source: str, *, line_breaks: bool) -> str:
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
            item = partial(self._shortcode, name, attrs, source[start:end], inner, line_breaks)
            out += [source[copied:start], self._marker(item)]
            copied = at = closer[1] if closer else end
        out.append(source[copied:])
        return "".join(out)

    def _shortcode(self, name: str, attrs_text: str, opener: str, inner: str | None, line_breaks: bool) -> None:
        attrs = _shortcode_attrs(attrs_text)
        if name in ("caption", "wp_caption"):
            self._caption(attrs, inner or "", line_breaks)
        elif name == "gallery":
            ids = [int(number) for number in re.findall(r"[0-9]{1,18}", attrs.get("ids") or attrs.get("include", ""))]
            for attachment in ids:
                self._picture(ImageRef(attachment, "", ""), "")
            if not ids:  # all the post's attachments: which they were is not in the body
                self._unknown_shortcode(name, opener, inner, line_breaks)
        elif name == "embed":
            url = html.unescape(re.sub(r"<[^<>]*+>", "", inner)) if inner else attrs.get("src", "")
            self._embed(url, "", "")
        elif name in _PROVIDERS and _URL_ONLY.fullmatch(url := html.unescape(attrs_text).strip()):
            self._embed(url, "", name)  # Jetpack's [youtube https://...] and its kin
        else:
            self._unknown_shortcode(name, opener, inner, line_breaks)

    def _caption(self, attrs: dict[str, str], inner: str, line_breaks: bool) -> None:
        soup = parse_html(inner)
        picture = soup.find("img")
        if isinstance(picture, Tag):
            picture.extract()
        texts = self._plain(soup, line_breaks)
        if attrs.get("caption"):  # the old form: [caption caption="..."]<img>[/caption]
            texts = [*self._plain(parse_html(attrs["caption"]), line_breaks=False), *texts]
        caption = one_line(texts)
        attachment = re.fullmatch(r"attachment_([0-9]{1,18})", attrs.get("id", ""))
        if isinstance(picture, Tag):
            self._image_hint = int(attachment.group(1)) if attachment else None
            self._image(picture, caption)
        elif attachment:
            self._picture(ImageRef(int(attachment.group(1)), "", ""), caption)
        else:
            self._text_paragraph(caption)
        self._after()

    def _unknown_shortcode(self, name: str, opener: str, inner: str | None, line_breaks: bool) -> None:
        """The shortcode as written, so an editor sees what was there; what it wraps is read as usual."""
        self._note(f"[{name}]")
        if inner is None:
            self._text_paragraph(_as_written(opener))
        elif not any(mark in inner for mark in ("<", "[", MARKER_OPEN, "\n\n")):
            self._text_paragraph(_as_written(f"{opener}{inner}[/{name}]"))
        else:
            self._text_paragraph(_as_written(opener))
            self._html(inner, line_breaks=line_breaks)
            self._text_paragraph(f"[/{name}]")


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


def _bare_url(paragraph: Tag) -> str:
    children = list(paragraph.children)
    if len(children) == 1 and isinstance(children[0], NavigableString):
        text = children[0].strip()
        if _URL_ONLY.fullmatch(text):
            return text
    return ""


def _wp_image_id(img: Tag) -> int | None:
    for name in class_names(img):
        if match := re.fullmatch(r"wp-image-([0-9]{1,18})", name):
            return int(match.group(1))
    data_id = attribute(img, "data-id").strip()
    return int(data_id) if data_id.isascii() and data_id.isdigit() and len(data_id) <= 18 else None


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


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
    return cut(f"View on {name or host or 'the web'}", 200)
