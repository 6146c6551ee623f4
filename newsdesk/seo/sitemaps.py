"""Sitemaps (https://www.sitemaps.org/protocol.html) with image entries, and the Google News sitemap."""

from __future__ import annotations

import datetime
from typing import TypeVar

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from newsdesk.articles import selectors
from newsdesk.articles.models import ArticlePage, Author, InformationPage, SectionPage

IMAGE_SPEC = "width-1200|format-jpeg"
# Google News sitemaps hold articles from the last two days, at most 1,000 per file
# (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap).
NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000


def with_image_urls(articles: list[ArticlePage]) -> list[ArticlePage]:
    for article in articles:
        article.sitemap_image = article.lead_image.get_rendition(IMAGE_SPEC) if article.lead_image else None
    return articles


class ArticleSitemap(Sitemap[ArticlePage]):
    limit = 5000

    def items(self) -> list[ArticlePage]:
        # One query for every image's renditions, not one per article.
        articles = selectors.teasers().prefetch_related("lead_image__renditions").order_by("-first_published_at", "pk")
        return with_image_urls(list(articles))

    def location(self, item: ArticlePage) -> str:
        return item.dated_path() or "/"

    def lastmod(self, item: ArticlePage) -> datetime.datetime | None:
        return item.last_published_at or item.first_published_at


class SectionSitemap(Sitemap[SectionPage]):
    def items(self) -> list[SectionPage]:
        return list(SectionPage.objects.live().public().order_by("path"))

    def location(self, item: SectionPage) -> str:
        return item.url

    def lastmod(self, item: SectionPage) -> datetime.datetime | None:
        newest = selectors.section_articles(item).aggregate(newest=Max("last_published_at"))["newest"]
        return newest or item.last_published_at


class InformationPageSitemap(Sitemap[InformationPage]):
    """Impressum, About us and the like: few, but search engines should know them (and a WordPress
    site's pages keep their addresses here)."""

    def items(self) -> list[InformationPage]:
        return list(InformationPage.objects.live().public().order_by("path"))

    def location(self, item: InformationPage) -> str:
        return item.url

    def lastmod(self, item: InformationPage) -> datetime.datetime | None:
        return item.last_published_at


def newest_publication_by(field: str) -> dict[int, datetime.datetime]:
    """For each value of `field` (an author, a tag), when its newest published article last changed."""
    rows = selectors.published_articles().values(field).annotate(newest=Max("last_published_at"))
    return {row[field]: row["newest"] for row in rows if row[field]}


# What is dated by its newest article: an author or a tag.
_Dated = TypeVar("_Dated", Author, Tag)


class LastmodFromArticles(Sitemap[_Dated]):
    """Lists the objects that have published articles, dated by their newest one."""

    field: str
    model: type[_Dated]

    def items(self) -> list[_Dated]:
        newest = newest_publication_by(self.field)
        found = list(self.model.objects.filter(pk__in=newest).order_by("slug"))
        for item in found:
            item.sitemap_lastmod = newest[item.pk]
        return found

    def lastmod(self, item: _Dated) -> datetime.datetime:
        return item.sitemap_lastmod


class AuthorSitemap(LastmodFromArticles[Author]):
    field = "byline__author"
    model = Author


class TagSitemap(LastmodFromArticles[Tag]):
    field = "tagged_items__tag"
    model = Tag

    def location(self, item: Tag) -> str:
        return reverse("tag", kwargs={"slug": item.slug})


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
    "pages": InformationPageSitemap,
}


def news_articles() -> list[ArticlePage]:
    since = timezone.now() - NEWS_WINDOW
    return list(
        selectors.teasers().filter(first_published_at__gte=since).order_by("-first_published_at", "pk")[:NEWS_LIMIT]
    )
