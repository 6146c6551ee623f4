from django.apps import AppConfig


class AdsConfig(AppConfig):
    name = "newsdesk.ads"
    label = "ads"
    verbose_name = "Sponsored slots"

    def ready(self) -> None:
        from . import signals  # noqa: F401
