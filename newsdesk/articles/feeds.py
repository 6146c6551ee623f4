"""RSS 2.0 and Atom feeds for the site, each section, each author and each tag."""

from __future__ import annotations

import datetime
import logging
from typing import Any, TypeVar

import nh3
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape
from taggit.models import Tag
from wagtail.models import Site

from newsdesk.core.models import SiteSettings
from newsdesk.core.text import xml_chars

from . import selectors
from .models import ArticleAuthor, ArticlePage, Author, SectionPage

logger = logging.getLogger(__name__)

FEED_SIZE = 30
FEED_BLOCKS = {"paragraph", "heading", "quote"}

# What a feed is about: nothing for the site-wide feed, else a section, an author or a tag.
_Obj = TypeVar("_Obj")


def xml_text(value: Any) -> Any:
    """A feed value with only the characters XML 1.0 allows: strings, and strings in lists (categories)."""
    if isinstance(value, str):
        return xml_chars(value)
    if isinstance(value, list | tuple):
        return [xml_text(part) for part in value]
    return value


def feed_items(queryset: QuerySet[ArticlePage]) -> list[ArticlePage]:
    byline = ArticleAuthor.objects.select_related("author")
    related = queryset.prefetch_related(Prefetch("byline", queryset=byline), "tags", "lead_image__renditions")
    return list(related[:FEED_SIZE])


class ArticleFeed(Feed[ArticlePage, _Obj]):
    """The site-wide feed; subclasses narrow it to a section, author or tag."""

    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    kind = "rss"

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.request = request
        site = Site.find_for_request(request)
        self.full_text = SiteSettings.for_site(site).full_text_feeds if site else False
        return super().__call__(request, *args, **kwargs)

    def get_feed(self, obj: _Obj, request: HttpRequest) -> SyndicationFeed:
        # On output, whatever the edge let through: one vertical tab in one headline, section or
        # author name would make the whole feed ill-formed (Django refuses to write it: a 500).
        feed = super().get_feed(obj, request)
        feed.feed = {key: xml_text(value) for key, value in feed.feed.items()}
        feed.items = [{key: xml_text(value) for key, value in item.items()} for item in feed.items]
        return feed

    def title(self, obj: _Obj) -> str:
        return settings.WAGTAIL_SITE_NAME

    def link(self, obj: _Obj) -> str:
        return "/"

    def description(self, obj: _Obj) -> str:
        return f"The latest articles from {settings.WAGTAIL_SITE_NAME}."

    def items(self, obj: _Obj) -> list[ArticlePage]:
        return feed_items(selectors.teasers())

    def item_title(self, item: ArticlePage) -> str:
        # Plain text: RSS readers and Atom (<title> without a type) read it as text, not HTML.
        return item.title

    def item_link(self, item: ArticlePage) -> str:
        return item.dated_path() or "/"

    def item_guid(self, item: ArticlePage) -> str:
        # The page id never changes when a headline, slug or date is edited.
        return f"tag:{Site.find_for_request(self.request).hostname},2025:article:{item.pk}"

    item_guid_is_permalink = False

    def item_description(self, item: ArticlePage) -> str:
        # RSS <description> and Atom <summary type="html"> are HTML: readers render their text as
        # markup. The standfirst is plain text (as the import and the templates treat it), so it is
        # escaped for HTML here, and the XML writer escapes that again; sanitising would keep markup live.
        if not self.full_text:
            return escape(item.standfirst)
        parts = [f"<p>{escape(item.standfirst)}</p>"]
        parts += [nh3.clean(str(block)) for block in item.body if block.block_type in FEED_BLOCKS]
        return "\n".join(parts)

    def item_pubdate(self, item: ArticlePage) -> datetime.datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: ArticlePage) -> datetime.datetime | None:
        return item.last_published_at or item.first_published_at

    def item_author_name(self, item: ArticlePage) -> str:
        return ", ".join(author.name for author in item.authors)

    def item_categories(self, item: ArticlePage) -> list[str]:
        section = [item.primary_section.title] if item.primary_section else []
        return section + [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item: ArticlePage) -> list[Enclosure]:
        if item.lead_image is None:
            return []
        try:
            rendition = item.lead_image.get_rendition("width-1200|format-jpeg")
            length = rendition.file.size
        except OSError:  # also Wagtail's SourceImageIOError: the picture's file is not in storage
            # Media not copied or lost is for an operator to fix; the feed goes on without it.
            logger.warning("Feed item %s: no enclosure, its picture's file is missing", item.pk, exc_info=True)
            return []
        url = self.request.build_absolute_uri(rendition.url)
        return [Enclosure(url, str(length), "image/jpeg")]


class AtomMixin(ArticleFeed[_Obj]):
    feed_type: type[SyndicationFeed] = Atom1Feed
    kind = "atom"

    def subtitle(self, obj: _Obj) -> str:
        return self.description(obj)


class SiteAtomFeed(AtomMixin[None]):
    pass


class SectionFeed(ArticleFeed[SectionPage]):
    def get_object(self, request: HttpRequest, slug: str) -> SectionPage:
        return get_object_or_404(SectionPage.objects.live().public(), slug=slug)

    def title(self, obj: SectionPage) -> str:
        return f"{obj.title} · {settings.WAGTAIL_SITE_NAME}"

    def link(self, obj: SectionPage) -> str:
        return obj.url

    def items(self, obj: SectionPage) -> list[ArticlePage]:
        return feed_items(selectors.section_articles(obj))


class SectionAtomFeed(AtomMixin[SectionPage], SectionFeed):
    pass


class AuthorFeed(ArticleFeed[Author]):
    def get_object(self, request: HttpRequest, slug: str) -> Author:
        return get_object_or_404(Author, slug=slug)

    def title(self, obj: Author) -> str:
        return f"{obj.name} · {settings.WAGTAIL_SITE_NAME}"

    def link(self, obj: Author) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Author) -> list[ArticlePage]:
        return feed_items(selectors.author_articles(obj))


class AuthorAtomFeed(AtomMixin[Author], AuthorFeed):
    pass


class TagFeed(ArticleFeed[Tag]):
    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj: Tag) -> str:
        return f"{obj.name} · {settings.WAGTAIL_SITE_NAME}"

    def link(self, obj: Tag) -> str:
        return reverse("tag", kwargs={"slug": obj.slug})

    def items(self, obj: Tag) -> list[ArticlePage]:
        return feed_items(selectors.tag_articles(obj))


class TagAtomFeed(AtomMixin[Tag], TagFeed):
    pass
