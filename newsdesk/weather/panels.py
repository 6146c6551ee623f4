from collections.abc import Mapping
from typing import Any

from wagtail.admin.panels import Panel


class WeatherStatusPanel(Panel):
    """Read-only: the last reading and the last error of the refresh job, for staff."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "weather/admin/status_panel.html"

        def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            context["weather_settings"] = self.instance
            context["reading"] = self.instance.reading() if self.instance.site_id else None
            return context
