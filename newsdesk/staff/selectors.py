"""Reads for the Admins' "Locked-out accounts" page."""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone


@dataclass(frozen=True)
class Lock:
    """Failed sign-ins of one account or one client address within the cool-off, newest first."""

    key: str
    failures: int
    last_attempt: datetime
    locked: bool

    @property
    def lifts_at(self) -> datetime:
        return self.last_attempt + settings.AXES_COOLOFF_TIME


def _recent() -> QuerySet[AccessAttempt]:
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)


def failed_sign_ins(*, by: str) -> list[Lock]:
    """Accounts (`by="username"`) or client addresses (`by="ip_address"`) with recent failures."""
    limit = settings.AXES_FAILURE_LIMIT if by == "username" else settings.NEWSDESK_LOGIN_CLIENT_FAILURE_LIMIT
    rows = (
        _recent()
        .exclude(**{f"{by}__isnull": True})
        .values(by)
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
        .order_by("-last_attempt")
    )
    return [
        Lock(key=row[by], failures=row["failures"], last_attempt=row["last_attempt"], locked=row["failures"] >= limit)
        for row in rows
    ]
