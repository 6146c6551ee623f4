from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "newsdesk.recommendations"
    label = "recommendations"
    verbose_name = "Recommendations"

    def ready(self) -> None:
        # Receivers connect once the app registry is ready (models import in signals).
        from . import signals  # noqa: F401
