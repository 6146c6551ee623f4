"""Build WordPress eXtended RSS (WXR) files, the format of WordPress's Tools → Export, for tests and the benchmark.

`wxr_document()` returns a whole export as a string (small test fixtures); `write_wxr()` streams one to a file
item by item, so a generator of thousands of items never sits in memory at once.

What each version writes, following `wp-admin/includes/export.php` as WordPress shipped it:

- 1.2 (WordPress 3.4 onwards; this module writes the 5.7+ shape): every text value in CDATA (`wxr_cdata()`), the
  numbers (ids, parent, menu order, sticky) bare, the post title in CDATA, `wp:post_modified`/`_gmt` (added in
  5.7), the comment author URL escaped text (WordPress runs it through `sanitize_url`, not `wxr_cdata`).
- 1.1 (WordPress 3.1-3.3): `wp:author` elements and `wp:term_id` on categories and tags appear; names are in
  CDATA, but dates, statuses, slugs and comment fields other than author and content are printed bare (we escape
  them) and the title is RSS-escaped text; no `wp:post_modified`.
- 1.0 (WordPress 2.x-3.0): no `wp:author` (authors appear only as `dc:creator`), no `wp:term_id`, no `wp:term`; each
  category is written twice on an item, once without a domain and once with `domain="category"`, and tags use
  `domain="tag"` rather than `post_tag`. The 1.0 details are our reading of the old exporter and importer
  (the importer maps `tag` to `post_tag`); an exporter of that era may differ in whitespace or element order.

Deliberate departures from WordPress, so tests can cover what an importer must survive:

- WordPress leaves spam comments out of its export (`comment_approved <> 'spam'`); the builder writes whatever
  comments it is given, so a fixture can include spam.
- A draft has post_date_gmt "0000-00-00 00:00:00" (pass `date_gmt=None`); its pubDate is then
  "Mon, 30 Nov -0001 00:00:00 +0000", which is what PHP's date() makes of the zero date and what real exports hold.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

ZERO_DATE = "0000-00-00 00:00:00"
# PHP's date() renders the zero MySQL date as this; real exports carry it on every draft's pubDate.
ZERO_PUBDATE = "Mon, 30 Nov -0001 00:00:00 +0000"
VERSIONS = ("1.0", "1.1", "1.2")
# Passed as a default where "not given" must differ from None (None is meaningful: the zero date).
DERIVED = datetime(1, 1, 1)


@dataclass
class WxrAuthor:
    id: int
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class WxrCategory:
    id: int
    slug: str
    name: str
    parent: str = ""  # the parent category's slug, as WordPress writes it


@dataclass
class WxrTag:
    id: int
    slug: str
    name: str


@dataclass
class WxrTerm:
    """A term of any other taxonomy, e.g. Co-Authors Plus's "author" (slugs like "cap-jane-doe")."""

    id: int
    taxonomy: str
    slug: str
    name: str
    parent: str = ""


@dataclass
class WxrComment:
    """`date` is local and naive; None derives it from the post (an hour after it, plus an hour per earlier comment)."""

    id: int
    author: str = "A reader"
    email: str = ""
    url: str = ""
    ip: str = ""
    date: datetime | None = None
    date_gmt: datetime | None = None
    content: str = "Nice."
    approved: str = "1"  # "1", "0" (held), "spam", "trash"
    type: str = ""  # "" or "comment", "pingback", "trackback"
    parent: int = 0
    user_id: int = 0
    meta: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class WxrItem:
    """One post, page or attachment. Dates are naive: `date` in the site's local time, `*_gmt` in UTC."""

    id: int
    title: str = ""
    post_type: str = "post"
    status: str = "publish"
    # The slug: "" derives it from the title as sanitize_title() would; None writes it empty, as WordPress stores
    # drafts, pending posts and auto-drafts until they are published.
    name: str | None = ""
    link: str | None = None
    date: datetime = field(default_factory=lambda: datetime(2024, 3, 5, 9, 30))
    date_gmt: datetime | None = DERIVED  # DERIVED: date minus one hour; None: the zero date (a draft)
    modified: datetime | None = None  # None: the same as date
    modified_gmt: datetime | None = DERIVED  # DERIVED: the same as date_gmt
    creator: str = "editor"
    content: str = ""
    excerpt: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    tags: list[tuple[str, str]] = field(default_factory=list)
    coauthors: list[tuple[str, str]] = field(default_factory=list)  # (term slug, name), taxonomy "author"
    meta: list[tuple[str, str]] = field(default_factory=list)
    comments: list[WxrComment] = field(default_factory=list)
    parent: int = 0
    menu_order: int = 0
    attachment_url: str = ""
    password: str = ""
    sticky: bool = False
    comment_status: str = "open"
    ping_status: str = "open"

    @property
    def slug(self) -> str:
        if self.name is None:
            return ""
        return self.name or wp_slug(self.title)

    @property
    def gmt(self) -> datetime | None:
        return self.date - timedelta(hours=1) if self.date_gmt is DERIVED else self.date_gmt

    @property
    def modified_local(self) -> datetime:
        return self.modified or self.date

    @property
    def modified_utc(self) -> datetime | None:
        if self.modified_gmt is not DERIVED:
            return self.modified_gmt
        gmt = self.gmt
        return None if gmt is None else self.modified_local - (self.date - gmt)

    def permalink(self, site_url: str) -> str:
        if self.link is not None:
            return self.link
        if self.post_type == "attachment":
            return f"{site_url}/?attachment_id={self.id}"
        # WordPress gives unpublished posts plain links (wp_force_plain_post_permalink()).
        if self.status in ("draft", "pending", "auto-draft", "future"):
            return f"{site_url}/?page_id={self.id}" if self.post_type == "page" else f"{site_url}/?p={self.id}"
        if self.post_type == "page":
            return f"{site_url}/{self.slug}/"
        return f"{site_url}/{self.date:%Y/%m/%d}/{self.slug}/"

    def guid(self, site_url: str) -> str:
        if self.post_type == "attachment" and self.attachment_url:
            return self.attachment_url
        query = "page_id" if self.post_type == "page" else "p"
        return f"{site_url}/?{query}={self.id}"


def cdata(text: str) -> str:
    """Wrap text in CDATA as wxr_cdata() does, splitting any "]]>" across two sections."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wp_slug(title: str) -> str:
    """A post_name as sanitize_title() stores it: accents removed, other non-ASCII percent-encoded in lower case."""
    text = re.sub(r"<[^>]*>", "", title)
    text = "".join(_remove_accent(ch) for ch in text)
    text = "".join(quote(ch).lower() if ord(ch) > 127 else ch for ch in text.lower())
    text = re.sub(r"[^%a-z0-9 _-]", "", text.replace(".", "-"))
    text = re.sub(r"[\s-]+", "-", text)
    return text.strip("-")


def _remove_accent(ch: str) -> str:
    # remove_accents() maps Latin letters only ("ü" to "u"); Cyrillic "й" keeps its breve and is percent-encoded.
    base = unicodedata.normalize("NFKD", ch)[0]
    return base if ord(ch) > 127 and base.isascii() else ch


def php_serialize(value: object) -> str:
    """PHP's serialize() for None, bool, int, float, str (length in UTF-8 bytes), list and dict."""
    if value is None:
        return "N;"
    if isinstance(value, bool):
        return f"b:{int(value)};"
    if isinstance(value, int):
        return f"i:{value};"
    if isinstance(value, float):
        return f"d:{value!r};"
    if isinstance(value, str):
        return f's:{len(value.encode("utf-8"))}:"{value}";'
    if isinstance(value, list):
        value = dict(enumerate(value))
    if isinstance(value, dict):
        body = "".join(php_serialize(key) + php_serialize(item) for key, item in value.items())
        return f"a:{len(value)}:{{{body}}}"
    raise TypeError(f"cannot serialize {type(value).__name__}")


def mysql_date(value: datetime | None) -> str:
    return ZERO_DATE if value is None else f"{value:%Y-%m-%d %H:%M:%S}"


def rss_date(value: datetime | None) -> str:
    return ZERO_PUBDATE if value is None else f"{value:%a, %d %b %Y %H:%M:%S} +0000"


def wxr_document(
    *,
    items: Iterable[WxrItem] = (),
    authors: Iterable[WxrAuthor] = (),
    categories: Iterable[WxrCategory] = (),
    tags: Iterable[WxrTag] = (),
    terms: Iterable[WxrTerm] = (),
    version: str = "1.2",
    site_url: str = "https://old.example.org",
    title: str = "The Old Gazette",
    language: str = "en-US",
    description: str = "News from the old town",
    exported: datetime = datetime(2024, 6, 1, 12, 0),  # fixed, so the output is stable
) -> str:
    """The whole export as a string."""
    return "".join(
        _document_chunks(
            items=items,
            authors=authors,
            categories=categories,
            tags=tags,
            terms=terms,
            version=version,
            site_url=site_url,
            title=title,
            language=language,
            description=description,
            exported=exported,
        )
    )


def write_wxr(
    path: Path,
    *,
    items: Iterable[WxrItem] = (),
    authors: Iterable[WxrAuthor] = (),
    categories: Iterable[WxrCategory] = (),
    tags: Iterable[WxrTag] = (),
    terms: Iterable[WxrTerm] = (),
    version: str = "1.2",
    site_url: str = "https://old.example.org",
    title: str = "The Old Gazette",
    language: str = "en-US",
    description: str = "News from the old town",
    exported: datetime = datetime(2024, 6, 1, 12, 0),
) -> Path:
    """Write the export to path one item at a time (items may be a generator) and return path."""
    chunks = _document_chunks(
        items=items,
        authors=authors,
        categories=categories,
        tags=tags,
        terms=terms,
        version=version,
        site_url=site_url,
        title=title,
        language=language,
        description=description,
        exported=exported,
    )
    # newline="\n" so the file is byte-identical on every platform.
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for chunk in chunks:
            out.write(chunk)
    return path


def _document_chunks(
    *,
    items: Iterable[WxrItem],
    authors: Iterable[WxrAuthor],
    categories: Iterable[WxrCategory],
    tags: Iterable[WxrTag],
    terms: Iterable[WxrTerm],
    version: str,
    site_url: str,
    title: str,
    language: str,
    description: str,
    exported: datetime,
) -> Iterator[str]:
    if version not in VERSIONS:
        raise ValueError(f"WXR version must be one of {VERSIONS}, not {version!r}")
    w = _Writer(version, site_url)
    yield w.header(title=title, language=language, description=description, exported=exported)
    if version != "1.0":
        yield from (w.author(author) for author in authors)
    yield from (w.category(category) for category in categories)
    yield from (w.tag(tag) for tag in tags)
    if version != "1.0":
        yield from (w.term(term) for term in terms)
    yield "\n\t<generator>https://wordpress.org/?v=6.5.2</generator>\n"
    for item in items:
        yield w.item(item)
    yield "</channel>\n</rss>\n"


def _text(value: str) -> str:
    return escape(value)


class _Writer:
    """Renders one version's elements; `v` picks CDATA (1.2) or bare text (older) where WordPress differed."""

    def __init__(self, version: str, site_url: str) -> None:
        self.version = version
        self.site_url = site_url.rstrip("/")
        self.modern = version == "1.2"

    def v(self, value: str) -> str:
        """A value WordPress 5.7+ wraps in CDATA but older exporters printed bare."""
        return cdata(value) if self.modern else _text(value)

    def header(self, *, title: str, language: str, description: str, exported: datetime) -> str:
        v = self.version
        return (
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            "<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->\n"
            '<!-- generator="WordPress/6.5.2" created="' + f"{exported:%Y-%m-%d %H:%M}" + '" -->\n'
            '<rss version="2.0"\n'
            f'\txmlns:excerpt="http://wordpress.org/export/{v}/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            f'\txmlns:wp="http://wordpress.org/export/{v}/"\n'
            ">\n\n<channel>\n"
            f"\t<title>{_text(title)}</title>\n"
            f"\t<link>{_text(self.site_url)}</link>\n"
            f"\t<description>{_text(description)}</description>\n"
            f"\t<pubDate>{rss_date(exported)}</pubDate>\n"
            f"\t<language>{_text(language)}</language>\n"
            f"\t<wp:wxr_version>{v}</wp:wxr_version>\n"
            f"\t<wp:base_site_url>{_text(self.site_url)}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{_text(self.site_url)}</wp:base_blog_url>\n\n"
        )

    def author(self, a: WxrAuthor) -> str:
        return (
            f"\t<wp:author><wp:author_id>{a.id}</wp:author_id>"
            f"<wp:author_login>{cdata(a.login)}</wp:author_login>"
            f"<wp:author_email>{cdata(a.email)}</wp:author_email>"
            f"<wp:author_display_name>{cdata(a.display_name or a.login)}</wp:author_display_name>"
            f"<wp:author_first_name>{cdata(a.first_name)}</wp:author_first_name>"
            f"<wp:author_last_name>{cdata(a.last_name)}</wp:author_last_name></wp:author>\n"
        )

    def _term_id(self, term_id: int) -> str:
        return "" if self.version == "1.0" else f"<wp:term_id>{term_id}</wp:term_id>"

    def category(self, c: WxrCategory) -> str:
        return (
            f"\t<wp:category>{self._term_id(c.id)}"
            f"<wp:category_nicename>{self.v(c.slug)}</wp:category_nicename>"
            f"<wp:category_parent>{self.v(c.parent)}</wp:category_parent>"
            f"<wp:cat_name>{cdata(c.name)}</wp:cat_name></wp:category>\n"
        )

    def tag(self, t: WxrTag) -> str:
        return (
            f"\t<wp:tag>{self._term_id(t.id)}<wp:tag_slug>{self.v(t.slug)}</wp:tag_slug>"
            f"<wp:tag_name>{cdata(t.name)}</wp:tag_name></wp:tag>\n"
        )

    def term(self, t: WxrTerm) -> str:
        return (
            f"\t<wp:term><wp:term_id>{t.id}</wp:term_id>"
            f"<wp:term_taxonomy>{self.v(t.taxonomy)}</wp:term_taxonomy>"
            f"<wp:term_slug>{self.v(t.slug)}</wp:term_slug>"
            f"<wp:term_parent>{self.v(t.parent)}</wp:term_parent>"
            f"<wp:term_name>{cdata(t.name)}</wp:term_name></wp:term>\n"
        )

    def item(self, item: WxrItem) -> str:
        v = self.v
        title = cdata(item.title) if self.modern else _text(item.title)
        lines = [
            "\n\t<item>",
            f"\t\t<title>{title}</title>",
            f"\t\t<link>{_text(item.permalink(self.site_url))}</link>",
            f"\t\t<pubDate>{rss_date(item.gmt)}</pubDate>",
            f"\t\t<dc:creator>{cdata(item.creator)}</dc:creator>",
            f'\t\t<guid isPermaLink="false">{_text(item.guid(self.site_url))}</guid>',
            "\t\t<description></description>",
            f"\t\t<content:encoded>{cdata(item.content)}</content:encoded>",
            f"\t\t<excerpt:encoded>{cdata(item.excerpt)}</excerpt:encoded>",
            f"\t\t<wp:post_id>{item.id}</wp:post_id>",
            f"\t\t<wp:post_date>{v(mysql_date(item.date))}</wp:post_date>",
            f"\t\t<wp:post_date_gmt>{v(mysql_date(item.gmt))}</wp:post_date_gmt>",
        ]
        if self.modern:
            lines += [
                f"\t\t<wp:post_modified>{v(mysql_date(item.modified_local))}</wp:post_modified>",
                f"\t\t<wp:post_modified_gmt>{v(mysql_date(item.modified_utc))}</wp:post_modified_gmt>",
            ]
        lines += [
            f"\t\t<wp:comment_status>{v(item.comment_status)}</wp:comment_status>",
            f"\t\t<wp:ping_status>{v(item.ping_status)}</wp:ping_status>",
            f"\t\t<wp:post_name>{v(item.slug)}</wp:post_name>",
            f"\t\t<wp:status>{v(item.status)}</wp:status>",
            f"\t\t<wp:post_parent>{item.parent}</wp:post_parent>",
            f"\t\t<wp:menu_order>{item.menu_order}</wp:menu_order>",
            f"\t\t<wp:post_type>{v(item.post_type)}</wp:post_type>",
            f"\t\t<wp:post_password>{v(item.password)}</wp:post_password>",
            f"\t\t<wp:is_sticky>{int(item.sticky)}</wp:is_sticky>",
        ]
        if item.post_type == "attachment":
            lines.append(f"\t\t<wp:attachment_url>{v(item.attachment_url)}</wp:attachment_url>")
        lines += self._item_terms(item)
        for key, value in item.meta:
            lines.append(
                f"\t\t<wp:postmeta>\n\t\t\t<wp:meta_key>{v(key)}</wp:meta_key>\n"
                f"\t\t\t<wp:meta_value>{cdata(value)}</wp:meta_value>\n\t\t</wp:postmeta>"
            )
        lines += (self._comment(item, index, c) for index, c in enumerate(item.comments))
        lines.append("\t</item>\n")
        return "\n".join(lines)

    def _item_terms(self, item: WxrItem) -> list[str]:
        def element(domain: str | None, slug: str, name: str) -> str:
            if domain is None:
                return f"\t\t<category>{cdata(name)}</category>"
            return f"\t\t<category domain={quoteattr(domain)} nicename={quoteattr(slug)}>{cdata(name)}</category>"

        old = self.version == "1.0"
        out: list[str] = []
        for slug, name in item.categories:
            if old:
                out.append(element(None, slug, name))
            out.append(element("category", slug, name))
        out += (element("tag" if old else "post_tag", slug, name) for slug, name in item.tags)
        out += (element("author", slug, name) for slug, name in item.coauthors)
        return out

    def _comment(self, item: WxrItem, index: int, c: WxrComment) -> str:
        v = self.v
        date = c.date or item.date + timedelta(hours=1 + index)
        offset = item.date - item.gmt if item.gmt is not None else timedelta(hours=1)
        date_gmt = c.date_gmt or date - offset
        lines = [
            "\t\t<wp:comment>",
            f"\t\t\t<wp:comment_id>{c.id}</wp:comment_id>",
            f"\t\t\t<wp:comment_author>{cdata(c.author)}</wp:comment_author>",
            f"\t\t\t<wp:comment_author_email>{v(c.email)}</wp:comment_author_email>",
            f"\t\t\t<wp:comment_author_url>{_text(c.url)}</wp:comment_author_url>",
            f"\t\t\t<wp:comment_author_IP>{v(c.ip)}</wp:comment_author_IP>",
            f"\t\t\t<wp:comment_date>{v(mysql_date(date))}</wp:comment_date>",
            f"\t\t\t<wp:comment_date_gmt>{v(mysql_date(date_gmt))}</wp:comment_date_gmt>",
            f"\t\t\t<wp:comment_content>{cdata(c.content)}</wp:comment_content>",
            f"\t\t\t<wp:comment_approved>{v(c.approved)}</wp:comment_approved>",
            f"\t\t\t<wp:comment_type>{v(c.type)}</wp:comment_type>",
            f"\t\t\t<wp:comment_parent>{c.parent}</wp:comment_parent>",
            f"\t\t\t<wp:comment_user_id>{c.user_id}</wp:comment_user_id>",
        ]
        for key, value in c.meta:
            lines.append(
                f"\t\t\t<wp:commentmeta>\n\t\t\t\t<wp:meta_key>{v(key)}</wp:meta_key>\n"
                f"\t\t\t\t<wp:meta_value>{cdata(value)}</wp:meta_value>\n\t\t\t</wp:commentmeta>"
            )
        lines.append("\t\t</wp:comment>")
        return "\n".join(lines)
