from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "newsdesk.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from . import signals  # noqa: F401
