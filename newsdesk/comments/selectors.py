"""Reads for the comments section: the approved threads of one article."""

from dataclasses import dataclass, field

from django.db import models
from django.db.models.functions import Coalesce

from newsdesk.articles.models import ArticlePage
from newsdesk.core.prepared import Int, PreparedQuery

from .models import Comment


@dataclass
class Thread:
    comment: Comment
    replies: list["Thread"] = field(default_factory=list)


def threads(comments: list[Comment]) -> list[Thread]:
    """Approved comments as a tree, oldest first at every level (one query made by the caller)."""
    nodes = {comment.pk: Thread(comment) for comment in comments}
    roots: list[Thread] = []
    for comment in comments:
        node = nodes[comment.pk]
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        # A reply whose parent is no longer shown stands on its own rather than vanishing.
        (parent.replies if parent else roots).append(node)
    return roots


# Compiled once per process (core/prepared.py): every article page with comments reads it.
_APPROVED: PreparedQuery[Comment] = PreparedQuery(
    lambda article: (
        Comment.objects.filter(article_id=article)
        .approved()
        .only("pk", "article_id", "parent_id", "depth", "name", "website", "body", "created_at", "by_staff")
    ),
    article=Int,
)


def approved_comments(article: ArticlePage) -> list[Comment]:
    return _APPROVED(article=article.pk)


def approved_count() -> Coalesce:
    """An annotation for an article queryset: its approved comments, 0 when none (a subquery, no extra query)."""
    approved = (
        Comment.objects.approved()
        .filter(article_id=models.OuterRef("pk"))
        .order_by()
        .values("article_id")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(models.Subquery(approved), 0)
