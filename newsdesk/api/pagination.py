"""Cursor (keyset) pages: `?cursor=` from the answer's `next`, `?limit=` up to NEWSDESK_API_MAX_LIMIT.

A cursor names a position in the order, not a page number, so a story published
while a partner pages through never shifts what the next page holds, and the
database seeks to the position instead of counting past an offset.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request


def _datetime_or_none(raw: str) -> Any:
    try:
        return parse_datetime(raw)
    except ValueError:  # well-formed but impossible, e.g. month 13
        return None


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

    # How a cursor's position must read for the first ordering field: DRF hands the position
    # to the filter as it is, and a hand-made cursor whose position is not a date would make
    # the database layer raise (a 500) instead of the 404 every other bad cursor gets.
    position_parser: Callable[[str], Any] | None = staticmethod(_datetime_or_none)

    def decode_cursor(self, request: Request) -> Cursor | None:
        cursor = super().decode_cursor(request)
        parser = self.position_parser
        position = cursor.position if cursor is not None else None
        if position is not None and parser is not None and parser(position) is None:
            raise NotFound(self.invalid_cursor_message)
        return cursor


class BySlug(NewestFirst):
    ordering = ("slug",)
    position_parser = None  # any text is a slug position
