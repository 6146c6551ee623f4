from django import template

from newsdesk.breaking.selectors import BannerDisplay, current_banner

register = template.Library()


@register.inclusion_tag("breaking/banner.html")
def breaking_banner() -> dict[str, BannerDisplay | None]:
    """The breaking-news banner on now, if any; from the cache, so a warm render asks the database nothing."""
    return {"banner": current_banner()}
