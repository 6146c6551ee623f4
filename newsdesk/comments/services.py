"""Writes for comments: posting (every rule, in order), moderating, privacy requests."""

import datetime
import hashlib
import json
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Site

from newsdesk.articles.models import ArticlePage
from newsdesk.articles.purges import purge_article
from newsdesk.core import fragments, lookalikes

from . import events, names, spam
from .audit import forget_readers_words, log_deletion, log_moderation
from .models import MAX_DEPTH, Comment, CommentSettings, WebsiteValidator, word_list
from .tasks import notify_about_comment

logger = logging.getLogger(__name__)

# The reference system's messages (WordPress core and the theme), translatable.
CLOSED = gettext_lazy("Sorry, comments are closed for this item.")
TOO_QUICK = gettext_lazy("You are posting comments too quickly. Slow down.")
DUPLICATE = gettext_lazy("Duplicate comment detected; it looks as though you've already said that!")
TOO_LONG = gettext_lazy("Your comment is too long.")
MAX_COMMENT_BYTES = 65_525


class CommentRejected(Exception):
    """A rule refused the comment; the message is for the reader."""

    def __init__(self, message: str | Promise, field: str | None = None, *, status: int = 400) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.status = status


@dataclass(frozen=True)
class Submission:
    article: ArticlePage
    name: str
    email: str
    website: str
    body: str
    parent_id: int | None = None
    ip_address: str | None = None
    user_agent: str = ""
    idempotency_key: str = ""
    honeypot: str = ""
    seconds_to_fill: float | None = None
    user: User | None = None


SETTINGS_CACHE_KEY = "comments:settings"


def comment_settings() -> CommentSettings:
    """The default site's comment rules, cached briefly so article pages need no query for them."""
    rules = cache.get(SETTINGS_CACHE_KEY)
    if rules is None:
        site = Site.objects.filter(is_default_site=True).first()
        rules = CommentSettings.for_site(site) if site else CommentSettings()
        cache.set(SETTINGS_CACHE_KEY, rules, 60)
    return rules


def forget_comment_settings() -> None:
    cache.delete(SETTINGS_CACHE_KEY)


def comments_open(article: ArticlePage, rules: CommentSettings, now: datetime.datetime | None = None) -> bool:
    if not article.comments_open:
        return False
    if rules.close_after_days and article.first_published_at:
        return (now or timezone.now()) - article.first_published_at <= datetime.timedelta(days=rules.close_after_days)
    return True


def submission_key(submission: Submission) -> str:
    """The browser's key for this form, or, without JavaScript, one made from what was sent."""
    if submission.idempotency_key:
        raw = f"client:{submission.article.pk}:{submission.idempotency_key}"
    else:
        raw = "|".join(
            [
                "content",
                str(submission.article.pk),
                str(submission.parent_id or ""),
                submission.email.lower(),
                submission.body.strip(),
                submission.ip_address or "",
            ]
        )
    return hashlib.sha256(raw.encode()).hexdigest()


def _is_newsroom(user: User | None) -> bool:
    """Django staff, or anyone who may moderate comments (Wagtail editors are seldom is_staff)."""
    if user is None:
        return False
    return bool(getattr(user, "is_staff", False) or user.has_perm("comments.change_comment"))


def _classify(submission: Submission, rules: CommentSettings) -> tuple[str, str, float | None]:
    """Status, reason and spam score for a comment that passed the hard rules."""
    if _is_newsroom(submission.user):
        return Comment.Status.APPROVED, "", None
    text = f"{submission.name}\n{submission.website}\n{submission.body}"
    if submission.honeypot:
        return Comment.Status.SPAM, "filled in the hidden field robots fill in", None
    if submission.seconds_to_fill is not None and submission.seconds_to_fill < rules.min_fill_seconds:
        return Comment.Status.SPAM, f"sent {submission.seconds_to_fill:.1f} s after the form opened", None
    blocked = spam.matched_word(text, word_list(rules.blocked_words))
    if blocked:
        return Comment.Status.TRASH, f"blocked word: {blocked}", None
    score = spam.spam_probability(
        spam.tokens(body=submission.body, name=submission.name, website=submission.website, email=submission.email)
    )
    if score is not None and score >= rules.spam_threshold:
        return Comment.Status.SPAM, f"spam filter: {score:.2f}", score
    links = spam.link_count(submission.body)
    if links >= rules.max_links:
        return Comment.Status.PENDING, f"{links} links", score
    held = spam.matched_word(text, word_list(rules.moderation_words))
    if held:
        return Comment.Status.PENDING, f"moderation word: {held}", score
    if rules.hold_first_comments:
        known = Comment.objects.filter(
            status=Comment.Status.APPROVED, name=submission.name, email__iexact=submission.email
        ).exists()
        if not known:
            return Comment.Status.PENDING, "first comment from this name and email", score
    return Comment.Status.APPROVED, "", score


def _name_flags(name: str, *, by_staff: bool) -> list[str]:
    """Why a name needs a moderator's eye: bidi controls were removed, or it passes for staff."""
    flags = []
    if lookalikes.without_bidi_controls(name) != name:
        flags.append("name had right-to-left/bidi control characters (removed)")
    imitated = None if by_staff else names.imitated_staff_name(name)
    if imitated:
        flags.append(f"name resembles staff member {imitated}")
    return flags


def _flagged(status: str, reason: str, flags: list[str]) -> tuple[str, str]:
    """A flagged comment published by the rules is held instead; the flags join the reason."""
    if not flags:
        return status, reason
    held = Comment.Status.PENDING if status == Comment.Status.APPROVED else status
    return held, "; ".join([reason, *flags] if reason else flags)[:200]


def _check_website(website: str) -> None:
    if website:
        try:
            WebsiteValidator()(website)
        except ValidationError as error:
            raise CommentRejected(error.messages[0], "website") from error


def _parent(submission: Submission) -> Comment | None:
    if not submission.parent_id:
        return None
    parent = Comment.objects.filter(
        pk=submission.parent_id, article=submission.article, status=Comment.Status.APPROVED
    ).first()
    if parent is None:
        raise CommentRejected(_("The comment you are replying to is not there any more."))
    # Threads go five deep; a reply to the deepest comment joins its thread at that depth.
    while parent.depth >= MAX_DEPTH and parent.parent_id:
        parent = Comment.objects.get(pk=parent.parent_id)
    return parent


def post_comment(submission: Submission, *, now: datetime.datetime | None = None) -> tuple[Comment, bool]:
    """Apply every rule and store the comment. Returns (comment, created).

    Raises CommentRejected with the reader's message when a rule refuses it. A held or
    rejected comment is stored with its reason (a moderator can rescue it).
    """
    now = now or timezone.now()
    rules = comment_settings()
    key = submission_key(submission)
    existing = Comment.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing, False
    if not comments_open(submission.article, rules, now):
        raise CommentRejected(CLOSED)
    if len(submission.body.encode()) > MAX_COMMENT_BYTES:
        raise CommentRejected(TOO_LONG, "comment")
    _check_website(submission.website.strip())
    parent = _parent(submission)
    if Comment.objects.filter(
        article=submission.article, email__iexact=submission.email, body=submission.body.strip()
    ).exists():
        raise CommentRejected(DUPLICATE)
    flood_seconds = settings.NEWSDESK_COMMENT_FLOOD_SECONDS
    if submission.ip_address and flood_seconds and not _is_newsroom(submission.user):
        # Atomic in a shared cache; the database check covers a cache that was cleared.
        first_in_window = cache.add(f"comments:flood:{submission.ip_address}", 1, flood_seconds)
        recent = Comment.objects.filter(
            ip_address=submission.ip_address, created_at__gte=now - datetime.timedelta(seconds=flood_seconds)
        ).exists()
        if not first_in_window or recent:
            raise CommentRejected(TOO_QUICK, status=429)
    status, reason, score = _classify(submission, rules)
    by_staff = names.is_newsroom_member(submission.user)
    status, reason = _flagged(status, reason, _name_flags(submission.name, by_staff=by_staff))
    comment = Comment(
        article=submission.article,
        parent=parent,
        depth=(parent.depth + 1) if parent else 1,
        name=lookalikes.without_bidi_controls(submission.name).strip(),
        email=submission.email.strip(),
        website=submission.website.strip(),
        body=submission.body.strip(),
        status=status,
        reason=reason,
        spam_score=score,
        created_at=now,
        ip_address=submission.ip_address or None,
        user_agent=submission.user_agent[:255],
        idempotency_key=key,
        user=submission.user if getattr(submission.user, "is_authenticated", False) else None,
        by_staff=by_staff,
    )
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:
        # The same submission arrived twice at once: the other request stored it.
        twin = Comment.objects.filter(idempotency_key=key).first()
        if twin is None:
            raise
        return twin, False
    transaction.on_commit(lambda: _after_post(comment))
    return comment, True


def _after_post(comment: Comment) -> None:
    if comment.status in (Comment.Status.APPROVED, Comment.Status.PENDING):
        notify_about_comment.enqueue(comment.pk)
    if comment.status == Comment.Status.PENDING:
        events.comment_held.send(sender=Comment, comment=comment)
    if comment.status == Comment.Status.APPROVED:
        shown_comments_changed(comment.article, removed=False)


def purge_article_pages(article: ArticlePage, *, removed: bool = False) -> None:
    """Drop the cached copies of the article's page and the pages listing its comment count.

    A comment taken off the page (unapproved, deleted, erased) is a hard purge: no
    stale copy may show it again, not even while the database is down.
    """
    purge_article(article, hard=True if removed else None)


def shown_comments_changed(article: ArticlePage, *, removed: bool) -> None:
    """A comment readers see changed: kept comment lists and counts are dropped now (so this
    transaction's own reads already miss them) and again at commit; the page is purged at commit."""
    fragments.bump(fragments.LISTS)
    transaction.on_commit(partial(purge_article_pages, article, removed=removed))


# --- Moderation -------------------------------------------------------------------


@transaction.atomic
def moderate(comment: Comment, status: str, *, now: datetime.datetime | None = None) -> Comment:
    """Set a comment's status; approve and spam teach the filter; the article's page is purged."""
    was = comment.status
    comment.status = status
    comment.moderated_at = now or timezone.now()
    comment.save(update_fields=["status", "moderated_at"])
    log_moderation(comment, was=was)
    if status == Comment.Status.APPROVED:
        spam.learn(comment, as_spam=False)
    elif status == Comment.Status.SPAM:
        spam.learn(comment, as_spam=True)
    else:
        spam.forget(comment)
    if Comment.Status.APPROVED in (was, status):
        removed = was == Comment.Status.APPROVED and status != Comment.Status.APPROVED
        shown_comments_changed(comment.article, removed=removed)
    return comment


@transaction.atomic
def delete_comment(comment: Comment) -> None:
    article, shown = comment.article, comment.status == Comment.Status.APPROVED
    comment.delete()
    if shown:
        shown_comments_changed(article, removed=True)


def staff_reply(*, parent: Comment, user: User, body: str) -> Comment:
    """A reply from the newsroom, published at once under the staff member's name."""
    name = user.get_full_name() or user.get_username()
    submission = Submission(
        article=parent.article,
        name=name,
        email=user.email or f"{user.get_username()}@staff.invalid",
        website="",
        body=body,
        parent_id=parent.pk,
        user=user,
    )
    comment, _ = post_comment(submission)
    return comment


# --- Privacy ----------------------------------------------------------------------


def export_comments(email: str) -> str:
    """Every comment written with one email address, as JSON (a reader's access request)."""
    rows = [
        {
            "id": comment.pk,
            "article": comment.article.title,
            "article_url": comment.article.full_url,
            "name": comment.name,
            "email": comment.email,
            "website": comment.website,
            "comment": comment.body,
            "status": comment.status,
            "created_at": comment.created_at.isoformat(),
            "ip_address": comment.ip_address,
            "user_agent": comment.user_agent,
        }
        for comment in Comment.objects.filter(email__iexact=email.strip()).select_related("article")
    ]
    return json.dumps({"email": email.strip(), "comments": rows}, indent=2, ensure_ascii=False)


@transaction.atomic
def erase_comments(email: str) -> int:
    """Delete every comment written with one email address; replies to them go too."""
    comments = list(Comment.objects.filter(email__iexact=email.strip()).select_related("article"))
    articles = {comment.article for comment in comments if comment.status == Comment.Status.APPROVED}
    forget_readers_words(comments)
    for comment in comments:
        log_deletion(comment)
    # Count comments only (replies included), not the training records deleted with them.
    _, deleted = Comment.objects.filter(pk__in=[comment.pk for comment in comments]).delete()
    count = deleted.get(Comment._meta.label, 0)
    for article in articles:
        shown_comments_changed(article, removed=True)
    return count
