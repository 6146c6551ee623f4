from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
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


def paginate_uncounted(request: HttpRequest, queryset: QuerySet, per_page: int | None = None) -> UncountedPage:
    """The page `?page=` asks for, in one query: its ids (and the next page's first) from the
    narrow list, then their rows. The rows skipped on the way to `?page=500` are index entries,
    not teasers built with their joins and comment counts. A page past the end is a 404."""
    number = page_number(request)
    if number > MAX_UNCOUNTED_PAGE:
        raise Http404("No such page")
    size = per_page or settings.NEWSDESK_PAGE_SIZE
    bottom = (number - 1) * size
    ids = queryset.values("pk")[bottom : bottom + size + 1]
    rows = list(queryset.filter(pk__in=ids))
    if number > 1 and not rows:
        raise Http404("No such page")
    return UncountedPage(number=number, object_list=rows[:size], more=len(rows) > size)


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
