from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import CommentSettings
from .services import forget_comment_settings


@receiver(post_save, sender=CommentSettings)
def settings_changed(**kwargs: Any) -> None:
    forget_comment_settings()
