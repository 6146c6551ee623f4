"""Drop the cached creatives and settings when editors change them (no side effects in save())."""

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import AdSettings, Campaign, Creative
from .selectors import forget_active_creatives, forget_ad_settings


@receiver(post_save, sender=Campaign)
@receiver(post_delete, sender=Campaign)
@receiver(post_save, sender=Creative)
@receiver(post_delete, sender=Creative)
@receiver(m2m_changed, sender=Campaign.sections.through)
def creatives_changed(**kwargs: Any) -> None:
    forget_active_creatives()


@receiver(post_save, sender=AdSettings)
def settings_changed(**kwargs: Any) -> None:
    forget_ad_settings()
    # The allow-list of link hosts decides which image ads may run.
    forget_active_creatives()
