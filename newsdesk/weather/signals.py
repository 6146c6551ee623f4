"""Reactions to editors saving the weather settings (no side effects in save())."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import WeatherSettings
from .selectors import forget_weather
from .tasks import refresh_weather


@receiver(post_save, sender=WeatherSettings)
def weather_settings_saved(
    sender: type[WeatherSettings], instance: WeatherSettings, raw: bool = False, **kwargs: Any
) -> None:
    if raw:  # loaddata: the rows are restored as they were, nothing changed
        return
    site_id = instance.site_id
    # After commit: dropped earlier, a page could cache the old row again before the commit,
    # and the job could read it.
    transaction.on_commit(lambda: forget_weather(site_id=site_id))
    # Only when there is something to fetch: the admin first creates a blank row (for_site),
    # then saves the form, and one refresh is enough.
    if instance.show and (instance.location or instance.has_coordinates):
        transaction.on_commit(refresh_weather.enqueue)
