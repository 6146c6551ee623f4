"""Sign-ins and role changes into Wagtail's audit log (Reports → Site history).

Django's auth signals are sent by every sign-in path, Wagtail's login form and
django-axes' lockouts included (axes refuses inside `authenticate`, which then sends
`user_login_failed`). Role changes are caught on the models, so a change from the
admin, a management command or the shell is logged alike; who did it comes from
Wagtail's LogContext (set for every admin request), else "system".
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, ModelLogEntry, Page

from . import actions

User = get_user_model()
# Failed sign-ins for names no account has are logged on this object id of the user
# type: auto-incremented keys start at 1, so it is nobody.
NO_ACCOUNT_ID = "0"


# --- Signing in and out ------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="audit-login")
def logged_in(sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any) -> None:
    log(instance=user, action=actions.LOGIN, user=user)


@receiver(user_logged_out, dispatch_uid="audit-logout")
def logged_out(sender: Any, request: HttpRequest | None, user: AbstractBaseUser | None, **kwargs: Any) -> None:
    # request.user arrives wrapped twice (django-otp wraps Django's lazy user), which
    # Wagtail's log cannot see through: it would drop the entry. Read the account itself.
    account = User._default_manager.filter(pk=user.pk).first() if user is not None else None
    if account is not None:
        log(instance=account, action=actions.LOGOUT, user=account)


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Logged on the account tried, by its stored name; never the password or unknown names.

    A name no account has is often a password typed in the wrong box, so it is not kept.
    """
    account = _account(credentials.get(User.USERNAME_FIELD))
    if account is not None:
        log(instance=account, action=actions.LOGIN_FAILED, user=None)
        return
    ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_id=NO_ACCOUNT_ID,
        label=_("unknown account"),
        action=actions.LOGIN_FAILED,
        timestamp=timezone.now(),
        data={"unknown_account": True},
    )


def _account(name: Any) -> AbstractBaseUser | None:
    if not isinstance(name, str) or not name:
        return None
    try:
        return User._default_manager.get_by_natural_key(name)
    except User.DoesNotExist:
        return None


# --- A user's groups, a group's permissions ----------------------------------------


def _names(model: type[Model], pks: set[Any]) -> list[str]:
    rows = model._default_manager.filter(pk__in=pks)
    if model is Permission:
        rows = rows.select_related("content_type")
    return sorted(_name(obj) for obj in rows)


def _m2m_change(
    *, instance: Model, action: str, reverse: bool, model: type[Model], pk_set: set[Any] | None, log_action: str
) -> None:
    """One entry per changed owner (user or group) for add, remove and clear, in either direction.

    `clear` sends no keys, so pre_clear notes the current ones on the instance.
    """
    field = "groups" if log_action == actions.GROUPS else "permissions"
    if action == "pre_clear":
        related = getattr(instance, field) if not reverse else _reverse_manager(instance, model, field)
        instance._audit_cleared = set(related.values_list("pk", flat=True))  # type: ignore[attr-defined]
        return
    if action == "post_clear":
        pk_set, key = instance.__dict__.pop("_audit_cleared", set()), "removed"
    elif action in ("post_add", "post_remove"):
        key = "added" if action == "post_add" else "removed"
    else:
        return
    if not pk_set:
        return
    if reverse:
        # A group's users (or a permission's groups) changed: each owner gets its own entry.
        for owner in model._default_manager.filter(pk__in=pk_set):
            log(instance=owner, action=log_action, data={key: [_name(instance)]})
    else:
        log(instance=instance, action=log_action, data={key: _names(model, pk_set)})


def _reverse_manager(instance: Model, model: type[Model], field: str) -> Any:
    return model._default_manager.filter(**{field: instance})


def _name(obj: Model) -> str:
    if isinstance(obj, Permission):
        return f"{obj.content_type.app_label}.{obj.codename}"
    return str(obj)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="audit-user-groups")
def groups_changed(
    sender: Any, instance: Model, action: str, reverse: bool, model: Any, pk_set: Any, **kw: Any
) -> None:
    _m2m_change(
        instance=instance, action=action, reverse=reverse, model=model, pk_set=pk_set, log_action=actions.GROUPS
    )


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="audit-group-permissions")
def group_permissions_changed(
    sender: Any, instance: Model, action: str, reverse: bool, model: Any, pk_set: Any, **kw: Any
) -> None:
    _m2m_change(
        instance=instance,
        action=action,
        reverse=reverse,
        model=model,
        pk_set=pk_set,
        log_action=actions.GROUP_PERMISSIONS,
    )


# --- The superuser flag ------------------------------------------------------------


@receiver(pre_save, sender=User, dispatch_uid="audit-superuser-before")
def note_superuser_flag(sender: Any, instance: Any, raw: bool, update_fields: Any, **kwargs: Any) -> None:
    # Sign-ins save last_login alone: no query for them.
    if raw or (update_fields is not None and "is_superuser" not in update_fields):
        return
    before = sender._default_manager.filter(pk=instance.pk).values_list("is_superuser", flat=True).first()
    instance._audit_was_superuser = bool(before)


@receiver(post_save, sender=User, dispatch_uid="audit-superuser-after")
def superuser_flag_changed(sender: Any, instance: Any, raw: bool, **kwargs: Any) -> None:
    was = instance.__dict__.pop("_audit_was_superuser", None)
    if was is not None and was != instance.is_superuser:
        log(instance=instance, action=actions.SUPERUSER, data={"superuser": instance.is_superuser})


# --- Wagtail's page and collection permissions of a group ------------------------------


def _grant_name(grant: GroupPagePermission | GroupCollectionPermission) -> str:
    # Read by id: when a page or collection is deleted its grants go first, in the same delete.
    if isinstance(grant, GroupPagePermission):
        place: Page | Collection | None = Page.objects.filter(pk=grant.page_id).first()
    else:
        place = Collection.objects.filter(pk=grant.collection_id).first()
    codename = Permission.objects.filter(pk=grant.permission_id).values_list("codename", flat=True).first()
    return _("%(permission)s on %(place)s") % {"permission": codename, "place": place or _("a deleted item")}


def _log_grant(grant: GroupPagePermission | GroupCollectionPermission, key: str) -> None:
    group = Group.objects.filter(pk=grant.group_id).first()
    if group is not None:
        log(instance=group, action=actions.GROUP_PERMISSIONS, data={key: [_grant_name(grant)]})


@receiver(post_save, sender=GroupPagePermission, dispatch_uid="audit-page-grant-added")
@receiver(post_save, sender=GroupCollectionPermission, dispatch_uid="audit-collection-grant-added")
def grant_added(sender: Any, instance: Any, created: bool, raw: bool, **kwargs: Any) -> None:
    if created and not raw:
        _log_grant(instance, "added")


@receiver(post_delete, sender=GroupPagePermission, dispatch_uid="audit-page-grant-removed")
@receiver(post_delete, sender=GroupCollectionPermission, dispatch_uid="audit-collection-grant-removed")
def grant_removed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _log_grant(instance, "removed")
