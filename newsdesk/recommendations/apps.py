from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "newsdesk.recommendations"
    label = "recommendations"
    verbose_name = "Recommendations"

    def ready(self) -> None:
        from . import signals  # noqa: F401
