from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Site-wide choices editors make in the admin (Settings → Site settings)."""

    full_text_feeds = models.BooleanField(
        default=False,
        help_text=_("Put whole articles in RSS and Atom feeds. When off, feeds carry the standfirst only."),
    )
    publication_name = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("The name Google News shows for this publication; leave empty to use the site name."),
    )

    class Meta:
        verbose_name = _("site settings")
