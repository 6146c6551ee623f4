from django import template

from newsdesk.core.sites import site_for_request
from newsdesk.weather.selectors import WeatherDisplay, current_weather

register = template.Library()


@register.inclusion_tag("weather/widget.html", takes_context=True)
def weather_widget(context: template.Context) -> dict[str, WeatherDisplay | None]:
    """The current weather for the request's site, from the cache or database only."""
    request = context.get("request")
    site = site_for_request(request) if request is not None else None
    return {"weather": current_weather(site) if site is not None else None}
