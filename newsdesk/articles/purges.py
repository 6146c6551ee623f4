"""Which addresses show an article, so a change to it purges exactly those (the page cache takes paths, not models).

Like Wagtail's `Page.get_cached_paths()`: the owner of a page type says where it
shows; the page cache (newsdesk/core/page_cache) only purges paths.
"""

from wagtail.models import Page

from newsdesk.core import page_cache

from .models import ArticleIndexPage, ArticlePage

SITE_WIDE_PATHS = frozenset(
    {"/", "/feeds/rss/", "/feeds/atom/", "/sitemap.xml", "/news-sitemap.xml"}
    | {f"/sitemap-{name}.xml" for name in ("sections", "authors", "tags")}
    # The read API's lists (newsdesk/api): a purge covers every query string (filters, cursors) of a path.
    | {"/api/v1/articles/", "/api/v1/home/", "/api/v1/tags/"}
)
API_PREFIX = "/api/v1/articles"


def article_paths(article: ArticlePage) -> set[str]:
    """Every page that shows this article: its own, its sections, home, archive, tags, authors, feeds, sitemaps."""
    paths = set(SITE_WIDE_PATHS)
    own = article.dated_path()
    if own:
        paths |= {own, *api_article_paths(article), sitemap_month_path(article)}
    sections = list(article.extra_sections.all())
    if article.primary_section is not None:
        sections.append(article.primary_section)
    for section in sections:
        paths |= {*page_path(section), *_feeds("sections", section.slug)}
    for author in article.authors:
        paths |= {author.get_absolute_url(), *_feeds("authors", author.slug)}
    for tag in article.tags.all():
        paths |= {f"/tags/{tag.slug}/", *_feeds("tags", tag.slug)}
    for index in ArticleIndexPage.objects.all():
        paths |= page_path(index)
    return paths


def sitemap_month_path(article: ArticlePage) -> str:
    """The article sitemap of its month of first publication (newsdesk/seo/urls.py), local time as in its address."""
    return f"/sitemap-articles-{article.publication_date():%Y-%m}.xml"


def api_article_paths(article: ArticlePage) -> set[str]:
    """The article's own answers in the read API: by id and by its dated address."""
    own = article.dated_path()
    return {f"{API_PREFIX}/{article.pk}/", *([API_PREFIX + own] if own else [])}


def page_path(page: Page) -> set[str]:
    parts = page.get_url_parts()
    return {parts[2]} if parts else set()


def former_paths(page: Page, *, url_path_before: str) -> set[str]:
    """The addresses a plain page and the pages under it had before its slug or place changed.

    Wagtail has already rewritten the descendants' tree paths when it reports the change,
    so the old ones are the new ones with the page's old prefix put back.
    """
    paths: set[str] = set()
    url_path_after = page.url_path
    for descendant in page.get_descendants(inclusive=True):
        descendant.url_path = url_path_before + descendant.url_path.removeprefix(url_path_after)
        paths |= page_path(descendant)
    return paths


def _feeds(kind: str, slug: str) -> list[str]:
    return [f"/feeds/{kind}/{slug}/rss/", f"/feeds/{kind}/{slug}/atom/"]


def purge_article(article: ArticlePage, *, hard: bool | None = None) -> None:
    """Purge an article's page and every list, feed and sitemap that shows it.

    `hard` defaults to "the article is no longer live" (unpublished): its page
    must never be served again. Pass `hard=True` for a deleted article or removed
    content (a deleted comment), `hard=False` for an approved comment.
    """
    if hard is None:
        hard = not article.live
    page_cache.purge_paths(article_paths(article), hard=hard)
