"""What each reader page shows besides its own content, assembled from every app in one place.

The page types and their rules belong to `articles`; comments, recommendations and
ads each offer their own reads. This module is the only one that puts them
together (newsdesk/pages/wagtail_hooks.py hands the result to Wagtail's pages,
views.py to the routes that are not pages in the tree).
"""

from functools import cache
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from taggit.models import Tag
from wagtail.models import Page

from newsdesk.articles import selectors as articles
from newsdesk.articles.models import ArticleIndexPage, ArticlePage, Author, HomePage, SectionPage
from newsdesk.articles.pagination import paginate
from newsdesk.comments import selectors as comment_selectors
from newsdesk.comments.forms import CommentForm
from newsdesk.comments.services import comment_settings, comments_open
from newsdesk.core import fragments
from newsdesk.recommendations import selectors as recommended

from . import teasers
from .isolation import isolated

HOME_SECTION_ROW_SIZE = 4


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
        return home_blocks()
    if isinstance(page, SectionPage):
        return {"page_obj": paginate(request, with_counts(articles.section_articles(page)))}
    if isinstance(page, ArticleIndexPage):
        return {"page_obj": paginate(request, teasers.teasers())}
    return {}


def with_counts(queryset: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """A list of articles as teasers show them: with their approved comment counts."""
    return queryset.annotate(comment_count=comment_selectors.approved_count())


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
    must_read: list[teasers.Teaser] = isolated(
        "must read", lambda: teasers.must_read_teasers(exclude=[article.pk]), default=[]
    )
    latest: list[teasers.Teaser] = isolated("latest", lambda: teasers.latest_teasers(exclude=[article.pk]), default=[])
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


def home_lead_and_rows() -> tuple[list[ArticlePage], list[dict[str, Any]]]:
    """The home page's newest articles (the first is the lead) and its section rows (the lead left out).

    Shared by the home page and the read API's /api/v1/home/, so both show the same.
    """
    latest = list(teasers.teasers()[: teasers.LATEST_SIZE + 1])
    lead = latest[0] if latest else None
    rows = []
    for section in SectionPage.objects.live().public().order_by("path"):
        items = list(
            teasers.teasers()
            .filter(primary_section=section)
            .exclude(pk=getattr(lead, "pk", None))[:HOME_SECTION_ROW_SIZE]
        )
        if items:
            rows.append({"section": section, "articles": items})
    return latest, rows


def home_blocks() -> dict[str, Any]:
    latest, rows = home_lead_and_rows()
    lead = latest[0] if latest else None
    most_read: tuple[list[ArticlePage], list[ArticlePage]] = isolated(
        "most read", lambda: recommended.most_read_windows(within=teasers.teasers()), default=([], [])
    )
    return {
        "lead": lead,
        "latest_articles": latest[1:],
        "section_rows": rows,
        "most_read_day": most_read[0],
        "most_read_week": most_read[1],
    }
