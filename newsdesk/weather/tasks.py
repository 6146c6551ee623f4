from django_tasks import task
from wagtail.models import Site

from .services import weather_refresh


@task()
def refresh_weather() -> None:
    """Fetch the default site's weather: every NEWSDESK_WEATHER_REFRESH_SECONDS (see
    NEWSDESK_RECURRING_TASKS), and after an editor saves the weather settings."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        weather_refresh(site=site)
