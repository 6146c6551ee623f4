"""Writes for articles: the site skeleton and the JSON import newsroom scripts use."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.images import ImageFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.images.models import Image
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from newsdesk.core import jsonguard
from newsdesk.core.pictures.fields import PictureField
from newsdesk.core.text import xml_chars

from .models import (
    ArticleAuthor,
    ArticleIndexPage,
    ArticlePage,
    ArticleTag,
    Author,
    HomePage,
    SectionListing,
    SectionPage,
)


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


def date_tag_rows(article_ids: Iterable[int]) -> int:
    """Copy these articles' first publication times onto their tag rows (models.ArticleTag).

    Run after each publish, when the rows are as the published revision has them: a
    tag added in it arrives without the time, and one restored from an older revision
    with whatever time that revision held. Returns how many rows were written.
    """
    published = Page.objects.filter(pk=OuterRef("content_object_id")).values("first_published_at")[:1]
    return ArticleTag.objects.filter(content_object_id__in=list(article_ids)).update(published_at=Subquery(published))


@transaction.atomic
def list_in_sections(article_ids: Iterable[int]) -> int:
    """Write these articles' section rows afresh (models.SectionListing); returns how many were written.

    Run after each publish, when the article's primary and extra sections are those of the
    published revision: a section left in that revision loses its row, one added gains it,
    and every row takes the article's first publication time. An article never published
    gets none (it has no time to be listed by).
    """
    ids = list(article_ids)
    SectionListing.objects.filter(article_id__in=ids).delete()
    published = ArticlePage.objects.filter(pk__in=ids, first_published_at__isnull=False)
    times: dict[int, datetime.datetime] = {}
    pairs: set[tuple[int, int]] = set()
    for pk, section_id, published_at in published.values_list("pk", "primary_section_id", "first_published_at"):
        times[pk] = published_at
        if section_id is not None:
            pairs.add((pk, section_id))
    extra = ArticlePage.extra_sections.through.objects.filter(articlepage_id__in=times)
    pairs.update(extra.values_list("articlepage_id", "sectionpage_id"))
    rows = [SectionListing(article_id=pk, section_id=section_id, published_at=times[pk]) for pk, section_id in pairs]
    SectionListing.objects.bulk_create(rows)
    return len(rows)


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


# The largest import file read, and how deeply its JSON may nest: an article is a few kilobytes,
# three levels deep (object, body, block). Anything far past that is a mistake or an attack, refused
# before it costs memory or runs into Python's recursion limit inside the JSON reader.
IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_DEPTH = 8
# A date before 1900, or more than a year ahead, is taken for a typo (2205 for 2025), not a schedule;
# it also keeps year 9999 away from date arithmetic that overflows.
IMPORT_EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
IMPORT_FURTHEST_AHEAD = datetime.timedelta(days=366)
# The fields each object of the import may hold; any other is refused, so that a misspelt
# optional field ("standfrist") fails loudly instead of being dropped without a word.
ARTICLE_FIELDS = frozenset(
    {"external_id", "headline", "standfirst", "body", "authors", "section", "tags", "published_at"}
    | {"source", "canonical_url", "image"}
)
SOURCE_FIELDS = frozenset({"name", "url"})
IMAGE_FIELDS = frozenset({"path", "caption", "credit"})
BLOCK_FIELDS = frozenset({"type", "text", "attribution"})
# Model fields as the import names them, for errors the model's own validation finds.
_IMPORT_NAMES = {
    "title": "headline",
    "source_name": "source.name",
    "source_url": "source.url",
    "lead_image_caption": "image.caption",
    "lead_image_credit": "image.credit",
}
_VALIDATED_FIELDS = ["title", "standfirst", "source_name", "source_url", "canonical_url"]
_VALIDATED_FIELDS += ["lead_image_caption", "lead_image_credit", "external_id"]


def clean_text(value: str) -> str:
    """Text from outside with only what XML 1.0 can carry (tab and newlines kept), and no DEL, trimmed.

    Wire copy and pasted Word text carry control characters; feeds and sitemaps must not, and
    PostgreSQL refuses NUL and SQLite lone surrogates. They are dropped on the way in, not refused:
    the text around them is what the newsroom sent.
    """
    return xml_chars(value).replace("\x7f", "").strip()


def _shown(value: str) -> str:
    """Outside text quoted for an error message, printable on any terminal."""
    return repr(clean_text(value))


def import_document_parse(raw: bytes) -> Any:
    """The JSON value in an import file's bytes; ArticleImportError naming "file" or "(json)" otherwise."""
    if len(raw) > IMPORT_MAX_BYTES:
        raise ArticleImportError("file", f"is larger than {IMPORT_MAX_BYTES // (1024 * 1024)} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleImportError(
            "file", f"is not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start}); save it as UTF-8"
        ) from error
    try:
        data = json.loads(text, parse_constant=jsonguard.refuse_constant, object_pairs_hook=_object_without_repeats)
    except json.JSONDecodeError as error:
        raise ArticleImportError(
            "(json)", f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from error
    except RecursionError as error:
        raise ArticleImportError("(json)", f"nested deeper than {IMPORT_MAX_DEPTH} levels") from error
    except ValueError as error:  # the hooks below, and numbers past Python's 4,300-digit limit
        raise ArticleImportError("(json)", f"not valid JSON: {error}") from error
    if jsonguard.depth(data) > IMPORT_MAX_DEPTH:
        raise ArticleImportError("(json)", f"nested deeper than {IMPORT_MAX_DEPTH} levels")
    return data


def _object_without_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # A key given twice would silently keep the last value.
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"the key {_shown(key)} appears twice in one object")
        found[key] = value
    return found


def _refuse_unknown(data: dict[str, Any], known: frozenset[str], prefix: str = "") -> None:
    unknown = sorted(clean_text(str(key)) for key in data.keys() - known)
    if unknown:
        raise ArticleImportError(
            f"{prefix}{unknown[0]}", f"unknown field; the known fields are {', '.join(sorted(known))}"
        )


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


def _optional_text(data: dict[str, Any], field: str, *, label: str, max_length: int) -> str:
    """An optional text cut to its column, as captions and attributions always were."""
    value = data.get(field) or ""
    if not isinstance(value, str):
        raise ArticleImportError(label, "must be a string")
    return clean_text(value)[:max_length]


def _parse_published_at(value: Any) -> datetime.datetime:
    if not isinstance(value, str):
        raise ArticleImportError("published_at", "is required, as an ISO 8601 date-time with a time zone")
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ArticleImportError(
            "published_at",
            f"{_shown(value)} is not an ISO 8601 date-time with a time zone, e.g. 2025-10-21T09:30:00+02:00",
        )
    try:
        in_range = IMPORT_EARLIEST <= parsed <= timezone.now() + IMPORT_FURTHEST_AHEAD
    except OverflowError:  # year 9999 with a negative offset is past what datetime can hold in UTC
        in_range = False
    if not in_range:
        raise ArticleImportError(
            "published_at", f"{_shown(value)} is out of range: from 1900 to at most a year from now"
        )
    return parsed


_URL = URLValidator(schemes=["http", "https"])


def _parse_url(field: str, value: Any) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or len(value) > 200:
        raise ArticleImportError(field, "must be an http(s) URL of at most 200 characters")
    try:
        if xml_chars(value) != value:
            raise ValidationError("control character")
        _URL(value)
    except ValidationError as error:
        raise ArticleImportError(field, f"{_shown(value)} is not an http(s) URL") from error
    return value


def _body_blocks(value: Any) -> list[tuple[str, Any]]:
    if not isinstance(value, list) or not value:
        raise ArticleImportError("body", "must be a non-empty list of paragraphs and blocks")
    return [_body_block(f"body[{position}]", item) for position, item in enumerate(value)]


def _body_block(field: str, item: Any) -> tuple[str, Any]:
    if isinstance(item, str):
        item = {"type": "paragraph", "text": item}
    if not isinstance(item, dict):
        raise ArticleImportError(field, "must be a string or an object with a type")
    _refuse_unknown(item, BLOCK_FIELDS, f"{field}.")
    kind = item.get("type")
    text = item.get("text")
    if not isinstance(text, str) or not clean_text(text):
        raise ArticleImportError(f"{field}.text", "is required")
    text = clean_text(text)
    if kind == "paragraph":
        # Imported copy is plain text: escaped, never trusted as HTML.
        paragraphs = "".join(f"<p>{escape(part.strip())}</p>" for part in text.split("\n\n") if part.strip())
        return ("paragraph", RichText(paragraphs))
    if kind == "heading":
        return ("heading", text[:200])
    if kind == "quote":
        attribution = _optional_text(item, "attribution", label=f"{field}.attribution", max_length=200)
        return ("quote", {"text": text, "attribution": attribution})
    kind_shown = _shown(kind) if isinstance(kind, str) else repr(kind)
    raise ArticleImportError(f"{field}.type", f"unknown block type {kind_shown}; use paragraph, heading or quote")


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
    _refuse_unknown(value, IMAGE_FIELDS, "image.")
    path = _image_path(value["path"], base_dir)
    caption = _optional_text(value, "caption", label="image.caption", max_length=300)
    credit = _optional_text(value, "credit", label="image.credit", max_length=120)
    return path, caption, credit


def _image_path(given: str, base_dir: Path) -> Path:
    """The picture's file: inside the import file's folder, and a picture the admin would accept."""
    if xml_chars(given) != given or not given.strip():
        raise ArticleImportError("image.path", f"{_shown(given)} is not a file name")
    folder = base_dir.resolve()
    path = (folder / given).resolve()
    # An absolute path, "../" or a link out of the folder would import any file the user can read.
    if not path.is_relative_to(folder):
        raise ArticleImportError("image.path", f"{_shown(given)} is outside the import file's folder")
    if not path.is_file():
        raise ArticleImportError("image.path", f"no such file: {_shown(given)}")
    # The admin's upload checks (format, size, pixels, frames, a full decode), before anything is written.
    with path.open("rb") as handle:
        try:
            PictureField().clean(File(handle, name=path.name))
        except ValidationError as error:
            raise ArticleImportError("image.path", f"{_shown(given)}: {' '.join(error.messages)}") from error
    return path


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
    _refuse_unknown(data, ARTICLE_FIELDS)
    external_id = _require_text(data, "external_id", max_length=120)
    headline = _require_text(data, "headline", max_length=255)
    standfirst = _require_text(data, "standfirst", max_length=500)
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
    _refuse_unknown(source, SOURCE_FIELDS, "source.")
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


def _validate(article: ArticlePage) -> None:
    """The model's own rules for the imported fields, checked before anything (a picture) is stored.

    The import's checks come first and say more; this catches whatever the model requires
    that they do not, so that it is an answer naming the field, not a traceback.
    """
    excluded = [field.name for field in ArticlePage._meta.fields if field.name not in _VALIDATED_FIELDS]
    try:
        article.clean_fields(exclude=excluded)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ArticleImportError(_IMPORT_NAMES.get(field, field), " ".join(messages)) from error


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
        article.lead_image_caption, article.lead_image_credit = image_spec[1:]
    _validate(article)
    if image_spec is not None:
        article.lead_image = image_from_file(image_spec[0], image_spec[1] or fields["title"])
    # Two names may be one author ("Jonas Falk", "jonas falk"): credited once, in first-named order.
    authors = list({author.pk: author for author in (author_ensure(name=name) for name in author_names)}.values())
    # sort_order written out: without it the byline order is whatever the database returns (PostgreSQL
    # and SQLite differ), not the order given.
    article.byline.set([ArticleAuthor(author=author, sort_order=order) for order, author in enumerate(authors)])
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
