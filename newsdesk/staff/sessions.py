"""When a staff session started and when its holder last proved who they are.

Both are kept in the session as Unix times: a session older than
`NEWSDESK_STAFF_SESSION_MAX_AGE` ends whatever its activity (a stolen cookie is worth a
working day at most), and sensitive admin pages want a password typed within
`NEWSDESK_STAFF_REAUTH_SECONDS` (signing in counts).
"""

import time

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

SIGNED_IN_AT = "newsdesk_staff_signed_in_at"
CONFIRMED_AT = "newsdesk_staff_confirmed_at"


def mark_signed_in(session: SessionBase) -> None:
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[CONFIRMED_AT] = now


def mark_confirmed(session: SessionBase) -> None:
    session[CONFIRMED_AT] = int(time.time())


def has_expired(session: SessionBase) -> bool:
    """A session with no start time predates this rule or was made some other way: it has expired too."""
    signed_in_at = session.get(SIGNED_IN_AT)
    return not isinstance(signed_in_at, int) or time.time() - signed_in_at > settings.NEWSDESK_STAFF_SESSION_MAX_AGE


def confirmed_recently(session: SessionBase) -> bool:
    confirmed_at = session.get(CONFIRMED_AT)
    return isinstance(confirmed_at, int) and time.time() - confirmed_at <= settings.NEWSDESK_STAFF_REAUTH_SECONDS
