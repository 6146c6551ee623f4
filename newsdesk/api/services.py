"""Writes for API keys: make one (its token returned once), revoke one, note its use."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.contrib.auth.models import User
from django.utils import timezone

from .models import ApiKey, Scope

TOKEN_PREFIX = "nd_"  # noqa: S105 - a label in front of every token, not a secret
# Writing last_used_at on every request would make each API call a write; once a minute is enough to tell.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


def api_key_create(
    *,
    name: str,
    scopes: list[str],
    expires_at: datetime.datetime | None = None,
    created_by: User | None = None,
) -> tuple[ApiKey, str]:
    """A new key and its token; the token is not stored and cannot be shown again."""
    unknown = set(scopes) - set(Scope.values)
    if unknown:
        raise ValueError(f"Unknown scopes: {', '.join(sorted(unknown))}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        name=name,
        prefix=token[:10],
        digest=token_digest(token),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
        created_by=created_by,
    )
    return key, token


def api_key_find(token: str) -> ApiKey | None:
    """The usable key this token belongs to, or None (unknown, revoked or expired)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    digest = token_digest(token)
    key = ApiKey.objects.filter(digest=digest).first()
    # The row was found by its digest; comparing again in constant time costs nothing and
    # keeps the check correct should the look-up ever become a prefix search.
    if key is None or not hmac.compare_digest(key.digest, digest) or not key.is_usable():
        return None
    return key


def api_key_revoke(*, key: ApiKey) -> None:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])


def api_key_note_use(*, key: ApiKey) -> None:
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
