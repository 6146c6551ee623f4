"""What the read API (and the outbound webhooks) say about an article, a section, an author, a tag.

Plain dicts of JSON types (strings, numbers, lists, None; times as ISO 8601 with their
offset), built without a request: absolute URLs start at the root of the Wagtail site
that serves the article (`Site.get_site_root_paths()`, kept in Django's cache by
Wagtail), so a webhook job and an API answer say the same thing. An article carries
what its page shows: headline, standfirst, dated and canonical URLs, dates, byline,
sections, tags, lead image with renditions, body as typed blocks and as sanitised HTML,
reading time, attribution and corrections. Callers decide *which* articles are shown
(always from `published()`); this module only says *how*.

The renditions are the ones the article page itself uses (same filter specs), so the API
never makes an image the site has not already made for readers.
"""

from __future__ import annotations

import datetime
from typing import Any

import nh3
from django.urls import reverse
from django.utils.html import escape, format_html, linebreaks
from taggit.models import Tag
from wagtail.blocks import StreamValue
from wagtail.images.models import AbstractImage
from wagtail.models import Page, Site
from wagtail.rich_text import expand_db_html

from newsdesk.articles.models import ArticlePage, Author, SectionPage

# The article page's lead image (pages/templates/articles/article_page.html).
LEAD_IMAGE_SPECS = ("fill-480x270|format-webp", "fill-800x450|format-webp", "fill-1200x675|format-webp")
# A body image's sizes (articles/templates/articles/blocks/figure.html).
BODY_IMAGE_SPECS = ("width-480|format-webp", "width-800|format-webp")
# What the sanitised body HTML may hold: the blocks' own markup, nothing else.
BODY_TAGS = {
    "p",
    "h2",
    "a",
    "strong",
    "b",
    "em",
    "i",
    "ul",
    "ol",
    "li",
    "br",
    "figure",
    "figcaption",
    "blockquote",
    "img",
}
BODY_ATTRIBUTES = {"a": {"href"}, "img": {"src", "width", "height", "alt"}}


def site_root(page: Page | None = None) -> str:
    """The root URL (scheme and host, no trailing slash) of the site that serves `page`, or of the first site."""
    if page is not None:
        parts = page.get_url_parts()
        if parts and parts[1]:
            return str(parts[1]).rstrip("/")
    roots = [root.root_url for root in Site.get_site_root_paths() if root.root_url]
    return str(roots[0]).rstrip("/") if roots else ""


def absolute(root: str, url: str) -> str:
    """`url` as an absolute URL: paths (and media served from this site) get the site root in front."""
    return f"{root}{url}" if url.startswith("/") else url


def timestamp(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


# --- Sections, authors, tags ---------------------------------------------------------------


def section_representation(section: SectionPage, *, root: str | None = None) -> dict[str, Any]:
    root = site_root(section) if root is None else root
    parts = section.get_url_parts()
    return {
        "id": section.pk,
        "slug": section.slug,
        "title": section.title,
        "intro": section.intro,
        "url": absolute(root, str(parts[2])) if parts else None,
    }


def author_representation(author: Author, *, root: str | None = None) -> dict[str, Any]:
    """An author as the byline and author box show them (never their private e-mail address)."""
    root = site_root() if root is None else root
    return {
        "id": author.pk,
        "slug": author.slug,
        "name": author.name,
        "role": author.role,
        "bio": author.bio,
        "url": absolute(root, author.get_absolute_url()),
        "photo": image_representation(author.photo, ("fill-160x160|format-webp",), alt=author.name, root=root),
        "links": [{"label": link.label, "url": link.url} for link in author.links.all()],
    }


def tag_representation(tag: Tag, *, root: str | None = None) -> dict[str, Any]:
    root = site_root() if root is None else root
    return {"slug": tag.slug, "name": tag.name, "url": absolute(root, reverse("tag", args=[tag.slug]))}


# --- Images --------------------------------------------------------------------------------


def image_representation(
    image: AbstractImage | None,
    specs: tuple[str, ...],
    *,
    alt: str,
    root: str,
    caption: str = "",
    credit: str = "",
) -> dict[str, Any] | None:
    """An image with its renditions (URL, width, height), smallest first, and the words that go with it."""
    if image is None:
        return None
    renditions = image.get_renditions(*specs)
    return {
        "alt": alt,
        "caption": caption,
        "credit": credit,
        "width": image.width,
        "height": image.height,
        "renditions": [
            {
                "url": absolute(root, renditions[spec].url),
                "width": renditions[spec].width,
                "height": renditions[spec].height,
            }
            for spec in specs
        ],
    }


# --- Articles ------------------------------------------------------------------------------


def article_summary(article: ArticlePage, *, root: str | None = None) -> dict[str, Any]:
    """What a list of articles gives for each: enough to show a teaser and to fetch the rest."""
    root = site_root(article) if root is None else root
    sections = article_sections(article)
    return {
        "id": article.pk,
        "headline": article.title,
        "standfirst": article.standfirst,
        "url": absolute(root, article.dated_path() or article.url_path),
        "first_published_at": timestamp(article.first_published_at),
        "updated_at": timestamp(article.updated_at),
        "section": section_representation(sections[0], root=root) if sections else None,
        "authors": [
            {"name": author.name, "url": absolute(root, author.get_absolute_url())} for author in article.authors
        ],
        "tags": [tag_representation(tag, root=root) for tag in article.tag_list],
        "lead_image": image_representation(
            article.lead_image,
            LEAD_IMAGE_SPECS,
            alt=article.lead_image_caption,
            caption=article.lead_image_caption,
            credit=article.lead_image_credit,
            root=root,
        ),
    }


def article_representation(article: ArticlePage) -> dict[str, Any]:
    """The whole article as its page shows it (see the module docstring). Stable: the webhooks send it too."""
    root = site_root(article)
    url = absolute(root, article.dated_path() or article.url_path)
    summary = article_summary(article, root=root)
    return {
        **summary,
        "canonical_url": article.canonical_url or url,
        "last_published_at": timestamp(article.last_published_at),
        "sections": [section_representation(section, root=root) for section in article_sections(article)],
        "authors": [author_representation(author, root=root) for author in article.authors],
        "body": body_blocks(article.body, root=root),
        "body_html": body_html(article.body, root=root),
        "reading_time": article.reading_time,
        "attribution": {
            "source_name": article.source_name,
            "source_url": article.source_url,
            "via_name": article.via_name,
            "via_url": article.via_url,
        },
        "corrections": [
            {
                "kind": item.kind,
                "text": item.text,
                "significant": item.significant,
                "published_at": timestamp(item.published_at),
            }
            for item in article.corrections_shown
        ],
    }


def article_sections(article: ArticlePage) -> list[SectionPage]:
    """Its primary section first, then the others that list it."""
    extra = [section for section in article.extra_sections.all() if section.pk != article.primary_section_id]
    return ([article.primary_section] if article.primary_section else []) + extra


# --- The body ------------------------------------------------------------------------------


def body_blocks(body: StreamValue, *, root: str) -> list[dict[str, Any]]:
    """The body's blocks as typed values; ad slots are the site's own business and left out."""
    blocks: list[dict[str, Any]] = []
    for block in body:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            # Links to our own pages come out as paths: a partner's page needs the whole address.
            html = expand_db_html(value.source).replace('href="/', f'href="{root}/')
            blocks.append({"type": "paragraph", "html": _clean(html)})
        elif kind == "heading":
            blocks.append({"type": "heading", "text": str(value)})
        elif kind == "quote":
            blocks.append({"type": "quote", "text": value["text"], "attribution": value["attribution"]})
        elif kind == "image":
            image = image_representation(
                value["image"],
                BODY_IMAGE_SPECS,
                alt=value["caption"],
                caption=value["caption"],
                credit=value["credit"],
                root=root,
            )
            if image is not None:
                blocks.append({"type": "image", "image": image})
        elif kind == "embed":
            blocks.append({"type": "embed", "url": value["url"], "title": value["title"]})
    return blocks


def body_html(body: StreamValue, *, root: str) -> str:
    """The body as one piece of HTML, with absolute links and images, run through nh3."""
    return _clean("\n".join(_block_html(block) for block in body_blocks(body, root=root)))


def _block_html(block: dict[str, Any]) -> str:
    kind = block["type"]
    if kind == "paragraph":
        return str(block["html"])
    if kind == "heading":
        return str(format_html("<h2>{}</h2>", block["text"]))
    if kind == "quote":
        said = linebreaks(escape(block["text"]))
        who = format_html("<figcaption>— {}</figcaption>", block["attribution"]) if block["attribution"] else ""
        return f"<figure><blockquote>{said}</blockquote>{who}</figure>"
    if kind == "image":
        image = block["image"]
        largest = image["renditions"][-1]
        caption = " ".join(part for part in (image["caption"], image["credit"]) if part)
        return str(
            format_html(
                '<figure><img src="{}" width="{}" height="{}" alt="{}">{}</figure>',
                largest["url"],
                largest["width"],
                largest["height"],
                image["alt"],
                format_html("<figcaption>{}</figcaption>", caption) if caption else "",
            )
        )
    return str(format_html('<p><a href="{}">{}</a></p>', block["url"], block["title"]))


def _clean(source: str) -> str:
    return nh3.clean(source, tags=BODY_TAGS, attributes=BODY_ATTRIBUTES, link_rel=None)
