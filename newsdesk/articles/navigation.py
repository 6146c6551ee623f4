"""The section menu, cached until a section page changes."""

from typing import TypedDict

from django.core.cache import cache

from newsdesk.core import fragments
from newsdesk.core.prepared import PreparedQuery

from .models import SectionPage, restricted_page_paths

NAV_CACHE_KEY = "newsdesk:nav-sections"
# Compiled once per process (core/prepared.py): a cold app server reads it on its first pages.
_MENU: PreparedQuery[SectionPage] = PreparedQuery(lambda: SectionPage.objects.live().in_menu().order_by("path"))


class NavSection(TypedDict):
    title: str
    url: str | None


def nav_cache_key() -> str:
    # Section changes start a new ARTICLES generation, which every process sees
    # (a deletion in one process's cache would leave the others' menus stale).
    return f"{NAV_CACHE_KEY}:{fragments.generation(fragments.ARTICLES)}"


def nav_sections() -> list[NavSection]:
    key = nav_cache_key()
    items: list[NavSection] | None = cache.get(key)
    if items is None:
        private = tuple(restricted_page_paths())
        items = [
            NavSection(title=section.title, url=section.url)
            for section in _MENU()
            if not (private and section.path.startswith(private))
        ]
        cache.set(key, items, 60 * 60)
    return items


def forget_nav_sections() -> None:
    cache.delete(nav_cache_key())
