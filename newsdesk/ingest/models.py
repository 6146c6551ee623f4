"""Sources of wire and partner copy, what each poll did, and which story became which article."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

_RULE = re.compile(r"^\s*(?P<match>[^=]+?)\s*=>\s*(?P<section>[-\w]*)\s*(?:;\s*(?P<tags>.*))?$")


def parse_rules(text: str) -> list[tuple[str, str, list[str]]]:
    """Mapping rules, one per line: `MATCH => SECTION-SLUG; tag, tag` (section or tags may be empty).

    MATCH is a subject code as the source writes it (`medtop:20000763`, `subj:15054000`) or a
    feed category's name, compared without case. Lines starting with # are comments.
    """
    rules = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _RULE.match(line)
        if match is None:
            raise ValidationError(
                _("Line %(number)s: write “code or category => section-slug; tag, tag”."), params={"number": number}
            )
        tags = [tag.strip() for tag in (match["tags"] or "").split(",") if tag.strip()]
        rules.append((match["match"].strip().lower(), match["section"], tags))
    return rules


def folder_allowed(location: str) -> bool:
    """Whether a drop folder lies under one of NEWSDESK_INGEST_FOLDER_ROOTS, links and ".." resolved."""
    folder = Path(location).resolve()
    return any(folder.is_relative_to(Path(root).resolve()) for root in settings.NEWSDESK_INGEST_FOLDER_ROOTS)


def validate_rules(text: str) -> None:
    parse_rules(text)


class Source(models.Model):
    class Kind(models.TextChoices):
        RSS = "rss", _("RSS or Atom feed")
        NEWSML = "newsml-g2", _("NewsML-G2 over HTTP")
        NINJS = "ninjs", _("NINJS over HTTP")
        FOLDER = "folder", _("Drop folder (NewsML-G2, NITF or NINJS files)")

    class Mode(models.TextChoices):
        DRAFT = "draft", _("Drafts for review")
        PUBLISH = "publish", _("Published at once")

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    location = models.CharField(
        max_length=500, help_text=_("The feed's address (http or https), or the drop folder's path on this machine.")
    )
    interval_minutes = models.PositiveIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(24 * 60)], help_text=_("How often to poll.")
    )
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.DRAFT)
    default_section = models.ForeignKey(
        "articles.SectionPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where stories go when no mapping rule names a section."),
    )
    extra_tags = models.CharField(max_length=300, blank=True, help_text=_("Tags every story gets, comma-separated."))
    mapping_rules = models.TextField(
        blank=True,
        validators=[validate_rules],
        help_text=_(
            "One rule per line: “medtop:20000763 => local; housing, city” — an IPTC subject code or a feed "
            "category, then the section's slug, then tags. The first rule naming a section decides it."
        ),
    )
    source_name = models.CharField(
        max_length=120, blank=True, help_text=_("Shown as “Originally published by …”; the source's name if empty.")
    )
    source_url = models.URLField(blank=True, validators=[URLValidator(schemes=["http", "https"])])
    canonical_to_original = models.BooleanField(
        default=True, help_text=_("Tell search engines the original is the story's home (canonical link).")
    )
    full_text = models.BooleanField(
        default=True, help_text=_("Keep the whole text; off keeps the summary and links to the original.")
    )
    enabled = models.BooleanField(default=True)

    # What the poller keeps between polls.
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    next_poll_at = models.DateTimeField(null=True, blank=True, editable=False)
    polling_until = models.DateTimeField(null=True, blank=True, editable=False)
    failures = models.PositiveIntegerField(default=0, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    items_seen = models.PositiveIntegerField(default=0, editable=False)
    items_created = models.PositiveIntegerField(default=0, editable=False)
    items_updated = models.PositiveIntegerField(default=0, editable=False)
    items_skipped = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("wire or feed")
        verbose_name_plural = _("wires and feeds")

    def __str__(self) -> str:
        return self.name

    @property
    def attribution(self) -> str:
        return self.source_name or self.name

    def clean(self) -> None:
        if self.kind in (self.Kind.RSS, self.Kind.NEWSML, self.Kind.NINJS):
            try:
                URLValidator(schemes=["http", "https"])(self.location)
            except ValidationError as error:
                raise ValidationError({"location": _("A feed's location is an http or https address.")}) from error
        elif not self.location.startswith("/"):
            raise ValidationError({"location": _("A drop folder's location is an absolute path on this machine.")})
        elif not folder_allowed(self.location):
            roots = ", ".join(str(root) for root in settings.NEWSDESK_INGEST_FOLDER_ROOTS)
            raise ValidationError(
                {
                    "location": _("A drop folder must lie under %(roots)s (NEWSDESK_INGEST_FOLDER_ROOTS).")
                    % {"roots": roots}
                }
            )


class IngestedStory(models.Model):
    """One story of one source (keyed on its GUID or URI) and the article it became."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="stories")
    guid = models.CharField(max_length=500)
    version = models.PositiveIntegerField(default=1)
    digest = models.CharField(max_length=64)
    article = models.ForeignKey(
        "articles.ArticlePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, default="usable")
    editor_note = models.TextField(blank=True, help_text=_("The agency's note to editors; never shown to readers."))
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "guid"], name="ingest_story_once_per_source")]
        ordering = ["-last_seen"]
        verbose_name = _("ingested story")

    def __str__(self) -> str:
        return f"{self.source}: {self.guid}"


class SourceLog(models.Model):
    """What a poll did or refused, newest first; the last few hundred per source are kept."""

    class Level(models.TextChoices):
        INFO = "info", _("Info")
        WARNING = "warning", _("Warning")
        ERROR = "error", _("Error")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(db_index=True)
    level = models.CharField(max_length=8, choices=Level.choices, default=Level.INFO)
    message = models.TextField()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("ingest log entry")

    def __str__(self) -> str:
        return f"{self.source}: {self.message[:60]}"
