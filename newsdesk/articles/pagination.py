from collections.abc import Sequence

from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest


def paginate(request: HttpRequest, queryset: QuerySet | Sequence, per_page: int | None = None) -> PaginatorPage:
    """The page of results `?page=` asks for; anything but 1..last is a 404.

    `?page=abc`, `?page=0` and pages past the end are not pages of this list, so
    they answer "not found" rather than silently showing page 1 or the last one.
    """
    raw = request.GET.get("page", "1")
    # ASCII digits only: "²" is a digit to isdigit() but not to int().
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise Http404("No such page")
    paginator = Paginator(queryset, per_page or settings.NEWSDESK_PAGE_SIZE, allow_empty_first_page=True)
    number = int(raw)
    if number > paginator.num_pages:
        raise Http404("No such page")
    return paginator.page(number)
