"""Sitemaps (https://www.sitemaps.org/protocol.html) with image entries, and the Google News sitemap."""

from __future__ import annotations

import datetime
from typing import TypeVar

from django.contrib.sitemaps import Sitemap
from django.db.models import DateField, Max
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag
from wagtail.images.models import Image, Rendition

from newsdesk.articles import selectors
from newsdesk.articles.models import ArticlePage, Author, InformationPage, SectionPage

IMAGE_SPEC = "width-1200|format-jpeg"
# Google News sitemaps hold articles from the last two days, at most 1,000 per file
# (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap).
NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000


def with_image_urls(articles: list[ArticlePage]) -> list[ArticlePage]:
    """Set each article's `sitemap_image` from one query for all their lead images' renditions.

    A rendition not made yet is made here, once per image: every request after the
    first reads one query whatever the number of articles (a month of a ten-year
    archive holds hundreds of articles sharing a few thousand pictures).
    """
    image_ids = {article.lead_image_id for article in articles if article.lead_image_id}
    found = {
        rendition.image_id: rendition
        for rendition in Rendition.objects.filter(image_id__in=image_ids, filter_spec=IMAGE_SPEC).order_by("pk")
    }
    if missing := image_ids - found.keys():
        found |= {image.pk: image.get_rendition(IMAGE_SPEC) for image in Image.objects.filter(pk__in=missing)}
    for article in articles:
        article.sitemap_image = found.get(article.lead_image_id) if article.lead_image_id else None
    return articles


def month_start(year: int, month: int) -> datetime.datetime:
    """Months are the site's local months, as the dated addresses are (ArticlePage.publication_date)."""
    return timezone.make_aware(datetime.datetime(year, month, 1))


class ArticleMonthSitemap(Sitemap[ArticlePage]):
    """One month's articles: a file stays far below the protocol's 50,000 URLs
    (https://www.sitemaps.org/protocol.html#index) whatever the size of the archive, and
    each request reads only its month's rows, by the index on the publication time."""

    limit = 50_000

    def __init__(self, year: int, month: int) -> None:
        self.start = month_start(year, month)
        self.end = month_start(year + month // 12, month % 12 + 1)

    def items(self) -> list[ArticlePage]:
        articles = (
            selectors.published_articles()
            .filter(first_published_at__gte=self.start, first_published_at__lt=self.end)
            .only("slug", "first_published_at", "last_published_at", "lead_image_id")
            .order_by("-first_published_at", "pk")
        )
        return with_image_urls(list(articles))

    def location(self, item: ArticlePage) -> str:
        return item.dated_path() or "/"

    def lastmod(self, item: ArticlePage) -> datetime.datetime | None:
        return item.last_published_at or item.first_published_at


def article_months() -> list[tuple[datetime.date, datetime.datetime | None]]:
    """The months with published articles, newest first, each with when its newest change was published."""
    rows = (
        selectors.published_articles()
        .annotate(month=TruncMonth("first_published_at", output_field=DateField()))
        .values("month")
        .annotate(newest=Max("last_published_at"))
        .order_by("-month")
    )
    return [(row["month"], row["newest"]) for row in rows]


def month_path(when: datetime.datetime) -> str:
    """The month file that lists an article first published at `when`."""
    local = timezone.localtime(when)
    return reverse("sitemap-articles-month", kwargs={"year": local.year, "month": f"{local.month:02d}"})


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
    # No ordering: an ORDER BY joins the GROUP BY, and the rows came back one per article, not one per value.
    rows = selectors.published_articles().order_by().values(field).annotate(newest=Max("last_published_at"))
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


# The article sitemaps are one per month (ArticleMonthSitemap); these are the others.
SITEMAPS = {
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
