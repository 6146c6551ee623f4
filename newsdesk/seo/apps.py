from django.apps import AppConfig


class SeoConfig(AppConfig):
    name = "newsdesk.seo"
    label = "seo"
    verbose_name = "Search engines and feeds"

    def ready(self) -> None:
        # Receivers connect once the app registry is ready (models import in signals).
        from . import signals  # noqa: F401
