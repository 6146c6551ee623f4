"""Sitemaps (https://www.sitemaps.org/protocol.html) with image entries, and the Google News sitemap."""

from __future__ import annotations

import datetime
import html
import logging
from collections.abc import Callable
from typing import TypeVar

from django.contrib.sitemaps import Sitemap
from django.core.files.storage import FileSystemStorage, Storage
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import filepath_to_uri
from taggit.models import Tag
from wagtail.images.models import Image, Rendition

from newsdesk.articles import selectors
from newsdesk.articles.models import ArticleAuthor, ArticlePage, ArticleTag, Author, InformationPage, SectionPage
from newsdesk.core import text

from .models import SitemapMonth

logger = logging.getLogger(__name__)

IMAGE_SPEC = "width-1200|format-jpeg"
# Google News sitemaps hold articles from the last two days, at most 1,000 per file
# (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap).
NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000


def month_start(year: int, month: int) -> datetime.datetime:
    """Months are the site's local months, as the dated addresses are (ArticlePage.publication_date)."""
    return timezone.make_aware(datetime.datetime(year, month, 1))


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    """When the month starts and when the next one does."""
    return month_start(year, month), month_start(year + month // 12, month % 12 + 1)


class ArticleMonthSitemap:
    """One month's articles: a file stays far below the protocol's 50,000 URLs
    (https://www.sitemaps.org/protocol.html#index) whatever the size of the archive, and
    each request reads only its month's rows, by the index on the publication time.

    Not a django.contrib Sitemap: a month of an archive holds a couple of thousand
    articles, and a model instance, a reverse() and a template loop iteration per
    article were nine tenths of the file's time. Rows are plain tuples, addresses are
    composed the way ArticlePage.dated_path() builds them (the test compares the two)
    and the XML is written here, byte for byte what seo/sitemap.xml writes.
    """

    def __init__(self, year: int, month: int) -> None:
        self.start, self.end = month_bounds(year, month)

    def rows(self) -> list[tuple[str, datetime.datetime, datetime.datetime | None, int | None]]:
        return list(
            selectors.published_articles()
            .filter(first_published_at__gte=self.start, first_published_at__lt=self.end)
            .order_by("-first_published_at", "pk")
            .values_list("slug", "first_published_at", "last_published_at", "lead_image_id")
        )

    def xml(self, base: str, media_base: str) -> str | None:
        """The urlset, or None when the month has no published article.

        `base` is the scheme and host of the addresses, `media_base` that of the pictures.
        """
        rows = self.rows()
        if not rows:
            return None
        # Written once per picture: an archive's articles share a few thousand.
        images = {
            image_id: xml_text(media_base + path)
            for image_id, path in image_paths({image_id for *_, image_id in rows if image_id}).items()
        }
        # The zone once, not per row (timezone.localtime() looks it up each call).
        zone = timezone.get_current_timezone()
        parts = [URLSET_OPEN]
        for slug, first, last, image_id in rows:
            day = first.astimezone(zone)
            lastmod = (day if last is None or last == first else last.astimezone(zone)).isoformat()
            parts.append(f"\n<url><loc>{xml_text(f'{base}/{day:%Y/%m/%d}/{slug}/')}</loc><lastmod>{lastmod}</lastmod>")
            if image := images.get(image_id):  # type: ignore[arg-type]
                parts.append(f"<image:image><image:loc>{image}</image:loc></image:image>")
            parts.append("</url>")
        parts.append(URLSET_CLOSE)
        return "".join(parts)


URLSET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
)
URLSET_CLOSE = "\n</urlset>\n"
INDEX_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
)
INDEX_CLOSE = "\n</sitemapindex>\n"


def index_xml(entries: list[tuple[str, datetime.datetime | None]]) -> str:
    """The sitemap index of these addresses and their optional `<lastmod>`.

    Written here, not by a template, for the reason the month files are: a template
    loop, a date filter and a reverse() per month were most of the index's time once
    an archive has a hundred months.
    """
    zone = timezone.get_current_timezone()
    parts = [INDEX_OPEN]
    for location, lastmod in entries:
        parts.append(f"\n<sitemap><loc>{xml_text(location)}</loc>")
        if lastmod is not None:
            parts.append(f"<lastmod>{lastmod.astimezone(zone).isoformat()}</lastmod>")
        parts.append("</sitemap>")
    parts.append(INDEX_CLOSE)
    return "".join(parts)


def xml_text(value: str) -> str:
    """What `{{ value|xml_chars }}` writes in an autoescaped template.

    html.escape() is what Django's escape() calls, without its lazy-string wrapper and
    SafeString, which took as long as the escaping itself once per URL.
    """
    return html.escape(text.xml_chars(value))


def image_paths(image_ids: set[int]) -> dict[int, str]:
    """The address of each image's sitemap rendition, from one query; a missing rendition is made once.

    Names, not Rendition instances: a month of an archive shows a thousand pictures, and
    a model instance each cost more than the rest of the file. The address is what
    `rendition.url` gives: the rendition storage's address for the file's name.
    """
    url = _url_of(Rendition._meta.get_field("file").storage)  # type: ignore[union-attr]
    names = Rendition.objects.filter(image_id__in=image_ids, filter_spec=IMAGE_SPEC).order_by("pk")
    found = {image_id: url(name) for image_id, name in names.values_list("image_id", "file")}
    if missing := image_ids - found.keys():
        for image in Image.objects.filter(pk__in=missing):
            try:
                found[image.pk] = image.get_rendition(IMAGE_SPEC).url
            except OSError:  # Wagtail's SourceImageIOError: no original to make the rendition from
                # Media not copied or lost is for an operator to fix: the article stays listed, without its picture.
                logger.warning("Image %s: left out of the sitemap, its file is missing", image.pk)
    return found


def _url_of(storage: Storage) -> Callable[[str], str]:
    """`storage.url`; for files on disk, the same address without its urljoin(), which
    parsed both addresses again for each of a month's thousand pictures (a base_url
    always ends in "/", and a stored name is relative)."""
    if type(storage) is FileSystemStorage:
        base = storage.base_url
        return lambda name: base + filepath_to_uri(name).lstrip("/")
    return storage.url


def article_months() -> list[tuple[datetime.date, datetime.datetime | None]]:
    """The months with published articles, newest first, each with when its newest change was published.

    From the summary the jobs keep (models.SitemapMonth), not from the articles: one
    row a month, whatever the size of the archive. Until a job has caught up with a
    change (seconds), a month may be listed whose file is then not found.
    """
    current = Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    return list(SitemapMonth.objects.filter(current).order_by("-month").values_list("month", "newest_change_at"))


def month_path(when: datetime.datetime) -> str:
    """The month file that lists an article first published at `when`."""
    local = timezone.localtime(when)
    return reverse("sitemap-articles-month", kwargs={"year": local.year, "month": f"{local.month:02d}"})


class SectionSitemap(Sitemap[SectionPage]):
    def items(self) -> list[SectionPage]:
        return list(SectionPage.objects.live().public().annotate(newest=newest_in_section()).order_by("path"))

    def location(self, item: SectionPage) -> str:
        return item.url

    def lastmod(self, item: SectionPage) -> datetime.datetime | None:
        return item.newest or item.last_published_at


def newest_in_section() -> Subquery:
    """When the section's newest article last changed, for each section in the same query.

    The newest article, not the newest change of any: a section's address shows its
    newest articles first, and the newest is found by walking the index on the
    publication time backwards until one of the section's turns up (a few rows),
    where a maximum over every change read all of the section's articles.
    """
    # EXISTS, not IN: the planner then checks each article by the unique (article, section) index.
    extra = ArticlePage.extra_sections.through.objects.filter(
        articlepage=OuterRef("pk"), sectionpage=OuterRef(OuterRef("pk"))
    )
    newest = (
        selectors.published_articles()
        .filter(Q(primary_section=OuterRef("pk")) | Exists(extra))
        .order_by("-first_published_at", "-pk")
        .values("last_published_at")[:1]
    )
    return Subquery(newest)


class InformationPageSitemap(Sitemap[InformationPage]):
    """Impressum, About us and the like: few, but search engines should know them (and a WordPress
    site's pages keep their addresses here)."""

    def items(self) -> list[InformationPage]:
        return list(InformationPage.objects.live().public().order_by("path"))

    def location(self, item: InformationPage) -> str:
        return item.url

    def lastmod(self, item: InformationPage) -> datetime.datetime | None:
        return item.last_published_at


# What is dated by its newest article: an author or a tag.
_Dated = TypeVar("_Dated", Author, Tag)


class LastmodFromArticles(Sitemap[_Dated]):
    """Lists the objects that have published articles, dated by when their newest one last changed.

    As for sections (newest_in_section): their pages show the newest articles first, and
    the newest is found by walking the publication-time index backwards, where a maximum
    over every change read every published article's bylines or tags.
    """

    credits: type[ArticleAuthor] | type[ArticleTag]
    article_field: str
    owner_field: str
    model: type[_Dated]

    def items(self) -> list[_Dated]:
        credited = self.credits.objects.filter(
            **{self.article_field: OuterRef("pk"), self.owner_field: OuterRef(OuterRef("pk"))}
        )
        newest = (
            selectors.published_articles()
            .filter(Exists(credited))
            .order_by("-first_published_at", "-pk")
            .values("last_published_at")[:1]
        )
        # Those without one are dropped here: a filter in SQL would run the subquery a second time.
        found = self.model.objects.annotate(sitemap_lastmod=Subquery(newest)).order_by("slug")
        return [item for item in found if item.sitemap_lastmod is not None]

    def lastmod(self, item: _Dated) -> datetime.datetime:
        return item.sitemap_lastmod


class AuthorSitemap(LastmodFromArticles[Author]):
    credits = ArticleAuthor
    article_field = "page"
    owner_field = "author"
    model = Author


class TagSitemap(LastmodFromArticles[Tag]):
    credits = ArticleTag
    article_field = "content_object"
    owner_field = "tag"
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
