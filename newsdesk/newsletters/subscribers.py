"""Subscriber rows: the one address check, finding or adding an address, and suppression.

Below both the sign-up services and the sending loop (a mailbox the server says does not
exist is suppressed while sending), so neither has to import the other.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import MAX_ADDRESS_LENGTH, Subscriber

_validate_email = EmailValidator()


def clean_address(value: str) -> str:
    """An address fit for a mail header, or ValidationError with the reader's message."""
    address = (value or "").strip()
    if not address:
        raise ValidationError(_("Please enter your email address."))
    if len(address) > MAX_ADDRESS_LENGTH:
        raise ValidationError(_("That email address is too long."))
    if any(ord(char) < 32 or ord(char) == 127 for char in address):
        raise ValidationError(_("Please enter a valid email address."))
    _validate_email(address)  # its message: "Enter a valid email address."
    return address


def subscriber_for(address: str) -> Subscriber:
    found = Subscriber.objects.filter(email__iexact=address).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Subscriber.objects.create(email=address)
    except IntegrityError:  # the same address confirmed twice at once
        return Subscriber.objects.get(email__iexact=address)


def suppress(address: str, reason: str, *, now: datetime.datetime | None = None) -> Subscriber | None:
    """Never mail this address again until it confirms anew (a bounce, a complaint, an Admin).

    An address we do not know is recorded too, so a later sign-up cannot turn a complaint
    into a confirmed subscription without the reader confirming.
    """
    try:
        address = clean_address(address)
    except ValidationError:
        return None
    subscriber = subscriber_for(address)
    if subscriber.suppressed_at is None:
        subscriber.suppressed_at = now or timezone.now()
        subscriber.suppressed_reason = reason[:200]
        subscriber.save(update_fields=["suppressed_at", "suppressed_reason"])
    return subscriber
