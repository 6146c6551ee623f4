"""Reads for the desk dashboard (the Wagtail admin home): each a few indexed queries with a LIMIT.

Every read is bounded whatever the archive holds: lists stop at `LIMIT` rows, and the
only counts are over small, indexed sets (today's articles by `first_published_at`,
held comments by `status`). Rows carry what a panel shows and the admin page where
the desk acts on the item.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Revision, TaskState, WorkflowState

from newsdesk.articles.models import ArticlePage
from newsdesk.articles.selectors import published_articles
from newsdesk.comments.admin_views import URL_NAMESPACE as COMMENTS
from newsdesk.comments.models import Comment
from newsdesk.ingest.models import Source
from newsdesk.recommendations import selectors as recommended

LIMIT = 10
HELD_LIMIT = 5
MOST_READ_LIMIT = 5
# Workflows and schedules may also hold snippets; the desk's panels list pages.
PAGE_TYPE = ("wagtailcore", "page")

Someone = User | AnonymousUser


@dataclass(frozen=True)
class Row:
    title: str
    url: str
    when: datetime.datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class Lead:
    row: Row
    since: datetime.datetime
    hours: float
    stale: bool


def _edit(page_id: int | str) -> str:
    return reverse("wagtailadmin_pages:edit", args=[int(page_id)])


def _is_page(content_type: ContentType) -> bool:
    # Checked on the fetched rows, not in SQL: a filter on the content type lets the planner
    # walk every page revision by that index instead of the few rows the time or status index finds.
    return (content_type.app_label, content_type.model) == PAGE_TYPE


def start_of_today(now: datetime.datetime | None = None) -> datetime.datetime:
    """Midnight in the site's time zone (TIME_ZONE), as an aware moment."""
    local = timezone.localtime(now or timezone.now())
    return timezone.make_aware(datetime.datetime.combine(local.date(), datetime.time.min))


def awaiting_review(user: Someone) -> list[Row]:
    """Review tasks in progress that `user` may approve, newest first."""
    states = (
        TaskState.objects.reviewable_by(user)
        .filter(status=TaskState.STATUS_IN_PROGRESS)
        .select_related("revision__base_content_type", "workflow_state__requested_by")
        # A revision's content is the whole page as JSON; the panel needs its title.
        .defer("revision__content")
        .order_by("-started_at", "-pk")[:LIMIT]
    )
    return [
        Row(
            title=state.revision.object_str,
            url=_edit(state.revision.object_id),
            when=state.started_at,
            note=_("sent by %(name)s") % {"name": _name(state.workflow_state.requested_by)},
        )
        for state in states
        if _is_page(state.revision.base_content_type)
    ]


def my_drafts_in_review(user: Someone) -> list[Row]:
    """The pages `user` sent for review that are still in their workflow, latest step first."""
    states = (
        WorkflowState.objects.active()
        .filter(requested_by_id=user.pk)
        .select_related("base_content_type", "current_task_state__task", "current_task_state__revision")
        .defer("current_task_state__revision__content")
        .order_by("-current_task_state__started_at", "-pk")[:LIMIT]
    )
    rows = []
    for state in states:
        task = state.current_task_state
        if task is None or not _is_page(state.base_content_type):
            continue
        waiting = (
            _("changes requested")
            if state.status == WorkflowState.STATUS_NEEDS_CHANGES
            else _("with %(task)s") % {"task": task.task.name}
        )
        rows.append(Row(title=task.revision.object_str, url=_edit(state.object_id), when=task.started_at, note=waiting))
    return rows


def scheduled(now: datetime.datetime | None = None, hours: int = 24) -> list[Row]:
    """Pages approved to go live within `hours`, soonest first.

    Wagtail keeps a scheduled publication on the approved revision (`approved_go_live_at`,
    indexed); the scheduler's `publish_scheduled` (newsdesk/articles/tasks.py) publishes from it.
    """
    now = now or timezone.now()
    revisions = (
        Revision.objects.filter(
            approved_go_live_at__gt=now, approved_go_live_at__lte=now + datetime.timedelta(hours=hours)
        )
        .select_related("base_content_type")
        .defer("content")
        .order_by("approved_go_live_at", "pk")[:LIMIT]
    )
    return [
        Row(title=rev.object_str, url=_edit(rev.object_id), when=rev.approved_go_live_at)
        for rev in revisions
        if _is_page(rev.base_content_type)
    ]


def _published_today(now: datetime.datetime) -> QuerySet[ArticlePage]:
    # Live is enough here: the desk sees private and section-restricted stories too.
    return ArticlePage.objects.filter(
        live=True, first_published_at__gte=start_of_today(now), first_published_at__lte=now
    )


def published_today(now: datetime.datetime | None = None) -> tuple[int, list[Row]]:
    """How many articles were first published since midnight (site time), and the newest of them."""
    now = now or timezone.now()
    today = _published_today(now)
    # An indexed range count over one day's articles, not the archive.
    count = today.count()
    rows = [
        Row(title=title, url=_edit(pk), when=at)
        for pk, title, at in today.order_by("-first_published_at", "-pk").values_list(
            "pk", "title", "first_published_at"
        )[:LIMIT]
    ]
    return count, rows


def held_comments() -> tuple[int, list[Row]]:
    """How many comments wait for moderation, and the oldest of them (they have waited longest)."""
    held = Comment.objects.pending()
    count = held.count()
    rows = [
        Row(
            title=_("%(name)s on “%(article)s”") % {"name": item["name"], "article": item["article__title"]},
            url=reverse(f"{COMMENTS}:edit", args=[item["pk"]]),
            when=item["created_at"],
            note=Truncator(item["body"]).chars(90),
        )
        for item in held.order_by("created_at", "pk").values("pk", "name", "body", "created_at", "article__title")[
            :HELD_LIMIT
        ]
    ]
    return count, rows


def comment_queue_url() -> str:
    return f"{reverse(f'{COMMENTS}:list')}?status={Comment.Status.PENDING}"


def most_read(now: datetime.datetime | None = None) -> tuple[list[Row], list[Row]]:
    """The most read published articles in the last hour and today, from the hourly view counters.

    The counters keep views per clock hour (recommendations.ArticleViews), so "the last hour"
    is the current hour and the one before it, and "today" starts at the hour of local midnight.
    """
    now = now or timezone.now()
    hours_today = int((now - start_of_today(now)).total_seconds() // 3600)
    # Both windows' articles in one query, whatever the hour.
    hour, today = recommended.most_read_windows(hours=(1, hours_today), limit=MOST_READ_LIMIT)

    def rows(articles: list[ArticlePage]) -> list[Row]:
        return [Row(title=article.title, url=_edit(article.pk)) for article in articles]

    return rows(hour), rows(today)


def stale_lead_hours() -> float:
    return float(settings.NEWSDESK_DESK_STALE_LEAD_HOURS)


def home_lead(now: datetime.datetime | None = None) -> Lead | None:
    """The home page's lead and how long it has led.

    The home page leads with the newest published article (newsdesk/pages/selectors.py,
    `home_blocks`), so the lead has been unchanged since its first publication.
    """
    now = now or timezone.now()
    found = published_articles().newest_first().values_list("pk", "title", "first_published_at")[:1]
    if not found:
        return None
    pk, title, since = found[0]
    hours = (now - since).total_seconds() / 3600
    return Lead(
        row=Row(title=title, url=_edit(pk), when=since), since=since, hours=hours, stale=hours >= stale_lead_hours()
    )


def ingest_errors() -> list[Row]:
    """Enabled wires and feeds whose last poll failed (they are in back-off until it succeeds)."""
    sources = Source.objects.filter(enabled=True, failures__gt=0).order_by("-last_error_at", "pk")[:LIMIT]
    return [
        Row(
            title=source.name,
            url=reverse("ingest_sources:inspect", args=[source.pk]),
            when=source.last_error_at,
            note=Truncator(source.last_error).chars(120),
        )
        for source in sources
    ]


def _name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return _("someone")
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or user.get_username())
