"""Reader pages served by route rather than by walking Wagtail's tree: articles by dated URL, authors, tags, search."""

from collections.abc import Sequence

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from taggit.models import Tag
from wagtail import hooks

from newsdesk.articles import selectors as articles
from newsdesk.articles.forms import SearchForm
from newsdesk.articles.models import ArticlePage, Author
from newsdesk.articles.pagination import paginate
from newsdesk.articles.search import PAGE_SIZE as SEARCH_PAGE_SIZE
from newsdesk.articles.search import highlight, search_results
from newsdesk.core import fragments
from newsdesk.recommendations import selectors as recommended
from newsdesk.recommendations.services import RELATED_KEEP

from . import selectors, teasers

RELATED_PAGE_SIZE = 6


def article(request: HttpRequest, year: str, month: str, day: str, slug: str) -> HttpResponse:
    """Serve an article by its dated URL with one lookup, not a walk down the page tree."""
    # Before the article is read: parts kept under these numbers never hold older rows.
    generations = fragments.generations(fragments.LISTS, fragments.ARTICLES)
    request.fragment_generations = generations  # type: ignore[attr-defined]
    page = articles.article_for_reader(slug, generations)
    if page is None:
        raise Http404("No such article")
    path = page.dated_path()
    if path is not None and path != request.path:
        # The slug is unique, so a wrong date is an old or mistyped link to this article.
        return HttpResponsePermanentRedirect(path)
    # Wagtail's own serve view runs these hooks. Its view-restriction check (an
    # on_serve_page hook) is not needed: published() leaves private articles out.
    for hook in hooks.get_hooks("before_serve_page"):
        result = hook(page, request, (), {})
        if isinstance(result, HttpResponse):
            return result
    return page.serve(request)


def author(request: HttpRequest, slug: str) -> HttpResponse:
    """One query when the page's parts are kept; the photo, links and list only when they are not."""
    # Before the author is read: parts kept under these numbers never hold older rows.
    request.fragment_generations = fragments.generations(fragments.LISTS, fragments.ARTICLES)  # type: ignore[attr-defined]
    person = get_object_or_404(Author, slug=slug)
    context = selectors.listing_blocks(request, selectors.author_articles(person), f"author-{person.pk}")
    return render(request, "articles/author_page.html", {"author": person, **context})


def tag(request: HttpRequest, slug: str) -> HttpResponse:
    request.fragment_generations = fragments.generations(fragments.LISTS, fragments.ARTICLES)  # type: ignore[attr-defined]
    label = get_object_or_404(Tag, slug=slug)
    context = selectors.listing_blocks(
        request, selectors.tag_articles(label), f"tag-{label.pk}", position=articles.LIST_TIME
    )
    return render(request, "articles/tag_page.html", {"tag": label, **context})


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results: Sequence[ArticlePage] = []
    filters = None
    more = False
    if form.is_valid():
        filters = form.filters()
        found = search_results(filters)
        results, more = found, found.more
    page_obj = paginate(request, results, per_page=SEARCH_PAGE_SIZE)
    for item in page_obj.object_list:
        item.highlighted_title = highlight(item.title, filters.query if filters else "")
        item.highlighted_standfirst = highlight(item.standfirst, filters.query if filters else "")
    base_query = request.GET.copy()
    base_query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page_obj,
        "query": filters.query if filters else "",
        # More matched than are ranked: the reader is told how to reach the older ones.
        "more_matched": more,
        "base_query": base_query.urlencode(),
    }
    return render(request, "articles/search.html", context)


@require_GET
@cache_control(public=True, max_age=300)
def related(request: HttpRequest, article_id: int) -> HttpResponse:
    """More articles like one article, a bounded page at a time (cacheable: the URL says it all)."""
    article = articles.published_articles().filter(pk=article_id).first()
    if article is None:
        raise Http404("No such article")
    raw = request.GET.get("page", "1")
    last_page = max(1, -(-RELATED_KEEP // RELATED_PAGE_SIZE))
    # ASCII digits only: "²" is a digit to isdigit() but not to int().
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= last_page:
        raise Http404("No such page")
    number = int(raw)
    # One extra row says whether there is a next page.
    items = recommended.more_articles(
        article,
        limit=RELATED_PAGE_SIZE + 1,
        offset=(number - 1) * RELATED_PAGE_SIZE,
        within=teasers.teasers(),
    )
    if not items and number > 1:
        raise Http404("No such page")
    has_next = number < last_page and len(items) > RELATED_PAGE_SIZE
    items = items[:RELATED_PAGE_SIZE]
    context = {"article": article, "items": items, "number": number, "has_next": has_next}
    return render(request, "pages/related.html", context)
