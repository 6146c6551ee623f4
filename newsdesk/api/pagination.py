"""Cursor (keyset) pages: `?cursor=` from the answer's `next`, `?limit=` up to NEWSDESK_API_MAX_LIMIT.

A cursor names a position in the order, not a page number, so a story published
while a partner pages through never shifts what the next page holds, and the
database seeks to the position instead of counting past an offset.
"""

from django.conf import settings
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request


class NewestFirst(CursorPagination):
    ordering: tuple[str, ...] = ("-first_published_at", "-pk")
    page_size_query_param = "limit"
    page_size_query_description = "How many per page: 1 to 100 (more is cut to 100); 20 if not given."
    max_page_size = 100  # for the document; the cap applied is NEWSDESK_API_MAX_LIMIT

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get("limit")
        if raw is None:
            return int(settings.NEWSDESK_API_DEFAULT_LIMIT)
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise ValidationError({"limit": "A whole number from 1 to 100."})
        return min(int(raw), int(settings.NEWSDESK_API_MAX_LIMIT))


class BySlug(NewestFirst):
    ordering = ("slug",)
