"""The corrections feed (RSS 2.0): every correction and clarification readers may see, newest first."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape, linebreaks
from wagtail.models import Site

from .corrections import public_corrections
from .feeds import FEED_SIZE, xml_text
from .models import Correction


class CorrectionsFeed(Feed[Correction, None]):
    def __call__(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_feed(self, obj: None, request: HttpRequest):  # type: ignore[no-untyped-def]
        # Headlines come from outside (imports, editors): only what XML 1.0 allows goes out (feeds.py).
        feed = super().get_feed(obj, request)
        feed.items = [{key: xml_text(value) for key, value in item.items()} for item in feed.items]
        return feed

    def title(self) -> str:
        return f"Corrections · {settings.WAGTAIL_SITE_NAME}"

    def link(self) -> str:
        return "/corrections/"

    def description(self) -> str:
        return f"Corrections and clarifications published by {settings.WAGTAIL_SITE_NAME}."

    def items(self) -> list[Correction]:
        return list(public_corrections()[:FEED_SIZE])

    def item_title(self, item: Correction) -> str:
        return f"{item.get_kind_display()}: {item.article.title}"

    def item_link(self, item: Correction) -> str:
        return f"{item.article.dated_path() or '/'}#corrections"

    def item_guid(self, item: Correction) -> str:
        # The row id never changes, even when an Admin rewords the correction.
        return f"tag:{Site.find_for_request(self.request).hostname},2026:correction:{item.pk}"

    item_guid_is_permalink = False

    def item_description(self, item: Correction) -> str:
        # <description> is HTML to feed readers; the text is plain, so it is escaped first.
        return linebreaks(escape(item.text))

    def item_pubdate(self, item: Correction) -> datetime.datetime:
        return item.published_at
