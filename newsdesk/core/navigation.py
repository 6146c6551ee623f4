"""The section menu, cached until a section page changes."""

from typing import Any

from django.core.cache import cache

NAV_CACHE_KEY = "newsdesk:nav-sections"


def nav_sections() -> list[dict[str, Any]]:
    items = cache.get(NAV_CACHE_KEY)
    if items is None:
        from newsdesk.articles.models import SectionPage

        items = [
            {"title": section.title, "url": section.url}
            for section in SectionPage.objects.live().public().in_menu().order_by("path")
        ]
        cache.set(NAV_CACHE_KEY, items, 60 * 60)
    return items


def forget_nav_sections() -> None:
    cache.delete(NAV_CACHE_KEY)
