"""Who sees which desk panel: only those who can act on what it lists."""

from django.contrib.auth.models import AnonymousUser, User
from wagtail.models import GroupApprovalTask, Page
from wagtail.permissions import policy_registry

from newsdesk.comments.admin_views import can_moderate

Someone = User | AnonymousUser


def reviews(user: Someone) -> bool:
    """Approves review tasks: a member of a group on an active approval task (Editors, Admins by default)."""
    if getattr(user, "is_superuser", False):
        return True
    return GroupApprovalTask.objects.filter(active=True, groups__user=user.pk).exists()


def publishes(user: Someone) -> bool:
    """May publish pages somewhere: the desk's editors, who run the schedule and the front page."""
    return bool(policy_registry.get_by_type(Page).user_has_permission(user, "publish"))


def moderates(user: Someone) -> bool:
    return can_moderate(user)


def watches_ingest(user: Someone) -> bool:
    return bool(user.has_perm("ingest.view_source"))
