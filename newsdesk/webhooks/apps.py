from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "newsdesk.webhooks"
    label = "webhooks"
    verbose_name = "Outbound webhooks"

    def ready(self) -> None:
        # Receivers connect once the app registry is ready (models import in signals).
        from . import signals  # noqa: F401
