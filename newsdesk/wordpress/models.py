"""What an import remembers: which WordPress object became which Newsdesk one, and the admin's runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedItem(models.Model):
    """One WordPress object (post, comment, term...) of one WordPress site, and what it became here.

    Keyed on the old site's address and WordPress's own id, so running the same export
    again finds every object it made (nothing is duplicated), a newer export updates
    what changed (`digest` of what was read differs), and a run that was killed part
    way picks up where it stopped: every object is written in its own transaction
    together with this row.
    """

    class Kind(models.TextChoices):
        POST = "post", _("post")
        PAGE = "page", _("page")
        ATTACHMENT = "attachment", _("attachment")
        COMMENT = "comment", _("comment")
        CATEGORY = "category", _("category")
        TAG = "tag", _("tag")
        AUTHOR = "author", _("author")

    source = models.CharField(max_length=200, help_text=_("The WordPress site's address, from the export."))
    kind = models.CharField(max_length=12, choices=Kind.choices)
    wp_id = models.CharField(max_length=64, help_text=_("WordPress's id (a login or slug for authors and terms)."))
    # The Newsdesk object's primary key; its model follows from `kind` (services.MODELS).
    object_id = models.BigIntegerField()
    digest = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "kind", "wp_id"], name="wordpress_item_once")]
        indexes = [models.Index(fields=["kind", "object_id"], name="wordpress_item_object_idx")]
        verbose_name = _("imported WordPress item")

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.wp_id}"


class ImportRun(models.Model):
    """An export uploaded in the admin: checked (a dry run), then imported, each by the job worker."""

    class State(models.TextChoices):
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    file = models.CharField(max_length=500, help_text=_("Where the uploaded export is kept (not public)."))
    original_name = models.CharField(max_length=255)
    size = models.BigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.CHECKING)
    fetch_media = models.BooleanField(default=False)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    check_report = models.JSONField(null=True, blank=True)
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("WordPress import")
        permissions = [("run_import", "Can import WordPress exports")]

    def __str__(self) -> str:
        return self.original_name
