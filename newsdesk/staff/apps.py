from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "newsdesk.staff"
    label = "staff"
    verbose_name = "Staff sign-in security"

    def ready(self) -> None:
        # Receivers connect once the app registry is ready (django-otp's models import in them).
        from . import signals  # noqa: F401
