"""Who must do what to sign in: the roles that must use two-factor authentication, and who unlocks."""

from typing import TypeAlias

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User

from newsdesk.core.roles import ADMINS

AnyUser: TypeAlias = User | AnonymousUser


def is_admin(user: AnyUser) -> bool:
    """Superusers and the Admins group (newsdesk/core/roles.py)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=ADMINS).exists()


def two_factor_required(user: AnyUser) -> bool:
    """Whether this person may not use the admin without a second factor.

    `NEWSDESK_2FA_REQUIRED_GROUPS` names the groups (production: Admins and Editors, the
    roles that publish and manage people); a superuser counts as an Admin. Anyone else
    may still turn it on for themselves, and is then always asked for a code.
    """
    groups = set(settings.NEWSDESK_2FA_REQUIRED_GROUPS)
    if not groups or not user.is_authenticated or not user.has_perm("wagtailadmin.access_admin"):
        return False
    if user.is_superuser and ADMINS in groups:
        return True
    return user.groups.filter(name__in=groups).exists()
