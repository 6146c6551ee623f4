"""Reader comments. Issue "Reader comments" adds the form, rules and moderation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommentQuerySet(models.QuerySet["Comment"]):
    def approved(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.APPROVED)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    name = models.CharField(max_length=245)
    email = models.EmailField(max_length=100)
    website = models.URLField(max_length=200, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(db_index=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["article", "status", "created_at"], name="comment_article_idx")]

    def __str__(self) -> str:
        return f"{self.name} on {self.article_id}"
