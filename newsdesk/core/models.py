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


class FailedJob(models.Model):
    """A job that failed: its retries so far, the next one, or parked for an Admin to look at.

    One row per chain of attempts (a job and the retries newsdesk.core.jobs enqueued for it);
    a recurring job has one row per task, counting its failures in a row, and is never parked
    for good: the scheduler runs it again. The row goes when the job succeeds again.
    """

    task_path = models.CharField(max_length=255)
    arguments = models.JSONField(default=dict)
    recurring = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(default=1)
    parked = models.BooleanField(default=False, help_text=_("No retry is left: an Admin decides."))
    last_result_id = models.CharField(max_length=64)
    next_result_id = models.CharField(max_length=64, blank=True, db_index=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    traceback = models.TextField(blank=True)
    first_failed_at = models.DateTimeField()
    last_failed_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_failed_at"]
        verbose_name = _("failed job")

    def __str__(self) -> str:
        return f"{self.task_path} ({self.attempts} attempts)"
