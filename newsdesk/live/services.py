"""Writes for live coverage: start and close it, post, correct and delete entries, each audited and purged."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.blocks import StreamValue
from wagtail.fields import StreamField
from wagtail.log_actions import log

from newsdesk.articles.models import ArticlePage, Author
from newsdesk.articles.purges import purge_article
from newsdesk.core import fragments, page_cache

from .blocks import sanitised
from .models import LiveCoverage, LiveEntry, LiveEntryChange
from .selectors import GENERATION


class CoverageClosed(Exception):
    """Closed coverage is frozen: it takes no new, corrected or deleted entries."""


def updates_path(article_id: int) -> str:
    return reverse("live-updates", args=[article_id])


def _purge_entries(coverage: LiveCoverage, *, hard: bool) -> None:
    """An entry shows on its article's page and in the polling endpoint, nowhere else."""
    paths = {updates_path(coverage.article_id)}
    own = coverage.article.dated_path()
    if own:
        paths.add(own)
    page_cache.purge_paths(paths, hard=hard)


def _coverage_changed(coverage: LiveCoverage) -> None:
    # The "Live" label is on every teaser of the article (kept under LISTS), and the page shows the
    # coverage at all only while the `live` generation says so.
    fragments.bump(GENERATION, fragments.LISTS)
    article = coverage.article
    transaction.on_commit(lambda: purge_article(article, hard=False))
    transaction.on_commit(lambda: page_cache.purge_paths({updates_path(article.pk)}))


@transaction.atomic
def coverage_start(
    *,
    article: ArticlePage,
    user: Any,
    order: str = LiveCoverage.Order.NEWEST_FIRST,
    started_at: datetime.datetime | None = None,
) -> LiveCoverage:
    """Turn an article into live coverage, open from `started_at` (now by default)."""
    coverage = LiveCoverage.objects.create(
        article=article, order=order, started_at=started_at or timezone.now(), started_by=user
    )
    log(instance=coverage, action="wagtail.create", user=user)
    _coverage_changed(coverage)
    return coverage


@transaction.atomic
def coverage_close(*, coverage: LiveCoverage, user: Any, ended_at: datetime.datetime | None = None) -> None:
    """Close the coverage: no more entries, and readers' pages stop polling."""
    if not coverage.is_open:
        return
    coverage.is_open = False
    coverage.ended_at = ended_at or timezone.now()
    coverage.save(update_fields=["is_open", "ended_at"])
    log(instance=coverage, action="wagtail.edit", user=user, data={"closed": True})
    _coverage_changed(coverage)


@transaction.atomic
def entry_post(
    *,
    coverage: LiveCoverage,
    user: Any,
    body: StreamValue | list[Any],
    author: Author | None = None,
    posted_at: datetime.datetime | None = None,
    pinned: bool = False,
    key_event: bool = False,
) -> LiveEntry:
    """Post an entry now; it shows on the article's page and in the next poll.

    `body` is the entry's blocks: a StreamValue (the form's) or raw stream data (blocks.from_text).
    """
    if not coverage.is_open:
        raise CoverageClosed
    entry = LiveEntry.objects.create(
        coverage=coverage,
        body=_clean(body),
        author=author,
        posted_at=posted_at or timezone.now(),
        pinned=pinned,
        key_event=key_event,
        created_by=user,
    )
    log(instance=entry, action="wagtail.create", user=user)
    transaction.on_commit(lambda: _purge_entries(coverage, hard=False))
    return entry


def _body_field() -> StreamField:
    return cast(StreamField, LiveEntry._meta.get_field("body"))


def _clean(body: StreamValue | list[Any]) -> StreamValue:
    """The body validated as the form does (a ValidationError for callers that skip it), then sanitised."""
    block = _body_field().stream_block
    stream = body if isinstance(body, StreamValue) else block.to_python(body)
    return sanitised(block.clean(stream), block)


def _raw(body: StreamValue) -> list[dict[str, Any]]:
    """The stream as JSON data (block types, values, ids) for Wagtail's log."""
    return list(_body_field().get_prep_value(body))


def _record(entry: LiveEntry, *, action: str, user: Any) -> None:
    LiveEntryChange.objects.create(
        entry=entry,
        action=action,
        previous_body=entry.body,
        previous_posted_at=entry.posted_at,
        changed_by=user,
    )


@transaction.atomic
def entry_correct(*, entry: LiveEntry, user: Any, **fields: Any) -> LiveEntry:
    """Change an entry's fields, keeping what it said before (the change history and Wagtail's log).

    Allowed after the coverage closed: a frozen page must still be correctable.
    """
    before = LiveEntry.objects.select_for_update().get(pk=entry.pk)
    _record(before, action=LiveEntryChange.Action.EDITED, user=user)
    if "body" in fields:
        fields["body"] = _clean(fields["body"])
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save()
    log(instance=entry, action="wagtail.edit", user=user, data={"previous_body": _raw(before.body)})
    transaction.on_commit(lambda: _purge_entries(entry.coverage, hard=True))
    return entry


@transaction.atomic
def entry_delete(*, entry: LiveEntry, user: Any) -> None:
    """Take an entry off the page; the row and its history stay for the audit trail (closed coverage too)."""
    _record(entry, action=LiveEntryChange.Action.DELETED, user=user)
    entry.deleted_at = timezone.now()
    entry.save(update_fields=["deleted_at", "updated_at"])
    log(instance=entry, action="wagtail.delete", user=user)
    transaction.on_commit(lambda: _purge_entries(entry.coverage, hard=True))
