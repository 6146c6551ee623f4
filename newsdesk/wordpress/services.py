"""The WordPress import: one service for `manage.py import_wordpress` and the admin's job.

A run reads the export twice, as a stream (wxr.py): first whole, to refuse a broken file
before anything is written and to learn its channel and pictures; then item by item. The
authors and terms come first (sections, tags, authors, with their old addresses), then each
item in file order, each in a transaction of its own with its comments and the row that
remembers it (models.ImportedItem): killed half-way, a run loses at most the item it was on,
and the next run finds the rest done. A dry run does all of it inside one transaction that
is rolled back, and stores no picture.

Where the export and the site disagree, the site wins and the report says so: a slug
another article already has is a skipped item, not a renamed one, because its old links
would then land on the other story.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import itertools
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from io import BytesIO
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.validators import URLValidator, validate_email, validate_ipv46_address
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.images.models import Image
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from newsdesk.articles.models import (
    ArticleAuthor,
    ArticleIndexPage,
    ArticlePage,
    Author,
    HomePage,
    InformationPage,
    SectionPage,
)
from newsdesk.articles.services import author_slug, clean_text
from newsdesk.comments.models import MAX_DEPTH, Comment
from newsdesk.comments.services import shown_comments_changed
from newsdesk.core import fragments, http, page_cache
from newsdesk.core.pictures.fields import PictureField

from . import wxr
from .body import Body, FoundImage, ImageRef, convert_body
from .models import ImportedItem
from .report import CREATED, SKIPPED, UNCHANGED, UPDATED, Report

logger = logging.getLogger(__name__)

# Bumped when the import writes something differently, so a second run of the same file
# updates what an older import made instead of calling it unchanged.
IMPORTER_VERSION = "1"
_NO_DATE = {"", "0000-00-00 00:00:00"}
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$")
_EARLIEST = datetime.datetime(1990, 1, 1, tzinfo=datetime.UTC)
_URL = URLValidator(schemes=["http", "https"])
_SLUG = re.compile(r"^[-\w]+$")
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
_YOAST_VARIABLE = re.compile(r"%%[a-z_]+%%")
# WordPress's statuses; what is not live here is a draft in the admin.
LIVE, SCHEDULED, DRAFT = "publish", "future", "draft"
SKIPPED_STATUSES = {"trash", "auto-draft", "inherit"}
COMMENT_STATUS = {
    "1": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
}
PROGRESS_EVERY = 25
PageT = TypeVar("PageT", ArticlePage, InformationPage)
INVALIDATE_EVERY = 200


class ItemRefused(Exception):
    """One item cannot be imported; the message says why, the rest of the file goes on."""


class ExportRefused(wxr.WxrError):
    """The file cannot be imported at all; nothing was written."""


@dataclass(frozen=True)
class Options:
    uploads: Path | None = None
    fetch_media: bool = False
    dry_run: bool = False


Progress = Callable[[int, int], None]


def _digest(*parts: object) -> str:
    text = "\x1f".join(repr(part) for part in (IMPORTER_VERSION, *parts))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _source_key(channel: wxr.Channel) -> str:
    """The old site's address as the key of everything it exported: scheme and host, path kept."""
    url = channel.base_site_url or channel.link
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"[:200]


def parse_wp_date(value: str, *, gmt: bool, what: str) -> datetime.datetime | None:
    """A WXR date ("2024-03-05 09:30:00", site time or UTC); None for WordPress's "no date"."""
    if value in _NO_DATE:
        return None
    match = _DATE.match(value)
    try:
        if match is None:
            raise ValueError(value)
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        moment = datetime.datetime(year, month, day, hour, minute, second)  # naive: the zone follows
    except ValueError as error:
        raise ItemRefused(f"invalid {what} {clean_text(value)[:40]!r}; WordPress writes YYYY-MM-DD HH:MM:SS") from error
    if gmt:
        return moment.replace(tzinfo=datetime.UTC)
    try:
        return timezone.make_aware(moment)
    except Exception as error:  # a local time that does not exist (the hour skipped in spring)
        raise ItemRefused(f"invalid {what} {value!r} in the site's time zone") from error


def _plain(markup: str, limit: int) -> str:
    """Text of a bit of HTML (an excerpt, a caption, a comment), entities decoded, no tags."""
    text = re.sub(r"<br\s*/?>|</p>", "\n", markup, flags=re.IGNORECASE)
    text = html.unescape(nh3.clean(text, tags=set(), clean_content_tags={"script", "style"}))
    text = html.unescape(text)  # nh3 escapes what it keeps
    return clean_text(re.sub(r"[ \t]+", " ", re.sub(r"\n{3,}", "\n\n", text)))[:limit]


def _url_or_blank(value: str, limit: int = 200) -> str:
    value = clean_text(value)
    if not value or len(value) > limit:
        return ""
    try:
        _URL(value)
    except ValidationError:
        return ""
    return value


def _path_of(link: str) -> str:
    """The path (and query) of an old address, as Wagtail's redirects store it."""
    parts = urlsplit(clean_text(link))
    path = parts.path or "/"
    return Redirect.normalise_path(f"{path}?{parts.query}" if parts.query else path)


def _same_path(old: str, new: str) -> bool:
    return unquote(old).rstrip("/") == unquote(new).rstrip("/")


def _credit(metadata: str) -> str:
    """The credit in an attachment's `_wp_attachment_metadata` (PHP-serialised image_meta).

    Only this one string is read, by its length prefix: nothing PHP-serialised is ever
    unserialised, as that format can describe objects.
    """
    match = re.search(r's:6:"credit";s:(\d{1,4}):"', metadata)
    if match is None:
        return ""
    start = match.end()
    raw = metadata.encode("utf-8")
    byte_start = len(metadata[:start].encode("utf-8"))
    value = raw[byte_start : byte_start + int(match.group(1))].decode("utf-8", "replace")
    return clean_text(value)[:120]


# --- Pictures -----------------------------------------------------------------------


class Pictures:
    """Finds the export's pictures in a copied uploads folder or, when asked, on the old site."""

    def __init__(self, run: _Run) -> None:
        self.run = run
        self.found: dict[str, FoundImage | None] = {}

    def for_attachment(self, attachment_id: str, *, item: str, alt: str = "") -> FoundImage | None:
        if attachment_id in self.found:
            return self.found[attachment_id]
        attachment = self.run.scan.attachments.get(attachment_id)
        if attachment is None:
            self.run.report.missing_picture(item, f"attachment {attachment_id}", "not in the export")
            self.found[attachment_id] = None
            return None
        found = self._load(
            key=attachment_id,
            url=attachment.url,
            relative=attachment.attached_file,
            title=attachment.title,
            alt=attachment.alt or alt,
            credit=_credit(attachment.metadata),
            item=item,
        )
        self.found[attachment_id] = found
        return found

    def for_ref(self, ref: ImageRef, *, item: str) -> FoundImage | None:
        if ref.attachment_id is not None and str(ref.attachment_id) in self.run.scan.attachments:
            return self.for_attachment(str(ref.attachment_id), item=item, alt=ref.alt)
        if not ref.url:
            what = f"attachment {ref.attachment_id}" if ref.attachment_id is not None else "a picture with no address"
            self.run.report.missing_picture(item, what, "not in the export")
            return None
        key = f"url:{ref.url}"
        if key not in self.found:
            title = Path(urlsplit(ref.url).path).stem or "picture"
            self.found[key] = self._load(
                key=key, url=ref.url, relative="", title=title, alt=ref.alt, credit="", item=item
            )
        return self.found[key]

    def _load(
        self, *, key: str, url: str, relative: str, title: str, alt: str, credit: str, item: str
    ) -> FoundImage | None:
        content, why = self._bytes(url, relative)
        if content is None:
            self.run.report.missing_picture(item, url or relative or key, why)
            return None
        name = Path(urlsplit(url).path).name or Path(relative).name or "picture.jpg"
        try:
            PictureField().clean(ImageFile(BytesIO(content), name=name))
        except ValidationError as error:
            self.run.report.missing_picture(item, url or relative, " ".join(error.messages))
            return None
        image = self._store(content, name=name, title=clean_text(title)[:255] or name, alt=clean_text(alt)[:255])
        return FoundImage(image=image, credit=credit)

    def _bytes(self, url: str, relative: str) -> tuple[bytes | None, str]:
        options = self.run.options
        if options.uploads is not None:
            for candidate in self._candidates(url, relative):
                path = (options.uploads / candidate).resolve()
                # A "../" in the export must not read files outside the copied folder.
                if path.is_relative_to(options.uploads) and path.is_file():
                    if path.stat().st_size > settings.NEWSDESK_WORDPRESS_MEDIA_MAX_BYTES:
                        return None, "larger than the picture size limit"
                    return path.read_bytes(), ""
        if options.fetch_media and _url_or_blank(url, limit=2000):
            if options.dry_run:
                return None, "not fetched in a dry run"
            try:
                response = http.fetch(
                    url,
                    timeout=settings.NEWSDESK_WORDPRESS_MEDIA_TIMEOUT,
                    max_bytes=settings.NEWSDESK_WORDPRESS_MEDIA_MAX_BYTES,
                )
                response.raise_for_status()
            except http.FetchError as error:
                return None, f"could not be fetched: {error}"
            return response.content, ""
        if options.uploads is None and not options.fetch_media:
            return None, "no uploads folder given and fetching from the old site is off"
        return None, "not in the uploads folder" + (
            "" if options.fetch_media else ", and fetching from the old site is off"
        )

    @staticmethod
    def _candidates(url: str, relative: str) -> list[str]:
        """Where a picture lies under `wp-content/uploads`: its own path, then the original of a resized copy."""
        names: list[str] = []
        if relative:
            names.append(relative.lstrip("/"))
        path = unquote(urlsplit(url).path)
        if "/uploads/" in path:
            names.append(path.split("/uploads/", 1)[1])
        names += [_SIZE_SUFFIX.sub("", name) for name in names if _SIZE_SUFFIX.search(name)]
        return [name for name in dict.fromkeys(names) if name and "\x00" not in name]

    def _store(self, content: bytes, *, name: str, title: str, alt: str) -> Image:
        digest = hashlib.sha1(content).hexdigest()  # noqa: S324 - Wagtail's own file_hash is SHA-1
        existing = Image.objects.filter(file_hash=digest).first()
        if existing is not None:
            return existing
        if self.run.options.dry_run:
            # Nothing is stored in a dry run: the article refers to a picture that is never saved.
            return Image(title=title, description=alt, file_hash=digest)
        image = Image(
            title=title,
            description=alt,
            file=ImageFile(BytesIO(content), name=name),
            file_hash=digest,
            file_size=len(content),
        )
        image.save()
        self.run.created_files.append(image.file.name)
        return image


# --- The run ------------------------------------------------------------------------


@dataclass
class _Run:
    path: Path
    options: Options
    scan: wxr.Scan
    report: Report
    source: str
    site: Site
    home: HomePage
    index: ArticleIndexPage
    sections: dict[str, SectionPage] = field(default_factory=dict)  # category slug
    section_by_term_id: dict[str, str] = field(default_factory=dict)  # term id -> category slug
    tags: dict[str, Tag] = field(default_factory=dict)  # tag slug
    authors: dict[str, Author] = field(default_factory=dict)  # login, lower case
    coauthors: dict[str, Author] = field(default_factory=dict)  # Co-Authors Plus term slug
    pages: dict[str, int] = field(default_factory=dict)  # WordPress page id -> page pk
    posts: dict[str, int] = field(default_factory=dict)  # WordPress post id -> article pk
    deferred_pages: list[wxr.Item] = field(default_factory=list)
    created_files: list[str] = field(default_factory=list)
    pictures: Pictures = field(init=False)

    def __post_init__(self) -> None:
        self.pictures = Pictures(self)


def import_export(path: Path, *, options: Options | None = None, progress: Progress | None = None) -> Report:
    """Import a WXR file; see the module docstring. Raises ExportRefused for a file it cannot read at all."""
    options = options or Options()
    if options.uploads is not None:
        uploads = options.uploads.resolve()
        if not uploads.is_dir():
            raise ExportRefused(f"the uploads folder {uploads} is not a folder")
        options = replace(options, uploads=uploads)
    try:
        scan = wxr.scan(path)
    except wxr.WxrError as error:
        raise ExportRefused(str(error)) from error
    home = HomePage.objects.first()
    index = ArticleIndexPage.objects.first()
    site = Site.objects.filter(is_default_site=True).first()
    if home is None or index is None or site is None:
        raise ExportRefused("the site has no home page and article index yet; run `make demo` or set them up first")
    report = Report(source=_source_key(scan.channel), dry_run=options.dry_run, items=scan.items)
    run = _Run(
        path=path, options=options, scan=scan, report=report, source=report.source, site=site, home=home, index=index
    )
    if options.dry_run:
        with transaction.atomic():
            _import(run, progress)
            transaction.set_rollback(True)
    else:
        _import(run, progress)
    return report


@contextmanager
def _invalidation_batched() -> Iterator[None]:
    """Purges and kept-part generations collected over a stretch of items and made once.

    Each publish would otherwise purge the same lists and mark the same pages again, item
    after item; once per stretch keeps readers' pages at most a stretch behind the import.
    """
    with page_cache.purges_deferred(), fragments.bumps_deferred():
        yield


def _import(run: _Run, progress: Progress | None) -> None:
    with _invalidation_batched(), transaction.atomic():
        _authors(run)
        _terms(run)
        _site_redirects(run)
    items = wxr.items(run.path)
    done = 0
    while done < run.scan.items:
        with _invalidation_batched():
            for item in itertools.islice(items, INVALIDATE_EVERY):
                _item(run, item)
                done += 1
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done, run.scan.items)
        if done % INVALIDATE_EVERY:
            break  # the file had fewer items than the scan counted (changed under us)
    with _invalidation_batched():
        for item in run.deferred_pages:
            _item(run, item, deferred=True)
        with transaction.atomic():
            _attachment_redirects(run)
    if progress is not None:
        progress(run.scan.items, run.scan.items)


def _item(run: _Run, item: wxr.Item, *, deferred: bool = False) -> None:
    handlers = {"post": _post, "page": _page, "attachment": _attachment}
    handler = handlers.get(item.post_type)
    kind = item.post_type if handler else "other"
    if handler is None:
        run.report.count("other", SKIPPED, f"post type {clean_text(item.post_type)[:40] or '(none)'} is not imported")
        return
    try:
        with transaction.atomic():
            if deferred:
                _page(run, item, deferred=True)
            else:
                handler(run, item)
    except ItemRefused as error:
        run.report.count(kind, SKIPPED, "invalid")
        run.report.problem(clean_text(item.label), str(error))
    except Exception as error:  # one item must never stop the archive; the log has the traceback
        logger.exception("WordPress import: %s failed", clean_text(item.label))
        run.report.count(kind, SKIPPED, "invalid")
        run.report.problem(clean_text(item.label), f"could not be imported ({type(error).__name__}: {error})")


# --- Authors, sections, tags ------------------------------------------------------------


def _mapped(run: _Run, kind: str, wp_id: str) -> ImportedItem | None:
    return ImportedItem.objects.filter(source=run.source, kind=kind, wp_id=wp_id[:64]).first()


def _remember(run: _Run, kind: str, wp_id: str, object_id: int, digest: str, *, mapped: ImportedItem | None) -> None:
    """Record what the WordPress object became; `mapped` is its row from this run's earlier look-up."""
    if mapped is None:
        ImportedItem.objects.create(source=run.source, kind=kind, wp_id=wp_id[:64], object_id=object_id, digest=digest)
    elif (mapped.object_id, mapped.digest) != (object_id, digest):
        mapped.object_id, mapped.digest = object_id, digest
        mapped.save(update_fields=["object_id", "digest", "imported_at"])


def _author(run: _Run, *, key: str, name: str, slug_from: str, email: str) -> Author:
    """The Author for a WordPress login (or a Co-Authors Plus guest), made once and remembered."""
    digest = _digest(name, slug_from, email)
    mapped = _mapped(run, ImportedItem.Kind.AUTHOR, key)
    author = Author.objects.filter(pk=mapped.object_id).first() if mapped else None
    email = email if _valid_email(email) else ""
    if author is None:
        slug = author_slug(slug_from or name)
        author = Author.objects.filter(slug=slug).first()
        if author is None:
            author = Author.objects.create(name=name[:120], slug=slug, email=email)
            run.report.count("author", CREATED)
        else:
            run.report.count("author", UNCHANGED)
            run.report.note(f"author {key}", f"matched the existing author “{author.name}” (/authors/{author.slug}/)")
    elif mapped is not None and mapped.digest != digest:
        author.name, author.email = name[:120], email or author.email
        author.save(update_fields=["name", "email"])
        run.report.count("author", UPDATED)
    else:
        run.report.count("author", UNCHANGED)
    _remember(run, ImportedItem.Kind.AUTHOR, key, author.pk, digest, mapped=mapped)
    return author


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return len(value) <= 254


def _authors(run: _Run) -> None:
    for person in run.scan.channel.authors:
        login = clean_text(person.login)
        if not login:
            continue
        full_name = clean_text(f"{person.first_name} {person.last_name}")
        name = clean_text(person.display_name) or full_name or login
        run.authors[login.lower()] = _author(run, key=login, name=name, slug_from=login, email=person.email)
    for term in run.scan.channel.terms:
        if term.taxonomy == "author" and term.slug:
            run.coauthors[term.slug] = _coauthor(run, slug=term.slug, name=clean_text(term.name))


def _coauthor(run: _Run, *, slug: str, name: str) -> Author:
    """A Co-Authors Plus byline: a WordPress user ("cap-<login>") or a guest author."""
    login = unquote(slug).removeprefix("cap-")
    known = run.authors.get(login.lower()) or run.authors.get((name or "").lower())
    if known is not None:
        return known
    return _author(run, key=f"cap:{slug}", name=name or login, slug_from=login, email="")


def _byline_author(run: _Run, login: str) -> Author:
    login = clean_text(login) or "unknown"
    author = run.authors.get(login.lower())
    if author is None:
        # WXR 1.0 lists no authors: the login is all there is.
        author = _author(run, key=login, name=login, slug_from=login, email="")
        run.authors[login.lower()] = author
    return author


def _terms(run: _Run) -> None:
    categories = [term for term in run.scan.channel.terms if term.taxonomy == "category" and term.slug]
    for term in categories:
        run.section_by_term_id[term.id] = term.slug
        _section(run, slug=term.slug, name=term.name, top_level=not term.parent)
    by_slug = {term.slug: term for term in categories}
    for term in categories:
        # WordPress nests categories in their address: /category/news/local/.
        chain, seen, parent = [term.slug], {term.slug}, term.parent
        while parent and parent in by_slug and parent not in seen:
            chain.insert(0, parent)
            seen.add(parent)
            parent = by_slug[parent].parent
        _section_redirects(run, "/category/" + "/".join(chain) + "/", run.sections[term.slug], term)
    for term in run.scan.channel.terms:
        if term.taxonomy == "post_tag" and term.slug:
            tag = _tag(run, slug=term.slug, name=term.name)
            _redirect(run, f"/tag/{term.slug}/", link=f"/tags/{tag.slug}/")
            _redirect(run, f"/tag/{term.slug}/feed/", link=f"/feeds/tags/{tag.slug}/rss/")
            _redirect(run, f"/?tag={term.slug}", link=f"/tags/{tag.slug}/")
    for login, author in run.authors.items():
        for nicename in {login, slugify(login)}:
            if nicename:
                _redirect(run, f"/author/{nicename}/", link=f"/authors/{author.slug}/")
                _redirect(run, f"/author/{nicename}/feed/", link=f"/feeds/authors/{author.slug}/rss/")
    ids = {person.login.lower(): person.id for person in run.scan.channel.authors}
    for login, author in run.authors.items():
        if ids.get(login):
            _redirect(run, f"/?author={ids[login]}", link=f"/authors/{author.slug}/")


def _section_slug(slug: str) -> str:
    decoded = unquote(slug)
    return decoded if _SLUG.match(decoded) else slugify(decoded, allow_unicode=True) or "section"


def _section(run: _Run, *, slug: str, name: str, top_level: bool) -> SectionPage:
    title = clean_text(html.unescape(name))[:255] or slug
    digest = _digest(slug, title)
    mapped = _mapped(run, ImportedItem.Kind.CATEGORY, slug)
    section = SectionPage.objects.filter(pk=mapped.object_id).first() if mapped else None
    if section is None:
        ours = _section_slug(slug)
        section = SectionPage.objects.filter(slug=ours).first()
        if section is not None:
            run.report.count("category", UNCHANGED)
            run.report.note(f"category {slug}", f"matched the existing section “{section.title}”")
        else:
            clash = Page.objects.child_of(run.home).filter(slug=ours).first()
            if clash is not None:
                ours = f"{ours}-section"
                run.report.note(
                    f"category {slug}", f"/{unquote(slug)}/ is the page “{clash.title}”; section at /{ours}/"
                )
            # Top-level categories go in the menu; editors can change that in the admin.
            section = run.home.add_child(instance=SectionPage(title=title, slug=ours, show_in_menus=top_level))
            section.save_revision().publish()
            section.refresh_from_db()
            run.report.count("category", CREATED)
    else:
        run.report.count("category", UNCHANGED)
    _remember(run, ImportedItem.Kind.CATEGORY, slug, section.pk, digest, mapped=mapped)
    run.sections[slug] = section
    return section


def _tag(run: _Run, *, slug: str, name: str) -> Tag:
    name = clean_text(html.unescape(name))[:100] or unquote(slug)
    ours = _section_slug(slug)[:100]
    tag = Tag.objects.filter(slug=ours).first() or Tag.objects.filter(name=name).first()
    if tag is None:
        tag = Tag.objects.create(name=name, slug=ours)
        run.report.count("tag", CREATED)
    else:
        run.report.count("tag", UNCHANGED)
    _remember(
        run, ImportedItem.Kind.TAG, slug, tag.pk, _digest(slug, name), mapped=_mapped(run, ImportedItem.Kind.TAG, slug)
    )
    run.tags[slug] = tag
    return tag


def _site_redirects(run: _Run) -> None:
    _redirect(run, "/feed/", link="/feeds/rss/")
    _redirect(run, "/feed/rss2/", link="/feeds/rss/")
    _redirect(run, "/feed/atom/", link="/feeds/atom/")
    _redirect(run, "/?feed=rss2", link="/feeds/rss/")
    _redirect(run, "/?feed=atom", link="/feeds/atom/")


def _section_redirects(run: _Run, old: str, section: SectionPage, term: wxr.Term) -> None:
    _redirect(run, old, page=section)
    _redirect(run, f"{old}feed/", link=f"/feeds/sections/{section.slug}/rss/")
    if term.id:
        _redirect(run, f"/?cat={term.id}", page=section)


def _redirect(run: _Run, old: str, *, page: Page | None = None, link: str = "") -> None:
    """A permanent redirect from an old address, made or corrected; listed in the report when it changes.

    Always straight to the page or address that answers: never to another redirect.
    """
    old_path = Redirect.normalise_path(old)
    if page is not None:
        target_page, target_link = page, ""
    else:
        target_page, target_link = None, link
    if _same_path(old_path, target_link or (page.url or "" if page is not None else "")):
        return
    current = Redirect.objects.filter(site=run.site, old_path=old_path).first()
    if (
        current is not None
        and current.redirect_page_id == (page.pk if page else None)
        and current.redirect_link == target_link
    ):
        return
    Redirect.objects.update_or_create(
        site=run.site,
        old_path=old_path,
        defaults={"redirect_page": target_page, "redirect_link": target_link, "is_permanent": True},
    )
    shown = target_link or (page.url if page is not None and page.live else f"(page {page.pk if page else '?'})")
    run.report.redirect(old_path, shown or "")


# --- Items ------------------------------------------------------------------------------


@dataclass
class _Written:
    """What one post or page item becomes, worked out before anything is written."""

    title: str
    slug: str
    slug_given: bool
    body: list[tuple[str, Any]]
    standfirst: str
    published_at: datetime.datetime | None
    modified_at: datetime.datetime | None
    state: str  # LIVE, SCHEDULED or DRAFT
    awaiting_review: bool
    seo_title: str
    search_description: str
    canonical_url: str


def _title(item: wxr.Item) -> str:
    return clean_text(html.unescape(item.title))[:255] or f"Untitled ({item.post_type} {item.post_id})"


def _slug(item: wxr.Item, title: str) -> tuple[str, bool]:
    """The item's slug, and whether WordPress gave it (drafts often have none yet)."""
    given = unquote(item.post_name)
    if given and _SLUG.match(given) and len(given) <= 255:
        return given, True
    return slugify(title, allow_unicode=True)[:80].strip("-") or f"{item.post_type}-{item.post_id}", False


def _free_slug(base: str, siblings: Any, current: Page | None) -> str:
    """A slug of our own for an item WordPress gave none: kept once made, else the first free `base-N`."""
    if current is not None:
        return str(current.slug)
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _clash(siblings: Any, slug: str, current: Page | None) -> Page | None:
    others = siblings.filter(slug=slug)
    return (others.exclude(pk=current.pk) if current is not None else others).first()


def _state(run: _Run, item: wxr.Item) -> str:
    label = clean_text(item.label)
    if item.post_password:
        run.report.note(label, "password-protected on WordPress: imported as a draft, not public")
        return DRAFT
    if item.status == LIVE:
        return LIVE
    if item.status == SCHEDULED:
        return SCHEDULED
    if item.status == "private":
        run.report.note(label, "private on WordPress: imported as a draft, not public")
    return DRAFT


def _yoast(run: _Run, value: str, title: str) -> str:
    """Yoast's title template with its variables filled in as far as they mean anything here."""
    known = {"%%title%%": title, "%%sitename%%": run.site.site_name, "%%sep%%": "\u2013", "%%page%%": ""}
    text = _YOAST_VARIABLE.sub(lambda match: known.get(match.group(0), ""), value)
    return clean_text(re.sub(r"\s+", " ", text)).strip(" \u2013|-")


def _written(run: _Run, item: wxr.Item, *, standfirst_limit: int, canonical: bool) -> _Written:
    title = _title(item)
    state = _state(run, item)
    published_at = parse_wp_date(item.post_date_gmt, gmt=True, what="post_date_gmt") or parse_wp_date(
        item.post_date, gmt=False, what="post_date"
    )
    modified_at = parse_wp_date(item.post_modified_gmt, gmt=True, what="post_modified_gmt") or parse_wp_date(
        item.post_modified, gmt=False, what="post_modified"
    )
    if state in (LIVE, SCHEDULED):
        if published_at is None:
            raise ItemRefused(f"status {item.status} without a date")
        if published_at < _EARLIEST or published_at > timezone.now() + datetime.timedelta(days=3660):
            raise ItemRefused(f"date {published_at.date().isoformat()} is out of range")
        if state == LIVE and published_at > timezone.now():
            state = SCHEDULED
    body = convert_body(item.content, lambda ref: run.pictures.for_ref(ref, item=clean_text(item.label)))
    _report_body(run, item, body)
    standfirst = _plain(item.excerpt, standfirst_limit) or _auto_excerpt(body, title, standfirst_limit)
    yoast_title = _yoast(run, item.meta_value("_yoast_wpseo_title"), title)[:255]
    description = clean_text(item.meta_value("_yoast_wpseo_metadesc"))[:300]
    canonical_url = _url_or_blank(item.meta_value("_yoast_wpseo_canonical")) if canonical else ""
    slug, slug_given = _slug(item, title)
    return _Written(
        title=title,
        slug=slug,
        slug_given=slug_given,
        body=body.blocks,
        standfirst=standfirst,
        published_at=published_at,
        modified_at=modified_at if modified_at and published_at and modified_at >= published_at else published_at,
        state=state,
        awaiting_review=state == DRAFT and item.status == "pending" and not item.post_password,
        seo_title=yoast_title,
        search_description=description,
        canonical_url=canonical_url,
    )


def _report_body(run: _Run, item: wxr.Item, body: Body) -> None:
    for name in body.unknown:
        run.report.unknown_markup(name, clean_text(item.label))


def _auto_excerpt(body: Body, title: str, limit: int) -> str:
    """WordPress's own excerpt when none was written: the first 55 words of the text."""
    for block_type, value in body.blocks:
        if block_type == "paragraph":
            text = _plain(value.source if isinstance(value, RichText) else str(value), 2000)
            if text:
                words = text.split()
                return (" ".join(words[:55]) + (" …" if len(words) > 55 else ""))[:limit]
    return title[:limit]


def _known(run: _Run, kind: str, item: wxr.Item, model: type[PageT]) -> tuple[str, ImportedItem | None, PageT | None]:
    """The item's digest, its row from an earlier run, and the page that row names (None if deleted since)."""
    if not item.post_id.isdigit():
        raise ItemRefused(f"no {kind} id (wp:post_id)")
    digest = _digest(replace(item, comments=(), position=0))
    mapped = _mapped(run, kind, item.post_id)
    found = model.objects.filter(pk=mapped.object_id).first() if mapped else None
    return digest, mapped, found


def _post(run: _Run, item: wxr.Item) -> None:
    if item.status in SKIPPED_STATUSES:
        run.report.count("post", SKIPPED, f"status {item.status}")
        return
    digest, mapped, article = _known(run, ImportedItem.Kind.POST, item, ArticlePage)
    if article is not None and mapped is not None and mapped.digest == digest:
        run.posts[item.post_id] = article.pk
        run.report.count("post", UNCHANGED)
        _comments(run, item, article, article_is_new=False)
        return
    written = _written(run, item, standfirst_limit=500, canonical=True)
    siblings = ArticlePage.objects.child_of(run.index)
    if not written.slug_given:
        written.slug = _free_slug(written.slug, siblings, article)
    other = _clash(siblings, written.slug, article)
    if other is not None:
        raise ItemRefused(
            f"slug clash: the article “{other.title}” (id {other.pk}) already uses the slug {written.slug!r}; "
            "rename one of them and run the import again"
        )
    is_new = article is None
    if article is None:
        article = ArticlePage(slug=written.slug)
    _set_article_fields(run, article, item, written)
    _write_page(run, article, written, is_new=is_new, parent=run.index)
    _remember(run, ImportedItem.Kind.POST, item.post_id, article.pk, digest, mapped=mapped)
    run.posts[item.post_id] = article.pk
    run.report.count("post", CREATED if is_new else UPDATED)
    if written.state == LIVE:
        _redirect_item(run, item, article, query=f"p={item.post_id}")
    _comments(run, item, article, article_is_new=is_new)


def _set_article_fields(run: _Run, article: ArticlePage, item: wxr.Item, written: _Written) -> None:
    label = clean_text(item.label)
    article.title = written.title
    article.slug = written.slug
    article.standfirst = written.standfirst or written.title[:500]
    article.body = written.body
    article.seo_title = written.seo_title
    article.search_description = written.search_description
    article.canonical_url = written.canonical_url
    article.comments_open = item.comment_status != "closed"
    categories = [term for term in item.terms if term.domain == "category" and term.slug in run.sections]
    for term in item.terms:
        if term.domain == "category" and term.slug not in run.sections:
            # A category the channel did not list (older exports): made like the listed ones.
            run.section_by_term_id.setdefault(term.slug, term.slug)
            run.sections[term.slug] = _section(run, slug=term.slug, name=term.name, top_level=True)
            categories.append(term)
    primary_slug = run.section_by_term_id.get(item.meta_value("_yoast_wpseo_primary_category").strip())
    if primary_slug is None or primary_slug not in {term.slug for term in categories}:
        primary_slug = categories[0].slug if categories else None
    if primary_slug is None:
        primary_slug = "uncategorized"
        if primary_slug not in run.sections:
            _section(run, slug=primary_slug, name="Uncategorized", top_level=False)
        run.report.note(label, "no category: filed under Uncategorized")
    article.primary_section = run.sections[primary_slug]
    extra = [run.sections[term.slug] for term in categories if term.slug != primary_slug]
    article.extra_sections.set(list({section.pk: section for section in extra}.values()))
    tags = []
    for term in item.terms:
        if term.domain == "post_tag" and term.slug:
            tags.append(run.tags.get(term.slug) or _tag(run, slug=term.slug, name=term.name))
    article.tags.set(list({tag.pk: tag for tag in tags}.values()))
    authors = [
        run.coauthors.get(term.slug) or _coauthor(run, slug=term.slug, name=clean_text(term.name))
        for term in item.terms
        if term.domain == "author" and term.slug
    ]
    if not authors:
        authors = [_byline_author(run, item.creator)]
    unique = list({author.pk: author for author in authors}.values())
    # sort_order written out: the database would otherwise choose the order of equal (empty) keys.
    article.byline.set([ArticleAuthor(author=author, sort_order=order) for order, author in enumerate(unique)])
    thumbnail = item.meta_value("_thumbnail_id").strip()
    if thumbnail:
        found = run.pictures.for_attachment(thumbnail, item=label)
        attachment = run.scan.attachments.get(thumbnail)
        if found is not None and found.image.pk is not None:
            article.lead_image = found.image
            article.lead_image_caption = _plain(attachment.caption if attachment else "", 300)
            article.lead_image_credit = found.credit
    elif article.lead_image_id is not None:
        article.lead_image = None


def _write_page(run: _Run, page: Page, written: _Written, *, is_new: bool, parent: Page) -> None:
    """Save the page and a revision, published, scheduled or left a draft as WordPress had it."""
    page.first_published_at = written.published_at if written.state != DRAFT else page.first_published_at
    page.go_live_at = written.published_at if written.state == SCHEDULED else None
    if is_new:
        page.live = False
        parent.add_child(instance=page)
    else:
        page.save()
    revision = page.save_revision(log_action=True)
    if written.state in (LIVE, SCHEDULED):
        revision.publish()
        if written.state == LIVE:
            type(page).objects.filter(pk=page.pk).update(
                first_published_at=written.published_at, last_published_at=written.modified_at
            )
    elif page.live:
        # Published on an earlier run, taken down on WordPress since.
        page.unpublish()
    if written.awaiting_review:
        # "Pending review" on WordPress: in the newsroom's review workflow here, for the editors' queue.
        workflow = page.get_workflow()
        if workflow is not None and not page.workflow_in_progress:
            workflow.start(page, user=None)
    page.refresh_from_db()


def _redirect_item(run: _Run, item: wxr.Item, page: Page, *, query: str) -> None:
    if item.link:
        old = _path_of(item.link)
        if not _same_path(old, page.url or ""):
            _redirect(run, old, page=page)
    _redirect(run, f"/?{query}", page=page)


def _page(run: _Run, item: wxr.Item, *, deferred: bool = False) -> None:
    if item.status in SKIPPED_STATUSES:
        run.report.count("page", SKIPPED, f"status {item.status}")
        return
    digest, mapped, page = _known(run, ImportedItem.Kind.PAGE, item, InformationPage)
    if page is not None and mapped is not None and mapped.digest == digest:
        run.pages[item.post_id] = page.pk
        run.report.count("page", UNCHANGED)
        return
    parent: Page = run.home
    if item.post_parent not in ("", "0"):
        parent_pk = run.pages.get(item.post_parent)
        if parent_pk is None and not deferred:
            run.deferred_pages.append(item)  # its parent comes later in the file
            return
        if parent_pk is None:
            run.report.note(clean_text(item.label), f"parent page {item.post_parent} not imported: placed under home")
        else:
            parent = Page.objects.get(pk=parent_pk).specific
    written = _written(run, item, standfirst_limit=500, canonical=False)
    siblings = Page.objects.child_of(page.get_parent() if page is not None else parent)
    if not written.slug_given:
        written.slug = _free_slug(written.slug, siblings, page)
    other = _clash(siblings, written.slug, page)
    if other is not None:
        raise ItemRefused(
            f"slug clash: the page “{other.title}” already answers at {other.url or written.slug}; "
            "rename one of them and run the import again"
        )
    is_new = page is None
    if page is None:
        page = InformationPage(slug=written.slug)
    page.title, page.slug = written.title, written.slug
    page.intro = _plain(item.excerpt, 500)
    page.body = written.body
    page.seo_title, page.search_description = written.seo_title, written.search_description
    _write_page(run, page, written, is_new=is_new, parent=parent)
    _remember(run, ImportedItem.Kind.PAGE, item.post_id, page.pk, digest, mapped=mapped)
    run.pages[item.post_id] = page.pk
    run.report.count("page", CREATED if is_new else UPDATED)
    if written.state == LIVE:
        _redirect_item(run, item, page, query=f"page_id={item.post_id}")


def _attachment(run: _Run, item: wxr.Item) -> None:
    """A picture of the export, stored even when no post shows it (editors may want it)."""
    if not item.post_id:
        raise ItemRefused("no attachment id (wp:post_id)")
    digest = _digest(replace(item, comments=(), position=0))
    mapped = _mapped(run, ImportedItem.Kind.ATTACHMENT, item.post_id)
    if mapped is not None and mapped.digest == digest and Image.objects.filter(pk=mapped.object_id).exists():
        run.report.count("attachment", UNCHANGED)
        return
    found = run.pictures.for_attachment(item.post_id, item=clean_text(item.label))
    if found is None:
        run.report.count("attachment", SKIPPED, "picture not available")
        return
    image = found.image
    if image.pk is None:  # a dry run stores no picture
        run.report.count("attachment", CREATED)
        return
    attachment = run.scan.attachments[item.post_id]
    alt = clean_text(attachment.alt)[:255]
    if alt and image.description != alt:
        image.description = alt
        image.save(update_fields=["description"])
    run.report.count("attachment", UPDATED if mapped is not None else CREATED)
    _remember(run, ImportedItem.Kind.ATTACHMENT, item.post_id, image.pk, digest, mapped=mapped)


def _attachment_redirects(run: _Run) -> None:
    """An attachment's own page on WordPress leads to the story it belongs to."""
    for attachment in run.scan.attachments.values():
        article_pk = run.posts.get(attachment.parent)
        if article_pk is None:
            continue
        article = ArticlePage.objects.filter(pk=article_pk, live=True).first()
        if article is None:
            continue
        if attachment.link:
            _redirect(run, _path_of(attachment.link), page=article)
        _redirect(run, f"/?attachment_id={attachment.id}", page=article)


# --- Comments ---------------------------------------------------------------------------


def _comments(run: _Run, item: wxr.Item, article: ArticlePage, *, article_is_new: bool) -> None:
    if not item.comments:
        return
    # What earlier runs made of this post's comments, in two queries rather than two per comment.
    ids = [comment.id[:64] for comment in item.comments if comment.id]
    mapped = {
        row.wp_id: row
        for row in ImportedItem.objects.filter(source=run.source, kind=ImportedItem.Kind.COMMENT, wp_id__in=ids)
    }
    rows = Comment.objects.in_bulk([row.object_id for row in mapped.values()])
    changed = False
    made: dict[str, Comment] = {}
    for comment in _in_thread_order(item.comments):
        known = mapped.get(comment.id[:64])
        existing = rows.get(known.object_id) if known is not None else None
        outcome = _comment(run, item, article, comment, made, mapped=known, existing=existing)
        changed = changed or outcome in (CREATED, UPDATED)
    if changed and not article_is_new and not run.options.dry_run:
        # A new article's publish purged its pages already.
        shown_comments_changed(article, removed=False)


def _in_thread_order(comments: Iterable[wxr.Comment]) -> list[wxr.Comment]:
    """Parents before their replies, whatever order the file has them in."""
    pending = list(comments)
    ids = {comment.id for comment in pending}
    ordered: list[wxr.Comment] = []
    placed: set[str] = set()
    while pending:
        rest = []
        for comment in pending:
            parent = comment.parent if comment.parent not in ("", "0") and comment.parent in ids else ""
            if not parent or parent in placed:
                ordered.append(comment)
                placed.add(comment.id)
            else:
                rest.append(comment)
        if len(rest) == len(pending):  # a loop of parents: the rest start threads of their own
            ordered += rest
            break
        pending = rest
    return ordered


def _comment(
    run: _Run,
    item: wxr.Item,
    article: ArticlePage,
    comment: wxr.Comment,
    made: dict[str, Comment],
    *,
    mapped: ImportedItem | None,
    existing: Comment | None,
) -> str:
    if comment.type in ("pingback", "trackback"):
        run.report.count("comment", SKIPPED, comment.type)
        return SKIPPED
    if not comment.id:
        run.report.count("comment", SKIPPED, "no comment id")
        return SKIPPED
    created_at = None
    try:
        created_at = parse_wp_date(comment.date_gmt, gmt=True, what="comment_date_gmt") or parse_wp_date(
            comment.date, gmt=False, what="comment_date"
        )
    except ItemRefused as error:
        run.report.count("comment", SKIPPED, "invalid")
        run.report.problem(f"comment {comment.id} on {clean_text(item.label)}", str(error))
        return SKIPPED
    digest = _digest(comment)
    key = comment.id
    if existing is not None and mapped is not None and mapped.digest == digest:
        made[comment.id] = existing
        run.report.count("comment", UNCHANGED)
        return UNCHANGED
    parent = made.get(comment.parent)
    while parent is not None and parent.depth >= MAX_DEPTH:
        # Deeper than the site shows: the reply joins the deepest thread level.
        parent = parent.parent
    row = existing or Comment(article=article)
    row.article = article
    row.parent = parent
    row.depth = parent.depth + 1 if parent else 1
    row.name = clean_text(html.unescape(comment.author))[:245] or "Anonymous"
    row.email = comment.email[:100] if _valid_email(comment.email) else ""
    row.website = _url_or_blank(comment.url)
    row.body = _plain(comment.content, 20000) or "…"
    row.status = COMMENT_STATUS.get(comment.approved, Comment.Status.PENDING)
    row.created_at = created_at or article.first_published_at or timezone.now()
    row.ip_address = _ip_or_none(comment.ip)
    row.save()
    made[comment.id] = row
    _remember(run, ImportedItem.Kind.COMMENT, key, row.pk, digest, mapped=mapped)
    outcome = UPDATED if existing is not None else CREATED
    run.report.count("comment", outcome)
    return outcome


def _ip_or_none(value: str) -> str | None:
    try:
        validate_ipv46_address(value)
    except ValidationError:
        return None
    return value
