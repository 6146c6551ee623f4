from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "newsdesk.articles"
    label = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        # Receivers connect once the app registry is ready (models import in signals).
        from . import signals  # noqa: F401
