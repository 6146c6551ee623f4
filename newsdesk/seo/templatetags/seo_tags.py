from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from newsdesk.articles.models import ArticlePage, Author
from newsdesk.articles.pagination import list_position
from newsdesk.core import text
from newsdesk.seo import structured_data

register = template.Library()


@register.inclusion_tag("seo/article_head.html", takes_context=True)
def article_head(context: template.Context, page: ArticlePage) -> dict[str, Any]:
    request = context["request"]
    images = structured_data.article_images(request, page)
    return {
        "request": request,
        "page": page,
        "og_image": images[0] if images else "",
        "canonical": page.canonical_url or request.build_absolute_uri(page.dated_path() or "/"),
        "is_preview": getattr(request, "is_preview", False),
        "json_ld": mark_safe(  # noqa: S308 - both parts are escaped by json_ld()
            structured_data.json_ld(structured_data.news_article(request, page, images))
            + structured_data.json_ld(structured_data.article_breadcrumbs(request, page))
        ),
        "SITE_NAME": context.get("SITE_NAME", ""),
    }


@register.simple_tag(takes_context=True)
def home_json_ld(context: template.Context) -> SafeString:
    request = context["request"]
    return mark_safe("".join(structured_data.json_ld(item) for item in structured_data.home(request)))  # noqa: S308


@register.simple_tag(takes_context=True)
def person_json_ld(context: template.Context, author: Author) -> SafeString:
    return structured_data.json_ld(structured_data.person(context["request"], author))


@register.simple_tag(takes_context=True)
def canonical_link(context: template.Context, page_number: int = 1) -> SafeString:
    """The page's own address, keeping only `?page=N` past the first page of a list, and the
    position its Older or Newer link carried (`&before=…`): without it `?page=N` is another
    address for much the same list, read the slow way (articles/pagination.py)."""
    request = context["request"]
    query = ""
    if page_number > 1:
        position = list_position(request)
        query = f"?page={page_number}" + (f"&{position}" if position not in ("", "-") else "")
    url = request.build_absolute_uri(request.path) + query
    return structured_data.format_html('<link rel="canonical" href="{}">', url)


@register.filter
def xml_chars(value: object) -> str:
    """For XML templates: the value without characters XML 1.0 forbids; autoescaping still applies after."""
    return text.xml_chars(str(value))
