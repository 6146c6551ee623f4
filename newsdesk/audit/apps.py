from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "newsdesk.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        # Receivers connect once the app registry is ready (models import in signals).
        from . import signals  # noqa: F401
