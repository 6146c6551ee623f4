from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "newsdesk.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        # Receivers connect once the app registry is ready (models import in signals).
        from . import signals  # noqa: F401
