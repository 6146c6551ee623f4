from django.apps import AppConfig


class WeatherConfig(AppConfig):
    name = "newsdesk.weather"
    label = "weather"
    verbose_name = "Weather"

    def ready(self) -> None:
        # Receivers connect once the app registry is ready (models import in signals).
        from . import signals  # noqa: F401
