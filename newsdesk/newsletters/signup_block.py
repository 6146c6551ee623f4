"""The newsletters offered in the sign-up forms, kept so a page render asks no query for them.

Kept under their own generation (core.fragments), which a newsletter change starts anew,
and cached pages are purged softly so the forms offer the new list on their next render.
"""

from __future__ import annotations

from typing import TypedDict

from django.core.cache import cache

from newsdesk.core import fragments, page_cache

from .models import Newsletter

GENERATION = "newsletters"
_KEY = "newsletters:signup-choices"


class Choice(TypedDict):
    id: int
    name: str
    slug: str
    description: str


def choices() -> list[Choice]:
    key = f"{_KEY}:{fragments.generation(GENERATION)}"
    found: list[Choice] | None = cache.get(key)
    if found is None:
        found = [
            Choice(id=newsletter.pk, name=newsletter.name, slug=newsletter.slug, description=newsletter.description)
            for newsletter in Newsletter.objects.filter(public=True).order_by("sort_order", "name")
        ]
        cache.set(key, found, 24 * 60 * 60)
    return found


def forget() -> None:
    fragments.bump(GENERATION)
    page_cache.purge_all()
