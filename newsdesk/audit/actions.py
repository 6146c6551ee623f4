"""Staff actions Wagtail's audit log lacks: their names, and how Site history words them.

Wagtail already logs publishing, unpublishing, workflow steps and every admin edit
(settings included, as "wagtail.edit"); these add sign-ins and role changes.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import LogActionRegistry, LogFormatter

LOGIN = "audit.login"
LOGOUT = "audit.logout"
LOGIN_FAILED = "audit.login_failed"
GROUPS = "audit.groups"
SUPERUSER = "audit.superuser"
GROUP_PERMISSIONS = "audit.group_permissions"

# A message lists this many names; a role set-up that grants hundreds says "and N more".
SHOWN_NAMES = 8


def changes(data: dict[str, Any]) -> str:
    """ "added a, b; removed c" from a log entry's {"added": [...], "removed": [...]}."""
    parts = []
    for key, word in (("added", _("added")), ("removed", _("removed"))):
        names = data.get(key) or []
        if names:
            shown = ", ".join(names[:SHOWN_NAMES])
            if len(names) > SHOWN_NAMES:
                shown = _("%(names)s and %(count)d more") % {"names": shown, "count": len(names) - SHOWN_NAMES}
            parts.append(f"{word} {shown}")
    return "; ".join(parts)


class LoginFailedFormatter(LogFormatter):
    label = gettext_lazy("Failed sign-in")

    def format_message(self, log_entry: Any) -> str:
        if log_entry.data.get("unknown_account"):
            return _("Failed sign-in for an account that does not exist")
        return _("Failed sign-in")


class GroupsFormatter(LogFormatter):
    label = gettext_lazy("Change roles")

    def format_message(self, log_entry: Any) -> str:
        return _("Groups changed: %(changes)s") % {"changes": changes(log_entry.data)}


class SuperuserFormatter(LogFormatter):
    label = gettext_lazy("Change superuser status")

    def format_message(self, log_entry: Any) -> str:
        return _("Made a superuser") if log_entry.data.get("superuser") else _("No longer a superuser")


class GroupPermissionsFormatter(LogFormatter):
    label = gettext_lazy("Change group permissions")

    def format_message(self, log_entry: Any) -> str:
        return _("Permissions changed: %(changes)s") % {"changes": changes(log_entry.data)}


def register(actions: LogActionRegistry) -> None:
    actions.register_action(LOGIN, gettext_lazy("Sign in"), gettext_lazy("Signed in"))
    actions.register_action(LOGOUT, gettext_lazy("Sign out"), gettext_lazy("Signed out"))
    for action, formatter in (
        (LOGIN_FAILED, LoginFailedFormatter),
        (GROUPS, GroupsFormatter),
        (SUPERUSER, SuperuserFormatter),
        (GROUP_PERMISSIONS, GroupPermissionsFormatter),
    ):
        actions.register_action(action)(formatter)
