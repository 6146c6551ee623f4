import datetime
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest


def page_number(request: HttpRequest) -> int:
    """`?page=` as a number; anything but a positive number of ASCII digits is a 404."""
    raw = request.GET.get("page", "1")
    # ASCII digits only: "²" is a digit to isdigit() but not to int().
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise Http404("No such page")
    return int(raw)


# Past any list this site holds (twelve million articles at twelve a page): a larger number
# would overflow the database's OFFSET, so it is "not found" before any query.
MAX_UNCOUNTED_PAGE = 1_000_000


# A list position: an article's publication time (microseconds since the epoch) and id, the
# list's order. The page cache's allowlist for `?before=` and `?after=` (settings/base.py, which
# imports no app code) repeats it, so a page reached by its links is kept like `?page=N`; a test
# holds the two equal (articles/tests/test_list_positions.py).
CURSOR_PATTERN = r"[0-9]{1,18}-[0-9]{1,12}"
_CURSOR = re.compile(CURSOR_PATTERN)
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Cursor:
    """Where a page of a newest-first list starts or ends: `?before=` / `?after=` in its links.

    Older and Newer link by position rather than by page number. `?page=500` must skip
    the 9,980 newest articles of its list to find its own, and the database counts its
    way through each of them; a position is found in the publication-time index at once,
    so the five-hundredth page costs what the second does. The number still travels in
    the link, for the page's "Page N" and its robots rule.
    """

    published_at: datetime.datetime
    pk: int

    @classmethod
    def of(cls, article: Any) -> "Cursor":
        return cls(published_at=article.first_published_at, pk=article.pk)

    @classmethod
    def parse(cls, raw: str) -> "Cursor":
        """A cursor from a link; anything else (or a time out of range) is not a page: a 404."""
        if not _CURSOR.fullmatch(raw):
            raise Http404("No such page")
        micro, pk = (int(part) for part in raw.split("-"))
        try:
            published_at = _EPOCH + datetime.timedelta(microseconds=micro)
        except OverflowError:
            raise Http404("No such page") from None
        return cls(published_at=published_at, pk=pk)

    def token(self) -> str:
        delta = self.published_at - _EPOCH
        micro = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        return f"{micro}-{self.pk}"

    def older(self, field: str = "first_published_at") -> Q:
        """Articles after this position in a newest-first list. The plain `__lte` bound is
        implied by the OR, but the database reads it as where to start in its index.
        `field` is the time the list is ordered by (a tag list's is on its tag rows)."""
        at = self.published_at
        return Q(**{f"{field}__lte": at}) & (Q(**{f"{field}__lt": at}) | Q(**{field: at, "pk__lt": self.pk}))

    def newer(self, field: str = "first_published_at") -> Q:
        at = self.published_at
        return Q(**{f"{field}__gte": at}) & (Q(**{f"{field}__gt": at}) | Q(**{field: at, "pk__gt": self.pk}))


def page_cursor(request: HttpRequest) -> tuple[str, Cursor] | None:
    """`("before", cursor)` or `("after", cursor)` from the query, or None; both at once is a 404."""
    found = [(side, Cursor.parse(request.GET[side])) for side in ("before", "after") if side in request.GET]
    if len(found) > 1:
        raise Http404("No such page")
    return found[0] if found else None


def list_position(request: HttpRequest) -> str:
    """The position a link carried, as text for keys: "" for none, "-" for one that is no position."""
    for side in ("before", "after"):
        if side in request.GET:
            raw = request.GET[side]
            return f"{side}={raw}" if _CURSOR.fullmatch(raw) else "-"
    return ""


@dataclass(frozen=True)
class UncountedPage:
    """A page of a list whose length is never counted: only whether a page follows.

    Counting a section, author or tag list reads every article in it, so a list page
    grew with the archive even where it shows twelve teasers. Readers get Newer/Older
    and the page's number; `?page=N` keeps its meaning.
    """

    number: int
    object_list: list[Any]
    more: bool
    # Not a counting paginator: the shared pagination template says "Page N" without "of M".
    paginator: None = None

    @property
    def newer_query(self) -> str:
        """The Newer link's query: the second page's newer page is the list's first."""
        if self.number <= 2 or not self.object_list:
            return "page=1"
        return f"page={self.number - 1}&after={Cursor.of(self.object_list[0]).token()}"

    @property
    def older_query(self) -> str:
        return f"page={self.number + 1}&before={Cursor.of(self.object_list[-1]).token()}"

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def paginate_uncounted(
    request: HttpRequest, queryset: QuerySet, per_page: int | None = None, *, position: str = "first_published_at"
) -> UncountedPage:
    """The page a link asks for in a newest-first list of articles, in one query.

    Older and Newer links carry a position (`?page=N&before=…`, `?page=N&after=…`, see
    Cursor): the page is the next `per_page` articles from there. A bare `?page=N` (the
    first page, and links made before positions) reads its ids (and the next page's
    first) from the narrow list by offset, then their rows: the rows skipped on the
    way are index entries, not teasers built with their joins and comment counts. A
    page past the end is a 404. `position` names the time the list is ordered by, which
    its positions are compared with.
    """
    number = page_number(request)
    if number > MAX_UNCOUNTED_PAGE:
        raise Http404("No such page")
    size = per_page or settings.NEWSDESK_PAGE_SIZE
    if (cursor := page_cursor(request)) is not None:
        found = _page_at(queryset, number, size, *cursor, position=position)
        if found is not None:
            return found
        number = 1  # fewer than a page is newer than the position: the list's first page
    bottom = (number - 1) * size
    ids = queryset.values("pk")[bottom : bottom + size + 1]
    rows = list(queryset.filter(pk__in=ids))
    if number > 1 and not rows:
        raise Http404("No such page")
    return UncountedPage(number=number, object_list=rows[:size], more=len(rows) > size)


def _page_at(
    queryset: QuerySet, number: int, size: int, side: str, cursor: Cursor, *, position: str
) -> UncountedPage | None:
    """The page older or newer than `cursor`; None when a Newer link has reached the list's top."""
    if side == "before":
        rows = list(queryset.filter(cursor.older(position))[: size + 1])
        if not rows:
            raise Http404("No such page")
        # Newer articles exist (at least the one at the cursor), so it is not the first page.
        return UncountedPage(number=max(number, 2), object_list=rows[:size], more=len(rows) > size)
    rows = list(queryset.filter(cursor.newer(position)).reverse()[: size + 1])
    if len(rows) <= size:
        return None
    return UncountedPage(number=max(number, 2), object_list=rows[:size][::-1], more=True)


def paginate(request: HttpRequest, queryset: QuerySet | Sequence, per_page: int | None = None) -> PaginatorPage:
    """The page of results `?page=` asks for; anything but 1..last is a 404.

    `?page=abc`, `?page=0` and pages past the end are not pages of this list, so
    they answer "not found" rather than silently showing page 1 or the last one.
    """
    number = page_number(request)
    paginator = Paginator(queryset, per_page or settings.NEWSDESK_PAGE_SIZE, allow_empty_first_page=True)
    if number > paginator.num_pages:
        raise Http404("No such page")
    return paginator.page(number)
