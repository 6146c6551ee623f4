"""What each reader page shows besides its own content, assembled from every app in one place.

The page types and their rules belong to `articles`; comments, recommendations and
ads each offer their own reads. This module is the only one that puts them
together (newsdesk/pages/wagtail_hooks.py hands the result to Wagtail's pages,
views.py to the routes that are not pages in the tree).
"""

import time
from collections.abc import Callable
from functools import cache
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from taggit.models import Tag
from wagtail.models import Page

from newsdesk.articles import selectors as articles
from newsdesk.articles.models import (
    ArticleIndexPage,
    ArticlePage,
    Author,
    HomePage,
    SectionPage,
    restricted_page_paths,
)
from newsdesk.articles.pagination import list_position, paginate_uncounted
from newsdesk.comments import selectors as comment_selectors
from newsdesk.comments.forms import CommentForm
from newsdesk.comments.services import comment_settings, comments_open
from newsdesk.core import fragments
from newsdesk.core.prepared import PreparedQuery
from newsdesk.recommendations import selectors as recommended

from . import teasers
from .isolation import isolated

HOME_SECTION_ROW_SIZE = 4
# The home page's sections, compiled once per process (core/prepared.py).
_LIVE_SECTIONS: PreparedQuery[SectionPage] = PreparedQuery(lambda: SectionPage.objects.live().order_by("path"))


def page_context(page: Page, request: HttpRequest) -> dict[str, Any]:
    """The composed part of a Wagtail page's context, by page type (empty for a type that shows only itself)."""
    if isinstance(page, ArticlePage):
        return article_blocks(
            page,
            preview=getattr(request, "is_preview", False),
            host=request.get_host(),
            generations=getattr(request, "fragment_generations", None),
        )
    if isinstance(page, HomePage):
        return home_blocks(request)
    if isinstance(page, SectionPage):
        return listing_blocks(
            request, with_counts(articles.section_articles(page)), f"section-{page.pk}", position=articles.LIST_TIME
        )
    if isinstance(page, ArticleIndexPage):
        return listing_blocks(request, teasers.teasers(), f"index-{page.pk}")
    return {}


def listing_key(request: HttpRequest, name: str) -> str | None:
    """The key a listing page's kept parts are stored under (None in previews: never kept).

    Both generations, so any publish, unpublish, move, moderation, pick or change of a
    section, author, image or setting drops them, as it drops the article pages' lists;
    the next expiry of a listed article, so an expired one leaves at once, before the
    scheduler unpublishes it; the host, as rendered links may name it; and the page of
    the list (`?page=` as a number, and the position its Older or Newer link carried: other
    query strings are not pages and never keys).
    A view whose kept parts show a row it reads itself (an author) reads the
    generations first (`request.fragment_generations`), as views.article does.
    """
    if getattr(request, "is_preview", False):
        return None
    found = getattr(request, "fragment_generations", None)
    lists, kept = found or fragments.generations(fragments.LISTS, fragments.ARTICLES)
    raw = request.GET.get("page", "1")
    number = str(int(raw)) if raw.isascii() and raw.isdigit() else "-"
    return f"{name}:{lists}:{kept}:{teasers.next_expiry(lists)}:{request.get_host()}:{number}:{list_position(request)}"


def listing_blocks(
    request: HttpRequest, queryset: QuerySet[ArticlePage], name: str, *, position: str = "first_published_at"
) -> dict[str, Any]:
    """A paged list of teasers, read only when its kept part is not found.

    `?page=` past the end or not a number is a 404 when the list is read (inside the
    template's kept part), so nothing is kept for it. `position`: the time the list is
    ordered by (pagination.paginate_uncounted).
    """
    return {
        "listing_key": listing_key(request, name),
        "page_obj": SimpleLazyObject(lambda: paginate_uncounted(request, queryset, position=position)),
    }


def with_counts(queryset: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """A list of articles as teasers show them: with their approved comment counts."""
    return queryset.annotate(comment_count=comment_selectors.approved_count()).only(*teasers.TEASER_FIELDS)


def author_articles(author: Author) -> QuerySet[ArticlePage]:
    return with_counts(articles.author_articles(author))


def tag_articles(tag: Tag) -> QuerySet[ArticlePage]:
    return with_counts(articles.tag_articles(tag))


def article_blocks(
    article: ArticlePage,
    *,
    preview: bool = False,
    host: str = "",
    generations: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """What an article page shows besides the article itself.

    The lists come as rendered teasers (teasers.py). The parts that change only
    with the article, the site's settings (`fragment_key`) or its comments
    (`lists_key`) are kept rendered by the template, so the comment query runs
    lazily, only when that part is rendered. Previews get no keys: a draft must
    never be stored where the published page reads it. `generations` should be read
    before the article was (views.article does), so a change committed in between
    is never kept under the new number; `host` is in the keys because rendered links
    may name it when the site has several hosts.
    """
    lists, kept = generations or fragments.generations(fragments.LISTS, fragments.ARTICLES)
    # Each block is built on its own: one that fails is left out, not the page (isolation.py).
    latest: list[teasers.Teaser] = isolated("latest", lambda: teasers.latest_teasers(exclude=[article.pk]), default=[])
    # Must read's and More articles' teasers in one query (each list then finds its own kept).
    isolated("teasers", lambda: teasers.read_ahead(article, latest=[item.pk for item in latest]), default=None)
    must_read: list[teasers.Teaser] = isolated(
        "must read", lambda: teasers.must_read_teasers(exclude=[article.pk]), default=[]
    )
    # "More articles" never repeats the article or anything else on the page.
    shown = [item.pk for item in must_read + latest]
    more_articles: list[teasers.Teaser] = isolated(
        "more articles", lambda: teasers.more_articles_teasers(article, exclude=shown), default=[]
    )
    published = article.last_published_at.timestamp() if article.last_published_at else ""
    approved = cache(lambda: comment_selectors.approved_comments(article))
    previous, following = articles.neighbours(article, None if preview else lists)
    return {
        "fragment_key": None if preview else f"{article.pk}:{published}:{kept}:{host}",
        "lists_key": None if preview else f"{article.pk}:{lists}:{host}",
        "must_read": must_read,
        "more_articles": more_articles,
        "more_articles_url": reverse("related-articles", args=[article.pk]) if more_articles else None,
        "latest_articles": latest,
        "previous_article": previous,
        "next_article": following,
        "comments": SimpleLazyObject(approved),
        "comment_threads": SimpleLazyObject(lambda: comment_selectors.threads(approved())),
        # A comments app that fails shows its block closed rather than failing the article.
        "comments_are_open": isolated("comments", lambda: comments_open(article, comment_settings()), default=False),
        "comment_form": CommentForm(),
    }


def home_blocks(request: HttpRequest) -> dict[str, Any]:
    """The home page's lists, each read only when its kept part is not found (home_page.html).

    Most read changes with the hour's views, not with events: its part is kept for
    at most a minute, as its ids are (recommendations/selectors.py).
    """
    key = listing_key(request, "home")
    minute = int(time.time() // teasers.LIST_SECONDS)
    nothing: tuple[list[ArticlePage], ...] = ([], [])
    most_read: Callable[[], tuple[list[ArticlePage], ...]] = cache(
        lambda: isolated("most read", lambda: recommended.most_read_windows(within=teasers.teasers()), default=nothing)
    )
    return {
        "listing_key": key,
        "most_read_key": f"{key}:{minute}" if key else None,
        "home": SimpleLazyObject(home_lists),
        "most_read_day": SimpleLazyObject(lambda: most_read()[0]),
        "most_read_week": SimpleLazyObject(lambda: most_read()[1]),
    }


def home_lead_and_rows() -> tuple[list[ArticlePage], list[dict[str, Any]]]:
    """The home page's newest articles (the first is the lead) and its section rows (the lead left out).

    Shared by the home page and the read API's /api/v1/home/, so both show the same.
    """
    lists = home_lists()
    latest = ([lists["lead"]] if lists["lead"] else []) + lists["latest_articles"]
    return latest, lists["section_rows"]


def home_lists() -> dict[str, Any]:
    """Lead, Latest and a row per section: two queries, however many sections there are."""
    latest = teasers.newest_teasers()
    lead = latest[0] if latest else None
    private = tuple(restricted_page_paths())
    # A section behind a view restriction gets no row (as the menu leaves it out, navigation.py).
    sections = [section for section in _LIVE_SECTIONS() if not (private and section.path.startswith(private))]
    by_section = teasers.section_rows(
        [section.pk for section in sections], size=HOME_SECTION_ROW_SIZE, exclude=getattr(lead, "pk", None)
    )
    rows = [
        {"section": section, "articles": by_section[section.pk]} for section in sections if by_section.get(section.pk)
    ]
    return {"lead": lead, "latest_articles": latest[1:], "section_rows": rows}
