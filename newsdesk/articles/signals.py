"""Cache invalidation wired to Wagtail's page signals (no side effects in save())."""

from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from newsdesk.core.navigation import forget_nav_sections

from .models import RESTRICTED_PATHS_CACHE_KEY, SectionPage


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def forget_restricted_paths(**kwargs: Any) -> None:
    cache.delete(RESTRICTED_PATHS_CACHE_KEY)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
@receiver(post_delete, sender=SectionPage)
def forget_section_menu(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance.specific_deferred, SectionPage):
        forget_nav_sections()
