"""Recommendation data for tests and the demo newsroom."""

import datetime
from collections.abc import Sequence

from django.utils import timezone
from wagtail.models import Site

from newsdesk.articles.models import ArticlePage

from .models import ArticleViews, MustReadPick, MustReadSettings


def views_rows(article: ArticlePage, views: int, *, hours_ago: int = 0) -> ArticleViews:
    """Views of an article as the flush job would have written them, `hours_ago` hours back."""
    hour = (timezone.now() - datetime.timedelta(hours=hours_ago)).replace(minute=0, second=0, microsecond=0)
    row, _ = ArticleViews.objects.get_or_create(article=article, hour=hour, defaults={"views": 0})
    row.views += views
    row.save(update_fields=["views"])
    return row


def must_read_picks(
    articles: Sequence[ArticlePage], *, expires_at: Sequence[datetime.datetime | None] | None = None
) -> MustReadSettings:
    """Set the default site's Must read picks, in the given order."""
    site = Site.objects.get(is_default_site=True)
    settings = MustReadSettings.for_site(site)
    settings.picks.all().delete()
    for position, article in enumerate(articles):
        MustReadPick.objects.create(
            settings=settings,
            article=article,
            sort_order=position,
            expires_at=expires_at[position] if expires_at else None,
        )
    return settings
