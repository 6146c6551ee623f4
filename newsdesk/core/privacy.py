"""One reader's data across apps, for an Admin's access or erasure request (GDPR Art. 15 and 17).

Feature apps may not import each other (.importlinter), so the app that holds the privacy
screen (comments) cannot ask newsletters directly. Each other app registers a Wagtail hook
named `HOOK` that returns a `PrivacySource`; the screen includes every source the user may
handle in its export and calls each one on erasure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from wagtail import hooks

HOOK = "newsdesk_privacy_sources"


@dataclass(frozen=True)
class PrivacySource:
    key: str  # the source's key in the export's JSON
    label: str  # what the staff member reads: "Newsletters"
    export: Callable[[str], object]  # an address -> JSON-ready data held about it
    erase: Callable[[str], int]  # an address -> how many records were erased
    permission: str  # needed to export or erase this source's data


def privacy_sources(user: User | AnonymousUser) -> list[PrivacySource]:
    """The registered sources this user may export and erase, in hook order."""
    found = [hook() for hook in hooks.get_hooks(HOOK)]
    return [source for source in found if user.has_perm(source.permission)]
