from collections.abc import Mapping
from typing import Any

from django.conf import settings
from wagtail.admin.panels import Panel

from .breaker import ProviderBreaker


class WeatherStatusPanel(Panel):
    """Read-only, for staff: the job's last reading and last error, and whether the provider is paused."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "weather/admin/status_panel.html"

        def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            context["weather_settings"] = self.instance
            context["reading"] = self.instance.reading() if self.instance.site_id else None
            context["breaker"] = ProviderBreaker.for_backend(str(settings.NEWSDESK_WEATHER["BACKEND"])).status()
            return context
