"""Polling a source and turning its stories into articles.

One poll: claim the source (so two workers never poll it at once), read it (a feed
through the guarded HTTP client with a conditional request, or the drop folder's new
files), parse it into Story values (parsers/), and write each story in a transaction of
its own: created, updated, withdrawn or skipped with the reason, in the source's log. A
source that cannot be read at all backs off (its interval doubled per failure, capped at
an hour); a story that cannot be used is skipped and the next goes on.

Identity: (source, GUID). A higher version updates the article; an equal or older one is
ignored (RSS has no versions: there a changed text is the newer version). A live article
is updated in place (same address, same first-published date); a draft gets the new
version as a new revision, so editors' own edits stay in the history to compare, never
lost. Canceled or withheld stories come down and the editors are told.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.images.models import Image
from wagtail.rich_text import RichText

from newsdesk.articles.html_blocks import FoundImage, ImageRef, html_to_blocks
from newsdesk.articles.models import ArticleAuthor, ArticleIndexPage, ArticlePage, Author, SectionPage
from newsdesk.articles.services import author_slug, clean_text
from newsdesk.core import fragments, http, page_cache
from newsdesk.core.pictures.fields import PictureField
from newsdesk.core.roles import ADMINS, EDITORS

from . import folder
from .models import IngestedStory, Source, SourceLog, folder_allowed, parse_rules
from .parsers.newsml import parse_newsml, parse_nitf
from .parsers.ninjs import parse_ninjs
from .parsers.rss import parse_feed
from .stories import CANCELED, USABLE, WITHHELD, Feed, ParseError, Story

logger = logging.getLogger(__name__)

CREATED, UPDATED, WITHDRAWN, SKIPPED = "created", "updated", "withdrawn", "skipped"
BACKOFF_CAP = datetime.timedelta(hours=1)
LOG_KEPT = 300
# A NewsML-G2 list of item links is followed this far in one poll; the rest wait for the next.
MAX_LINKED_ITEMS = 100


class SourceUnreadable(Exception):
    """The source itself could not be read (network, HTTP status, not a feed); it backs off."""


class SourceBusy(Exception):
    """Another worker is polling this source right now."""


class StoryRefused(Exception):
    """One story cannot be used; the reason goes to the log and the next story goes on."""


@dataclass(frozen=True)
class Touched:
    action: str  # CREATED, UPDATED, WITHDRAWN or SKIPPED
    detail: str  # the article's address, or the reason it was skipped

    def line(self) -> str:
        return f"{self.action} {self.detail}"


@dataclass
class PollResult:
    source: str
    touched: list[Touched] = field(default_factory=list)
    error: str = ""
    not_modified: bool = False

    def count(self, action: str) -> int:
        return sum(1 for entry in self.touched if entry.action == action)

    def summary(self) -> str:
        if self.error:
            return f"{self.source}: could not be read: {self.error}"
        counts = ", ".join(f"{self.count(action)} {action}" for action in (CREATED, UPDATED, WITHDRAWN, SKIPPED))
        extra = " (unchanged since the last poll)" if self.not_modified else ""
        return f"{self.source}: {len(self.touched)} stories: {counts}{extra}"


# --- The source's log and state ------------------------------------------------------------


def log(source: Source, message: str, level: str = SourceLog.Level.INFO) -> None:
    SourceLog.objects.create(source=source, at=timezone.now(), level=level, message=clean_text(message)[:2000])
    stale = SourceLog.objects.filter(source=source).order_by("-at", "-pk")[LOG_KEPT:].values_list("pk", flat=True)
    SourceLog.objects.filter(pk__in=list(stale)).delete()


def _claim(source: Source, now: datetime.datetime) -> bool:
    """Take the source for one poll; False when a poll of it is already running elsewhere."""
    lease = now + datetime.timedelta(minutes=15)
    taken = Source.objects.filter(pk=source.pk).filter(Q(polling_until__isnull=True) | Q(polling_until__lt=now))
    return bool(taken.update(polling_until=lease))


def _succeeded(source: Source, now: datetime.datetime, result: PollResult) -> None:
    Source.objects.filter(pk=source.pk).update(
        failures=0,
        last_polled_at=now,
        last_success_at=now,
        next_poll_at=now + datetime.timedelta(minutes=source.interval_minutes),
        polling_until=None,
        items_seen=F("items_seen") + len(result.touched),
        items_created=F("items_created") + result.count(CREATED),
        items_updated=F("items_updated") + result.count(UPDATED) + result.count(WITHDRAWN),
        items_skipped=F("items_skipped") + result.count(SKIPPED),
    )


def backoff(interval_minutes: int, failures: int) -> datetime.timedelta:
    """The wait after `failures` failures in a row: the interval doubled each time, an hour at most."""
    wait = datetime.timedelta(minutes=interval_minutes) * (2 ** min(failures, 16))
    return min(wait, BACKOFF_CAP)


def _failed(source: Source, now: datetime.datetime, error: str) -> None:
    failures = source.failures + 1
    Source.objects.filter(pk=source.pk).update(
        failures=failures,
        last_polled_at=now,
        last_error_at=now,
        last_error=error[:2000],
        next_poll_at=now + backoff(source.interval_minutes, failures),
        polling_until=None,
    )
    log(source, f"could not be read: {error}", SourceLog.Level.ERROR)


# --- Polling ----------------------------------------------------------------------------------


def poll(source: Source, *, now: datetime.datetime | None = None) -> PollResult:
    """Poll one source now. Raises SourceBusy when it is being polled already."""
    now = now or timezone.now()
    if not _claim(source, now):
        raise SourceBusy(source.name)
    source.refresh_from_db()
    result = PollResult(source=source.name)
    try:
        # Every story published in one poll purges the same lists: once for the poll is enough.
        with page_cache.purges_deferred(), fragments.bumps_deferred():
            if source.kind == Source.Kind.FOLDER:
                _poll_folder(source, result)
            else:
                _poll_http(source, result)
    except SourceUnreadable as error:
        result.error = str(error)
        _failed(source, now, result.error)
        return result
    except Exception as error:  # a bug must not leave the source claimed; the job records it
        Source.objects.filter(pk=source.pk).update(polling_until=None)
        raise error
    _succeeded(source, now, result)
    return result


def due_sources(now: datetime.datetime) -> list[Source]:
    return list(
        Source.objects.filter(enabled=True)
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .filter(Q(polling_until__isnull=True) | Q(polling_until__lt=now))
        .order_by("next_poll_at", "pk")
    )


def poll_due(*, now: datetime.datetime | None = None) -> list[PollResult]:
    """Every enabled source whose time has come, one after the other; one failing never stops the rest."""
    results = []
    for source in due_sources(now or timezone.now()):
        try:
            results.append(poll(source, now=now))
        except SourceBusy:
            continue
        except Exception:
            logger.exception("Ingest: polling %s failed", source.name)
    return results


def _fetch(url: str, headers: dict[str, str]) -> http.FetchedResponse:
    try:
        return http.fetch(
            url,
            headers=headers,
            timeout=settings.NEWSDESK_INGEST_TIMEOUT,
            max_bytes=settings.NEWSDESK_INGEST_MAX_BYTES,
        )
    except http.FetchError as error:
        raise SourceUnreadable(str(error)) from error


def _poll_http(source: Source, result: PollResult) -> None:
    headers = {"Accept": _ACCEPT.get(source.kind, "*/*")}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    response = _fetch(source.location, headers)
    if response.status == 304:
        result.not_modified = True
        return
    if not response.ok:
        raise SourceUnreadable(f"HTTP {response.status}")
    feed = _parse(source.kind, response.content, url=response.url)
    for link in feed.item_links[:MAX_LINKED_ITEMS]:
        try:
            linked = _fetch(link, {"Accept": _ACCEPT.get(source.kind, "*/*")})
            if not linked.ok:
                raise SourceUnreadable(f"HTTP {linked.status}")
            more = _parse(source.kind, linked.content, url=linked.url)
        except SourceUnreadable as error:
            _skipped(source, result, f"{link}: {error}")
            continue
        feed.stories += more.stories
        feed.skipped += more.skipped
    _ingest_feed(source, feed, result)
    # Remembered only once the stories are in: a failed poll asks for the whole feed again.
    Source.objects.filter(pk=source.pk).update(
        etag=response.headers.get("etag", "")[:300], last_modified=response.headers.get("last-modified", "")[:100]
    )


_ACCEPT: dict[str, str] = {
    Source.Kind.RSS.value: "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
    Source.Kind.NEWSML.value: "application/vnd.iptc.g2.newsitem+xml, application/xml;q=0.9, */*;q=0.5",
    Source.Kind.NINJS.value: "application/json, */*;q=0.5",
}


def _parse(kind: str, data: bytes, *, url: str = "") -> Feed:
    try:
        if kind == Source.Kind.RSS:
            return parse_feed(data, url=url)
        if kind in (Source.Kind.NEWSML, "newsml-g2"):
            return parse_newsml(data, base_url=url)
        if kind == "nitf":
            return parse_nitf(data)
        if kind == Source.Kind.NINJS:
            return parse_ninjs(data)
    except ParseError as error:
        raise SourceUnreadable(f"not a readable {kind} document: {error}") from error
    raise SourceUnreadable(f"unknown kind {kind}")


def _poll_folder(source: Source, result: PollResult) -> None:
    directory = Path(source.location)
    if not folder_allowed(source.location):
        raise SourceUnreadable(f"{directory} is not under an allowed drop-folder root (NEWSDESK_INGEST_FOLDER_ROOTS)")
    if not directory.is_dir():
        raise SourceUnreadable(f"the drop folder {directory} does not exist")
    try:
        files = folder.pending_files(directory)
    except OSError as error:
        raise SourceUnreadable(f"the drop folder cannot be read: {error.strerror}") from error
    for path in files:
        try:
            data = folder.read_file(path, settings.NEWSDESK_INGEST_MAX_BYTES)
            feed = _parse(folder.kind_of(path, data), data)
        except (ParseError, SourceUnreadable, OSError) as error:
            folder.move_failed(path, str(error))
            _skipped(source, result, f"{path.name}: {error}")
            continue
        _ingest_feed(source, feed, result)
        folder.move_done(path)


def _skipped(source: Source, result: PollResult, reason: str) -> None:
    reason = clean_text(reason)[:500]
    result.touched.append(Touched(SKIPPED, reason))
    log(source, f"skipped {reason}", SourceLog.Level.WARNING)


def _ingest_feed(source: Source, feed: Feed, result: PollResult) -> None:
    for reason in feed.skipped:
        _skipped(source, result, reason)
    rules = parse_rules(source.mapping_rules)
    for story in feed.stories:
        for problem in story.problems:
            # What the parser cleaned or left out (a date without a zone, a javascript: link...).
            log(source, f"{clean_text(story.guid)[:120]}: {problem}", SourceLog.Level.WARNING)
        try:
            touched = ingest_story(source, story, rules=rules)
        except StoryRefused as error:
            _skipped(source, result, f"{clean_text(story.guid)[:120] or '(no guid)'}: {error}")
            continue
        except Exception as error:  # one bad story must not stop the feed; the log has the traceback
            logger.exception("Ingest: story %r of %s failed", story.guid, source.name)
            _skipped(source, result, f"{clean_text(story.guid)[:120]}: could not be used ({type(error).__name__})")
            continue
        result.touched.append(touched)
        if touched.action != SKIPPED:
            log(source, touched.line())
        else:
            log(source, touched.line(), SourceLog.Level.WARNING)


# --- One story ---------------------------------------------------------------------------------


def _digest(story: Story) -> str:
    fields = (story.headline, story.standfirst, story.body_html, story.bylines, story.subjects, story.pictures)
    return hashlib.sha256(repr(fields).encode("utf-8", "surrogatepass")).hexdigest()


def _address(article: ArticlePage) -> str:
    """What a poll prints for an article: its public address, or its place in the admin while a draft."""
    if article.live and article.url:
        return article.full_url or article.url
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/admin/pages/{article.pk}/edit/"


def ingest_story(source: Source, story: Story, *, rules: list[tuple[str, str, list[str]]] | None = None) -> Touched:
    """Create, update or withdraw the article for one story, all or nothing."""
    guid = clean_text(story.guid)
    if not guid or len(guid) > 500:
        raise StoryRefused("no usable GUID (missing or longer than 500 characters)")
    with transaction.atomic():
        record = IngestedStory.objects.select_for_update().filter(source=source, guid=guid).first()
        article = ArticlePage.objects.filter(pk=record.article_id).first() if record and record.article_id else None
        if story.status in (CANCELED, WITHHELD):
            return _withdraw(source, story, record, article)
        if story.status != USABLE:
            raise StoryRefused(f"publication status {clean_text(story.status)[:20]!r} is not usable")
        digest = _digest(story)
        if record is not None and article is not None:
            if story.version < record.version:
                return Touched(SKIPPED, f"{guid}: version {story.version} is older than {record.version}")
            if story.version == record.version and (source.kind != Source.Kind.RSS or digest == record.digest):
                return Touched(SKIPPED, f"{guid}: version {story.version} already ingested")
        fields = _article_fields(source, story, rules if rules is not None else parse_rules(source.mapping_rules))
        if article is None:
            duplicate = _duplicate(fields["canonical_url"] or fields["source_url"])
            if duplicate is not None:
                return Touched(SKIPPED, f"{guid}: already on the site as {_address(duplicate)}")
            article = _create(source, story, fields)
            action = CREATED
        else:
            _update(source, story, article, fields)
            action = UPDATED
        IngestedStory.objects.update_or_create(
            source=source,
            guid=guid,
            defaults={
                "version": story.version,
                "digest": digest,
                "article": article,
                "status": USABLE,
                "editor_note": clean_text(story.editor_note)[:5000],
            },
        )
        return Touched(action, _address(article))


def _withdraw(source: Source, story: Story, record: IngestedStory | None, article: ArticlePage | None) -> Touched:
    guid = clean_text(story.guid)
    if record is None or article is None:
        return Touched(SKIPPED, f"{guid}: {story.status}, and never ingested")
    if record.status == story.status and not article.live:
        return Touched(SKIPPED, f"{guid}: already {story.status}")
    address = _address(article)
    if article.live:
        article.unpublish()
    record.status = story.status
    record.version = max(record.version, story.version)
    record.save(update_fields=["status", "version", "last_seen"])
    transaction.on_commit(lambda: _tell_editors(source, article, story.status))
    return Touched(WITHDRAWN, address)


def _tell_editors(source: Source, article: ArticlePage, status: str) -> None:
    users = get_user_model().objects.filter(is_active=True, groups__name__in=[EDITORS, ADMINS]).exclude(email="")
    recipients = sorted({user.email for user in users})
    if not recipients:
        return
    body = (
        f"{source.attribution} has {status} the story “{article.title}”.\n"
        f"It has been taken off the site. Review it in the admin:\n"
        f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/admin/pages/{article.pk}/edit/\n"
    )
    try:
        send_mail(f"Wire story {status}: “{article.title}”", body, None, recipients)
    except Exception:  # the story is down either way; a mail server's trouble is logged
        logger.exception("Ingest: could not tell the editors about %s", article.pk)


def _duplicate(url: str) -> ArticlePage | None:
    """An article another source (or an editor) already brought in from the same original."""
    if not url:
        return None
    return ArticlePage.objects.filter(Q(canonical_url=url) | Q(source_url=url)).first()


# --- What the article holds -----------------------------------------------------------------------


def _url(value: str) -> str:
    value = clean_text(value)
    if not value or len(value) > 200 or urlsplit(value).scheme not in ("http", "https"):
        return ""
    return value


def _section_and_tags(
    source: Source, story: Story, rules: list[tuple[str, str, list[str]]]
) -> tuple[SectionPage, list[str]]:
    keys = {subject.code.lower() for subject in story.subjects if subject.code}
    keys |= {subject.name.lower() for subject in story.subjects if subject.name}
    section: SectionPage | None = None
    tags = [clean_text(subject.name)[:100] for subject in story.subjects if clean_text(subject.name)]
    for match, slug, rule_tags in rules:
        if match in keys:
            tags += rule_tags
            if section is None and slug:
                section = SectionPage.objects.filter(slug=slug).first()
    tags += [tag.strip() for tag in source.extra_tags.split(",") if tag.strip()]
    section = section or source.default_section
    if section is None:
        raise StoryRefused("no section: no mapping rule matched and the source has no default section")
    unique = list({tag.lower(): tag[:100] for tag in tags}.values())
    return section, unique


def _body(source: Source, story: Story, pictures: Callable[[ImageRef], FoundImage | None]) -> list[tuple[str, Any]]:
    dateline = clean_text(story.dateline or story.located).upper()[:60]
    if source.full_text and story.body_html.strip():
        blocks = html_to_blocks(story.body_html, pictures).blocks
    else:
        text = clean_text(nh3.clean(story.standfirst, tags=set())) if story.standfirst else ""
        blocks = [("paragraph", RichText(f"<p>{escape(text)}</p>"))] if text else []
        link = _url(story.link)
        if link:
            label = escape(f"Read the full story at {source.attribution}")
            blocks.append(("paragraph", RichText(f'<p><a href="{escape(link)}">{label}</a></p>')))
    if dateline and blocks and blocks[0][0] == "paragraph":
        # Wire style: the place the story was filed from opens the first paragraph.
        first = blocks[0][1].source if isinstance(blocks[0][1], RichText) else str(blocks[0][1])
        if first.startswith("<p>") and not first[3:].upper().startswith(dateline):
            blocks[0] = ("paragraph", RichText(f"<p><b>{escape(dateline)}</b> \u2013 {first[3:]}"))
    return blocks


def _article_fields(source: Source, story: Story, rules: list[tuple[str, str, list[str]]]) -> dict[str, Any]:
    headline = clean_text(nh3.clean(story.headline, tags=set()))[:255]
    if not headline:
        raise StoryRefused("no headline")
    section, tags = _section_and_tags(source, story, rules)
    standfirst = clean_text(nh3.clean(story.standfirst, tags=set()))[:500]
    link = _url(story.link)
    return {
        "title": headline,
        "standfirst": standfirst or headline[:500],
        "primary_section": section,
        "tags": tags,
        "source_name": source.attribution[:120],
        "source_url": link or _url(source.source_url),
        "canonical_url": link if source.canonical_to_original else "",
        "lead_image_caption": "",
        "lead_image_credit": "",
    }


def _picture(source: Source, story: Story) -> tuple[Image | None, str, str]:
    """The lead picture, fetched through the guarded client; a picture that fails leaves the story without."""
    for picture in story.pictures[:1]:
        url = _url(picture.url) if len(picture.url) <= 200 else clean_text(picture.url)
        if not url.startswith(("http://", "https://")):
            continue
        try:
            response = http.fetch(
                url, timeout=settings.NEWSDESK_INGEST_TIMEOUT, max_bytes=settings.NEWSDESK_INGEST_MAX_BYTES
            )
            response.raise_for_status()
            name = Path(urlsplit(url).path).name or "picture.jpg"
            PictureField().clean(ImageFile(BytesIO(response.content), name=name))
        except (http.FetchError, ValidationError) as error:
            log(source, f"{clean_text(story.guid)[:120]}: picture {url} left out: {error}", SourceLog.Level.WARNING)
            continue
        digest = hashlib.sha1(response.content).hexdigest()  # noqa: S324 - Wagtail's own file_hash is SHA-1
        image = Image.objects.filter(file_hash=digest).first()
        alt = clean_text(picture.alt or picture.caption)[:255]
        if image is None:
            image = Image(
                title=clean_text(picture.caption or story.headline)[:255] or name,
                description=alt,
                file=ImageFile(BytesIO(response.content), name=name),
                file_hash=digest,
                file_size=len(response.content),
            )
            image.save()
        credit = clean_text(picture.credit or story.rights)[:120]
        return image, clean_text(picture.caption)[:300], credit
    return None, "", ""


def _no_inline_pictures(ref: ImageRef) -> FoundImage | None:
    # Pictures inside wire bodies are rare and unlabelled; the lead picture comes from the story's own list.
    return None


def _byline(source: Source, story: Story) -> list[Author]:
    authors = []
    for person in story.bylines[:10]:
        name = clean_text(nh3.clean(person.name, tags=set()))[:120]
        if not name:
            continue
        author = Author.objects.filter(slug=author_slug(name)).first()
        if author is None:
            # Someone outside the newsroom: flagged in the role readers see beside the byline.
            role = clean_text(person.role)[:80] or "Guest author"
            author = Author.objects.create(
                name=name, slug=author_slug(name), role=f"{role}, {source.attribution}"[:120]
            )
        authors.append(author)
    if not authors:
        # The source itself is the byline when the story names nobody (agency copy often does not).
        name = source.attribution[:120]
        author = Author.objects.filter(slug=author_slug(name)).first() or Author.objects.create(
            name=name, slug=author_slug(name), role="Agency"
        )
        authors.append(author)
    return list({author.pk: author for author in authors}.values())


def _dates(story: Story) -> tuple[datetime.datetime, datetime.datetime | None]:
    """When the story was first published (never in the future) and, if embargoed, when it may go live."""
    now = timezone.now()
    first = story.first_created or story.version_created or now
    if timezone.is_naive(first):
        raise StoryRefused("a date without a time zone")
    embargo = story.embargoed_until if story.embargoed_until and story.embargoed_until > now else None
    if embargo is not None:
        return embargo, embargo
    return min(first, now), None


def _fill(article: ArticlePage, source: Source, story: Story, fields: dict[str, Any]) -> None:
    for name in ("title", "standfirst", "primary_section", "source_name", "source_url", "canonical_url"):
        setattr(article, name, fields[name])
    article.body = _body(source, story, _no_inline_pictures)
    article.tags.set(fields["tags"])
    # sort_order written out: the database would otherwise choose the order of equal (empty) keys.
    credits = [ArticleAuthor(author=author, sort_order=order) for order, author in enumerate(_byline(source, story))]
    article.byline.set(credits)
    image, caption, credit = _picture(source, story)
    if image is not None:
        article.lead_image, article.lead_image_caption, article.lead_image_credit = image, caption, credit


def _free_slug(title: str, index: ArticleIndexPage) -> str:
    base = slugify(title, allow_unicode=True)[:70].strip("-") or "story"
    taken = set(ArticlePage.objects.child_of(index).filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _create(source: Source, story: Story, fields: dict[str, Any]) -> ArticlePage:
    index = ArticleIndexPage.objects.first()
    if index is None:
        raise StoryRefused("the site has no article index yet")
    published_at, embargo = _dates(story)
    article = ArticlePage(slug=_free_slug(fields["title"], index), live=False)
    _fill(article, source, story, fields)
    # In the revision, so whoever publishes it (the poll, or an editor) cannot go past the embargo.
    article.go_live_at = embargo
    if source.mode == Source.Mode.PUBLISH:
        article.first_published_at = published_at
    index.add_child(instance=article)
    revision = article.save_revision(log_action=True)
    if source.mode == Source.Mode.PUBLISH:
        revision.publish()  # scheduled instead when under embargo
    else:
        workflow = article.get_workflow()
        if workflow is not None:
            workflow.start(article, user=None)
    article.refresh_from_db()
    return article


def _update(source: Source, story: Story, article: ArticlePage, fields: dict[str, Any]) -> None:
    editors_changes = article.live and article.has_unpublished_changes
    _fill(article, source, story, fields)
    revision = article.save_revision(log_action=True)
    guid = clean_text(story.guid)[:120]
    if article.live and not editors_changes:
        # Live: the new version is published in place; address and first-published date stay.
        revision.publish()
    elif article.live:
        log(
            source,
            f"{guid}: version {story.version} saved as a revision, not published: editors have unpublished "
            "changes to compare it with",
            SourceLog.Level.WARNING,
        )
    else:
        # A draft: the new version is the latest revision; an editor's earlier one stays in the history.
        log(source, f"{guid}: version {story.version} saved as a new revision of the draft")
    article.refresh_from_db()
