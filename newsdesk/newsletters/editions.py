"""Building editions: automatic ones at their time, breaking alerts on publish, web addresses."""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from newsdesk.articles.models import ArticlePage, ArticlePageQuerySet
from newsdesk.articles.selectors import published_articles

from .models import Edition, EditionItem, Newsletter, NewsletterPick

# A story first published longer ago than this sends no alert: an archive import or a
# republished old story is not breaking news.
ALERT_WINDOW = datetime.timedelta(hours=6)


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def next_web_key(newsletter: Newsletter, day: datetime.date) -> str:
    """ "2026-11-30" for the day's first edition, then "2026-11-30-2", "2026-11-30-3"..."""
    base = day.isoformat()
    taken = set(
        Edition.objects.filter(newsletter=newsletter, web_key__startswith=base).values_list("web_key", flat=True)
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def latest_slot(newsletter: Newsletter, now: datetime.datetime) -> datetime.datetime | None:
    """The most recent moment at or before `now` when this newsletter was due (site time zone)."""
    if newsletter.cadence not in (Newsletter.Cadence.DAILY, Newsletter.Cadence.WEEKLY):
        return None
    local_now = now.astimezone(local_zone())
    send_time = newsletter.send_time
    if isinstance(send_time, str):  # a default not yet read back from the database
        send_time = datetime.time.fromisoformat(send_time)
    slot = datetime.datetime.combine(local_now.date(), send_time, tzinfo=local_zone())
    if newsletter.cadence == Newsletter.Cadence.DAILY:
        if slot > local_now:
            slot -= datetime.timedelta(days=1)
    else:
        slot -= datetime.timedelta(days=(local_now.weekday() - newsletter.weekday) % 7)
        if slot > local_now:
            slot -= datetime.timedelta(days=7)
    return slot


def is_due(newsletter: Newsletter, now: datetime.datetime) -> bool:
    slot = latest_slot(newsletter, now)
    if slot is None:
        return False
    covered = newsletter.covered_until or newsletter.created_at
    return covered is not None and covered < slot


def _default_window(newsletter: Newsletter) -> datetime.timedelta:
    return datetime.timedelta(days=7 if newsletter.cadence == Newsletter.Cadence.WEEKLY else 1)


def _stories(newsletter: Newsletter) -> ArticlePageQuerySet:
    stories = published_articles()
    sections = list(newsletter.sections.all())
    if sections:
        stories = stories.filter(Q(primary_section__in=sections) | Q(extra_sections__in=sections)).distinct()
    return stories


def choose_articles(newsletter: Newsletter, *, since: datetime.datetime, until: datetime.datetime) -> list[int]:
    """Editor picks first (in their order), then the newest stories of the chosen sections."""
    published = published_articles()
    picks = [
        pick.article_id
        for pick in NewsletterPick.objects.filter(newsletter=newsletter).order_by("sort_order", "pk")
        if published.filter(pk=pick.article_id).exists()
    ]
    chosen = picks[: newsletter.max_items]
    room = newsletter.max_items - len(chosen)
    if room > 0:
        newest = (
            _stories(newsletter)
            .filter(first_published_at__gt=since, first_published_at__lte=until)
            .exclude(pk__in=chosen)
            .order_by("-first_published_at", "-pk")
            .values_list("pk", flat=True)[:room]
        )
        chosen += list(newest)
    return chosen


@transaction.atomic
def build_edition(
    newsletter: Newsletter,
    *,
    now: datetime.datetime | None = None,
    kind: str = Edition.Kind.AUTOMATIC,
    newest_if_empty: bool = False,
) -> Edition | None:
    """An edition of what was published since the last one; None when there is nothing to send.

    With `newest_if_empty` (an operator's `send_newsletter`), a quiet spell still gives an
    edition of the newest stories rather than nothing.
    """
    now = now or timezone.now()
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    since = newsletter.covered_until or (now - _default_window(newsletter))
    article_ids = choose_articles(newsletter, since=since, until=now)
    if not article_ids and newest_if_empty:
        article_ids = choose_articles(newsletter, since=datetime.datetime.min.replace(tzinfo=datetime.UTC), until=now)
    newsletter.covered_until = now
    newsletter.save(update_fields=["covered_until"])
    if not article_ids:
        return None
    local_day = now.astimezone(local_zone()).date()
    edition = Edition.objects.create(
        newsletter=newsletter,
        kind=kind,
        subject=_("%(name)s: %(date)s") % {"name": newsletter.name, "date": local_day.strftime("%B %-d, %Y")},
        web_key=next_web_key(newsletter, local_day),
        scheduled_for=now,
    )
    EditionItem.objects.bulk_create(
        [EditionItem(edition=edition, article_id=pk, sort_order=index) for index, pk in enumerate(article_ids)]
    )
    NewsletterPick.objects.filter(newsletter=newsletter, article_id__in=article_ids).delete()
    return edition


def alert_newsletters(article: ArticlePage) -> list[Newsletter]:
    """The on-publish newsletters this story belongs to: a chosen section, or the breaking tag."""
    section_ids = {article.primary_section_id, *article.extra_sections.values_list("pk", flat=True)} - {None}
    tag_slugs = set(article.tags.values_list("slug", flat=True))
    found = []
    for newsletter in Newsletter.objects.filter(cadence=Newsletter.Cadence.ON_PUBLISH).prefetch_related("sections"):
        chosen = {section.pk for section in newsletter.sections.all()}
        if (chosen & section_ids) or (newsletter.breaking_tag and newsletter.breaking_tag in tag_slugs):
            found.append(newsletter)
    return found


@transaction.atomic
def build_alert(
    newsletter: Newsletter, article: ArticlePage, *, now: datetime.datetime | None = None
) -> Edition | None:
    """A one-story breaking alert, once per story and newsletter (a republish sends nothing)."""
    now = now or timezone.now()
    if article.first_published_at is None or article.first_published_at < now - ALERT_WINDOW:
        return None
    if EditionItem.objects.filter(
        edition__newsletter=newsletter, edition__kind=Edition.Kind.ALERT, article=article
    ).exists():
        return None
    local_day = now.astimezone(local_zone()).date()
    edition = Edition.objects.create(
        newsletter=newsletter,
        kind=Edition.Kind.ALERT,
        subject=article.title[:200],
        web_key=next_web_key(newsletter, local_day),
        scheduled_for=now,
    )
    EditionItem.objects.create(edition=edition, article=article, sort_order=0)
    return edition
