"""Reader comments, the site's comment rules, and the spam filter's learned token counts."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

MAX_DEPTH = 5
# A commenter's website is a link readers follow: the web only, never ftp:, javascript: or data:.
WEBSITE_SCHEMES = ("http", "https")
WEBSITE_SCHEME_MESSAGE = _("Your website's address must start with http:// or https://.")


class WebsiteValidator(URLValidator):
    """A web address; another scheme gets its own message (code "scheme"), not "invalid"."""

    def __init__(self) -> None:
        super().__init__(schemes=list(WEBSITE_SCHEMES))

    def __call__(self, value: str) -> None:
        if urlsplit(value).scheme.lower() not in WEBSITE_SCHEMES:
            raise ValidationError(WEBSITE_SCHEME_MESSAGE, code="scheme")
        super().__call__(value)


class CommentQuerySet(models.QuerySet["Comment"]):
    def approved(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    depth = models.PositiveSmallIntegerField(default=1, editable=False)
    name = models.CharField(_("name"), max_length=245)
    email = models.EmailField(_("email"), max_length=100, db_index=True)
    website = models.URLField(_("website"), max_length=200, blank=True, validators=[WebsiteValidator()])
    body = models.TextField(_("comment"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(db_index=True)
    # Why the filter held or rejected it (empty when published straight away); kept so a
    # moderator can judge and rescue it.
    reason = models.CharField(max_length=200, blank=True)
    spam_score = models.FloatField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    # One submission, one comment: a double submit or a retry carries the same key.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    # Set when a signed-in newsroom account posted it, never from anything in the form,
    # so a reader cannot earn the Staff badge by choosing a name.
    by_staff = models.BooleanField(_("by staff"), default=False, editable=False)

    objects = CommentQuerySet.as_manager()

    # Status changes go through the moderation actions (they teach the spam filter and
    # purge the article's cached page), so the edit form leaves it out.
    panels = [
        FieldPanel("name"),
        FieldPanel("email"),
        FieldPanel("website"),
        FieldPanel("body"),
        FieldPanel("reason", read_only=True),
    ]

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_idx"),
            models.Index(fields=["ip_address", "created_at"], name="comment_ip_idx"),
        ]
        verbose_name = _("comment")

    def __str__(self) -> str:
        return f"{self.name}: {self.body[:60]}"

    @property
    def website_link(self) -> str:
        """The website as a link target, or "" for anything but http(s) (rows stored before the rule)."""
        return self.website if urlsplit(self.website).scheme.lower() in WEBSITE_SCHEMES else ""


def word_list(text: str) -> list[str]:
    return [line.strip().lower() for line in text.splitlines() if line.strip()]


@register_setting(icon="comment")
class CommentSettings(BaseSiteSetting):
    close_after_days = models.PositiveIntegerField(
        default=0, help_text=_("Close comments on articles older than this many days. 0 keeps them open.")
    )
    moderation_words = models.TextField(
        blank=True, help_text=_("One word or phrase per line. A comment containing one waits for a moderator.")
    )
    blocked_words = models.TextField(
        blank=True,
        help_text=_(
            "One word or phrase per line. A comment containing one is put in the trash (kept, with the reason)."
        ),
    )
    max_links = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("A comment with this many links or more waits for a moderator."),
    )
    hold_first_comments = models.BooleanField(
        default=True, help_text=_("A first comment from a new name and email waits for a moderator.")
    )
    min_fill_seconds = models.PositiveSmallIntegerField(
        default=3, help_text=_("A form sent faster than this after it was opened is treated as spam.")
    )
    spam_threshold = models.FloatField(
        default=0.9,
        validators=[MinValueValidator(0.5), MaxValueValidator(1.0)],
        help_text=_("Spam probability (from moderators' past decisions) above which a comment is marked spam."),
    )

    panels = [
        FieldPanel("close_after_days"),
        MultiFieldPanel(
            [FieldPanel("hold_first_comments"), FieldPanel("max_links"), FieldPanel("moderation_words")],
            heading=_("Held for moderation"),
        ),
        MultiFieldPanel(
            [FieldPanel("blocked_words"), FieldPanel("min_fill_seconds"), FieldPanel("spam_threshold")],
            heading=_("Rejected"),
        ),
    ]

    class Meta:
        verbose_name = _("comments")


class SpamToken(models.Model):
    """How often a token appeared in comments moderators approved (ham) or marked spam."""

    token = models.CharField(max_length=64, unique=True)
    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.token}: {self.spam}/{self.ham}"


class SpamCorpus(models.Model):
    """Totals of trained comments; one row."""

    spam_comments = models.PositiveIntegerField(default=0)
    ham_comments = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.spam_comments} spam / {self.ham_comments} ham"


class TrainingRecord(models.Model):
    """What the filter last learned from one comment, so a changed decision is unlearned first."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="training")
    as_spam = models.BooleanField()

    def __str__(self) -> str:
        return f"{self.comment_id}: {'spam' if self.as_spam else 'ham'}"
