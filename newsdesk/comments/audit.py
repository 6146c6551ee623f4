"""Comment moderation in Wagtail's audit log (Reports → Site history, and each comment's history).

The moderator comes from Wagtail's LogContext, which the admin sets for each request.
Entries are titled by comment number and article, not by the reader's name and words,
so erasing a reader's comments (services.erase_comments) leaves none of them in the log.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from wagtail.log_actions import LogActionRegistry, log
from wagtail.models import ModelLogEntry

from .models import Comment

# Status a comment is moved to → the action logged for it.
MODERATION_ACTIONS: dict[str, tuple[str, Promise, Promise]] = {
    Comment.Status.APPROVED: ("comments.approve", gettext_lazy("Approve comment"), gettext_lazy("Approved")),
    Comment.Status.PENDING: (
        "comments.unapprove",
        gettext_lazy("Unapprove comment"),
        gettext_lazy("Returned to the moderation queue"),
    ),
    Comment.Status.SPAM: ("comments.spam", gettext_lazy("Mark comment as spam"), gettext_lazy("Marked as spam")),
    Comment.Status.TRASH: ("comments.trash", gettext_lazy("Trash comment"), gettext_lazy("Moved to the trash")),
}


def register_actions(registry: LogActionRegistry) -> None:
    for action, label, message in MODERATION_ACTIONS.values():
        registry.register_action(action, label, message)


def log_title(comment: Comment) -> str:
    return f"Comment {comment.pk} on “{comment.article.title}”"


def log_moderation(comment: Comment, *, was: str) -> None:
    if comment.status != was:
        action = MODERATION_ACTIONS[comment.status][0]
        log(instance=comment, action=action, title=log_title(comment), data={"from": was, "to": comment.status})


def log_deletion(comment: Comment, *, user: AbstractBaseUser | AnonymousUser | None = None) -> None:
    """Wagtail's own "wagtail.delete", for deletions that do not pass through its DeleteAction."""
    actor = user if user is not None and user.is_authenticated else None
    log(instance=comment, action="wagtail.delete", user=actor, title=log_title(comment), deleted=True)


def forget_readers_words(comments: list[Comment]) -> None:
    """Keep these comments' log entries but not the reader's name and words in their titles.

    Wagtail titles its own entries (an edit in the admin) with str(comment), "name: words";
    a reader who asks to be erased must not stay there.
    """
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Comment),
        object_id__in=[str(comment.pk) for comment in comments],
    ).update(label=Concat(Value("Comment "), F("object_id")))
