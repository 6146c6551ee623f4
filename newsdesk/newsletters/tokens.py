"""The signed links in newsletter mails: confirm a sign-up, manage subscriptions, unsubscribe.

A confirmation link carries the address and the newsletters asked for, so nothing is
stored before the reader clicks it; it expires (NEWSDESK_NEWSLETTER_CONFIRM_DAYS). Manage
and unsubscribe links do not expire (an old mail's unsubscribe link must keep working) but
carry the subscriber's key: erasing an address or a new key voids every earlier link.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "newsdesk.newsletters.confirm"
MANAGE_SALT = "newsdesk.newsletters.manage"
UNSUBSCRIBE_SALT = "newsdesk.newsletters.unsubscribe"
# Longer than any link we issue: a token past this is not ours.
MAX_TOKEN_LENGTH = 2000


class BadLink(Exception):
    """The link was altered, has expired, or no longer belongs to anyone."""


@dataclass(frozen=True)
class SignUp:
    email: str
    newsletter_ids: tuple[int, ...]
    source: str


def confirmation_token(email: str, newsletter_ids: list[int], source: str) -> str:
    return signing.dumps(
        {"e": email, "n": sorted(set(newsletter_ids)), "s": source[:300]}, salt=CONFIRM_SALT, compress=True
    )


def read_confirmation(token: str) -> SignUp:
    max_age = settings.NEWSDESK_NEWSLETTER_CONFIRM_DAYS * 24 * 60 * 60
    data = _load(token, CONFIRM_SALT, max_age=max_age)
    if not isinstance(data, dict):
        raise BadLink
    email, ids, source = data.get("e"), data.get("n"), data.get("s", "")
    if not isinstance(email, str) or not isinstance(ids, list) or not isinstance(source, str):
        raise BadLink
    if not all(isinstance(pk, int) for pk in ids):
        raise BadLink
    return SignUp(email=email, newsletter_ids=tuple(ids), source=source)


def manage_token(subscriber_id: int, key: str) -> str:
    return signing.dumps([subscriber_id, key], salt=MANAGE_SALT)


def read_manage(token: str) -> tuple[int, str]:
    data = _load(token, MANAGE_SALT)
    if not (isinstance(data, list) and len(data) == 2 and isinstance(data[0], int) and isinstance(data[1], str)):
        raise BadLink
    return data[0], data[1]


def unsubscribe_token(subscriber_id: int, key: str, newsletter_id: int) -> str:
    return signing.dumps([subscriber_id, key, newsletter_id], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe(token: str) -> tuple[int, str, int]:
    data = _load(token, UNSUBSCRIBE_SALT)
    if not (isinstance(data, list) and len(data) == 3 and isinstance(data[1], str)):
        raise BadLink
    if not (isinstance(data[0], int) and isinstance(data[2], int)):
        raise BadLink
    return data[0], data[1], data[2]


def _load(token: str, salt: str, *, max_age: int | None = None) -> object:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise BadLink
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError) as error:  # SignatureExpired is a BadSignature
        raise BadLink from error
