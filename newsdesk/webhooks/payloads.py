"""The `data` of each event: the read API's representation of the object, and only what readers may see.

A published or updated article is told as the API shows it, and only while `published()`
holds (a draft, a story scheduled for later or one behind a view restriction is never
sent). An unpublished or deleted article is told by id and former address alone: a story
taken down (for legal reasons, say) is not broadcast again in full. A held comment carries
no personal data (no name, e-mail, address or text), only what a moderation tool needs to
link to it; a newsletter edition, its public page.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse

from newsdesk.api.representation import article_representation
from newsdesk.articles.models import ArticlePage, Correction
from newsdesk.comments.models import Comment
from newsdesk.newsletters.models import Edition


def _base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def _time(moment: datetime.datetime | None) -> str | None:
    # As the API writes times (ISO 8601 with the offset as stored: UTC).
    return moment.isoformat() if moment is not None else None


def published_article(article_id: int) -> ArticlePage | None:
    return ArticlePage.objects.published().filter(pk=article_id).first()


def article(article_id: int) -> dict[str, Any] | None:
    """The article as the API shows it, or None if readers may not see it (now that the change has committed)."""
    found = published_article(article_id)
    return {"article": article_representation(found)} if found is not None else None


def removed_article(article_id: int, url: str) -> dict[str, Any]:
    return {"article": {"id": article_id, "url": url}}


def _article_or_id(article_id: int) -> dict[str, Any]:
    found = published_article(article_id)
    return article_representation(found) if found is not None else {"id": article_id}


def comment_held(comment: Comment) -> dict[str, Any]:
    return {
        "comment": {
            "id": comment.pk,
            "status": comment.status,
            "reason": comment.reason,
            "created_at": _time(comment.created_at),
            "moderation_url": _base_url() + reverse("wagtailsnippets_comments_comment:edit", args=[comment.pk]),
        },
        "article": _article_or_id(comment.article_id),
    }


def correction_added(correction: Correction) -> dict[str, Any]:
    return {
        "correction": {
            "id": correction.pk,
            "kind": correction.kind,
            "text": correction.text,
            "significant": correction.significant,
            "published_at": _time(correction.published_at),
        },
        "article": _article_or_id(correction.article_id),
    }


def edition_sent(edition_id: int) -> dict[str, Any] | None:
    # Read again: the sender marked it sent with an update(), so the instance it had is stale.
    edition = Edition.objects.select_related("newsletter").filter(pk=edition_id).first()
    if edition is None:
        return None
    newsletter = edition.newsletter
    return {
        "edition": {
            "id": edition.pk,
            "subject": edition.subject,
            "kind": edition.kind,
            "sent_at": _time(edition.finished_at),
            "url": _base_url() + edition.get_absolute_url() if edition.web_key else None,
            "newsletter": {"slug": newsletter.slug, "name": newsletter.name},
        }
    }


def test_event(webhook_name: str) -> dict[str, Any]:
    """The "Send test event" button's data: the newest published article, so a receiver sees a real shape."""
    newest = ArticlePage.objects.published().newest_first().first()
    return {
        "message": f"A test event for the webhook “{webhook_name}”, sent from the admin.",
        "article": article_representation(newest) if newest is not None else None,
    }
