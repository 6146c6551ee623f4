"""Comment emails, sent by the job worker, never inside a reader's request."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from newsdesk.core.roles import ADMINS, EDITORS

from .models import Comment


def moderator_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__name__in=[EDITORS, ADMINS]).exclude(email="")
    found = {user.email for user in users} | set(settings.NEWSDESK_COMMENT_MODERATOR_EMAILS)
    return sorted(found)


@task()
def notify_about_comment(comment_id: int) -> int:
    """Tell the article's authors about a published comment, or moderators about a held one."""
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None:
        return 0
    if comment.status == Comment.Status.APPROVED:
        recipients = sorted({credit.author.email for credit in comment.article.byline.all() if credit.author.email})
        template = "comments/email/new_comment.txt"
        subject = f"New comment on “{comment.article.title}”"
    elif comment.status == Comment.Status.PENDING:
        recipients = moderator_emails()
        template = "comments/email/held_comment.txt"
        subject = f"A comment awaits moderation: “{comment.article.title}”"
    else:
        return 0
    if not recipients:
        return 0
    body = render_to_string(
        template, {"comment": comment, "article": comment.article, "base_url": settings.WAGTAILADMIN_BASE_URL}
    )
    send_mail(subject, body, None, recipients)
    return len(recipients)
