"""Commenters' names: who counts as staff, and names that pass for a staff member's.

A reader may call themselves anything, but not something that reads as one of the
newsroom's names (a display name, a username, a byline), whether typed exactly, in
another case, in full-width letters, with invisible characters or with Cyrillic or
Greek look-alike letters (see `newsdesk.core.lookalikes`). Such a comment is held for
a moderator with the name it imitates as its reason.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db.models import Q, QuerySet

from newsdesk.articles.models import Author
from newsdesk.core import lookalikes
from newsdesk.core.roles import ADMINS, EDITORS, WRITERS

NEWSROOM_GROUPS = (WRITERS, EDITORS, ADMINS)


def newsroom_users() -> QuerySet[User]:
    """Active accounts of the newsroom: Django staff, superusers, and the newsroom's groups."""
    is_member = Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=NEWSROOM_GROUPS)
    return User.objects.filter(is_member, is_active=True).distinct()


def is_newsroom_member(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Whether a signed-in account belongs to the newsroom (and so earns the Staff badge)."""
    if user is None or not user.is_authenticated:
        return False
    return newsroom_users().filter(pk=user.pk).exists()


def staff_names() -> list[str]:
    """Every name a reader must not pass for: display names, usernames, bylines."""
    names: list[str] = []
    for first, last, username in newsroom_users().values_list("first_name", "last_name", "username"):
        names += [f"{first} {last}".strip(), username]
    names += Author.objects.values_list("name", flat=True)
    return [name for name in names if name]


def imitated_staff_name(name: str) -> str | None:
    """The staff name this name looks like, or None."""
    return next((staff for staff in staff_names() if lookalikes.resembles(name, staff)), None)


def name_code_points(name: str) -> list[str]:
    """The name's characters as "U+XXXX NAME" when it holds anything but printable ASCII and
    Latin letters (a look-alike, an invisible or a control character); empty otherwise."""
    return [] if lookalikes.is_plain(name) else lookalikes.code_points(name)
