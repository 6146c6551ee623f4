from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .forms import WeatherSettingsForm
from .panels import WeatherStatusPanel


class WeatherReading(models.Model):
    """The last weather the refresh job got for a site, and how its last attempt went.

    Written only by the job (services.weather_refresh); pages read it through
    selectors.current_weather. The error fields are for staff, never for readers.
    """

    site = models.OneToOneField("wagtailcore.Site", on_delete=models.CASCADE, related_name="weather_reading")
    temperature_c = models.FloatField(null=True, blank=True)
    condition = models.CharField(max_length=20, blank=True)
    description = models.CharField(max_length=120, blank=True)
    wind_speed_ms = models.FloatField(null=True, blank=True)
    city = models.CharField(max_length=200, blank=True)
    observed_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True, help_text=_("When the last reading arrived."))
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("weather reading")

    def __str__(self) -> str:
        return f"{self.city or self.site}: {self.temperature_c} °C"


@register_setting(icon="sun")
class WeatherSettings(BaseSiteSetting):
    """Whether and where the top bar shows the weather (Settings → Weather)."""

    class Units(models.TextChoices):
        CELSIUS = "C", _("Celsius (°C)")
        FAHRENHEIT = "F", _("Fahrenheit (°F)")

    show = models.BooleanField(
        _("show the weather"),
        default=True,
        help_text=_("Show the current weather in the bar at the top of every page."),
    )
    location = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("The city whose weather is shown, e.g. “Munich”. It is looked up once; change it to look again."),
    )
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Between -90 (south) and 90 (north). Leave both coordinates empty to look the city up by name."),
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Between -180 (west) and 180 (east)."),
    )
    # The name the provider's place search returned for `location`; set with the coordinates.
    place_name = models.CharField(max_length=200, blank=True, editable=False)
    units = models.CharField(max_length=1, choices=Units.choices, default=Units.CELSIUS)

    base_form_class = WeatherSettingsForm
    panels = [
        FieldPanel("show"),
        FieldPanel("location"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
            heading=_("Coordinates"),
        ),
        FieldPanel("units"),
        WeatherStatusPanel(heading=_("Status")),
    ]

    class Meta:
        verbose_name = _("weather")

    def __str__(self) -> str:
        return gettext("Weather for %(site)s") % {"site": self.site}

    def clean(self) -> None:
        errors = {}
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("Latitude must be between -90 and 90.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("Longitude must be between -180 and 180.")
        if (self.latitude is None) != (self.longitude is None):
            missing = "latitude" if self.latitude is None else "longitude"
            errors.setdefault(
                missing, _("Give both latitude and longitude, or leave both empty to look the city up by name.")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def reading(self) -> WeatherReading | None:
        return WeatherReading.objects.filter(site_id=self.site_id).first()
