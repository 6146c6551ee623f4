from django.apps import AppConfig


class WeatherConfig(AppConfig):
    name = "newsdesk.weather"
    label = "weather"
    verbose_name = "Weather"

    def ready(self) -> None:
        from . import signals  # noqa: F401
