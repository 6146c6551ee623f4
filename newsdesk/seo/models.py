from django.db import models
from django.utils.translation import gettext_lazy as _


class SitemapMonth(models.Model):
    """A month of the site's time zone that has published articles, as /sitemap.xml lists it.

    A summary of `published()`, kept by jobs (signals.py, tasks.py) and rebuilt whole by
    `manage.py rebuild_sitemap_months`: grouping every article of a 200,000-article
    archive by month took a third of a second per request; reading these rows is one
    scan of a hundred-odd rows. What the rule decides by the clock is kept too: articles
    scheduled for later are not counted (their publish, when it comes, refreshes the
    month), and `expires_at` lets the index drop a month whose articles have all expired
    before the scheduler unpublishes them.
    """

    month = models.DateField(_("month"), primary_key=True, help_text=_("Its first day."))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    newest_change_at = models.DateTimeField(
        _("newest change"), null=True, help_text=_("When the month's most recently changed article was published.")
    )
    expires_at = models.DateTimeField(
        _("expires at"),
        null=True,
        help_text=_("When the last of the month's articles expires; empty while one of them never does."),
    )
    articles = models.PositiveIntegerField(_("published articles"))

    class Meta:
        verbose_name = _("sitemap month")
        verbose_name_plural = _("sitemap months")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
