from typing import Any

from wagtail.admin.forms import WagtailAdminModelForm


class WeatherSettingsForm(WagtailAdminModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        # Coordinates belong to the city they were found for: when the editor names another
        # city without giving new coordinates, forget the old ones so the job looks it up.
        if "location" in self.changed_data and not {"latitude", "longitude"} & set(self.changed_data):
            cleaned_data["latitude"] = cleaned_data["longitude"] = None
            self.instance.place_name = ""
        return cleaned_data
