from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from newsdesk.articles.selectors import published_articles

from . import selectors, services
from .services import RELATED_KEEP

RELATED_PAGE_SIZE = 6


@csrf_exempt  # a counter: it carries no reader data and changes nothing a reader owns
@require_POST
def count_view(request: HttpRequest, article_id: int) -> HttpResponse:
    services.record_view(
        article_id=article_id,
        remote_addr=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.headers.get("User-Agent", "")[:512],
    )
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@cache_control(public=True, max_age=300)
def related(request: HttpRequest, article_id: int) -> HttpResponse:
    """More articles like one article, a bounded page at a time (cacheable: the URL says it all)."""
    article = published_articles().filter(pk=article_id).first()
    if article is None:
        raise Http404("No such article")
    raw = request.GET.get("page", "1")
    last_page = max(1, -(-RELATED_KEEP // RELATED_PAGE_SIZE))
    if not raw.isdigit() or not 1 <= int(raw) <= last_page:
        raise Http404("No such page")
    number = int(raw)
    # One extra row says whether there is a next page.
    items = selectors.more_articles(article, limit=RELATED_PAGE_SIZE + 1, offset=(number - 1) * RELATED_PAGE_SIZE)
    if not items and number > 1:
        raise Http404("No such page")
    has_next = number < last_page and len(items) > RELATED_PAGE_SIZE
    items = items[:RELATED_PAGE_SIZE]
    context = {"article": article, "items": items, "number": number, "has_next": has_next}
    return render(request, "recommendations/related.html", context)
