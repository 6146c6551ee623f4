"""Writes for articles: the site skeleton and the JSON import newsroom scripts use."""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.images.models import Image
from wagtail.models import Page, Site
from wagtail.rich_text import RichText
from willow.image import Image as WillowImage
from willow.image import UnrecognisedImageFormatError

from .models import ArticleAuthor, ArticleIndexPage, ArticlePage, Author, HomePage, SectionPage


class ArticleImportError(ValueError):
    """Bad import input; `field` names what to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Newsroom:
    home: HomePage
    articles: ArticleIndexPage


@transaction.atomic
def newsroom_ensure(*, site_name: str, hostname: str = "localhost", port: int = 80) -> Newsroom:
    """The home page, the article index under it, and the default Site pointing at home."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's initial data puts a "Welcome" placeholder page at the top.
        Page.objects.filter(depth=2, content_type__model="page").delete()
        root.refresh_from_db()
        home = root.add_child(instance=HomePage(title=site_name, slug="home"))
    index = ArticleIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=ArticleIndexPage(title="Articles", slug="articles"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": hostname, "port": port, "root_page": home, "site_name": site_name},
    )
    return Newsroom(home=home, articles=index)


@transaction.atomic
def section_ensure(*, home: HomePage, slug: str, title: str, intro: str = "") -> SectionPage:
    section = SectionPage.objects.filter(slug=slug).first()
    if section is None:
        section = home.add_child(instance=SectionPage(title=title, slug=slug, intro=intro, show_in_menus=True))
        # Publishing through a revision records when it went live, as the admin would.
        section.save_revision().publish()
        section.refresh_from_db()
    return section


def author_slug(name: str) -> str:
    """The author's address slug; a name without Latin letters (李明, Анна) gets one from its digest.

    A shared fallback ("author") made every such name the same Author: the second
    reporter's byline credited the first.
    """
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]  # noqa: S324 - a name, not a secret
    return slugify(name)[:120] or f"author-{digest}"


def author_ensure(*, name: str, **fields: Any) -> Author:
    author, _ = Author.objects.get_or_create(slug=author_slug(name), defaults={"name": name, **fields})
    return author


# --- Import -------------------------------------------------------------------


# Control characters (but tab and newlines) are invalid in XML feeds and PostgreSQL
# text refuses NUL; wire copy sometimes carries them, so they are dropped on the way in.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    return _CONTROL_CHARS.sub("", value).strip()


def _require_text(
    data: dict[str, Any], field: str, *, max_length: int, required: bool = True, label: str | None = None
) -> str:
    """`data[field]`, cleaned; errors name `label` (the field's full name, e.g. "source.name")."""
    label = label or field
    value = data.get(field, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ArticleImportError(label, "must be a string")
    value = clean_text(value)
    if required and not value:
        raise ArticleImportError(label, "is required")
    if len(value) > max_length:
        raise ArticleImportError(label, f"is longer than {max_length} characters")
    return value


def _parse_published_at(value: Any) -> datetime.datetime:
    if not isinstance(value, str):
        raise ArticleImportError("published_at", "is required, as an ISO 8601 date-time with a time zone")
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ArticleImportError(
            "published_at", f"{value!r} is not an ISO 8601 date-time with a time zone, e.g. 2025-10-21T09:30:00+02:00"
        )
    return parsed


def _parse_url(field: str, value: Any) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")) or len(value) > 200:
        raise ArticleImportError(field, "must be an http(s) URL of at most 200 characters")
    return value


def _body_blocks(value: Any) -> list[tuple[str, Any]]:

    if not isinstance(value, list) or not value:
        raise ArticleImportError("body", "must be a non-empty list of paragraphs and blocks")
    blocks: list[tuple[str, Any]] = []
    for position, item in enumerate(value):
        field = f"body[{position}]"
        if isinstance(item, str):
            item = {"type": "paragraph", "text": item}
        if not isinstance(item, dict):
            raise ArticleImportError(field, "must be a string or an object with a type")
        kind = item.get("type")
        text = item.get("text")
        if not isinstance(text, str) or not clean_text(text):
            raise ArticleImportError(f"{field}.text", "is required")
        text = clean_text(text)
        if kind == "paragraph":
            # Imported copy is plain text: escaped, never trusted as HTML.
            paragraphs = "".join(f"<p>{escape(part.strip())}</p>" for part in text.split("\n\n") if part.strip())
            blocks.append(("paragraph", RichText(paragraphs)))
        elif kind == "heading":
            blocks.append(("heading", text.strip()[:200]))
        elif kind == "quote":
            attribution = item.get("attribution") or ""
            if not isinstance(attribution, str):
                raise ArticleImportError(f"{field}.attribution", "must be a string")
            blocks.append(("quote", {"text": text.strip(), "attribution": attribution.strip()[:200]}))
        else:
            raise ArticleImportError(f"{field}.type", f"unknown block type {kind!r}; use paragraph, heading or quote")
    return blocks


def _string_list(data: dict[str, Any], field: str, *, required: bool) -> list[str]:
    value = data.get(field) or []
    if not isinstance(value, list) or not all(isinstance(item, str) and clean_text(item) for item in value):
        raise ArticleImportError(field, "must be a list of non-empty strings")
    if required and not value:
        raise ArticleImportError(field, "needs at least one name")
    return [clean_text(item)[:100] for item in value]


def _image_spec(value: Any, base_dir: Path) -> tuple[Path, str, str] | None:
    if value in (None, {}):
        return None
    if not isinstance(value, dict) or not isinstance(value.get("path"), str):
        raise ArticleImportError("image.path", "is required when an image is given")
    path = (base_dir / value["path"]).resolve()
    if not path.is_file():
        raise ArticleImportError("image.path", f"no such file: {value['path']}")
    # Checked here, before anything is written: Wagtail would raise its own error mid-import.
    try:
        with path.open("rb") as handle:
            WillowImage.open(handle)
    except (UnrecognisedImageFormatError, OSError) as error:
        raise ArticleImportError("image.path", f"not a picture Wagtail can read: {value['path']}") from error
    caption = value.get("caption") or ""
    credit = value.get("credit") or ""
    if not isinstance(caption, str) or not isinstance(credit, str):
        raise ArticleImportError("image", "caption and credit must be strings")
    return path, caption.strip()[:300], credit.strip()[:120]


def image_from_file(path: Path, title: str) -> Image:
    content = path.read_bytes()
    digest = hashlib.sha1(content).hexdigest()  # noqa: S324 - Wagtail's own file_hash is SHA-1
    existing = Image.objects.filter(file_hash=digest).first()
    if existing is not None:
        return existing
    with path.open("rb") as handle:
        # The hash is what finds this picture next time: Wagtail sets it only in its upload forms.
        image = Image(
            title=title[:255], file=ImageFile(handle, name=path.name), file_hash=digest, file_size=len(content)
        )
        image.save()
    return image


def article_import(*, data: Any, base_dir: Path) -> ArticlePage:
    """Create or update one article from the import JSON shape; all or nothing.

    Everything is checked before anything is written; any problem raises
    ArticleImportError naming the field, and the transaction leaves no trace.
    """
    if not isinstance(data, dict):
        raise ArticleImportError("(top level)", "must be a JSON object")
    external_id = _require_text(data, "external_id", max_length=120)
    headline = _require_text(data, "headline", max_length=255)
    standfirst = _require_text(data, "standfirst", max_length=500, required=False)
    body = _body_blocks(data.get("body"))
    author_names = _string_list(data, "authors", required=True)
    tags = _string_list(data, "tags", required=False)
    published_at = _parse_published_at(data.get("published_at"))
    section_slug = _require_text(data, "section", max_length=80)
    section = SectionPage.objects.filter(slug=section_slug).first()
    if section is None:
        known = ", ".join(SectionPage.objects.order_by("path").values_list("slug", flat=True))
        raise ArticleImportError("section", f"unknown section {section_slug!r}; known sections: {known or 'none'}")
    source = data.get("source") or {}
    if not isinstance(source, dict):
        raise ArticleImportError("source", "must be an object with name and url")
    source_name = _require_text(source, "name", max_length=120, required=False, label="source.name") if source else ""
    source_url = _parse_url("source.url", source.get("url"))
    canonical_url = _parse_url("canonical_url", data.get("canonical_url"))
    image_spec = _image_spec(data.get("image"), base_dir)
    index = ArticleIndexPage.objects.first()
    if index is None:
        raise ArticleImportError(
            "(site)", "the site has no article index; run the demo set-up or create one in the admin"
        )

    with transaction.atomic():
        return _article_write(
            index=index,
            external_id=external_id,
            fields={
                "title": headline,
                "standfirst": standfirst,
                "body": body,
                "primary_section": section,
                "source_name": source_name,
                "source_url": source_url,
                "canonical_url": canonical_url,
            },
            author_names=author_names,
            tags=tags,
            published_at=published_at,
            image_spec=image_spec,
        )


def _unique_slug(headline: str, index: ArticleIndexPage, exclude_pk: int | None) -> str:
    base = slugify(headline)
    if len(base) > 70:
        base = base[:70].rsplit("-", 1)[0]
    base = base or "article"
    slug, n = base, 2
    siblings = ArticlePage.objects.child_of(index).exclude(pk=exclude_pk)
    while siblings.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _article_write(
    *,
    index: ArticleIndexPage,
    external_id: str,
    fields: dict[str, Any],
    author_names: list[str],
    tags: list[str],
    published_at: datetime.datetime,
    image_spec: tuple[Path, str, str] | None,
) -> ArticlePage:

    article = ArticlePage.objects.filter(external_id=external_id).first()
    is_new = article is None
    if article is None:
        article = ArticlePage(external_id=external_id, slug=_unique_slug(fields["title"], index, None))
    for name, value in fields.items():
        setattr(article, name, value)
    if image_spec is not None:
        path, caption, credit = image_spec
        article.lead_image = image_from_file(path, caption or fields["title"])
        article.lead_image_caption, article.lead_image_credit = caption, credit
    # Two names may be one author ("Jonas Falk", "jonas falk"): credited once, in first-named order.
    authors = list({author.pk: author for author in (author_ensure(name=name) for name in author_names)}.values())
    article.byline.set([ArticleAuthor(author=author) for author in authors])
    article.tags.set(tags)
    article.first_published_at = published_at
    future = published_at > timezone.now()
    article.go_live_at = published_at if future else None
    if is_new:
        article.live = False
        index.add_child(instance=article)
    else:
        article.save()
    revision = article.save_revision(log_action=True)
    revision.publish()
    if is_new and not future:
        # A fresh import was not "updated" at import time: its last publish is its first.
        ArticlePage.objects.filter(pk=article.pk).update(last_published_at=published_at)
    article.refresh_from_db()
    return article
