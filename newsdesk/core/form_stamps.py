"""Signed "this form was opened at" stamps, for the minimum time a person takes to fill a form.

Reader forms on cached pages (comments, newsletter sign-ups) cannot carry a CSRF token or a
session; a stamp signed with the app's own salt lets the endpoint tell a form filled in under a
second (a script) from one a person typed. A forged or garbled stamp counts as no stamp.
"""

from __future__ import annotations

import time

from django.core import signing


def started_token(salt: str, value: str = "form") -> str:
    return signing.TimestampSigner(salt=salt).sign(value)


def seconds_since(token: str, salt: str) -> float | None:
    """Seconds since the stamp was issued; None if it is missing or forged."""
    if not token:
        return None
    signer = signing.TimestampSigner(salt=salt)
    try:
        signer.unsign(token, max_age=None)
        issued = signing.b62_decode(token.split(":")[1])
    except (signing.BadSignature, IndexError, ValueError):
        return None
    return max(0.0, time.time() - issued)
