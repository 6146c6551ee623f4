from django.apps import AppConfig


class AdsConfig(AppConfig):
    name = "newsdesk.ads"
    label = "ads"
    verbose_name = "Sponsored slots"

    def ready(self) -> None:
        # Receivers connect once the app registry is ready (models import in signals).
        from . import signals  # noqa: F401
