"""schema.org data for search engines: NewsArticle, BreadcrumbList, Organization, WebSite, Person."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from newsdesk.articles.models import ArticlePage, Author
from newsdesk.core.moments import machine_time

logger = logging.getLogger(__name__)

# Google asks for images in 16:9, 4:3 and 1:1, at least 1200 px wide
# (https://developers.google.com/search/docs/appearance/structured-data/article).
IMAGE_SPECS = {
    "16:9": "fill-1200x675|format-jpeg",
    "4:3": "fill-1200x900|format-jpeg",
    "1:1": "fill-1200x1200|format-jpeg",
}
# Inside <script>, "<", ">" and "&" must not appear raw or "</script>" in a headline could end it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data: dict[str, Any]) -> SafeString:
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def organization(request: HttpRequest) -> dict[str, Any]:
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.WAGTAIL_SITE_NAME,
        "url": absolute(request, "/"),
        "logo": {"@type": "ImageObject", "url": absolute(request, static("img/logo.png")), "width": 600, "height": 60},
    }


def article_images(request: HttpRequest, article: ArticlePage) -> list[str]:
    """The lead picture in Google's three shapes; none when its file is missing from storage."""
    if article.lead_image is None:
        return []
    try:
        renditions = article.lead_image.get_renditions(*IMAGE_SPECS.values())
    except OSError:  # Wagtail's SourceImageIOError: a rendition not made yet, and no original to make it from
        # Media not copied or lost is for an operator to fix: the page and its data go on without it.
        logger.warning("Article %s: no image in its structured data, the picture's file is missing", article.pk)
        return []
    return [absolute(request, renditions[spec].url) for spec in IMAGE_SPECS.values()]


def news_article(request: HttpRequest, article: ArticlePage, images: list[str] | None = None) -> dict[str, Any]:
    """`images`: `article_images()` when the caller has them already (they cost a query)."""
    url = absolute(request, article.dated_path() or "/")
    sections = [article.primary_section.title] if article.primary_section else []
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": article.canonical_url or url},
        "url": url,
        "headline": article.title[:110],
        "description": article.standfirst,
        "image": article_images(request, article) if images is None else images,
        # As the page's <time> and Open Graph tags say it: site time zone, whole seconds.
        "datePublished": machine_time(article.first_published_at),
        # A correction changes what readers see without a new revision: it counts as a modification.
        "dateModified": machine_time(article.updated_at),
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute(request, author.get_absolute_url())}
            for author in article.authors
        ],
        "publisher": organization(request),
        "articleSection": sections,
        "keywords": [tag.name for tag in article.tag_list],
        "isAccessibleForFree": True,
        "inLanguage": settings.LANGUAGE_CODE,
        **({"correction": corrections(article)} if article.corrections_shown else {}),
    }


def corrections(article: ArticlePage) -> list[dict[str, Any]]:
    """schema.org CreativeWork.correction as CorrectionComment items (https://schema.org/CorrectionComment)."""
    return [
        {"@type": "CorrectionComment", "text": item.text, "datePublished": machine_time(item.published_at)}
        for item in article.corrections_shown
    ]


def breadcrumbs(request: HttpRequest, trail: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": absolute(request, path)}
            for n, (name, path) in enumerate(trail, start=1)
        ],
    }


def article_breadcrumbs(request: HttpRequest, article: ArticlePage) -> dict[str, Any]:
    trail = [("Home", "/")]
    if article.primary_section:
        trail.append((article.primary_section.title, article.primary_section.url))
    trail.append((article.title, article.dated_path() or "/"))
    return breadcrumbs(request, trail)


def home(request: HttpRequest) -> list[dict[str, Any]]:
    search_url = absolute(request, reverse("search")) + "?q={search_term_string}"
    return [
        {"@context": "https://schema.org", **organization(request)},
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": settings.WAGTAIL_SITE_NAME,
            "url": absolute(request, "/"),
            "potentialAction": {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": search_url},
                "query-input": "required name=search_term_string",
            },
        },
    ]


def person(request: HttpRequest, author: Author) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": author.name,
        "url": absolute(request, author.get_absolute_url()),
        "sameAs": [link.url for link in author.links.all()],
        "worksFor": organization(request),
    }
    if author.role:
        data["jobTitle"] = author.role
    if author.bio:
        data["description"] = author.bio
    if author.photo:
        try:
            data["image"] = absolute(request, author.photo.get_rendition("fill-400x400|format-jpeg").url)
        except OSError:  # as in article_images()
            logger.warning("Author %s: no image in their structured data, the photo's file is missing", author.pk)
    return data
